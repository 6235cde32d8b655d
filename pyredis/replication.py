"""Replication control (Redis's replication.c, the parts off the write path).

Replica side: REPLICAOF starts one asyncio task that owns the link to the
master: connect, handshake (PING, AUTH, REPLCONF listening-port and capa,
PSYNC with our replid and offset + 1, so a master that shares our history
answers +CONTINUE), on +FULLRESYNC read the RDB (length-prefixed or
EOF-marked) into a file -- or, with repl-diskless-load, into memory -- and
load it, then feed the stream to the core's master client (repl.pyx) and
proxy the same bytes to our own replicas.  The cron sends REPLCONF ACK
every second and drops a silent link after repl-timeout.  REPLICAOF NO ONE
keeps the data and shifts the ids as PSYNC2 does: replid2 := replid,
second_repl_offset := offset + 1.

Master side: the core holds the replicas and their states (repl.pyx);
this module serves full syncs with a forked child, as Redis does:
  disk      a BGSAVE to dbfilename; replicas that ask while it runs share
            it; when it ends each replica is sent the file, then goes online
  diskless  (repl-diskless-sync, replicas with capa eof) the child writes
            the RDB into a pipe and we relay it to every replica of that
            sync, reading the pipe only while their sockets keep up; after
            repl-diskless-sync-delay seconds of gathering replicas
It also sends keep-alive newlines to replicas waiting for their RDB, PINGs
into the stream, drops replicas silent for repl-timeout, frees the backlog
after repl-backlog-ttl without replicas, and runs FAILOVER.

Invariant: self.master is None exactly when we are a master; the link
task checks it after every await and stops when it changed.
"""
import asyncio
import os
import time

from . import tls
from ._core import core
from .log import log

EOF_MARK_LEN = 40
READ_CHUNK = 1 << 16
RDB_SEND_CHUNK = 1 << 16
CHILD_TYPE_RDB = 1
# a replica's states and capabilities (repl.pyx, Redis's numbers)
WAIT_BGSAVE_START, WAIT_BGSAVE_END, SEND_BULK, ONLINE = 6, 7, 8, 9
STATE_NAMES = {WAIT_BGSAVE_START: "wait_bgsave", WAIT_BGSAVE_END: "wait_bgsave",
               SEND_BULK: "send_bulk", ONLINE: "online"}
REPL_CAPA_EOF, REPL_PRE_PSYNC = 1, 4


class ReplError(Exception):
    pass


class SocketSync:
    """A diskless full sync in progress: the child, the read end of its
    pipe (-1 once it reached EOF) and the replicas it serves."""
    def __init__(self, pid, fd, targets):
        self.pid, self.fd, self.targets = pid, fd, list(targets)
        self.child_done = False


def replica_name(c):
    return "%s:%d" % (c.addr.rsplit(":", 1)[0], c.repl_port)


class Replication:
    def __init__(self, ctl):
        self.ctl = ctl
        self.master = None            # (host, port) while a replica
        self._state = "none"          # connect, connecting, sync, connected
        self.task = None
        self.client = None            # the core's master client
        self.writer = None
        self.last_io = 0.0
        self.link_down_since = 0.0
        self.sync_started = 0.0
        self.sync_total = self.sync_read = 0
        self.last_ping = time.monotonic()
        self.last_ack = 0.0
        self.last_newline = 0.0
        self.cfg = ctl.cfg
        self.socket_sync = None        # SocketSync while a diskless child runs
        self.tasks = set()
        self.failover_state = "no-failover"
        self.failover_target = None    # (host, port)
        self.failover_end = 0.0        # unix s, 0: none
        self.failover_force = False
        self.master_db = 0             # the master stream's database, kept across links
        core.repl_set_ids(ctl.replid.encode(), b"0" * 40, -1, 0)
        self._sync_config()
        for name in ("replica-read-only", "repl-backlog-size", "min-replicas-to-write",
                     "min-replicas-max-lag"):
            ctl.cfg.watch(name, lambda value: self._sync_config())
        ctl.cfg.watch("replica-serve-stale-data", lambda value: self._update_deny_stale())

    @property
    def state(self):
        return self._state

    @state.setter
    def state(self, value):
        self._state = value
        self._update_deny_stale()

    def _update_deny_stale(self):
        core.repl_set_deny_stale(self.master is not None and self._state != "connected" and
                                 not self.cfg.typed("replica-serve-stale-data"))

    def _sync_config(self):
        cfg = self.ctl.cfg
        core.repl_configure(cfg.typed("replica-read-only"), cfg.typed("repl-backlog-size"),
                            cfg.typed("min-replicas-to-write"), cfg.typed("min-replicas-max-lag"))

    def start(self):
        """At start-up: follow the `replicaof` directive, from the history
        the loaded dump recorded when there is one (a partial resync)."""
        target = self.ctl.cfg.typed("replicaof")
        if target is None:
            return
        aux = self.ctl.persistence.last_load_aux
        try:
            replid, offset = aux["repl-id"], int(aux["repl-offset"])
            db = int(aux.get("repl-stream-db", b"0"))
        except (KeyError, ValueError):
            replid = None
        if replid is not None and len(replid) == 40:
            core.repl_set_ids(replid, b"0" * 40, -1, offset, True)
            self.master_db = db
        self._become_replica(target[0], target[1])

    def save_info(self):
        """(stream db, replid, offset) for a save, None when there is no
        history worth resuming (Redis's rdbPopulateSaveInfo)."""
        replid, _, _, offset = core.repl_ids()
        if self.master is not None:
            if self.client is not None:
                return core.repl_master_client_db(self.client), replid, self.client.reploff
            return self.master_db, replid, offset
        if core.repl_info()[1]:
            db = core.repl_stream_db()
            return (db if db != -1 else 0), replid, offset
        return None

    # --- master side: full syncs ------------------------------------------

    def full_sync_requested(self, c):
        """A replica needs a full sync: share the snapshot being written,
        or start one now, or (diskless delay, another child) later."""
        ctype = core.child_state()[0]
        if ctype == CHILD_TYPE_RDB and self.socket_sync is None:
            for other in core.repl_replicas():
                if other is not c and other.repl_state == WAIT_BGSAVE_END:
                    core.repl_full_sync_attach(c, other)
                    log.notice("Waiting for end of BGSAVE for SYNC")
                    return
            log.notice("Can't attach the replica to the current BGSAVE. "
                       "Waiting for next BGSAVE for SYNC")
            return
        if ctype or self.socket_sync is not None:
            log.notice("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC"
                       if ctype == CHILD_TYPE_RDB else
                       "Waiting for next BGSAVE for SYNC")
            return
        if self._diskless_for([c]) and self.cfg.typed("repl-diskless-sync-delay"):
            log.notice("Delay next BGSAVE for diskless SYNC")
            return
        self.start_bgsave_for_replication()

    def _diskless_for(self, replicas):
        return self.cfg.typed("repl-diskless-sync") and \
            all(c.repl_capa & REPL_CAPA_EOF for c in replicas)

    def start_bgsave_for_replication(self):
        waiting = [c for c in core.repl_replicas() if c.repl_state == WAIT_BGSAVE_START]
        if not waiting:
            return
        socket_target = self._diskless_for(waiting)
        log.notice("Starting BGSAVE for SYNC with target: %s"
                   % ("replicas sockets" if socket_target else "disk"))
        if socket_target:
            mark = os.urandom(20).hex().encode()
            try:
                pid, fd = core.rdb_bgsave_to_pipe(mark)
            except OSError as e:
                log.warning("Can't save in background: fork: %s" % e.strerror)
                self._fail_syncs(waiting, "BGSAVE for replication failed")
                return
            log.notice("Background RDB transfer started by pid %d" % pid)
            self.ctl.persistence.rdb_child_for_replicas = True
            self.socket_sync = SocketSync(pid, fd, waiting)
            core.repl_full_sync_begin(waiting)
            self.ctl.loop.add_reader(fd, self._relay)
        else:
            if not self.ctl.persistence.bgsave():
                self._fail_syncs(waiting, "BGSAVE for replication failed")
                return
            core.repl_full_sync_begin(waiting)

    def _fail_syncs(self, replicas, why):
        log.warning(why)
        for c in replicas:
            core.repl_drop_replica(c)

    def disk_bgsave_done(self, ok):
        """The BGSAVE ended: its replicas are sent the file (or dropped)."""
        for c in core.repl_replicas():
            if c.repl_state != WAIT_BGSAVE_END:
                continue
            if not ok:
                log.warning("SYNC failed. BGSAVE child returned an error")
                core.repl_drop_replica(c)
                continue
            self._spawn(self._send_rdb_file(c, self.ctl.persistence.filename))

    def _spawn(self, coro):
        task = self.ctl.loop.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _send_rdb_file(self, c, path):
        try:
            f = open(path, "rb")
            size = os.fstat(f.fileno()).st_size
        except OSError as e:
            log.warning("SYNC failed. Can't open/stat DB after BGSAVE: %s" % e.strerror)
            core.repl_drop_replica(c)
            return
        with f:
            core.repl_set_state(c, SEND_BULK)
            if not core.repl_send_raw(c, b"$%d\r\n" % size):
                return
            while True:
                waiter = core.repl_drain_waiter(c)
                if waiter is not None:
                    await waiter
                    continue
                chunk = f.read(RDB_SEND_CHUNK)
                if not chunk:
                    break
                if not core.repl_send_raw(c, chunk):
                    return
        core.repl_put_online(c, False)
        log.notice("Synchronization with replica %s succeeded" % replica_name(c))

    def _relay(self):
        """The diskless child's pipe is readable: pass what it wrote to the
        replicas of that sync."""
        s = self.socket_sync
        try:
            data = os.read(s.fd, RDB_SEND_CHUNK)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            s.targets = [c for c in s.targets if core.repl_send_raw(c, data)]
            if not s.targets:
                log.warning("Diskless rdb transfer, last replica dropped, killing fork child.")
                self.ctl.persistence.kill_child()
                return
            waiters = [w for w in map(core.repl_drain_waiter, s.targets) if w is not None]
            if waiters:
                # a replica's socket is backed up: stop reading until it drains
                self.ctl.loop.remove_reader(s.fd)
                self._spawn(self._resume_relay(s, waiters))
            return
        self._close_pipe(s)
        for c in s.targets:
            core.repl_put_online(c, True)
            log.notice("Streamed RDB transfer with replica %s succeeded (socket). Waiting "
                       "for REPLCONF ACK from replica to enable streaming" % replica_name(c))
        log.notice("Diskless rdb transfer, done reading from pipe, %d replicas still up."
                   % len(s.targets))
        if s.child_done:
            self.socket_sync = None

    async def _resume_relay(self, s, waiters):
        await asyncio.gather(*waiters)
        if self.socket_sync is s and s.fd != -1:
            self.ctl.loop.add_reader(s.fd, self._relay)

    def _close_pipe(self, s):
        if s.fd != -1:
            self.ctl.loop.remove_reader(s.fd)
            os.close(s.fd)
            s.fd = -1

    def socket_child_done(self, exitcode, sig):
        """The diskless child ended (persistence routes it here)."""
        s = self.socket_sync
        if s is None:
            return
        s.child_done = True
        if exitcode == 0 and not sig:
            log.notice("Background RDB transfer terminated with success")
            if s.fd == -1:
                self.socket_sync = None
            return
        log.warning("Background RDB transfer terminated with error" if not sig else
                    "Background RDB transfer terminated by signal %d" % sig)
        self.rdb_child_killed()

    def rdb_child_killed(self):
        """The RDB child is gone before its end: the syncs it served fail."""
        s, self.socket_sync = self.socket_sync, None
        if s is not None:
            self._close_pipe(s)
            for c in s.targets:
                if c.repl_state != ONLINE or c.repl_stream_on_ack:
                    core.repl_drop_replica(c)
            return
        for c in core.repl_replicas():
            if c.repl_state == WAIT_BGSAVE_END:
                core.repl_drop_replica(c)

    def _master_cron(self, now):
        cfg = self.cfg
        reps = core.repl_replicas()
        if now - self.last_newline >= 1.0:
            # replicas waiting for their RDB get a newline a second, so their
            # read timeouts do not fire (the RDB payload has not begun)
            self.last_newline = now
            for c in reps:
                if c.repl_state == WAIT_BGSAVE_START or \
                        (c.repl_state == WAIT_BGSAVE_END and self.socket_sync is None):
                    core.repl_send_raw(c, b"\n")
            timeout = cfg.typed("repl-timeout")
            wall = int(time.time())
            for c in reps:
                if c.repl_state == ONLINE and not c.repl_capa & REPL_PRE_PSYNC and \
                        wall - c.repl_ack_time > timeout:
                    log.warning("Disconnecting timedout replica (streaming sync): %s"
                                % replica_name(c))
                    core.repl_drop_replica(c)
        waiting = [c for c in reps if c.repl_state == WAIT_BGSAVE_START]
        if waiting and not core.child_state()[0] and self.socket_sync is None:
            if self._diskless_for(waiting):
                idle = max(time.time() - c.repl_state_since / 1000.0 for c in waiting)
                most = cfg.typed("repl-diskless-sync-max-replicas")
                if idle >= cfg.typed("repl-diskless-sync-delay") or \
                        (most and len(waiting) >= most):
                    self.start_bgsave_for_replication()
            else:
                self.start_bgsave_for_replication()
        ttl = cfg.typed("repl-backlog-ttl")
        if not reps and ttl and self.master is None:
            idle = core.repl_backlog_idle()
            if idle is not None and idle > ttl:
                core.repl_free_backlog()
                replid, _, _, offset = core.repl_ids()
                core.repl_set_ids(os.urandom(20).hex().encode(), b"0" * 40, -1, offset)
                self.ctl.replid = core.repl_ids()[0].decode()
                log.notice("Replication backlog freed after %d seconds without connected "
                           "replicas." % ttl)

    def link_up(self):
        return self.state == "connected"

    def cron(self):
        now = time.monotonic()
        cfg = self.ctl.cfg
        if now - self.last_ping >= cfg.typed("repl-ping-replica-period"):
            self.last_ping = now
            core.repl_feed_ping()
        core.repl_refresh_good_replicas()
        self._master_cron(now)
        if self.failover_state == "waiting-for-sync":
            self._update_failover()
        if self.master is None:
            return
        if self.state == "connected" and now - self.last_ack >= 1.0:
            self.send_ack()
        if self.state in ("connecting", "sync", "connected") and \
                now - self.last_io > cfg.typed("repl-timeout"):
            log.warning("MASTER timeout: no data nor PING received...")
            self._drop_link()

    def send_ack(self):
        if self.writer is not None and self.client is not None:
            self.last_ack = time.monotonic()
            off = str(self.client.reploff).encode()
            self.writer.write(b"*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$%d\r\n%s\r\n" % (len(off), off))

    # --- REPLICAOF / ROLE --------------------------------------------------

    def cmd_replicaof(self, host, port, client_id):
        if self.failover_state != "no-failover":
            return "ERR REPLICAOF not allowed while failing over."
        if host.lower() == "no" and port.lower() == "one":
            if self.master is not None:
                self._promote()
                log.notice("MASTER MODE enabled (user request from 'id=%d')" % client_id)
            return None
        try:
            p = int(port)
        except ValueError:
            return "ERR value is not an integer or out of range"
        if not 0 <= p <= 65535:
            return "ERR Invalid master port"
        if self.master == (host, p):
            log.notice("REPLICAOF would result into synchronization with the master "
                       "we are already connected with. No operation performed.")
            return "+OK Already connected to specified master"
        self._become_replica(host, p)
        log.notice("REPLICAOF %s:%d enabled (user request from 'id=%d')" % (host, p, client_id))
        return None

    def role(self):
        replid, _, _, offset = core.repl_ids()
        if self.master is None:
            return [b"master", offset,
                    [[c.addr.rsplit(":", 1)[0], str(c.repl_port), str(c.repl_ack_off)]
                     for c in core.repl_replicas() if c.repl_state == ONLINE]]
        host, port = self.master
        return [b"slave", host, port, self.state,
                self.client.reploff if self.client is not None else -1]

    # --- FAILOVER -----------------------------------------------------------

    def cmd_failover(self, args):
        """FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: None (+OK)
        or an error text."""
        low = [a.lower() for a in args]
        if low == [b"abort"]:
            if self.failover_state == "no-failover":
                return "ERR No failover in progress."
            self.abort_failover("Failover manually aborted")
            return None
        timeout, force, target = 0, False, None
        j = 0
        while j < len(args):
            if low[j] == b"timeout" and j + 1 < len(args) and not timeout:
                timeout = parse_long(args[j + 1])
                if timeout is None:
                    return "ERR value is not an integer or out of range"
                if timeout <= 0:
                    return "ERR FAILOVER timeout must be greater than 0"
                j += 2
            elif low[j] == b"to" and j + 2 < len(args) and target is None:
                port = parse_long(args[j + 2])
                if port is None:
                    return "ERR value is not an integer or out of range"
                target = (args[j + 1].decode("utf-8", "surrogateescape"), port)
                j += 3
            elif low[j] == b"force" and not force:
                force = True
                j += 1
            else:
                return "ERR syntax error"
        if self.failover_state != "no-failover":
            return "ERR FAILOVER already in progress."
        if self.master is not None:
            return "ERR FAILOVER is not valid when server is a replica."
        if not core.repl_replicas():
            return "ERR FAILOVER requires connected replicas."
        if force and not (timeout and target):
            return "ERR FAILOVER with force option requires both a timeout and target HOST and IP."
        if target is not None:
            c = self._find_replica(*target)
            if c is None:
                return "ERR FAILOVER target HOST and PORT is not a replica."
            if c.repl_state != ONLINE:
                return "ERR FAILOVER target replica is not online."
            log.notice("FAILOVER requested to %s:%d." % target)
        else:
            log.notice("FAILOVER requested to any replica.")
        self.failover_target = target
        self.failover_end = time.time() + timeout / 1000.0 if timeout else 0.0
        self.failover_force = force
        self.failover_state = "waiting-for-sync"
        core.set_failover_pause(True)
        return None

    def _find_replica(self, host, port):
        for c in core.repl_replicas():
            if c.addr.rsplit(":", 1)[0] == host and c.repl_port == port:
                return c
        return None

    def _update_failover(self):
        """Waiting for a replica to catch up with our (paused) stream."""
        if self.failover_end and self.failover_end <= time.time():
            if self.failover_force:
                log.notice("FAILOVER to %s:%d time out exceeded, failing over."
                           % self.failover_target)
                self.failover_state = "failover-in-progress"
                self._become_replica(*self.failover_target)
            else:
                self.abort_failover("Replica never caught up before timeout")
            return
        offset = core.repl_ids()[3]
        if self.failover_target is not None:
            c = self._find_replica(*self.failover_target)
        else:
            c = next((r for r in core.repl_replicas()
                      if r.repl_state == ONLINE and r.repl_ack_off == offset), None)
            if c is not None:
                self.failover_target = (c.addr.rsplit(":", 1)[0], c.repl_port)
        if c is not None and c.repl_ack_off == offset:
            self.failover_state = "failover-in-progress"
            log.notice("Failover target %s:%d is synced, failing over." % self.failover_target)
            self._become_replica(*self.failover_target)

    def abort_failover(self, why):
        if self.failover_state == "failover-in-progress":
            self._promote()
        log.notice("FAILOVER aborted: %s" % why)
        self._clear_failover()

    def _clear_failover(self):
        self.failover_state = "no-failover"
        self.failover_target = None
        self.failover_end = 0.0
        self.failover_force = False
        core.set_failover_pause(False)

    def promote_for_failover(self, who):
        """PSYNC ... FAILOVER from our master: we take over its role."""
        if self.master is not None:
            self._promote()
        log.notice("MASTER MODE enabled (failover request from '%s')" % who)

    # --- the link ----------------------------------------------------------

    def _become_replica(self, host, port):
        was_master = self.master is None
        self._drop_link()
        self.master = (host, port)
        self.state = "connect"
        self.link_down_since = 0.0
        core.repl_set_replica_mode(True)
        log.role = "S"
        # our replicas must follow the new history from scratch
        core.repl_disconnect_replicas()
        if was_master:
            log.notice("Before turning into a replica, using my own master parameters "
                       "to synthesize a cached master: I may be able to synchronize with "
                       "the new master with just a partial transfer.")
        log.notice("Connecting to MASTER %s:%d" % (host, port))
        self.task = self.ctl.loop.create_task(self._link(host, port))

    def _promote(self):
        self._drop_link()
        self.master = None
        self.state = "none"
        replid, _, _, offset = core.repl_ids()
        core.repl_set_ids(os.urandom(20).hex().encode(), replid, offset + 1, offset)
        core.repl_set_replica_mode(False)
        log.role = "M"
        self.ctl.replid = core.repl_ids()[0].decode()

    def _drop_link(self):
        if self.task is not None:
            self.task.cancel()
            self.task = None
        self._close_link()
        if self.master is not None:
            self.state = "connect"
            if not self.link_down_since:
                self.link_down_since = time.monotonic()

    def _close_link(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        if self.client is not None:
            self.master_db = core.repl_master_client_db(self.client)
            core.repl_master_client_free(self.client)
            self.client = None

    async def _link(self, host, port):
        while self.master == (host, port):
            try:
                await self._sync_and_stream(host, port)
            except asyncio.CancelledError:
                raise
            except (OSError, EOFError, asyncio.IncompleteReadError, ReplError, tls.TlsConfigError) as e:
                if self.state == "connected":
                    log.notice("Connection with master lost.")
                else:
                    log.warning("Error condition on socket for SYNC: %s" % (e,))
            self._close_link()
            self.state = "connect"
            if not self.link_down_since:
                self.link_down_since = time.monotonic()
            await asyncio.sleep(1)

    async def _sync_and_stream(self, host, port):
        cfg = self.ctl.cfg
        self.state = "connecting"
        self.last_io = time.monotonic()
        ctx = tls.client_context(cfg) if cfg.typed("tls-replication") else None
        reader, writer = await asyncio.open_connection(host, port, ssl=ctx)
        self.writer = writer
        log.notice("MASTER <-> REPLICA sync started")

        async def ask(*args):
            writer.write(encode_command(args))
            line = await read_line(reader)
            self.last_io = time.monotonic()
            return line

        reply = await ask(b"PING")
        if reply.startswith(b"-") and not reply.startswith((b"-NOAUTH", b"-NOPERM", b"-ERR operation not permitted")):
            raise ReplError("Error reply to PING from master: '%s'" % reply.decode(errors="replace"))
        log.notice("Master replied to PING, replication can continue...")
        auth = cfg.typed("masterauth")
        if auth:
            user = cfg.typed("masteruser")
            args = (b"AUTH", user.encode(), auth.encode()) if user else (b"AUTH", auth.encode())
            reply = await ask(*args)
            if reply.startswith(b"-"):
                raise ReplError("Unable to AUTH to MASTER: %s" % reply.decode(errors="replace"))
        my_port = cfg.typed("replica-announce-port") or \
            (cfg.typed("tls-port") if cfg.typed("tls-replication") else 0) or cfg.typed("port")
        reply = await ask(b"REPLCONF", b"listening-port", str(my_port).encode())
        if reply.startswith(b"-"):
            log.notice("(Non critical) Master does not understand REPLCONF listening-port: %s"
                       % reply.decode(errors="replace"))
        reply = await ask(b"REPLCONF", b"capa", b"eof", b"capa", b"psync2")
        replid, _, _, offset = core.repl_ids()
        log.notice("Trying a partial resynchronization (request %s:%d)."
                   % (replid.decode(), offset + 1))
        self.state = "sync"
        self.sync_started = time.monotonic()
        psync = [b"PSYNC", replid, str(offset + 1).encode()]
        if self.failover_state == "failover-in-progress":
            psync.append(b"FAILOVER")
        while True:
            reply = await ask(*psync)
            if reply:
                break
        peer, me = writer.get_extra_info("peername"), writer.get_extra_info("sockname")
        self.client = client = core.repl_master_client(writer.transport, "%s:%d" % peer[:2],
                                                       "%s:%d" % me[:2])
        if reply.startswith(b"+FULLRESYNC"):
            parts = reply.split()
            new_id, new_off = parts[1], int(parts[2])
            log.notice("Full resync from master: %s:%d" % (new_id.decode(), new_off))
            await self._receive_rdb(reader)
            core.repl_disconnect_replicas()
            core.repl_set_ids(new_id, b"0" * 40, -1, new_off, True)
            client.reploff = new_off
            self.master_db = 0
        elif reply.startswith(b"+CONTINUE"):
            parts = reply.split()
            log.notice("Successful partial resynchronization with master.")
            if len(parts) > 1 and parts[1] != replid:
                core.repl_set_ids(parts[1], replid, offset + 1, offset)
                log.notice("Master replication ID changed to %s" % parts[1].decode())
            client.reploff = offset
            core.repl_master_client_select(client, self.master_db)
            log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.")
        else:
            if self.failover_state == "failover-in-progress":
                self.abort_failover("Failover target rejected psync request")
                return
            raise ReplError("Unexpected reply to PSYNC from master: %s" % reply.decode(errors="replace"))
        if self.failover_state == "failover-in-progress":
            self._clear_failover()
        core.repl_ensure_backlog()
        self.ctl.replid = core.repl_ids()[0].decode()
        self.state = "connected"
        self.link_down_since = 0.0
        self.send_ack()
        while True:
            data = await reader.read(READ_CHUNK)
            if not data:
                raise EOFError("connection closed by the master")
            self.last_io = time.monotonic()
            core.repl_master_feed(client, data)
            core.repl_feed_proxy(data)

    async def _receive_rdb(self, reader):
        while True:
            line = await read_line(reader)
            self.last_io = time.monotonic()
            if line:                  # empty lines: the master's keep-alives
                break
        if not line.startswith(b"$"):
            raise ReplError("Bad protocol from MASTER, the first byte is not '$'")
        # repl-diskless-load: the payload stays in memory, no file is written
        mode = self.cfg.typed("repl-diskless-load")
        in_memory = mode == "swapdb" or (mode == "on-empty-db" and core.total_keys() == 0)
        self.sync_read = 0
        if in_memory:
            sink = bytearray()
            write = sink.extend
            path = None
        else:
            path = os.path.join(os.getcwd(), "temp-%d.%d.rdb" % (int(time.time()), os.getpid()))
            f = open(path, "wb")
            write = f.write
        try:
            if line.startswith(b"$EOF:"):
                mark = line[5:5 + EOF_MARK_LEN]
                self.sync_total = 0
                log.notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with "
                           "EOF %s" % ("to parser" if in_memory else "to disk"))
                tail = b""
                while not tail.endswith(mark):
                    chunk = await reader.read(READ_CHUNK)
                    if not chunk:
                        raise EOFError("connection closed during the RDB transfer")
                    self.last_io = time.monotonic()
                    write(chunk)
                    self.sync_read += len(chunk)
                    tail = (tail + chunk)[-EOF_MARK_LEN:]
                size = self.sync_read - EOF_MARK_LEN
            else:
                self.sync_total = left = size = int(line[1:])
                log.notice("MASTER <-> REPLICA sync: receiving %d bytes from master to %s"
                           % (left, "parser" if in_memory else "disk"))
                while left:
                    chunk = await reader.read(min(left, READ_CHUNK))
                    if not chunk:
                        raise EOFError("connection closed during the RDB transfer")
                    self.last_io = time.monotonic()
                    write(chunk)
                    left -= len(chunk)
                    self.sync_read += len(chunk)
            if in_memory:
                source = bytes(memoryview(sink)[:size])
                del sink
            else:
                f.truncate(size)
                f.close()
                source = path
            log.notice("MASTER <-> REPLICA sync: Flushing old data")
            core.flush_all_data()
            log.notice("MASTER <-> REPLICA sync: Loading DB in memory")
            if self.ctl.persistence.load_now(source) is None:
                raise ReplError("Failed trying to load the MASTER synchronization DB from %s"
                                % ("socket" if in_memory else "disk"))
            log.notice("MASTER <-> REPLICA sync: Finished with success")
        finally:
            if path is not None:
                f.close()
                try:
                    os.unlink(path)
                except OSError:
                    pass

    # --- INFO --------------------------------------------------------------

    def info_fields(self):
        cfg = self.ctl.cfg
        reps, active, size, first, histlen, _ = core.repl_info()
        replid, replid2, second, offset = core.repl_ids()
        now = time.monotonic()
        f = []
        if self.master is None:
            f.append(("role", "master"))
        else:
            up = self.state == "connected"
            reploff = self.client.reploff if self.client is not None else offset
            f += [("role", "slave"), ("master_host", self.master[0]),
                  ("master_port", self.master[1]),
                  ("master_link_status", "up" if up else "down"),
                  ("master_last_io_seconds_ago", int(now - self.last_io) if up else -1),
                  ("master_sync_in_progress", 1 if self.state == "sync" else 0),
                  ("slave_read_repl_offset", offset), ("slave_repl_offset", reploff)]
            if self.state == "sync":
                f += [("master_sync_total_bytes", self.sync_total),
                      ("master_sync_read_bytes", self.sync_read),
                      ("master_sync_left_bytes", self.sync_total - self.sync_read),
                      ("master_sync_perc", "%.2f" % (self.sync_read * 100.0 / self.sync_total
                                                     if self.sync_total else 0.0)),
                      ("master_sync_last_io_seconds_ago", int(now - self.last_io))]
            if not up:
                f.append(("master_link_down_since_seconds",
                          int(now - self.link_down_since) if self.link_down_since else -1))
            f += [("slave_priority", cfg.typed("replica-priority")),
                  ("slave_read_only", int(cfg.typed("replica-read-only"))),
                  ("replica_announced", int(cfg.typed("replica-announced")))]
        f.append(("connected_slaves", len(reps)))
        for i, (addr, port, off, lag, state) in enumerate(reps):
            f.append(("slave%d" % i, "ip=%s,port=%d,state=%s,offset=%d,lag=%d"
                      % (addr.rsplit(":", 1)[0], port, STATE_NAMES.get(state, "online"),
                         off, lag)))
        f += [("master_failover_state", self.failover_state),
              ("master_replid", replid.decode()), ("master_replid2", replid2.decode()),
              ("master_repl_offset", offset), ("second_repl_offset", second),
              ("repl_backlog_active", int(active)), ("repl_backlog_size", size),
              ("repl_backlog_first_byte_offset", first), ("repl_backlog_histlen", histlen)]
        return f


def parse_long(b):
    try:
        v = int(b)
    except ValueError:
        return None
    ok = -(1 << 63) <= v < (1 << 63) and b.strip() == b and b[:1] != b"+" and b"_" not in b
    return v if ok else None


def encode_command(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


async def read_line(reader):
    line = await reader.readline()
    if not line.endswith(b"\n"):
        raise EOFError("connection closed by the master")
    return line.rstrip(b"\r\n")
