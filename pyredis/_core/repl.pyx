# Replication data path (Redis's replication.c, the parts on every write).
#
# Master side.  Every propagated unit (propagate.pyx, PROP_TARGET_REPL) is
# appended to one byte stream: a SELECT first when the unit's database is
# not the stream's (g_repl_seldb, -1: the next unit must select), then the
# unit's RESP.  master_repl_offset counts the stream's bytes.  The stream
# goes to the backlog ring (the last repl-backlog-size bytes, for partial
# resyncs) and to the output buffer of every replica.
#
# A replica is an ordinary client that sent PSYNC (or SYNC): it gets
# CLIENT_SLAVE and joins g_replicas.  A partial resync answers +CONTINUE
# <replid> and the backlog from the asked offset, and the replica is online.
# A full resync walks Redis's states (replication.py drives them):
#   WAIT_BGSAVE_START  no snapshot serves it yet; the stream skips it
#   WAIT_BGSAVE_END    a child is writing the snapshot; +FULLRESYNC <replid>
#                      <offset at the fork> was sent, and from the fork on
#                      the stream gathers in its output buffer, held back
#   SEND_BULK          the RDB file is being sent (disk sync)
#   ONLINE             the held stream, then the live one, flow to it; after
#                      a diskless transfer only from its first REPLCONF ACK
# So every write lands either in the snapshot or in the stream after it.
# A held buffer is bounded by client-output-buffer-limit replica (obuf.pyx).
#
# WAIT parks a client (blocking.pyx, BLOCKED_WAIT) until enough online
# replicas acknowledged its last write's offset (Client.woff); a GETACK
# goes into the stream once per event-loop turn that parked one.
#
# Replica side (replication.py runs the link): the master's stream is fed
# to a client with CLIENT_MASTER, whose writes pass the read-only check
# and whose replies are dropped; conn.pyx counts its applied offset
# (reploff).  The same raw bytes go to our own backlog and replicas, so a
# chained replica sees the master's ids and offsets (PSYNC2).
#
# Invariant: with no replica ever attached, PROP_TARGET_REPL is off and
# nothing here runs on the write path.
from libc.string cimport memcpy
from libc.stdio cimport snprintf
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE, PyBytes_FromStringAndSize

cdef char *g_backlog = NULL
cdef long long g_backlog_size = 0
cdef long long g_backlog_idx = 0        # where the next byte goes
cdef long long g_backlog_histlen = 0    # valid bytes, ending at g_backlog_idx
cdef long long g_master_repl_offset = 0
cdef int g_repl_seldb = -1
cdef list g_replicas = []               # Client, CLIENT_SLAVE, online
cdef bytes g_replid = b"0" * 40
cdef bytes g_replid2 = b"0" * 40
cdef long long g_second_repl_offset = -1
cdef bint g_repl_is_replica = False
# resolve_and_call's one test for both write guards below (repl_deny_write)
cdef bint g_repl_write_check = False
cdef long long cfg_min_replicas_to_write = 0
cdef long long cfg_min_replicas_max_lag = 10
cdef long long g_repl_good_replicas = 0      # refreshed by the cron
cdef bint cfg_replica_read_only = True
cdef long long cfg_repl_backlog_size = 1 << 20
cdef long long g_repl_no_replicas_since = 0   # unix s, for repl-backlog-ttl
cdef bint g_repl_deny_stale = False   # replica, link down, replica-serve-stale-data no
cdef long long g_stat_sync_full = 0
cdef long long g_stat_sync_partial_ok = 0
cdef long long g_stat_sync_partial_err = 0


cdef int backlog_create() except -1:
    global g_backlog, g_backlog_size, g_backlog_idx, g_backlog_histlen, g_prop_targets
    if g_backlog != NULL:
        return 0
    g_backlog = <char *>zmalloc(cfg_repl_backlog_size)
    if g_backlog == NULL:
        raise MemoryError()
    g_backlog_size = cfg_repl_backlog_size
    g_backlog_idx = g_backlog_histlen = 0
    if not g_repl_is_replica:
        g_prop_targets |= PROP_TARGET_REPL
    return 0


cdef void backlog_append(const char *p, size_t n) noexcept:
    global g_backlog_idx, g_backlog_histlen
    cdef size_t part
    if n >= <size_t>g_backlog_size:
        p += n - g_backlog_size
        n = g_backlog_size
    while n:
        part = g_backlog_size - g_backlog_idx
        if part > n:
            part = n
        memcpy(g_backlog + g_backlog_idx, p, part)
        g_backlog_idx = (g_backlog_idx + part) % g_backlog_size
        p += part
        n -= part
        g_backlog_histlen += part
    if g_backlog_histlen > g_backlog_size:
        g_backlog_histlen = g_backlog_size


cdef void repl_feed_raw(const char *p, size_t n) noexcept:
    """Append bytes to the stream: backlog, offset, replicas past the fork."""
    global g_master_repl_offset
    cdef Client c
    cdef list over = None
    if g_backlog == NULL:
        return
    backlog_append(p, n)
    g_master_repl_offset += n
    for c in g_replicas:
        if c.repl_state == SLAVE_STATE_WAIT_BGSAVE_START:
            continue
        replyAppend(&c.reply, p, n)
        if c.writing_paused or c.reply.len >= <size_t>g_obuf_check_min[OBUF_REPLICA]:
            if over is None:
                over = []
            over.append(c)
        else:
            c.queue_reply()
    if over is not None:
        for c in over:
            if not check_obuf_limit(c, OBUF_REPLICA):
                c.queue_reply()


cdef inline bint repl_stream_flows(Client c) noexcept:
    """conn.pyx's test before writing a replica's output."""
    return c.repl_state == SLAVE_STATE_ONLINE and not c.repl_stream_on_ack


cdef void repl_feed(int db, const char *p, size_t n) noexcept:
    """One command of a propagated unit, in database db (-1: any)."""
    global g_repl_seldb
    cdef char sel[64]
    cdef char num[24]
    cdef int nl, sl
    if db != -1 and db != g_repl_seldb:
        nl = snprintf(num, sizeof(num), b"%d", db)
        sl = snprintf(sel, sizeof(sel), b"*2\r\n$6\r\nSELECT\r\n$%d\r\n%s\r\n", nl, num)
        repl_feed_raw(sel, sl)
        g_repl_seldb = db
    repl_feed_raw(p, n)


cdef void repl_forget_replica(Client c) noexcept:
    global g_repl_no_replicas_since
    c.flags &= ~CLIENT_SLAVE
    try:
        g_replicas.remove(c)
    except ValueError:
        pass
    if not g_replicas:
        g_repl_no_replicas_since = mstime() // 1000


cdef bytes backlog_from(long long offset):
    """The stream's bytes from offset (1-based, as PSYNC asks) to the end."""
    cdef long long first = g_master_repl_offset - g_backlog_histlen + 1
    cdef long long skip = offset - first
    cdef long long n = g_backlog_histlen - skip
    cdef long long start = (g_backlog_idx - n) % g_backlog_size
    if start < 0:
        start += g_backlog_size
    if n == 0:
        return b""
    if start + n <= g_backlog_size:
        return PyBytes_FromStringAndSize(g_backlog + start, n)
    return (PyBytes_FromStringAndSize(g_backlog + start, g_backlog_size - start) +
            PyBytes_FromStringAndSize(g_backlog, n - (g_backlog_size - start)))


cdef bint try_partial_resync(Client c, bytes replid, long long offset) except -1:
    """PSYNC replid offset: +CONTINUE when the asked history is ours."""
    if g_backlog == NULL:
        return False
    if replid != g_replid and not (replid == g_replid2 and offset <= g_second_repl_offset):
        return False
    if offset < g_master_repl_offset - g_backlog_histlen + 1 or offset > g_master_repl_offset + 1:
        return False
    cdef bytes head = b"+CONTINUE " + g_replid + b"\r\n"
    cdef bytes data = backlog_from(offset)
    replyAppend(&c.reply, PyBytes_AS_STRING(head), PyBytes_GET_SIZE(head))
    replyAppend(&c.reply, PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))
    return True


cdef int replica_online(Client c) except -1:
    c.flags |= CLIENT_SLAVE
    c.repl_state = SLAVE_STATE_ONLINE
    c.repl_state_since = mstime()
    c.repl_ack_time = mstime() // 1000
    g_replicas.append(c)
    return 0


cdef void write_now(Client c, const char *p, size_t n) noexcept:
    """Bytes for a replica that must not wait behind its held stream: what
    it was answered so far, then p."""
    cdef bytes out
    if c.flags & CLIENT_CLOSED or c.transport is None:
        return
    try:
        if c.reply.len:
            c.transport.write(PyBytes_FromStringAndSize(c.reply.buf, c.reply.len))
            replyClear(&c.reply)
        if n:
            c.transport.write(PyBytes_FromStringAndSize(p, n))
    except Exception:
        pass


cdef int cmd_psync(Client c) except -1:
    global g_stat_sync_full, g_stat_sync_partial_ok, g_stat_sync_partial_err
    cdef long long offset
    if c.flags & CLIENT_SLAVE:
        return 0
    if c.argvlen[0] == 5 and c.argc > 3 and c.argv[3][:c.argvlen[3]].lower() == b"failover":
        # the old master hands over: we become the master of its history
        if c.argv[1][:c.argvlen[1]].lower() != g_replid.lower():
            reply_error_fmt(c, "ERR PSYNC FAILOVER replid must match my replid.")
            return 0
        g_ctl.replication.promote_for_failover(client_info_string(c))
    if g_ctl.replication.failover_state != "no-failover":
        reply_error_fmt(c, "NOMASTERLINK Can't SYNC while failing over")
        return 0
    if g_repl_is_replica and not g_ctl.replication.link_up():
        reply_error_fmt(c, "NOMASTERLINK Can't SYNC while not connected with my master")
        return 0
    if c.argvlen[0] == 5:       # PSYNC, not SYNC
        if not parse_ll(c.argv[2], c.argvlen[2], &offset):
            offset = -1
        if c.argvlen[1] != 1 or c.argv[1][0] != b'?':
            if try_partial_resync(c, c.argv[1][:c.argvlen[1]], offset):
                g_stat_sync_partial_ok += 1
                return replica_online(c)
            g_stat_sync_partial_err += 1
    else:
        c.repl_capa = (c.repl_capa & ~REPL_CAPA_EOF) | REPL_PRE_PSYNC
    # a full resync: replication.py finds or starts the snapshot for it
    backlog_create()
    g_stat_sync_full += 1
    write_now(c, NULL, 0)
    c.flags |= CLIENT_SLAVE
    c.repl_state = SLAVE_STATE_WAIT_BGSAVE_START
    c.repl_state_since = mstime()
    c.repl_ack_time = mstime() // 1000
    g_replicas.append(c)
    g_ctl.replication.full_sync_requested(c)
    return 0


cdef int cmd_replconf(Client c) except -1:
    cdef int j
    cdef long long v
    if (c.argc - 1) % 2:
        reply_error_fmt(c, "ERR syntax error")
        return 0
    for j in range(1, c.argc, 2):
        opt = c.argv[j][:c.argvlen[j]].lower()
        if opt == b"listening-port":
            if not parse_ll(c.argv[j + 1], c.argvlen[j + 1], &v):
                reply_error_fmt(c, "ERR value is not an integer or out of range")
                return 0
            c.repl_port = <int>v
        elif opt == b"ack":
            if not (c.flags & CLIENT_SLAVE):
                return 0
            if parse_ll(c.argv[j + 1], c.argvlen[j + 1], &v) and v > c.repl_ack_off:
                c.repl_ack_off = v
            c.repl_ack_time = mstime() // 1000
            if c.repl_stream_on_ack and c.repl_state == SLAVE_STATE_ONLINE:
                # loaded its diskless RDB: the held stream may flow now
                c.repl_stream_on_ack = False
                c.queue_reply()
            if g_wait_clients:
                serve_wait_clients()
            return 0            # never answered
        elif opt == b"getack":
            if c.flags & CLIENT_MASTER:
                g_ctl.replication.send_ack()
            return 0
        elif opt == b"capa":
            capa = c.argv[j + 1][:c.argvlen[j + 1]].lower()
            if capa == b"eof":
                c.repl_capa |= REPL_CAPA_EOF
            elif capa == b"psync2":
                c.repl_capa |= REPL_CAPA_PSYNC2
        elif opt in (b"ip-address", b"rdb-only", b"rdb-filter-only"):
            pass
        else:
            reply_error_fmt(c, "ERR Unrecognized REPLCONF option: %s" % arg_str(c, j))
            return 0
    replyAppend(&c.reply, b"+OK\r\n", 5)
    return 0


cdef inline bint parse_ll(const char *p, size_t n, long long *out) noexcept:
    try:
        out[0] = int(p[:n])
        return True
    except ValueError:
        return False


# --- Python-facing ----------------------------------------------------------

cdef int repl_deny_write(Client c, Command cmd) except -1:
    """A write on a read-only replica, or on a master without
    min-replicas-to-write good replicas: refused (1) or let through (0)."""
    if g_repl_is_replica:
        if cfg_replica_read_only and not (c.flags & CLIENT_MASTER):
            reject(c, cmd, b"READONLY You can't write against a read only replica.")
            return 1
        return 0
    if cfg_min_replicas_to_write and cfg_min_replicas_max_lag and \
            g_repl_good_replicas < cfg_min_replicas_to_write:
        reject(c, cmd, b"NOREPLICAS Not enough good replicas to write.")
        return 1
    return 0


cdef void update_write_check() noexcept:
    global g_repl_write_check
    g_repl_write_check = g_repl_is_replica or cfg_min_replicas_to_write > 0


def repl_refresh_good_replicas():
    """Replicas whose last ACK is at most min-replicas-max-lag old."""
    global g_repl_good_replicas
    cdef long long now = mstime() // 1000
    g_repl_good_replicas = sum(1 for c in g_replicas
                               if (<Client>c).repl_state == SLAVE_STATE_ONLINE and
                               now - (<Client>c).repl_ack_time <= cfg_min_replicas_max_lag)


def repl_configure(bint read_only, long long backlog_size, long long min_to_write,
                   long long max_lag):
    global cfg_replica_read_only, cfg_repl_backlog_size
    global cfg_min_replicas_to_write, cfg_min_replicas_max_lag
    cfg_replica_read_only = read_only
    cfg_repl_backlog_size = backlog_size
    cfg_min_replicas_to_write = min_to_write
    cfg_min_replicas_max_lag = max_lag
    update_write_check()
    repl_refresh_good_replicas()


def repl_set_ids(bytes replid, bytes replid2, long long second_offset, long long offset,
                 bint new_history=False):
    global g_replid, g_replid2, g_second_repl_offset, g_master_repl_offset, g_backlog_histlen
    global g_backlog_idx
    if new_history or offset != g_master_repl_offset:
        # a new history: the backlog holds none of it
        g_backlog_histlen = g_backlog_idx = 0
    g_replid, g_replid2, g_second_repl_offset = replid, replid2, second_offset
    g_master_repl_offset = offset


def repl_set_deny_stale(bint on):
    global g_repl_deny_stale
    g_repl_deny_stale = on


def repl_ids():
    return g_replid, g_replid2, g_second_repl_offset, g_master_repl_offset


def repl_set_replica_mode(bint on):
    """Become a replica (our stream is the master's, proxied) or a master
    (our own writes feed the stream)."""
    global g_repl_is_replica, g_prop_targets, g_repl_seldb
    g_repl_is_replica = on
    g_repl_seldb = -1
    update_write_check()
    if on:
        g_prop_targets &= ~PROP_TARGET_REPL
    elif g_backlog != NULL:
        g_prop_targets |= PROP_TARGET_REPL


def repl_ensure_backlog():
    """A replica that synced keeps a backlog of its master's stream, so its
    own replicas (or its old master, after a failover) can continue from it."""
    backlog_create()


def repl_feed_proxy(bytes data):
    """Replica side: the master's raw stream, for our backlog and replicas."""
    if g_backlog == NULL:
        backlog_create()
    repl_feed_raw(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))


def repl_feed_ping():
    """repl-ping-replica-period: a PING in the stream keeps links alive."""
    if g_replicas and not g_repl_is_replica:
        repl_feed_raw(b"*1\r\n$4\r\nPING\r\n", 14)


def repl_disconnect_replicas():
    for c in list(g_replicas):
        (<Client>c).close()


def repl_master_client(transport, str addr, str laddr):
    """The client that applies the master's stream; closing it (CLIENT
    KILL TYPE master) closes the link's transport."""
    cdef Client c = Client.__new__(Client)
    c.flags |= CLIENT_MASTER
    c.authenticated = True
    c.user = None
    c.parser.unauthenticated = False
    c.transport = transport
    c.addr, c.laddr = addr, laddr
    sock = transport.get_extra_info("socket")
    if sock is not None:
        c.fd = sock.fileno()
    g_clients[c.id] = c
    return c


def repl_master_client_db(Client c):
    return c.db.id


def repl_master_client_select(Client c, int db):
    """A partial resync continues the master's stream in the database its
    last SELECT chose, which the new link client must start in."""
    if 0 <= db < g_ndbs:
        c.db = &g_dbs[db]


def repl_stream_db():
    return g_repl_seldb


def repl_master_client_free(Client c):
    c.free_client()


def repl_master_feed(Client c, bytes data):
    """Apply a chunk of the master's stream; returns the applied offset."""
    c.process_input(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))
    c.reply.len = 0
    c.flags &= ~CLIENT_PENDING_WRITE
    return c.reploff


def repl_info():
    """(replicas as (addr, port, offset, lag_s), backlog_active,
    backlog_size, first_byte_offset, histlen, stats)."""
    now = mstime() // 1000
    reps = [((<Client>c).addr, (<Client>c).repl_port, (<Client>c).repl_ack_off,
             now - (<Client>c).repl_ack_time, (<Client>c).repl_state) for c in g_replicas]
    return (reps, g_backlog != NULL, cfg_repl_backlog_size,
            g_master_repl_offset - g_backlog_histlen + 1 if g_backlog != NULL else 0,
            g_backlog_histlen,
            (g_stat_sync_full, g_stat_sync_partial_ok, g_stat_sync_partial_err))


cdef int cmd_replicaof(Client c) except -1:
    """REPLICAOF host port | NO ONE (SLAVEOF): the link is replication.py's."""
    host = c.argv[1][:c.argvlen[1]].decode("utf-8", "surrogateescape")
    port = c.argv[2][:c.argvlen[2]].decode("utf-8", "surrogateescape")
    r = g_ctl.replication.cmd_replicaof(host, port, c.id)
    if r is None:
        replyAppend(&c.reply, b"+OK\r\n", 5)
    elif r.startswith("+"):
        b = r[1:].encode()
        replyStatus(&c.reply, <const char *>b, len(b))
    else:
        reply_error_fmt(c, r)
    return 0


def repl_backlog_idle():
    """Seconds since the last replica left (None: there is no backlog)."""
    if g_backlog == NULL:
        return None
    return mstime() // 1000 - g_repl_no_replicas_since


def repl_free_backlog():
    """repl-backlog-ttl passed: no backlog, nothing fed, until a replica
    comes again."""
    global g_backlog, g_backlog_histlen, g_backlog_idx, g_prop_targets
    if g_backlog == NULL or g_replicas:
        return
    zfree(g_backlog)
    g_backlog = NULL
    g_backlog_histlen = g_backlog_idx = 0
    g_prop_targets &= ~PROP_TARGET_REPL


cdef int cmd_failover(Client c) except -1:
    r = g_ctl.replication.cmd_failover([c.argv[i][:c.argvlen[i]] for i in range(1, c.argc)])
    if r is None:
        replyOk(&c.reply)
    else:
        reply_error_fmt(c, r)
    return 0


cdef int cmd_role(Client c) except -1:
    reply_py(c, g_ctl.replication.role())
    return 0


# --- full sync steps (replication.py drives them) ----------------------------

cdef void setup_full_resync(Client c, long long offset) noexcept:
    cdef bytes line
    c.psync_initial_offset = offset
    c.repl_state = SLAVE_STATE_WAIT_BGSAVE_END
    c.repl_state_since = mstime()
    c.reply.len = 0
    if not (c.repl_capa & REPL_PRE_PSYNC):
        line = b"+FULLRESYNC " + g_replid + b" %d\r\n" % offset
        write_now(c, PyBytes_AS_STRING(line), PyBytes_GET_SIZE(line))


def repl_full_sync_begin(list clients):
    """At the fork of the snapshot that serves clients: they are told
    +FULLRESYNC <replid> <offset now>, and the stream gathers for them from
    here on (starting with a SELECT: the RDB leaves no database selected)."""
    global g_repl_seldb
    g_repl_seldb = -1
    for c in clients:
        setup_full_resync(<Client>c, g_master_repl_offset)


def repl_full_sync_attach(Client c, Client other):
    """c shares the snapshot being written for other (a disk sync): the same
    offset, and a copy of what other gathered since the fork."""
    setup_full_resync(c, other.psync_initial_offset)
    replyAppend(&c.reply, other.reply.buf, other.reply.len)


def repl_replicas():
    return list(g_replicas)


def repl_set_state(Client c, int state):
    c.repl_state = state
    c.repl_state_since = mstime()


def repl_send_raw(Client c, bytes data):
    """Bytes straight to a replica's socket (the RDB, keep-alive newlines),
    ahead of its held stream.  False when it is gone."""
    if c.flags & CLIENT_CLOSED or c.transport is None:
        return False
    c.transport.write(data)
    return True


def repl_drain_waiter(Client c):
    """None when c's transport takes more data now, else a future that is
    done once it drained (or c went away)."""
    if c.flags & CLIENT_CLOSED or not c.writing_paused:
        return None
    if c.drain_waiter is None:
        c.drain_waiter = event_loop().create_future()
    return c.drain_waiter


def repl_put_online(Client c, bint on_ack):
    """The RDB is all sent: the held stream follows (after a diskless one,
    from the replica's first ACK, once it has loaded it)."""
    c.repl_state = SLAVE_STATE_ONLINE
    c.repl_state_since = mstime()
    c.repl_ack_time = mstime() // 1000
    c.repl_stream_on_ack = on_ack
    c.queue_reply()


def repl_drop_replica(Client c):
    """A replica whose sync failed: closed without what it gathered."""
    replyClear(&c.reply)
    c.close()


# --- WAIT ------------------------------------------------------------------------

cdef list g_wait_clients = []      # blocked in WAIT, in arrival order
cdef bint g_getack_scheduled = False
cdef const char *GETACK_CMD = b"*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"


cdef long long count_acks(long long offset) noexcept:
    """Online replicas that acknowledged offset."""
    cdef long long n = 0
    cdef Client c
    for c in g_replicas:
        if c.repl_state == SLAVE_STATE_ONLINE and c.repl_ack_off >= offset:
            n += 1
    return n


def send_getack():
    global g_getack_scheduled
    g_getack_scheduled = False
    if g_replicas and not g_repl_is_replica:
        repl_feed_raw(GETACK_CMD, 37)


cdef void request_acks() noexcept:
    """Ask every replica for its offset, once per event-loop turn."""
    global g_getack_scheduled
    if not g_getack_scheduled:
        g_getack_scheduled = True
        event_loop().call_soon(send_getack)


cdef int cmd_wait(Client c) except -1:
    cdef long long numreplicas, timeout, acks
    if g_repl_is_replica:
        reply_error_fmt(c, "ERR WAIT cannot be used with replica instances. Please also note "
                        "that since Redis 4.0 if a replica is configured to be writable "
                        "(which is not the default) writes to replicas are just local and "
                        "are not propagated.")
        return 0
    if not arg_ll(c, 1, &numreplicas):
        return 0
    if not arg_ll_msg(c, 2, &timeout, b"ERR timeout is not an integer or out of range"):
        return 0
    if timeout < 0:
        replyErrorC(&c.reply, MSG_TIMEOUT_NEG)
        return 0
    acks = count_acks(c.woff)
    if acks >= numreplicas or not can_block(c):
        replyLongLong(&c.reply, acks)
        return 0
    block_client(c, [], mstime() + timeout if timeout > 0 else 0)
    c.btype = BLOCKED_WAIT
    c.wait_numreplicas = numreplicas
    g_wait_clients.append(c)
    request_acks()
    return 0


cdef void serve_wait_clients() noexcept:
    """After an ACK: answer the WAITs it satisfied."""
    cdef Client c
    cdef long long acks
    for c in list(g_wait_clients):
        acks = count_acks(c.woff)
        if acks >= c.wait_numreplicas:
            c.reply_start = c.reply.len
            replyLongLong(&c.reply, acks)
            unblock_client(c)
            g_unblocked.append(c)
    try:
        handle_clients_blocked_on_keys()
    except Exception:
        pass
