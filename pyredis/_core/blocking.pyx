# Blocking commands (BLPOP and friends): clients waiting on keys.
#
# API used by the type modules (t_list.pyx, t_zset.pyx, t_stream_group.pyx):
#
#   block_client(c, keys, timeout_ms)
#       Called by a blocking handler that found nothing to serve.  Parks c
#       on `keys` (list of bytes) of c.db until one of them is signalled
#       ready or the absolute unix time timeout_ms passes (0 = forever).
#       The handler writes no reply.  While parked the client's further
#       input stays buffered.  When a key is ready the client's command is
#       run again from its saved arguments with c.flags & CLIENT_REPROCESSING
#       set; a handler that still finds nothing calls block_client again,
#       which then just keeps the client parked in its place in the queue.
#       On timeout the client gets a null array (RESP2 *-1, RESP3 _).
#   signal_key_as_ready(db, key, keylen)
#       Called whenever a key that blocked clients may wait for is created
#       or grows (push, RENAME/MOVE/SWAPDB targets, ...).  Cheap when nobody
#       waits.
#   handle_clients_blocked_on_keys()
#       Called by call.pyx after every command: serves the ready keys'
#       waiters in FIFO order.
#   signal_deleted_key(db, key, keylen, old value)
#       keyspace.pyx calls it when a value leaves a key (delete, overwrite,
#       rename, flush): an XREADGROUP waiting on a stream there is answered
#       -UNBLOCKED, as Redis does.  While a waiter's command re-runs,
#       g_serving_key names the ready key, so a multi-key XREAD answers from
#       that key alone.
#
# A blocking command inside MULTI (or a script) never blocks: handlers
# check can_block(c) and answer as on timeout instead.
#
# Design.  Waiters are kept per database index (not per redisDb contents,
# so SWAPDB leaves them where they are) in a dict key -> queue, the queue
# being a dict Client -> None: insertion order gives FIFO, removal of a
# client that disconnects or times out is O(1).  A signalled key goes into
# g_ready (a dict used as an ordered set, so a key pushed to twice in one
# command is served once).  Serving a client re-runs its saved command;
# the reply lands in its reply buffer.  Every client leaving the blocked
# state (served, timed out, CLIENT UNBLOCK) goes to g_unblocked, and only
# after the ready keys are drained are their replies written and their
# buffered requests run -- as Redis does in beforeSleep -- so a resumed
# client never runs a command in the middle of another client's.  Those
# requests may ready more keys; the loop goes on until both are empty.
#
# Statistics follow Redis 7.0: the blocking command counts one call when
# it first runs; a re-run adds its time but no call.

cdef enum:
    BLOCKED_WAIT = 100            # Client.btype of a client in WAIT (repl.pyx)

cdef list g_bkeys = None          # per db index: dict key -> dict Client -> None
cdef dict g_ready = {}            # (db index, key) -> None, in signal order
cdef list g_unblocked = []        # clients whose reply and input are pending
cdef long long g_nblocked = 0     # blocked clients
cdef long long g_ntimeouts = 0    # blocked clients with a timeout armed
cdef bint g_handling = False      # handle_clients_blocked_on_keys is running
cdef bint g_reblocked = False     # the re-run handler called block_client
# XREAD clients parked: the IDs (ms, seq) they wait past, resolved when they
# blocked (`$` must not move to the newest entry on a re-run)
cdef dict g_xread_block_ids = {}
# the key being served while a blocked command re-runs: a stream read
# answers from that key alone, as Redis serves one ready key at a time
cdef bytes g_serving_key = None


cdef bint can_block(Client c):
    return not (c.flags & CLIENT_DENY_BLOCKING)


cdef int blocked_type_of(Command cmd) noexcept:
    """The value type whose growth can serve a blocked `cmd`."""
    cats = cmd.categories
    if "@sortedset" in cats:
        return OBJ_ZSET
    if "@stream" in cats:
        return OBJ_STREAM
    return OBJ_LIST


cdef int block_client(Client c, list keys, long long timeout_ms) except -1:
    global g_bkeys, g_nblocked, g_ntimeouts, g_reblocked
    cdef int i
    cdef bytes a
    cdef dict waiters
    if c.flags & CLIENT_REPROCESSING:
        # still nothing for it: stay parked in place
        g_reblocked = True
        return 0
    if g_bkeys is None:
        g_bkeys = [{} for _ in range(g_ndbs)]
    # the request's arguments point into a read buffer that goes away
    c.bargs = [c.argv[i][:c.argvlen[i]] for i in range(c.argc)]
    c.bargv = <const char **>zmalloc(c.argc * sizeof(char *))
    c.bargvlen = <size_t *>zmalloc(c.argc * sizeof(size_t))
    if c.bargv == NULL or c.bargvlen == NULL:
        zfree(c.bargv)
        zfree(c.bargvlen)
        c.bargv = NULL
        c.bargvlen = NULL
        c.bargs = None
        raise MemoryError()
    for i in range(c.argc):
        a = <bytes>c.bargs[i]
        c.bargv[i] = PyBytes_AS_STRING(a)
        c.bargvlen[i] = PyBytes_GET_SIZE(a)
    c.argv = c.bargv
    c.argvlen = c.bargvlen
    c.bcmd = c.cmd
    c.btype = blocked_type_of(c.cmd)
    c.bdb = c.db.id
    c.bkeys = []
    waiters = <dict>g_bkeys[c.bdb]
    for k in keys:
        q = waiters.get(k)
        if q is None:
            q = waiters[k] = {}
        if c not in q:                # BLPOP k k waits once
            (<dict>q)[c] = None
            c.bkeys.append(k)
    c.flags |= CLIENT_BLOCKED
    g_nblocked += 1
    c.btimer = None
    if timeout_ms > 0:
        arm_block_timeout(c, timeout_ms)
        g_ntimeouts += 1
    return 0


cdef void arm_block_timeout(Client c, long long timeout_ms):
    cdef long long delay = timeout_ms - mstime()
    c.btimer = event_loop().call_later(delay / 1000.0 if delay > 0 else 0, on_block_timeout,
                               c, timeout_ms)


def on_block_timeout(Client c, long long timeout_ms):
    if not (c.flags & CLIENT_BLOCKED):
        return
    if mstime() < timeout_ms:
        # the loop's clock runs a little ahead of the wall clock
        arm_block_timeout(c, timeout_ms)
        return
    c.reply_start = c.reply.len
    reply_blocked_timeout(c)
    unblock_client(c)
    g_unblocked.append(c)
    handle_clients_blocked_on_keys()


cdef void reply_blocked_timeout(Client c) noexcept:
    """What a blocked client answers when its time is up (or CLIENT UNBLOCK
    says so): WAIT counts the replicas that acknowledged, the others null."""
    if c.btype == BLOCKED_WAIT:
        replyLongLong(&c.reply, count_acks(c.woff))
    else:
        replyNullArray(&c.reply, c.resp)


cdef void unblock_client(Client c):
    """Take c out of every queue and drop its saved command; its reply, if
    any, is already in its buffer."""
    global g_nblocked, g_ntimeouts
    cdef dict waiters
    if not (c.flags & CLIENT_BLOCKED):
        return
    if c.btype == BLOCKED_WAIT:
        g_wait_clients.remove(c)
    elif c.btype == BLOCKED_POSTPONE:
        g_postponed.remove(c)
    waiters = <dict>g_bkeys[c.bdb]
    for k in c.bkeys:
        q = waiters.get(k)
        if q is not None:
            (<dict>q).pop(c, None)
            if not q:
                del waiters[k]
    if c.btimer is not None:
        c.btimer.cancel()
        c.btimer = None
        g_ntimeouts -= 1
    c.flags &= ~(CLIENT_BLOCKED | CLIENT_REPROCESSING)
    g_nblocked -= 1
    if g_xread_block_ids:
        g_xread_block_ids.pop(c, None)
    c.argc = 0
    c.argv = NULL
    c.argvlen = NULL
    zfree(c.bargv)
    zfree(c.bargvlen)
    c.bargv = NULL
    c.bargvlen = NULL
    c.bargs = None
    c.bkeys = None
    c.bcmd = None
    if c.flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP):
        c.reply.len = c.reply_start
    c.flags &= ~CLIENT_REPLY_SKIP


cdef void signal_key_as_ready(redisDb *db, const char *k, size_t kl) noexcept:
    if g_nblocked == 0:
        return
    key = k[:kl]
    if key in <dict>g_bkeys[db.id]:
        g_ready[(db.id, key)] = None


cdef void signal_waited_keys(redisDb *db) noexcept:
    """Signal every key of db that has waiters (SWAPDB): those that exist
    may serve them, those gone tell XREADGROUP waiters their stream went."""
    if g_nblocked == 0:
        return
    for key in <dict>g_bkeys[db.id]:
        g_ready[(db.id, key)] = None


cdef void signal_deleted_stream_keys(redisDb *db) noexcept:
    """db is about to be emptied (FLUSHDB/FLUSHALL): its waited-on streams
    are going away."""
    cdef robj *o
    if g_nblocked == 0:
        return
    for key in <dict>g_bkeys[db.id]:
        o = db_find(db, <bytes>key, len(<bytes>key))
        if o != NULL and o.type == OBJ_STREAM:
            g_ready[(db.id, key)] = None


cdef int handle_clients_blocked_on_keys() except -1:
    global g_handling, g_ready
    cdef dict ready
    cdef Client c
    if g_handling or (not g_ready and not g_unblocked):
        return 0
    g_handling = True
    try:
        while g_ready or g_unblocked:
            while g_ready:
                ready = g_ready
                g_ready = {}
                for dbid, key in ready:
                    serve_key(dbid, key)
                    if g_prop_targets:
                        prop_flush()      # keys its lookups expired
            while g_unblocked and not g_ready:
                c = <Client>g_unblocked.pop(0)
                c.resume_input()
    finally:
        g_handling = False
    return 0


cdef int serve_key(int dbid, bytes key) except -1:
    cdef dict q = (<dict>g_bkeys[dbid]).get(key)
    cdef redisDb *db = &g_dbs[dbid]
    cdef robj *o
    if not q:
        return 0
    for c in list(q):
        if c not in q:
            continue                  # served meanwhile through another key
        o = lookup_write(db, key, len(key))
        if o == NULL or o.type != OBJ_STREAM:
            # a stream a group reader waits on is gone (signal_deleted_key)
            if (<Client>c).bcmd.proc == cmd_xreadgroup:
                unblock_with_error(<Client>c, "UNBLOCKED the stream key no longer exists")
                continue
        if o == NULL:
            break
        if o.type != (<Client>c).btype:
            continue
        global g_serving_key
        g_serving_key = key
        try:
            rerun_blocked_command(<Client>c)
        finally:
            g_serving_key = None
    return 0


cdef void signal_deleted_key(redisDb *db, const char *k, size_t kl, robj *old) noexcept:
    """A value is leaving the key (delete, overwrite): XREADGROUP clients
    parked on a stream there must learn it (Redis's signalDeletedKeyAsReady)."""
    if g_nblocked and old != NULL and old.type == OBJ_STREAM:
        signal_key_as_ready(db, k, kl)


cdef void unblock_with_error(Client c, const char *msg) noexcept:
    c.reply_start = c.reply.len
    replyErrorC(&c.reply, msg)
    count_error(c, c.reply_start)
    c.bcmd.failed_calls += 1
    unblock_client(c)
    g_unblocked.append(c)


cdef int rerun_blocked_command(Client c) except -1:
    global g_reblocked, g_cmd_ms
    cdef Command cmd = c.bcmd
    cdef long long start = ustime()
    g_cmd_ms = start // 1000
    g_reblocked = False
    c.flags |= CLIENT_REPROCESSING
    c.argv = c.bargv
    c.argvlen = c.bargvlen
    c.argc = len(c.bargs)
    c.cmd = cmd
    c.reply_start = c.reply.len
    run_proc(c, cmd)
    c.flags &= ~CLIENT_REPROCESSING
    cmd.usec += ustime() - start
    if g_reblocked and c.reply.len == c.reply_start:
        return 0
    c.lastcmd = cmd
    if c.reply.len > c.reply_start and c.reply.buf[c.reply_start] == b'-':
        cmd.failed_calls += 1
        count_error(c, c.reply_start)
    unblock_client(c)
    g_unblocked.append(c)
    return 0


cdef bint unblock_by_request(Client c, bint with_error):
    """CLIENT UNBLOCK: answer c as on timeout or with an error (a client
    postponed by a pause is not blocked by a command of its own)."""
    if not (c.flags & CLIENT_BLOCKED) or c.btype == BLOCKED_POSTPONE:
        return False
    c.reply_start = c.reply.len
    if with_error:
        replyErrorC(&c.reply, "UNBLOCKED client unblocked via CLIENT UNBLOCK")
        count_error(c, c.reply_start)
        c.bcmd.failed_calls += 1
    else:
        reply_blocked_timeout(c)
    unblock_client(c)
    g_unblocked.append(c)
    return True


def blocked_client_count():
    return g_nblocked


def timeout_table_count():
    return g_ntimeouts
