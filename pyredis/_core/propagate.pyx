# Command propagation: the effect of every command that changed the
# dataset is fed, as RESP commands, to the propagation targets (the AOF
# today; replicas will read the same stream).  Redis 7.0's rules:
#
#  * call() (call.pyx) notes g_dirty before the handler; when it grew, the
#    command's own vector -- or the vector the handler rewrote it to with
#    prop_rewrite() (EXPIRE -> PEXPIREAT, BLPOP -> LPOP, ...) -- is queued
#    after whatever the handler queued itself with prop_also() (lazy expiry
#    DELs, SPOP's SREMs).  A handler that queued its whole effect calls
#    prop_prevent() so its own vector is not added.
#  * at the end of the unit (prop_flush) the queued commands are sent to
#    the targets; more than one is wrapped in MULTI/EXEC, so the unit stays
#    atomic for a reader.  SELECT is the target's business (aof.c,
#    repl_feed).
#
# Cost when nothing propagates: call() tests g_prop_targets once and the
# handlers guard their rewrites with the same test, so no buffer is
# touched.  When on, commands are encoded straight into C buffers
# (csrc/reply.h encoders write exactly the AOF's RESP array format).

cdef enum:
    PROP_TARGET_AOF = 1 << 0
    PROP_TARGET_REPL = 1 << 1   # the replication stream (repl.pyx)

cdef struct PropOp:
    int db
    size_t start              # offset in g_prop_ops; ends where the next begins

cdef int g_prop_targets = 0   # PROP_TARGET_* bits; 0: propagation is off
cdef replyBuf g_prop_ops      # commands queued by the running unit
cdef PropOp *g_prop_op = NULL
cdef int g_prop_nops = 0
cdef int g_prop_cap = 0
cdef replyBuf g_prop_cmd      # the running command's rewritten vector
cdef bint g_prop_rewritten = False
cdef bint g_prop_prevented = False
cdef bint g_prop_forced = False     # propagate even though nothing changed


cdef inline void prop_call_begin() noexcept:
    global g_prop_rewritten, g_prop_prevented, g_prop_forced
    g_prop_rewritten = g_prop_prevented = g_prop_forced = False


cdef replyBuf *prop_rewrite(long argc) noexcept:
    """Replace what the running command propagates (Redis's
    rewriteClientCommandVector): the caller appends argc bulk strings to the
    returned buffer."""
    global g_prop_rewritten
    g_prop_rewritten = True
    replyClear(&g_prop_cmd)
    replyArrayLen(&g_prop_cmd, argc)
    return &g_prop_cmd


cdef inline void prop_force() noexcept:
    """Propagate the running command even if it changed nothing
    (forceCommandPropagation: FLUSHDB/FLUSHALL on empty databases)."""
    global g_prop_forced
    g_prop_forced = True


cdef inline void prop_prevent() noexcept:
    global g_prop_prevented
    g_prop_prevented = True


cdef replyBuf *prop_also(int db, long argc) except NULL:
    """Queue one more command of the running unit (alsoPropagate): the
    caller appends argc bulk strings to the returned buffer."""
    global g_prop_op, g_prop_cap, g_prop_nops
    cdef PropOp *n
    if g_prop_nops == g_prop_cap:
        g_prop_cap = g_prop_cap * 2 if g_prop_cap else 16
        n = <PropOp *>zrealloc(g_prop_op, g_prop_cap * sizeof(PropOp))
        if n == NULL:
            raise MemoryError()
        g_prop_op = n
    g_prop_op[g_prop_nops].db = db
    g_prop_op[g_prop_nops].start = g_prop_ops.len
    g_prop_nops += 1
    replyArrayLen(&g_prop_ops, argc)
    return &g_prop_ops


cdef inline int prop_deletion(redisDb *db, const char *k, size_t kl) except -1:
    """A key removed by expiry (lazy or active): DEL, or UNLINK when
    lazyfree-lazy-expire is on."""
    return prop_deletion_as(db, k, kl, cfg_lazyfree_lazy_expire)


cdef int prop_deletion_as(redisDb *db, const char *k, size_t kl, bint lazy) except -1:
    """A key removed by the server itself (expiry, eviction): DEL, or
    UNLINK when lazy (Redis's propagateDeletion)."""
    cdef replyBuf *b = prop_also(db.id, 2)
    if lazy:
        replyBulk(b, b"UNLINK", 6)
    else:
        replyBulk(b, b"DEL", 3)
    replyBulk(b, k, kl)
    return 0


cdef int prop_after_call(Client c, long long dirty) except -1:
    """End of a command: queue its own vector when it changed something
    and did not propagate itself; call() sends the unit when the outermost
    call ends (a command run by EXEC or a script joins its caller's unit)."""
    cdef replyBuf *b
    cdef int j
    if (dirty > 0 or g_prop_forced) and not g_prop_prevented:
        if g_prop_rewritten:
            b = prop_also(c.db.id, 0)
            g_prop_ops.len -= 4          # the empty "*0\r\n" header
            replyAppend(&g_prop_ops, g_prop_cmd.buf, g_prop_cmd.len)
        else:
            b = prop_also(c.db.id, c.argc)
            for j in range(c.argc):
                replyBulk(b, c.argv[j], c.argvlen[j])
    return 0


cdef int prop_flush() except -1:
    """Send the queued commands of the unit to every target."""
    global g_prop_nops
    cdef int i
    cdef size_t end
    if g_prop_nops == 0:
        return 0
    if g_prop_ops.oom:
        g_prop_nops = 0
        replyClear(&g_prop_ops)
        raise MemoryError()
    if g_prop_nops > 1:
        prop_emit(g_prop_op[0].db, b"*1\r\n$5\r\nMULTI\r\n", 15)
    for i in range(g_prop_nops):
        end = g_prop_op[i + 1].start if i + 1 < g_prop_nops else g_prop_ops.len
        prop_emit(g_prop_op[i].db, g_prop_ops.buf + g_prop_op[i].start, end - g_prop_op[i].start)
    if g_prop_nops > 1:
        # in whatever database the unit's last command left the target
        prop_emit(-1, b"*1\r\n$4\r\nEXEC\r\n", 14)
    g_prop_nops = 0
    replyClear(&g_prop_ops)
    return 0


cdef inline void prop_emit(int db, const char *p, size_t n) noexcept:
    if g_prop_targets & PROP_TARGET_AOF:
        aofFeed(db, p, n, g_cmd_ms // 1000 if g_cmd_ms else mstime() // 1000)
    if g_prop_targets & PROP_TARGET_REPL:
        repl_feed(db, p, n)


# --- helpers for the handlers' rewrites -------------------------------------

cdef inline void prop_rewrite_key_ms(const char *name, size_t nlen, const char *k, size_t kl,
                                     long long when) noexcept:
    """<name> key <when>: PEXPIREAT key ms and friends."""
    cdef replyBuf *b = prop_rewrite(3)
    replyBulk(b, name, nlen)
    replyBulk(b, k, kl)
    replyBulkLongLong(b, when)


cdef inline void prop_rewrite_key(const char *name, size_t nlen, const char *k, size_t kl) noexcept:
    """<name> key: DEL key, PERSIST key, LPOP key ..."""
    cdef replyBuf *b = prop_rewrite(2)
    replyBulk(b, name, nlen)
    replyBulk(b, k, kl)


cdef void prop_rewrite_argv0(Client c, const char *name, size_t nlen) noexcept:
    """The command's own arguments under another name (GETSET -> SET,
    BRPOPLPUSH -> RPOPLPUSH ...)."""
    cdef replyBuf *b = prop_rewrite(c.argc)
    cdef int j
    replyBulk(b, name, nlen)
    for j in range(1, c.argc):
        replyBulk(b, c.argv[j], c.argvlen[j])
