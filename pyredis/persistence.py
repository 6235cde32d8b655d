"""RDB snapshots from the control side: SAVE and BGSAVE, save points checked
by the cron, the forked child's end, save on shutdown, loading the dump at
start-up in slices so clients get -LOADING and INFO shows progress, and
the INFO persistence fields of all that.  The writing and reading of the
file itself is compiled code (pyredis/_core/snapshot.pyx)."""
import asyncio
import os
import signal
import time

from ._core import core
from .log import log

CHILD_TYPE_RDB = 1
CHILD_TYPE_AOF = 2
BGSAVE_RETRY_DELAY = 5          # seconds before a save point retries a failed BGSAVE
LOAD_SLICE_KEYS = 1024          # keys loaded between two turns of the event loop
RDBFLAGS_AOF_PREAMBLE = 1       # as snapshot.pyx: keys that expired are still loaded



class Persistence:
    def __init__(self, ctl):
        self.ctl = ctl
        self.cfg = ctl.cfg
        self.lastsave = int(time.time())
        self.lastbgsave_try = 0
        self.lastbgsave_ok = True
        self.last_bgsave_time = -1
        self.bgsave_start = None
        self.bgsave_scheduled = False
        self.dirty_at_bgsave = 0
        self.rdb_saves = 0
        self.last_cow = 0
        self.loading = None            # the RdbLoader while loading
        self.loading_start = 0
        self.last_load_loaded = 0
        self.last_load_expired = 0
        self.rdb_child_for_replicas = False   # the RDB child is a diskless sync's
        self.last_load_aux = {}
        # what to do when a child ends, by child type
        self.child_done_handlers = {CHILD_TYPE_RDB: self._bgsave_done,
                                    CHILD_TYPE_AOF: ctl.aof.rewrite_done}
        self._sync_config()
        for name in ("rdbchecksum", "rdb-save-incremental-fsync", "rdb-key-save-delay",
                     "stop-writes-on-bgsave-error", "save"):
            self.cfg.watch(name, lambda value: self._sync_config())

    def _sync_config(self):
        cfg = self.cfg
        core.set_persistence_config(cfg.typed("rdbchecksum"),
                                    cfg.typed("rdb-save-incremental-fsync"),
                                    cfg.typed("rdb-key-save-delay"))
        self._update_write_denial()

    @property
    def filename(self):
        return self.cfg.typed("dbfilename")

    # --- saving -----------------------------------------------------------

    def _record_replication(self):
        """Saves carry our replication id and offset, so a replica restarted
        from its dump can resume with a partial resync."""
        rsi = self.ctl.replication.save_info() if self.ctl.replication else None
        core.set_rsi(*(rsi or (-1, None, 0)))

    def save(self):
        """SAVE (and shutdown, FLUSHALL, DEBUG RELOAD): returns True on success."""
        self._record_replication()
        err = core.rdb_save(self.filename)
        if err:
            log.warning(err)
            return False
        log.notice("DB saved on disk")
        self._saved(core.dirty())
        return True

    def _saved(self, dirty_covered):
        core.add_dirty(-dirty_covered)
        self.lastsave = int(time.time())
        self.lastbgsave_ok = True
        self.rdb_saves += 1
        self._update_write_denial()

    def cmd_save(self):
        """SAVE: None (+OK) or an error text."""
        if core.child_state()[0] == CHILD_TYPE_RDB:
            return "ERR Background save already in progress"
        return None if self.save() else "ERR"

    def cmd_bgsave(self, schedule):
        """BGSAVE [SCHEDULE]: a status text or an error text (starting with -)."""
        ctype = core.child_state()[0]
        if ctype == CHILD_TYPE_RDB:
            return "-ERR Background save already in progress"
        if ctype:
            if schedule:
                self.bgsave_scheduled = True
                return "Background saving scheduled"
            return ("-ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
        if not self.bgsave():
            return "-ERR"
        return "Background saving started"

    def bgsave(self):
        self.lastbgsave_try = time.time()
        self.dirty_at_bgsave = core.dirty()
        self._record_replication()
        try:
            pid = core.rdb_bgsave(self.filename, _child_log)
        except OSError as e:
            self.lastbgsave_ok = False
            log.warning("Can't save in background: fork: %s" % e.strerror)
            self._update_write_denial()
            return False
        self.bgsave_start = time.time()
        self.bgsave_scheduled = False
        log.notice("Background saving started by pid %d" % pid)
        return True

    def _bgsave_done(self, exitcode, sig, cow, took_ms):
        if self.rdb_child_for_replicas:
            self.rdb_child_for_replicas = False
            self.ctl.replication.socket_child_done(exitcode, sig)
            return
        self._bgsave_ended(exitcode, sig, cow, took_ms)
        self.ctl.replication.disk_bgsave_done(exitcode == 0 and not sig)

    def _bgsave_ended(self, exitcode, sig, cow, took_ms):
        self.bgsave_start = None
        self.last_bgsave_time = int(round(took_ms / 1000.0))
        self.last_cow = cow
        if sig:
            log.warning("Background saving terminated by signal %d" % sig)
            # SIGUSR1 is how we cancel a save on purpose: not a failure
            if sig != signal.SIGUSR1:
                self.lastbgsave_ok = False
        elif exitcode == 0:
            log.notice("Background saving terminated with success")
            self._saved(self.dirty_at_bgsave)
            return
        else:
            log.warning("Background saving error")
            self.lastbgsave_ok = False
        self._update_write_denial()

    def kill_child(self):
        """Cancel a running child (FLUSHALL, SHUTDOWN, DEBUG RELOAD)."""
        ctype = core.kill_child()
        if ctype == CHILD_TYPE_RDB:
            self.bgsave_start = None
            self.rdb_child_for_replicas = False
            self.ctl.replication.rdb_child_killed()
        return ctype

    def cron(self):
        done = core.check_child_done()
        if done is not None:
            ctype, exitcode, sig, cow, took = done
            handler = self.child_done_handlers.get(ctype)
            if handler is not None:
                handler(exitcode, sig, cow, took)
        if core.child_state()[0]:
            return
        if self.bgsave_scheduled:
            self.bgsave()
            return
        now = time.time()
        dirty = core.dirty()
        for seconds, changes in self.cfg.typed("save") or ():
            if dirty >= changes and now - self.lastsave > seconds and \
                    (self.lastbgsave_ok or now - self.lastbgsave_try > BGSAVE_RETRY_DELAY):
                log.notice("%d changes in %d seconds. Saving..." % (changes, seconds))
                self.bgsave()
                break

    def _update_write_denial(self):
        """stop-writes-on-bgsave-error: writes (and PING) answer -MISCONF
        while the last background save failed and save points are set."""
        deny = (not self.lastbgsave_ok and bool(self.cfg.typed("save"))
                and self.cfg.typed("stop-writes-on-bgsave-error"))
        core.set_disk_error(deny)

    def after_flushall(self):
        """FLUSHALL cancels a running BGSAVE and, with save points set,
        writes the now empty dataset at once."""
        if core.child_state()[0] == CHILD_TYPE_RDB:
            self.kill_child()
        if self.cfg.typed("save"):
            self.save()

    def shutdown_save(self, nosave, save):
        """The save step of a shutdown: True when the exit may go on."""
        if core.child_state()[0] == CHILD_TYPE_RDB:
            log.warning("There is a child saving an .rdb. Killing it!")
            self.kill_child()
        if nosave or not (save or self.cfg.typed("save")):
            return True
        log.notice("Saving the final RDB snapshot before exiting.")
        if self.save():
            return True
        log.warning("Error trying to save the DB, can't exit.")
        return False

    # --- loading ----------------------------------------------------------

    async def load_at_start(self):
        """Load dbfilename if it exists, letting the event loop answer
        clients between slices; False when the server must exit."""
        path = self.filename
        if not os.path.exists(path):
            return True
        t0 = time.time()
        steps = self.load_steps(path)
        try:
            while True:
                next(steps)
                await asyncio.sleep(0)
        except StopIteration as stop:
            ok = stop.value is not None
        if ok:
            log.notice("DB loaded from disk: %.3f seconds" % (time.time() - t0))
        return ok

    def load_now(self, path, merge=False, preamble=False):
        """Load in one go (DEBUG RELOAD, an AOF base, a replica's sync; path
        may be the RDB's bytes).  Returns None on failure, else the offset
        just past the RDB's checksum."""
        steps = self.load_steps(path, RDBFLAGS_AOF_PREAMBLE if preamble else 0, merge)
        try:
            while True:
                next(steps)
        except StopIteration as stop:
            return stop.value

    def load_steps(self, path, rdbflags=0, merge=False):
        """Generator loading an RDB file into the databases a slice at a
        time (it yields between slices), logging as Redis; returns, on
        success (the offset where the RDB ended), None on failure.  merge: a
        key already present is replaced, not an error."""
        loader = core.RdbLoader()
        if isinstance(path, bytes):        # a diskless load: the payload itself
            err = loader.open_bytes(path, rdbflags, self._deep_sanitize())
        else:
            err = loader.open_file(path, rdbflags, self._deep_sanitize(), merge)
        if err:
            log.warning(loader.error or "Fatal error loading the DB: %s. Exiting." % err)
            return None
        self.loading, self.loading_start = loader, time.time()
        core.set_loading(True)
        announced = False
        try:
            while not loader.step(LOAD_SLICE_KEYS):
                if not announced:
                    announced = self._log_aux(loader.aux)
                yield
        finally:
            core.set_loading(False)
            self.loading = None
        if not announced:
            self._log_aux(loader.aux)
        if loader.error:
            log.warning(loader.error)
            return None
        self.last_load_aux = dict(loader.aux)
        self.last_load_loaded = loader.keys_loaded
        self.last_load_expired = loader.keys_expired
        log.notice("Done loading RDB, keys loaded: %d, keys expired: %d."
                   % (loader.keys_loaded, loader.keys_expired))
        return loader.loaded_bytes

    def debug_reload(self, merge, flush, save):
        """DEBUG RELOAD: None (+OK) or an error text."""
        if save and not self.save():
            return "ERR"
        if flush:
            core.flush_all_data()
        if self.load_now(self.filename, merge=merge) is None:
            return "ERR Error trying to load the RDB dump, check server logs."
        log.warning("DB reloaded by DEBUG RELOAD")
        return None

    def _log_aux(self, aux):
        """The lines Redis logs from a dump's aux fields, once the header's
        fields are read (the first key or opcode after them)."""
        if "redis-ver" not in aux:
            return False
        log.notice("Loading RDB produced by version %s" % aux["redis-ver"].decode("utf-8", "replace"))
        try:
            log.notice("RDB age %d seconds" % (int(time.time()) - int(aux["ctime"])))
        except (KeyError, ValueError):
            pass
        try:
            log.notice("RDB memory usage when created %.2f Mb" % (int(aux["used-mem"]) / 1048576.0))
        except (KeyError, ValueError):
            pass
        return True

    def _deep_sanitize(self):
        return self.cfg.show("sanitize-dump-payload") == "yes"

    # --- INFO ---------------------------------------------------------------

    def info_fields(self):
        ctype, pid, start_ms, keys, cow, cow_peak, cow_ms = core.child_state()
        now = time.time()
        rdb_child = ctype == CHILD_TYPE_RDB
        loading = self.loading
        fields = [("loading", 1 if loading else 0), ("async_loading", 0)]
        if loading:
            total = loading.total_bytes
            done = loading.loaded_bytes
            elapsed = now - self.loading_start
            perc = (done * 100.0 / total) if total else 0.0
            eta = int((total - done) / (done / elapsed)) if done and elapsed > 0 else 1
            fields += [("loading_start_time", int(self.loading_start)),
                       ("loading_total_bytes", total),
                       ("loading_rdb_used_mem", _aux_int(loading.aux, "used-mem")),
                       ("loading_loaded_bytes", done),
                       ("loading_loaded_perc", "%.2f" % perc),
                       ("loading_eta_seconds", eta)]
        fields += [
            ("current_cow_peak", cow_peak if ctype else 0),
            ("current_cow_size", cow if ctype else 0),
            ("current_cow_size_age", int(now - cow_ms / 1000.0) if ctype and cow_ms else 0),
            ("current_fork_perc", "%.2f" % (0.0 if not ctype else min(100.0, keys * 100.0 / max(1, core.total_keys())))),
            ("current_save_keys_processed", keys if ctype else 0),
            ("current_save_keys_total", core.total_keys() if ctype else 0),
            ("rdb_changes_since_last_save", core.dirty()),
            ("rdb_bgsave_in_progress", 1 if rdb_child else 0),
            ("rdb_last_save_time", self.lastsave),
            ("rdb_last_bgsave_status", "ok" if self.lastbgsave_ok else "err"),
            ("rdb_last_bgsave_time_sec", self.last_bgsave_time),
            ("rdb_current_bgsave_time_sec",
             int(now - self.bgsave_start) if rdb_child and self.bgsave_start else -1),
            ("rdb_saves", self.rdb_saves),
            ("rdb_last_cow_size", self.last_cow),
            ("rdb_last_load_keys_expired", self.last_load_expired),
            ("rdb_last_load_keys_loaded", self.last_load_loaded),
        ]
        return fields


def _aux_int(aux, name):
    try:
        return int(aux.get(name, b"0"))
    except ValueError:
        return 0


def _child_log(ok, message, cow):
    """Runs in the BGSAVE child, just before it exits."""
    log.role = "C"
    if ok:
        log.notice("DB saved on disk")
        mb = cow // (1024 * 1024)
        log.notice("Fork CoW for RDB: current %d MB, peak %d MB, average %d MB" % (mb, mb, mb // 2))
    else:
        log.warning(message)
