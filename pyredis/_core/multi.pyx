# Transactions: MULTI/EXEC/DISCARD and optimistic locking with WATCH
# (Redis's multi.c).
#
# MULTI puts a client in CLIENT_MULTI: resolve_and_call (call.pyx) checks
# each following command as usual and, instead of running it, queues a
# copy of its arguments (the request buffer they point into is reused) and
# answers +QUEUED.  A command refused while queueing (unknown, arity,
# no_multi...) sets CLIENT_DIRTY_EXEC and EXEC then answers EXECABORT.
# EXEC runs the queue through call(): the commands join one propagation
# unit (g_call_depth), so the AOF gets them as MULTI ... EXEC when more
# than one wrote; blocking commands answer as if timed out
# (CLIENT_DENY_BLOCKING).
#
# WATCH: g_watched[db] maps a key to the WatchedKey records of the clients
# watching it, and each client lists its own.  Every change of a key calls
# signal_modified_key; the first change dirties the client (CLIENT_DIRTY_CAS)
# and drops all its watches, as nothing can save that transaction.  A key
# that was already logically expired when watched is "expired" in its
# record: its deletion by expiry is no change, and EXEC does not fail for
# it; any other watched key that has expired by EXEC time fails it.
cimport cython
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE


@cython.final
cdef class WatchedKey:
    cdef Client client
    cdef int dbid
    cdef bytes key
    cdef bint expired


cdef list g_watched = None        # per db: {key: [WatchedKey, ...]}
cdef Py_ssize_t g_nwatched = 0    # WatchedKey records alive: 0 is the fast path


# --- WATCH bookkeeping ----------------------------------------------------------

cdef int watch_key(Client c, const char *k, size_t kl) except -1:
    global g_watched, g_nwatched
    cdef WatchedKey wk
    cdef bytes key = k[:kl]
    if c.watched_keys is None:
        c.watched_keys = []
    for wk in c.watched_keys:
        if wk.dbid == c.db.id and wk.key == key:
            return 0
    if g_watched is None:
        g_watched = [{} for _ in range(g_ndbs)]
    wk = WatchedKey.__new__(WatchedKey)
    wk.client = c
    wk.dbid = c.db.id
    wk.key = key
    wk.expired = key_is_expired(c.db, k, kl)
    (<dict>g_watched[wk.dbid]).setdefault(key, []).append(wk)
    c.watched_keys.append(wk)
    g_nwatched += 1
    return 0


cdef void unwatch_all_keys(Client c) noexcept:
    global g_nwatched
    cdef WatchedKey wk
    cdef dict keys
    cdef list watchers
    if not c.watched_keys:
        return
    for wk in c.watched_keys:
        keys = <dict>g_watched[wk.dbid]
        watchers = keys.get(wk.key)
        if watchers is not None:
            watchers.remove(wk)
            if not watchers:
                del keys[wk.key]
        g_nwatched -= 1
    c.watched_keys = None


cdef void signal_modified_key(redisDb *db, const char *key, size_t klen) noexcept:
    """Key `key` of db was changed (by a command, expiry or eviction):
    transactions WATCHing it will fail, and clients caching it are told
    (Redis's signalModifiedKey)."""
    if g_tracking_clients:
        tracking_key_modified(key, klen)           # tracking.pyx
    if g_nwatched == 0:
        return
    touch_watched_key(db, key, klen)


cdef void touch_watched_key(redisDb *db, const char *key, size_t klen) noexcept:
    cdef list watchers = (<dict>g_watched[db.id]).get(key[:klen])
    cdef WatchedKey wk
    if watchers is None:
        return
    for wk in list(watchers):
        if wk.expired:
            if db_find(db, key, klen) == NULL:
                # the expired key was deleted: logically nothing changed
                wk.expired = False
                continue
            # Redis 7.0 stops at the first watcher of a still-expired key
            break
        wk.client.flags |= CLIENT_DIRTY_CAS
        unwatch_all_keys(wk.client)


cdef void signal_flushed_db(int dbid) noexcept:
    """Every key of database dbid (-1: of all databases) is about to go:
    transactions watching a key that exists fail."""
    cdef int i
    if g_tracking_clients:
        tracking_on_flush(dbid)                    # tracking.pyx
    if g_nwatched == 0:
        return
    for i in range(g_ndbs):
        if dbid == -1 or dbid == i:
            touch_all_watched_keys_in_db(&g_dbs[i], NULL)


cdef void touch_all_watched_keys_in_db(redisDb *emptied, redisDb *replaced_with) noexcept:
    """emptied loses all its keys (FLUSHDB) or gets replaced_with's
    (SWAPDB): a watched key present in either changes."""
    cdef dict keys
    cdef bytes key
    cdef WatchedKey wk
    cdef const char *k
    cdef size_t kl
    cdef bint in_emptied, in_replacement
    if g_nwatched == 0:
        return
    keys = <dict>g_watched[emptied.id]
    for key, watchers in list(keys.items()):
        k = PyBytes_AS_STRING(key)
        kl = PyBytes_GET_SIZE(key)
        in_emptied = dictFind(emptied.dict, k, kl) != NULL
        in_replacement = replaced_with != NULL and dictFind(replaced_with.dict, k, kl) != NULL
        if not (in_emptied or in_replacement):
            continue
        for wk in list(<list>watchers):
            if wk.expired:
                if not in_replacement:
                    wk.expired = False
                    continue
                elif key_is_expired(replaced_with, k, kl):
                    continue
            elif not in_emptied and key_is_expired(replaced_with, k, kl):
                wk.expired = True
                continue
            wk.client.flags |= CLIENT_DIRTY_CAS


cdef bint watched_key_expired(Client c) noexcept:
    """A key watched while it existed has expired since (EXEC fails)."""
    cdef WatchedKey wk
    if not c.watched_keys:
        return False
    for wk in c.watched_keys:
        if not wk.expired and key_is_expired(&g_dbs[wk.dbid], PyBytes_AS_STRING(wk.key),
                                             PyBytes_GET_SIZE(wk.key)):
            return True
    return False


# --- the queue --------------------------------------------------------------------

cdef inline void flag_transaction(Client c) noexcept:
    """A command was refused while queueing: EXEC will abort."""
    if c.flags & CLIENT_MULTI:
        c.flags |= CLIENT_DIRTY_EXEC


cdef int queue_multi_command(Client c, Command cmd) except -1:
    cdef int i
    # a transaction that will fail anyway need not keep its commands
    if not (c.flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)):
        if c.mstate is None:
            c.mstate = []
        args = [c.argv[i][:c.argvlen[i]] for i in range(c.argc)]
        for i in range(c.argc):
            c.mstate_argv_len += c.argvlen[i]
        c.mstate.append((cmd, args))
        c.mstate_flags |= cmd.flags
        if not (cmd.flags & CMD_STALE):
            c.mstate_flags |= CMD_QUEUED_NOT_STALE
    replyStatusC(&c.reply, "QUEUED")
    return 0


cdef void discard_transaction(Client c) noexcept:
    c.mstate = None
    c.mstate_flags = 0
    c.mstate_argv_len = 0
    c.flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)
    unwatch_all_keys(c)


cdef void exec_abort(Client c, const char *error, size_t n) noexcept:
    """EXEC refused before it ran (-MISCONF, -OOM ...): the transaction
    ends with an EXECABORT naming the reason."""
    cdef bytes msg
    discard_transaction(c)
    if n and error[0] == b'-':
        error += 1
        n -= 1
    msg = b"EXECABORT Transaction discarded because of: " + error[:n]
    replyError(&c.reply, <const char *>msg, len(msg))


cdef long long multi_count(Client c):
    """CLIENT LIST multi=: commands queued, -1 outside MULTI."""
    if not (c.flags & CLIENT_MULTI):
        return -1
    return len(c.mstate) if c.mstate is not None else 0


cdef long long multi_mem(Client c):
    """CLIENT LIST multi-mem=: queued argument bytes plus the records of
    queued commands and watched keys."""
    cdef long long n = c.mstate_argv_len
    if c.mstate is not None:
        n += len(c.mstate) * 32
    if c.watched_keys is not None:
        n += len(c.watched_keys) * 56
    return n


# --- commands -----------------------------------------------------------------------

cdef int cmd_multi(Client c) except -1:
    if c.flags & CLIENT_MULTI:
        replyErrorC(&c.reply, "ERR MULTI calls can not be nested")
        return 0
    c.flags |= CLIENT_MULTI
    replyOk(&c.reply)
    return 0


cdef int cmd_discard(Client c) except -1:
    if not (c.flags & CLIENT_MULTI):
        replyErrorC(&c.reply, "ERR DISCARD without MULTI")
        return 0
    discard_transaction(c)
    replyOk(&c.reply)
    return 0


cdef int cmd_exec(Client c) except -1:
    cdef list queue
    cdef Command qcmd, orig_cmd
    cdef const char **orig_argv
    cdef size_t *orig_argvlen
    cdef int orig_argc, i, n
    cdef unsigned int orig_flags
    cdef const char **argv = NULL
    cdef size_t *argvlen = NULL
    cdef bytes a
    if not (c.flags & CLIENT_MULTI):
        replyErrorC(&c.reply, "ERR EXEC without MULTI")
        return 0
    if watched_key_expired(c):
        c.flags |= CLIENT_DIRTY_CAS
    if c.flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC):
        if c.flags & CLIENT_DIRTY_EXEC:
            replyErrorC(&c.reply, "EXECABORT Transaction discarded because of previous errors.")
        else:
            replyNullArray(&c.reply, c.resp)
        discard_transaction(c)
        return 0
    queue = c.mstate if c.mstate is not None else []
    orig_flags = c.flags
    c.flags |= CLIENT_DENY_BLOCKING
    unwatch_all_keys(c)
    orig_argv, orig_argvlen, orig_argc, orig_cmd = c.argv, c.argvlen, c.argc, c.cmd
    cdef size_t orig_reply_start = c.reply_start
    replyArrayLen(&c.reply, len(queue))
    try:
        for qcmd, args in queue:
            n = len(args)
            argv = <const char **>zrealloc(argv, n * sizeof(char *))
            argvlen = <size_t *>zrealloc(argvlen, n * sizeof(size_t))
            if argv == NULL or argvlen == NULL:
                raise MemoryError()
            for i in range(n):
                a = <bytes>args[i]
                argv[i] = PyBytes_AS_STRING(a)
                argvlen[i] = PyBytes_GET_SIZE(a)
            c.argv, c.argvlen, c.argc = argv, argvlen, n
            c.reply_start = c.reply.len
            # ACL rules may have changed since the command was queued
            if c.user is not None and not c.user.can_do_everything() \
                    and not acl_exec_check(c, qcmd):
                continue
            call(c, qcmd)
    finally:
        zfree(argv)
        zfree(argvlen)
        if not (orig_flags & CLIENT_DENY_BLOCKING):
            c.flags &= ~CLIENT_DENY_BLOCKING
        c.argv, c.argvlen, c.argc, c.cmd = orig_argv, orig_argvlen, orig_argc, orig_cmd
        c.reply_start = orig_reply_start
        discard_transaction(c)
    # EXEC's own vector is not propagated: the queued commands were
    if g_prop_targets:
        prop_prevent()
    return 0


cdef int cmd_watch(Client c) except -1:
    cdef int j
    if c.flags & CLIENT_MULTI:
        replyErrorC(&c.reply, "ERR WATCH inside MULTI is not allowed")
        return 0
    # no point in watching for a transaction that already failed
    if not (c.flags & CLIENT_DIRTY_CAS):
        for j in range(1, c.argc):
            watch_key(c, c.argv[j], c.argvlen[j])
    replyOk(&c.reply)
    return 0


cdef int cmd_unwatch(Client c) except -1:
    unwatch_all_keys(c)
    c.flags &= ~CLIENT_DIRTY_CAS
    replyOk(&c.reply)
    return 0
