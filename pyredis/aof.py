"""The multi-part append-only file of Redis 7.0, control side: the
appenddirname directory, its manifest (appendonly.aof.manifest), base and
incr files, loading them at start-up, opening the incr file the core writes
to, BGREWRITEAOF in a forked child and the switch to its result.

The core (pyredis/_core/aof.pyx over csrc/aof.c) does the per-command
work: feeding, writing, fsync, replaying a file, generating a rewrite."""
import os
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
        self.rewrite_scheduled = False
        self.rewrite_in_progress = False
        self.rewrite_start = None
        self.last_rewrite_time = -1
        self.last_bgrewrite_ok = True
        self.rewrites = 0
        self.consecutive_failures = 0
        self.last_cow = 0
        self.wait_rewrite = False          # appendonly turned on: waiting for the base
        self.temp_incr = None
        self.cfg.watch("appendfsync", lambda v: self.apply_policy())
        self.cfg.watch("aof-timestamp-enabled", lambda v: self.apply_policy())
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

    def apply_policy(self):
        core.aof_set_policy(self.cfg.show("appendfsync"), self.cfg.typed("aof-timestamp-enabled"))

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
        if m.base is None and not m.incrs:
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
        size = os.fstat(fd).st_size
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
        try:
            fd = os.open(self.path(name), os.O_WRONLY | os.O_TRUNC | os.O_CREAT, 0o644)
            try:
                if rdb:
                    if not core.rdb_save_to_fd(fd, True):
                        raise OSError(0, "write error")
                else:
                    core.aof_rewrite_fd(fd, self.cfg.typed("aof-timestamp-enabled"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            log.warning("Error writing the AOF base file %s: %s" % (name, e.strerror))
            return None
        return name

    # --- running ------------------------------------------------------------------

    def cron(self):
        if not core.aof_enabled():
            return
        core.aof_flush(False)

    def shutdown(self):
        if core.aof_enabled():
            log.notice("Calling fsync() on the AOF file.")
            fd = core.aof_disable()
            if fd != -1:
                os.close(fd)

    def info_fields(self):
        i = core.aof_info()
        on = core.aof_enabled()
        fields = [
            ("aof_enabled", 1 if on else 0),
            ("aof_rewrite_in_progress", 1 if self.rewrite_in_progress else 0),
            ("aof_rewrite_scheduled", 1 if self.rewrite_scheduled else 0),
            ("aof_last_rewrite_time_sec", self.last_rewrite_time),
            ("aof_current_rewrite_time_sec",
             int(time.time() - self.rewrite_start) if self.rewrite_in_progress else -1),
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
