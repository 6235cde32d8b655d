"""Replication control (Redis's replication.c, the parts off the write path).

Replica side: REPLICAOF starts one asyncio task that owns the link to the
master: connect, handshake (PING, AUTH, REPLCONF listening-port and capa,
PSYNC with our replid and offset + 1, so a master that shares our history
answers +CONTINUE), on +FULLRESYNC read the RDB (length-prefixed or
EOF-marked) into a file and load it, then feed the stream to the core's
master client (repl.pyx) and proxy the same bytes to our own replicas.
The cron sends REPLCONF ACK every second and drops a silent link after
repl-timeout.  REPLICAOF NO ONE keeps the data and shifts the ids as
PSYNC2 does: replid2 := replid, second_repl_offset := offset + 1.

Master side: the core accepts replicas; this module only writes the RDB
for a full resync and puts PINGs into the stream every
repl-ping-replica-period seconds.

Invariant: self.master is None exactly when we are a master; the link
task checks it after every await and stops when it changed.
"""
import asyncio
import os
import time

from ._core import core
from .log import log

EOF_MARK_LEN = 40
READ_CHUNK = 1 << 16


class ReplError(Exception):
    pass


class Replication:
    def __init__(self, ctl):
        self.ctl = ctl
        self.master = None            # (host, port) while a replica
        self.state = "none"           # connect, connecting, sync, connected
        self.task = None
        self.client = None            # the core's master client
        self.writer = None
        self.last_io = 0.0
        self.link_down_since = 0.0
        self.sync_started = 0.0
        self.sync_total = self.sync_read = 0
        self.last_ping = time.monotonic()
        self.last_ack = 0.0
        core.repl_set_ids(ctl.replid.encode(), b"0" * 40, -1, 0)
        self._sync_config()
        for name in ("replica-read-only", "repl-backlog-size", "min-replicas-to-write",
                     "min-replicas-max-lag"):
            ctl.cfg.watch(name, lambda value: self._sync_config())

    def _sync_config(self):
        cfg = self.ctl.cfg
        core.repl_configure(cfg.typed("replica-read-only"), cfg.typed("repl-backlog-size"),
                            cfg.typed("min-replicas-to-write"), cfg.typed("min-replicas-max-lag"))

    def start(self):
        """At start-up: follow the `replicaof` directive."""
        target = self.ctl.cfg.typed("replicaof")
        if target is not None:
            self._become_replica(target[0], target[1])

    # --- master side -----------------------------------------------------

    def snapshot_for_replica(self):
        """The dataset as RDB bytes, written in this process."""
        path = os.path.join(os.getcwd(), "temp-repl-%d.rdb" % os.getpid())
        err = core.rdb_save(path)
        if err:
            log.warning("Can't write the RDB for a replica: %s" % err)
            return None
        try:
            with open(path, "rb") as f:
                return f.read()
        finally:
            os.unlink(path)

    def link_up(self):
        return self.state == "connected"

    def cron(self):
        now = time.monotonic()
        cfg = self.ctl.cfg
        if now - self.last_ping >= cfg.typed("repl-ping-replica-period"):
            self.last_ping = now
            core.repl_feed_ping()
        core.repl_refresh_good_replicas()
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
            reps = core.repl_info()[0]
            return [b"master", offset,
                    [[addr.rsplit(":", 1)[0], str(port), str(off)]
                     for addr, port, off, _ in reps]]
        host, port = self.master
        return [b"slave", host, port, self.state,
                self.client.reploff if self.client is not None else -1]

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
            core.repl_master_client_free(self.client)
            self.client = None

    async def _link(self, host, port):
        while self.master == (host, port):
            try:
                await self._sync_and_stream(host, port)
            except asyncio.CancelledError:
                raise
            except (OSError, EOFError, asyncio.IncompleteReadError, ReplError) as e:
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
        reader, writer = await asyncio.open_connection(host, port)
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
        my_port = cfg.typed("replica-announce-port") or cfg.typed("port")
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
        while True:
            reply = await ask(b"PSYNC", replid, str(offset + 1).encode())
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
        elif reply.startswith(b"+CONTINUE"):
            parts = reply.split()
            log.notice("Successful partial resynchronization with master.")
            if len(parts) > 1 and parts[1] != replid:
                core.repl_set_ids(parts[1], replid, offset + 1, offset)
                log.notice("Master replication ID changed to %s" % parts[1].decode())
            client.reploff = offset
            log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.")
        else:
            raise ReplError("Unexpected reply to PSYNC from master: %s" % reply.decode(errors="replace"))
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
        path = os.path.join(os.getcwd(), "temp-%d.%d.rdb" % (int(time.time()), os.getpid()))
        self.sync_read = 0
        with open(path, "wb") as f:
            if line.startswith(b"$EOF:"):
                mark = line[5:5 + EOF_MARK_LEN]
                self.sync_total = 0
                tail = b""
                while not tail.endswith(mark):
                    chunk = await reader.read(READ_CHUNK)
                    if not chunk:
                        raise EOFError("connection closed during the RDB transfer")
                    self.last_io = time.monotonic()
                    f.write(chunk)
                    self.sync_read += len(chunk)
                    tail = (tail + chunk)[-EOF_MARK_LEN:]
                f.truncate(self.sync_read - EOF_MARK_LEN)
            else:
                self.sync_total = left = int(line[1:])
                log.notice("MASTER <-> REPLICA sync: receiving %d bytes from master to disk" % left)
                while left:
                    chunk = await reader.read(min(left, READ_CHUNK))
                    if not chunk:
                        raise EOFError("connection closed during the RDB transfer")
                    self.last_io = time.monotonic()
                    f.write(chunk)
                    left -= len(chunk)
                    self.sync_read += len(chunk)
        try:
            log.notice("MASTER <-> REPLICA sync: Flushing old data")
            core.flush_all_data()
            log.notice("MASTER <-> REPLICA sync: Loading DB in memory")
            if self.ctl.persistence.load_now(path) is None:
                raise ReplError("Failed trying to load the MASTER synchronization DB from disk")
            log.notice("MASTER <-> REPLICA sync: Finished with success")
        finally:
            os.unlink(path)

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
        for i, (addr, port, off, lag) in enumerate(reps):
            f.append(("slave%d" % i, "ip=%s,port=%d,state=online,offset=%d,lag=%d"
                      % (addr.rsplit(":", 1)[0], port, off, lag)))
        f += [("master_failover_state", "no-failover"),
              ("master_replid", replid.decode()), ("master_replid2", replid2.decode()),
              ("master_repl_offset", offset), ("second_repl_offset", second),
              ("repl_backlog_active", int(active)), ("repl_backlog_size", size),
              ("repl_backlog_first_byte_offset", first), ("repl_backlog_histlen", histlen)]
        return f


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
