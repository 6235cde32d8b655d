"""The multi-part append-only file of Redis 7.0, control side: the
appenddirname directory, its manifest (appendonly.aof.manifest), base and
incr files, loading them at start-up, opening the incr file the core writes
to, BGREWRITEAOF in a forked child and the switch to its result, automatic
rewrites, and turning the AOF on and off at runtime.

A rewrite, as Redis 7.0 does it:
  1. the parent flushes and opens a NEW incr file at once (the manifest
     lists it before the fork): writes go on there, nothing is buffered
     for the child;
  2. the forked child writes the dataset to temp-rewriteaof-bg-<pid>.aof
     in the working directory and exits;
  3. reaped with success, the parent renames it into the directory as the
     next base, turns the old base and the incr files the rewrite covers
     into history (`type h`), persists the manifest atomically, then
     deletes the history files (unless aof-disable-auto-gc).
A failed or killed child leaves the old manifest in force.

States (Redis's aof_state): OFF; ON; WAIT_REWRITE after CONFIG SET
appendonly yes, until the first base exists.  While waiting, commands are
fed only once the child runs, into temp-appendonly.aof.incr, which becomes
the first incr file of the new manifest (the child's snapshot holds
everything before).

The core (pyredis/_core/aof.pyx over csrc/aof.c) does the per-command
work: feeding, writing, fsync, replaying a file, the rewrite child."""
import os
import signal
import time

from ._core import core
from .log import log

BASE_SUFFIX = ".base"
INCR_SUFFIX = ".incr"
RDB_SUFFIX = ".rdb"
AOF_SUFFIX = ".aof"
MANIFEST_SUFFIX = ".manifest"
TEMP_PREFIX = "temp-"

AOF_OK, AOF_NOT_EXIST, AOF_EMPTY, AOF_OPEN_ERR, AOF_FAILED, AOF_TRUNCATED = range(6)
AOF_OFF, AOF_ON, AOF_WAIT_REWRITE = range(3)
CHILD_TYPE_AOF = 2
# after this many failed rewrites in a row, automatic ones back off
# (1, 2, 4 ... 60 minutes); BGREWRITEAOF still runs at once
REWRITE_LIMIT_THRESHOLD = 3
REWRITE_LIMIT_MAX_MINUTES = 60


class ManifestError(Exception):
    def __init__(self, msg, linenum=None, line=None):
        Exception.__init__(self, msg)
        self.linenum = linenum
        self.line = line


# --- manifest lines: Redis's sdssplitargs / sdscatrepr quoting ---------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\a": "\\a", "\b": "\\b"}


def _needs_repr(name):
    return any(ch in _ESCAPES or ch.isspace() or not (32 <= ord(ch) < 127)
               for ch in name)


def _repr(name):
    out = ['"']
    for ch in name.encode("utf-8", "surrogateescape"):
        c = chr(ch)
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\x%02x" % ch)
    out.append('"')
    return "".join(out)


def split_args(line):
    """sdssplitargs: whitespace-separated tokens, "double quoted" with
    escapes (\\xHH \\n \\r \\t \\b \\a) or 'single quoted'; None when the
    quoting is unbalanced or a closing quote is not followed by a space."""
    args = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i].isspace():
            i += 1
        if i >= n:
            return args
        cur = bytearray()
        inq = insq = False
        while True:
            if inq:
                if i >= n:
                    return None
                ch = line[i]
                if ch == "\\" and i + 3 < n and line[i + 1] == "x" and \
                        all(c in "0123456789abcdefABCDEF" for c in line[i + 2:i + 4]):
                    cur.append(int(line[i + 2:i + 4], 16))
                    i += 3
                elif ch == "\\" and i + 1 < n:
                    i += 1
                    cur += {"n": b"\n", "r": b"\r", "t": b"\t", "b": b"\b",
                            "a": b"\a"}.get(line[i], line[i].encode("utf-8", "surrogateescape"))
                elif ch == '"':
                    if i + 1 < n and not line[i + 1].isspace():
                        return None
                    i += 1
                    break
                else:
                    cur += ch.encode("utf-8", "surrogateescape")
            elif insq:
                if i >= n:
                    return None
                ch = line[i]
                if ch == "\\" and i + 1 < n and line[i + 1] == "'":
                    i += 1
                    cur += b"'"
                elif ch == "'":
                    if i + 1 < n and not line[i + 1].isspace():
                        return None
                    i += 1
                    break
                else:
                    cur += ch.encode("utf-8", "surrogateescape")
            else:
                if i >= n or line[i] in " \n\r\t\0":
                    break
                ch = line[i]
                if ch == '"':
                    inq = True
                elif ch == "'":
                    insq = True
                else:
                    cur += ch.encode("utf-8", "surrogateescape")
            i += 1
        args.append(cur.decode("utf-8", "surrogateescape"))


class AofFile(object):
    __slots__ = ("name", "seq", "type")

    def __init__(self, name, seq, type_):
        self.name, self.seq, self.type = name, seq, type_

    def line(self):
        name = _repr(self.name) if _needs_repr(self.name) else self.name
        return "file %s seq %d type %s\n" % (name, self.seq, self.type)


class Manifest(object):
    def __init__(self):
        self.base = None
        self.incrs = []
        self.history = []
        self.base_seq = 0
        self.incr_seq = 0

    @classmethod
    def parse(cls, text):
        """aofLoadManifestFromFile's rules and error texts."""
        m = cls()
        maxseq = 0
        lines = text.split("\n")
        if text == "":
            raise ManifestError("Found an empty AOF manifest")
        if lines and lines[-1] == "":
            lines.pop()
        for linenum, raw in enumerate(lines, 1):
            if raw.startswith("#"):
                continue
            line = raw.strip(" \t\r\n")
            if len(raw) > 1024:
                raise ManifestError("The AOF manifest file contains too long line", linenum, line)
            if not line:
                raise ManifestError("Invalid AOF manifest file format", linenum, line)
            argv = split_args(line)
            if argv is None or len(argv) < 6 or len(argv) % 2:
                raise ManifestError("Invalid AOF manifest file format", linenum, line)
            name, seq, ftype = None, 0, ""
            for i in range(0, len(argv), 2):
                key = argv[i].lower()
                if key == "file":
                    name = argv[i + 1]
                    if "/" in name:
                        raise ManifestError("File can't be a path, just a filename", linenum, line)
                elif key == "seq":
                    seq = _atoll(argv[i + 1])
                elif key == "type":
                    ftype = argv[i + 1][:1]
            if not name or not seq or not ftype:
                raise ManifestError("Invalid AOF manifest file format", linenum, line)
            f = AofFile(name, seq, ftype)
            if ftype == "b":
                if m.base is not None:
                    raise ManifestError("Found duplicate base file information", linenum, line)
                m.base = f
                m.base_seq = seq
            elif ftype == "h":
                m.history.append(f)
            elif ftype == "i":
                if seq <= maxseq:
                    raise ManifestError("Found a non-monotonic sequence number", linenum, line)
                m.incrs.append(f)
                m.incr_seq = maxseq = seq
            else:
                raise ManifestError("Unknown AOF file type", linenum, line)
        return m

    def format(self):
        out = []
        if self.base is not None:
            out.append(self.base.line())
        out += [f.line() for f in self.history]
        out += [f.line() for f in self.incrs]
        return "".join(out)

    def copy(self):
        m = Manifest.parse(self.format()) if (self.base or self.incrs or self.history) else Manifest()
        m.base_seq, m.incr_seq = self.base_seq, self.incr_seq
        return m

    def new_base(self, filename, rdb):
        if self.base is not None:
            self.base.type = "h"
            self.history.insert(0, self.base)
        self.base_seq += 1
        self.base = AofFile("%s.%d%s%s" % (filename, self.base_seq, BASE_SUFFIX,
                                            RDB_SUFFIX if rdb else AOF_SUFFIX), self.base_seq, "b")
        return self.base.name

    def new_incr(self, filename):
        self.incr_seq += 1
        f = AofFile("%s.%d%s%s" % (filename, self.incr_seq, INCR_SUFFIX, AOF_SUFFIX),
                    self.incr_seq, "i")
        self.incrs.append(f)
        return f.name

    def incrs_to_history(self, keep_last):
        """A rewrite succeeded: the incr files it covers become history,
        in front of the older history (keep_last: the AOF is on and the
        last incr file is the one being written)."""
        moved = self.incrs[:-1] if keep_last else self.incrs
        self.incrs = self.incrs[-1:] if keep_last else []
        for f in moved:
            f.type = "h"
        self.history[:0] = moved


def _atoll(s):
    s = s.strip()
    i = 1 if s[:1] in "+-" else 0
    while i < len(s) and s[i].isdigit():
        i += 1
    try:
        return int(s[:i])
    except ValueError:
        return 0


def _log(level, text):
    getattr(log, level)(text)


class Aof(object):
    """The AOF of one server (Redis's server.aof_* state and aof.c's
    control paths)."""

    def __init__(self, ctl):
        self.ctl = ctl
        self.cfg = ctl.cfg
        self.manifest = Manifest()
        self.fd = -1
        self.state = AOF_OFF
        self.rewrite_scheduled = False
        self.rewrite_start = None
        self.child_pid = -1
        self.child_rdb = True              # the format the running rewrite writes
        self.last_rewrite_time = -1
        self.last_bgrewrite_ok = True
        self.rewrites = 0
        self.consecutive_failures = 0
        self.last_cow = 0
        self.limit_delay_minutes = 0
        self.limit_next_time = 0
        for name in ("appendfsync", "aof-timestamp-enabled", "no-appendfsync-on-rewrite"):
            self.cfg.watch(name, lambda v: self.apply_policy())
        self.cfg.watch("appendonly", self._appendonly_changed)
        self.apply_policy()

    # --- names --------------------------------------------------------------

    @property
    def filename(self):
        return self.cfg.typed("appendfilename")

    @property
    def dirname(self):
        return self.cfg.typed("appenddirname")

    def path(self, name):
        return os.path.join(self.dirname, name)

    def manifest_name(self):
        return self.filename + MANIFEST_SUFFIX

    def temp_incr_name(self):
        return TEMP_PREFIX + self.filename + INCR_SUFFIX

    def apply_policy(self):
        core.aof_set_policy(self.cfg.show("appendfsync"), self.cfg.typed("aof-timestamp-enabled"),
                            self.cfg.typed("no-appendfsync-on-rewrite"))

    # --- manifest on disk --------------------------------------------------------

    def load_manifest(self):
        self.manifest = Manifest()
        if not os.path.isdir(self.dirname):
            return
        path = self.path(self.manifest_name())
        if not os.path.exists(path):
            return
        try:
            with open(path, "r", encoding="utf-8", errors="surrogateescape") as f:
                text = f.read()
        except OSError as e:
            log.warning("Fatal error: can't open the AOF manifest file %s for reading: %s"
                        % (path, e.strerror))
            os._exit(1)
        try:
            self.manifest = Manifest.parse(text)
        except ManifestError as e:
            log.warning("\n*** FATAL AOF MANIFEST FILE ERROR ***\n")
            if e.line is not None:
                log.warning("Reading the manifest file, at line %d\n" % e.linenum)
                log.warning(">>> '%s'\n" % e.line)
            log.warning("%s\n" % e)
            os._exit(1)

    def persist_manifest(self, m):
        name, tmp = self.manifest_name(), TEMP_PREFIX + self.manifest_name()
        try:
            fd = os.open(self.path(tmp), os.O_WRONLY | os.O_TRUNC | os.O_CREAT, 0o644)
        except OSError as e:
            log.warning("Can't open the AOF manifest file %s: %s" % (tmp, e.strerror))
            return False
        try:
            os.write(fd, m.format().encode("utf-8", "surrogateescape"))
            os.fsync(fd)
            os.rename(self.path(tmp), self.path(name))
            dfd = os.open(self.dirname, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError as e:
            log.warning("Error trying to write the temporary AOF manifest file %s: %s"
                        % (tmp, e.strerror))
            return False
        finally:
            os.close(fd)
        return True

    # --- start-up ----------------------------------------------------------------

    def load_at_startup(self):
        """loadAppendOnlyFiles + aofOpenIfNeededOnServerStart.  Exits the
        process on a fatal error, as Redis does."""
        self.load_manifest()
        start = time.time()
        ret = self.load_files()
        if ret in (AOF_FAILED, AOF_OPEN_ERR):
            os._exit(1)
        if ret != AOF_NOT_EXIST:
            log.notice("DB loaded from append only file: %.3f seconds" % (time.time() - start))
        self.open_on_start()

    def files_size(self, m):
        total = 0
        for f in ([m.base] if m.base else []) + m.incrs:
            try:
                total += os.stat(self.path(f.name)).st_size
            except OSError as e:
                log.warning("Unable to obtain the AOF file %s length. stat: %s"
                            % (f.name, e.strerror))
                return None
        return total

    def load_files(self):
        m = self.manifest
        fn = self.filename
        if os.path.exists(fn):
            if not os.path.isdir(self.dirname) or (m.base is None and not m.incrs) or \
                    (m.base is not None and not m.incrs and m.base.name == fn and
                     not os.path.exists(self.path(fn))):
                self.upgrade()
        if m.base is None and not m.incrs:
            return AOF_NOT_EXIST
        total = self.files_size(m)
        if total is None:
            return AOF_FAILED
        if total == 0:
            return AOF_EMPTY
        files = ([m.base] if m.base else []) + m.incrs
        truncated_ok = self.cfg.typed("aof-load-truncated")
        ret = AOF_OK
        for i, f in enumerate(files):
            last = i == len(files) - 1
            t0 = time.time()
            ret = self.load_one(f)
            if ret == AOF_OK or (ret == AOF_TRUNCATED and last):
                log.notice("DB loaded from %s file %s: %.3f seconds"
                           % ("base" if f.type == "b" else "incr", f.name, time.time() - t0))
            if ret == AOF_EMPTY and f.type == "i":
                ret = AOF_OK
            if ret == AOF_TRUNCATED and not last:
                log.warning("Fatal error: the truncated file is not the last file")
                ret = AOF_FAILED
            if ret in (AOF_OPEN_ERR, AOF_FAILED):
                return ret
        base_size = os.stat(self.path(m.base.name)).st_size if m.base else 0
        core.aof_set_sizes(self.files_size(m) or 0, base_size)
        return ret

    def load_one(self, f):
        path = self.path(f.name)
        truncated_ok = self.cfg.typed("aof-load-truncated")
        try:
            is_rdb = os.path.getsize(path) > 0 and core.aof_is_rdb(path)
        except OSError:
            is_rdb = False
        if is_rdb:
            old_style = f.name == self.filename
            log.notice("Reading RDB preamble from AOF file..." if old_style
                       else "Reading RDB base file on AOF loading...")
            end = self.load_rdb_base(path)
            if end is None:
                log.warning(("Error reading the RDB preamble of the AOF file %s, AOF loading aborted"
                             if old_style else
                             "Error reading the RDB base file %s, AOF loading aborted") % f.name)
                return AOF_FAILED
            if os.path.getsize(path) > end:
                # an old single-file AOF: commands follow the preamble
                with open(path, "rb") as fh:
                    data = fh.read()
                return core.aof_load_bytes(data, path, f.name, truncated_ok, _log, end)
            return AOF_OK
        return core.aof_load_file(path, f.name, truncated_ok, _log)

    def load_rdb_base(self, path):
        """An RDB-format base file or RDB preamble, through the snapshot
        loader; returns the offset where the RDB ended, None on failure."""
        return self.ctl.persistence.load_now(path, preamble=True)

    def upgrade(self):
        """aofUpgradePrepare: move an old single-file AOF into the dir."""
        fn = self.filename
        try:
            os.makedirs(self.dirname, exist_ok=True)
        except OSError as e:
            log.warning("Can't open or create append-only dir %s: %s" % (self.dirname, e.strerror))
            os._exit(1)
        m = self.manifest
        m.base = AofFile(fn, 1, "b")
        m.base_seq = 1
        if not self.persist_manifest(m):
            os._exit(1)
        try:
            os.rename(fn, self.path(fn))
        except OSError as e:
            log.warning("Error trying to move the old AOF file %s into dir %s: %s"
                        % (fn, self.dirname, e.strerror))
            os._exit(1)
        log.notice("Successfully migrated an old-style AOF file (%s) into the AOF directory (%s)."
                   % (fn, self.dirname))

    def open_on_start(self):
        try:
            os.makedirs(self.dirname, exist_ok=True)
        except OSError as e:
            log.warning("Can't open or create append-only dir %s: %s" % (self.dirname, e.strerror))
            os._exit(1)
        m = self.manifest
        had_incr = bool(m.incrs)
        fresh = m.base is None and not m.incrs
        if fresh:
            name = self.write_base_sync(m)
            if name is None:
                os._exit(1)
            log.notice("Creating AOF base file %s on server start" % name)
        name = m.incrs[-1].name if m.incrs else m.new_incr(self.filename)
        try:
            fd = os.open(self.path(name), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as e:
            log.warning("Can't open the append-only file %s: %s" % (name, e.strerror))
            os._exit(1)
        if not self.persist_manifest(m):
            os._exit(1)
        self.fd = fd
        self.state = AOF_ON
        size = os.fstat(fd).st_size
        if fresh:
            # as 7.0: the base written at this start is not counted until
            # a restart loads it (aof_base_size 0, current size = incr)
            total, base = size, 0
        else:
            total = self.files_size(m) or 0
            base = os.stat(self.path(m.base.name)).st_size if m.base else 0
        core.aof_enable(fd, size, total, base)
        log.notice(("Opening AOF incr file %s on server start" if had_incr else
                    "Creating AOF incr file %s on server start") % name)

    def write_base_sync(self, m):
        """The dataset as a new base file, written here (start-up): RDB with
        aof-use-rdb-preamble, else AOF commands."""
        rdb = self.cfg.typed("aof-use-rdb-preamble")
        name = m.new_base(self.filename, rdb)
        err = core.aof_write_base("temp-rewriteaof-%d.aof" % os.getpid(), self.path(name), rdb,
                                  self.cfg.typed("aof-timestamp-enabled"),
                                  self.cfg.typed("aof-rewrite-incremental-fsync"))
        if err:
            log.warning(err)
            return None
        return name

    # --- rewrites -------------------------------------------------------------------

    @property
    def rewrite_in_progress(self):
        return core.child_state()[0] == CHILD_TYPE_AOF

    def cmd_bgrewriteaof(self):
        """BGREWRITEAOF: a status text or an error text (starting with -)."""
        ctype = core.child_state()[0]
        if ctype == CHILD_TYPE_AOF:
            return "-ERR Background append only file rewriting already in progress"
        if ctype:
            self.rewrite_scheduled = True
            # asked for by hand: not held back by earlier failures
            self.consecutive_failures = 0
            return "Background append only file rewriting scheduled"
        if self.rewrite_background():
            return "Background append only file rewriting started"
        return ("-ERR Can't execute an AOF background rewriting. "
                "Please check the server logs for more information.")

    def rewrite_background(self):
        """Start a rewrite (rewriteAppendOnlyFileBackground): True when the
        child runs."""
        if core.child_state()[0]:
            return False
        try:
            os.makedirs(self.dirname, exist_ok=True)
        except OSError as e:
            log.warning("Can't open or create append-only dir %s: %s" % (self.dirname, e.strerror))
            self.last_bgrewrite_ok = False
            return False
        if self.fd != -1:
            core.aof_flush(True)
        if not self.open_new_incr():
            self.last_bgrewrite_ok = False
            return False
        self.rewrites += 1
        rdb = self.cfg.typed("aof-use-rdb-preamble")
        try:
            pid = core.aof_rewrite_background(rdb, self.cfg.typed("aof-timestamp-enabled"),
                                              self.cfg.typed("aof-rewrite-incremental-fsync"),
                                              _child_log)
        except OSError as e:
            self.last_bgrewrite_ok = False
            log.warning("Can't rewrite append only file in background: fork: %s" % e.strerror)
            if self.state == AOF_WAIT_REWRITE:
                self.drop_temp_incr()
            return False
        log.notice("Background append only file rewriting started by pid %d" % pid)
        self.child_pid, self.child_rdb = pid, rdb
        self.rewrite_scheduled = False
        self.rewrite_start = time.time()
        return True

    def open_new_incr(self):
        """openNewIncrAofForAppend: writes continue in a new incr file,
        listed in the persisted manifest before anything goes there; while
        waiting for the first base, in the temp incr file instead."""
        if self.state == AOF_OFF:
            return True
        if self.state == AOF_WAIT_REWRITE:
            m, name = None, self.temp_incr_name()
        else:
            m = self.manifest.copy()
            name = m.new_incr(self.filename)
        try:
            fd = os.open(self.path(name), os.O_WRONLY | os.O_TRUNC | os.O_CREAT, 0o644)
        except OSError as e:
            log.warning("Can't open the append-only file %s: %s" % (name, e.strerror))
            return False
        if m is not None and not self.persist_manifest(m):
            os.close(fd)
            return False
        log.notice("Creating AOF incr file %s on background rewrite" % name)
        if self.fd == -1:
            info = core.aof_info()
            core.aof_enable(fd, 0, info["current_size"], info["base_size"])
        else:
            # the old file is whole (aof_switch_fd writes the buffer first):
            # its fsync and close need not hold up the event loop
            core.aof_close_in_background(core.aof_switch_fd(fd))
        self.fd = fd
        if m is not None:
            self.manifest = m
        return True

    def rewrite_done(self, exitcode, sig, cow, took_ms):
        """The rewrite child was reaped (backgroundRewriteDoneHandler)."""
        pid = self.child_pid
        if not sig and exitcode == 0:
            log.notice("Background AOF rewrite terminated with success")
            self.install_rewrite(pid, cow)
        elif not sig:
            self.rewrite_failed()
            log.warning("Background AOF rewrite terminated with error")
        else:
            # SIGUSR1 is how we cancel a rewrite on purpose: not a failure
            if sig != signal.SIGUSR1:
                self.rewrite_failed()
            log.warning("Background AOF rewrite terminated by signal %d" % sig)
        remove_temp_files(pid)
        if self.state == AOF_WAIT_REWRITE:
            # no base yet: what the temp incr file holds is covered by the
            # next attempt's snapshot
            self.drop_temp_incr()
            self.rewrite_scheduled = True
        if self.rewrite_start is not None:
            self.last_rewrite_time = int(time.time()) - int(self.rewrite_start)
        self.rewrite_start = None
        self.child_pid = -1

    def rewrite_failed(self):
        self.last_bgrewrite_ok = False
        self.consecutive_failures += 1

    def install_rewrite(self, pid, cow):
        """Make the child's file the new base: rename it into the
        directory, history for what it replaces, the manifest persisted,
        then the history deleted.  On any failure the old manifest stays."""
        tmp = "temp-rewriteaof-bg-%d.aof" % pid
        m = self.manifest.copy()
        base = m.new_base(self.filename, self.child_rdb)
        try:
            os.rename(tmp, self.path(base))
        except OSError as e:
            log.warning("Error trying to rename the temporary AOF base file %s into %s: %s"
                        % (tmp, self.path(base), e.strerror))
            self.rewrite_failed()
            return
        log.notice("Successfully renamed the temporary AOF base file %s into %s" % (tmp, base))
        incr = None
        if self.state == AOF_WAIT_REWRITE:
            temp_incr = self.temp_incr_name()
            incr = m.new_incr(self.filename)
            try:
                os.rename(self.path(temp_incr), self.path(incr))
            except OSError as e:
                log.warning("Error trying to rename the temporary AOF incr file %s into %s: %s"
                            % (self.path(temp_incr), self.path(incr), e.strerror))
                _unlink(self.path(base))
                self.rewrite_failed()
                return
            log.notice("Successfully renamed the temporary AOF incr file %s into %s"
                       % (temp_incr, incr))
        m.incrs_to_history(keep_last=self.fd != -1)
        if not self.persist_manifest(m):
            _unlink(self.path(base))
            if incr is not None:
                _unlink(self.path(incr))
            self.rewrite_failed()
            return
        self.manifest = m
        if self.fd != -1:
            try:
                size = os.stat(self.path(base)).st_size
            except OSError as e:
                log.warning("Unable to obtain the AOF file %s length. stat: %s" % (base, e.strerror))
                size = 0
            current = size + core.aof_info()["last_incr_size"]
            core.aof_set_sizes(current, current)
        self.delete_history()
        self.last_bgrewrite_ok = True
        self.consecutive_failures = 0
        self.last_cow = cow
        log.notice("Background AOF rewrite finished successfully")
        if self.state == AOF_WAIT_REWRITE:
            self.state = AOF_ON

    def delete_history(self):
        """aofDelHistoryFiles: each history file is unlinked now and closed
        (its blocks freed) on the fsync thread."""
        m = self.manifest
        if not m.history or self.cfg.typed("aof-disable-auto-gc"):
            return True
        for f in m.history:
            log.notice("Removing the history file %s in the background" % f.name)
            _unlink_in_background(self.path(f.name))
        m.history = []
        return self.persist_manifest(m)

    def drop_temp_incr(self):
        """Stop feeding the temp incr file of WAIT_REWRITE and remove it."""
        fd = core.aof_disable()
        if fd != -1:
            os.close(fd)
        self.fd = -1
        name = self.temp_incr_name()
        log.notice("Removing the temp incr aof file %s in the background" % name)
        _unlink(self.path(name))

    def kill_rewrite_child(self):
        """killAppendOnlyChild: cancel a running rewrite and remove its
        temp files; the manifest is untouched."""
        if core.child_state()[0] != CHILD_TYPE_AOF:
            return
        pid = self.child_pid
        log.notice("Killing running AOF rewrite child: %d" % pid)
        core.kill_child()
        remove_temp_files(pid)
        self.rewrite_start = None
        self.child_pid = -1

    def rewrite_limited(self):
        """aofRewriteLimited: after REWRITE_LIMIT_THRESHOLD failures in a
        row, scheduled and automatic rewrites wait 1, 2, 4 ... 60 minutes."""
        if self.consecutive_failures < REWRITE_LIMIT_THRESHOLD:
            self.limit_delay_minutes = self.limit_next_time = 0
            return False
        now = time.time()
        if self.limit_next_time:
            if now < self.limit_next_time:
                return True
            self.limit_next_time = 0
            return False
        self.limit_delay_minutes = min(REWRITE_LIMIT_MAX_MINUTES,
                                       self.limit_delay_minutes * 2 or 1)
        self.limit_next_time = now + self.limit_delay_minutes * 60
        log.warning("Background AOF rewrite has repeatedly failed and triggered the limit, "
                    "will retry in %d minutes" % self.limit_delay_minutes)
        return True

    # --- turning it on and off at runtime ----------------------------------------

    def _appendonly_changed(self, on):
        if not on and self.state != AOF_OFF:
            self.stop()
        elif on and self.state == AOF_OFF and not self.start():
            raise ValueError("Unable to turn on AOF. Check server logs.")

    def start(self):
        """CONFIG SET appendonly yes (startAppendOnly): a rewrite makes the
        first base; the AOF counts as on (WAIT_REWRITE) from now."""
        self.state = AOF_WAIT_REWRITE
        ctype = core.child_state()[0]
        if ctype and ctype != CHILD_TYPE_AOF:
            self.rewrite_scheduled = True
            log.warning("AOF was enabled but there is already another background operation. "
                        "An AOF background was scheduled to start when possible.")
        else:
            if ctype == CHILD_TYPE_AOF:
                # its snapshot may predate writes nobody fed to a file
                log.warning("AOF was enabled but there is already an AOF rewriting in "
                            "background. Stopping background AOF and starting a rewrite now.")
                self.kill_rewrite_child()
            if not self.rewrite_background():
                self.state = AOF_OFF
                log.warning("Redis needs to enable the AOF but can't trigger a background AOF "
                            "rewrite operation. Check the above logs for more info about the error.")
                return False
        if not core.aof_info()["last_write_ok"]:
            log.warning("AOF reopen, just ignore the last error.")
            core.aof_clear_write_error()
        return True

    def stop(self):
        """CONFIG SET appendonly no (stopAppendOnly): write and fsync what
        is buffered, close the incr file, cancel a rewrite."""
        waiting = self.state == AOF_WAIT_REWRITE
        fd = core.aof_disable()
        if fd != -1:
            os.close(fd)
        self.fd = -1
        self.state = AOF_OFF
        self.rewrite_scheduled = False
        self.kill_rewrite_child()
        if waiting:
            _unlink(self.path(self.temp_incr_name()))

    # --- running ------------------------------------------------------------------

    def cron(self):
        """Before children are reaped: flush, start a scheduled rewrite."""
        if self.fd != -1:
            core.aof_flush(False)
        if self.rewrite_scheduled and not core.child_state()[0] and not self.rewrite_limited():
            self.rewrite_background()

    def auto_rewrite_cron(self):
        """After children are reaped: the auto-aof-rewrite-* trigger."""
        perc = self.cfg.typed("auto-aof-rewrite-percentage")
        if self.state != AOF_ON or not perc or core.child_state()[0]:
            return
        info = core.aof_info()
        current = info["current_size"]
        if current <= self.cfg.typed("auto-aof-rewrite-min-size"):
            return
        growth = current * 100 // (info["base_size"] or 1) - 100
        if growth >= perc and not self.rewrite_limited():
            log.notice("Starting automatic rewriting of AOF on %d%% growth" % growth)
            self.rewrite_background()

    def prepare_shutdown(self, force):
        """The AOF step of a shutdown: False when the exit must not go on
        (the first base of a runtime-enabled AOF is still being written)."""
        if core.child_state()[0] != CHILD_TYPE_AOF:
            return True
        if self.state == AOF_WAIT_REWRITE:
            if not force:
                log.warning("Writing initial AOF, can't exit.")
                return False
            log.warning("Writing initial AOF. Exit anyway.")
        log.warning("There is a child rewriting the AOF. Killing it!")
        self.kill_rewrite_child()
        return True

    def shutdown(self):
        if self.state == AOF_ON:
            log.notice("Calling fsync() on the AOF file.")
        fd = core.aof_disable()
        if fd != -1:
            os.close(fd)
        self.fd = -1

    def info_fields(self):
        i = core.aof_info()
        on = self.state != AOF_OFF
        rewriting = self.rewrite_in_progress
        fields = [
            ("aof_enabled", 1 if on else 0),
            ("aof_rewrite_in_progress", 1 if rewriting else 0),
            ("aof_rewrite_scheduled", 1 if self.rewrite_scheduled else 0),
            ("aof_last_rewrite_time_sec", self.last_rewrite_time),
            ("aof_current_rewrite_time_sec",
             int(time.time()) - int(self.rewrite_start)
             if rewriting and self.rewrite_start is not None else -1),
            ("aof_last_bgrewrite_status", "ok" if self.last_bgrewrite_ok else "err"),
            ("aof_rewrites", self.rewrites),
            ("aof_rewrites_consecutive_failures", self.consecutive_failures),
            ("aof_last_write_status", "ok" if i["last_write_ok"] else "err"),
            ("aof_last_cow_size", self.last_cow),
        ]
        extra = []
        if on:
            extra = [("aof_current_size", i["current_size"]), ("aof_base_size", i["base_size"]),
                     ("aof_pending_rewrite", 1 if self.rewrite_scheduled else 0),
                     ("aof_buffer_length", i["buffer_length"]),
                     ("aof_pending_bio_fsync", i["pending_fsync"]),
                     ("aof_delayed_fsync", i["delayed_fsync"])]
        return fields, extra


def remove_temp_files(pid):
    """aofRemoveTempFile: what a rewrite child of that pid may have left in
    the working directory."""
    _unlink("temp-rewriteaof-bg-%d.aof" % pid)
    _unlink("temp-rewriteaof-%d.aof" % pid)


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _unlink_in_background(path):
    """bg_unlink: the name goes now; the last close, which frees the blocks
    of a big file, happens on the fsync thread."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        _unlink(path)
        return
    _unlink(path)
    core.aof_close_in_background(fd, False)


def _child_log(ok, text, cow):
    """Runs in the rewrite child, just before it exits."""
    log.role = "C"
    if ok:
        log.notice("Successfully created the temporary AOF base file %s" % text)
        mb = cow // (1024 * 1024)
        log.notice("Fork CoW for AOF rewrite: current %d MB, peak %d MB, average %d MB"
                   % (mb, mb, mb // 2))
    else:
        log.warning(text)
