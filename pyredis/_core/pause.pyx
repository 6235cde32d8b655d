# Client pause: CLIENT PAUSE / UNPAUSE, and FAILOVER's pause of writes
# (Redis's pauseClients, one pause per purpose, the strongest in force).
#
# While paused, a client's command that may write (WRITE or MAY_REPLICATE,
# or an EXEC queueing one) -- or, for PAUSE ALL, any command -- is
# postponed: the client blocks (blocking.pyx, BLOCKED_POSTPONE) with its
# request saved, and when the pause ends the request runs through
# resolve_and_call again, so it meets the server as it is then (after a
# failover: a replica answering -READONLY).  Replicas and our master's link
# are never paused.  Nothing expires or is evicted meanwhile (keyspace.pyx
# hides expired keys without deleting them), so the replication stream
# stays still: that is what FAILOVER waits on.

cdef enum:
    PAUSE_OFF = 0
    PAUSE_WRITE = 1
    PAUSE_ALL = 2
    BLOCKED_POSTPONE = 101        # Client.btype while postponed

cdef int g_pause_cmd_type = PAUSE_OFF    # CLIENT PAUSE's
cdef long long g_pause_cmd_end = 0       # its unix ms end
cdef bint g_pause_failover = False       # FAILOVER's (writes, until it ends)
cdef int g_pause_type = PAUSE_OFF        # the one in force
cdef bint g_pause_active = False
cdef list g_postponed = []
cdef object g_pause_timer = None
cdef bint g_release_scheduled = False


cdef inline bint must_postpone(Client c, unsigned long long flags) noexcept:
    return not (c.flags & (CLIENT_SLAVE | CLIENT_MASTER)) and \
        (g_pause_type == PAUSE_ALL or flags & (CMD_WRITE | CMD_MAY_REPLICATE))


cdef int postpone_client(Client c, Command cmd) except -1:
    c.cmd = cmd
    block_client(c, [], 0)
    c.btype = BLOCKED_POSTPONE
    g_postponed.append(c)
    return 0


def update_pause():
    """Work out the pause in force; when it weakened, postponed clients
    try again (on the next loop turn, not inside a command)."""
    global g_pause_type, g_pause_active, g_pause_cmd_type, g_pause_timer, g_release_scheduled
    cdef int before = g_pause_type
    cdef long long now = mstime()
    if g_pause_cmd_type and g_pause_cmd_end <= now:
        g_pause_cmd_type = PAUSE_OFF
    g_pause_type = g_pause_cmd_type
    if g_pause_failover and g_pause_type < PAUSE_WRITE:
        g_pause_type = PAUSE_WRITE
    g_pause_active = g_pause_type != PAUSE_OFF
    if g_pause_timer is not None:
        g_pause_timer.cancel()
        g_pause_timer = None
    if g_pause_cmd_type:
        g_pause_timer = event_loop().call_later((g_pause_cmd_end - now) / 1000.0, update_pause)
    if g_pause_type < before and g_postponed and not g_release_scheduled:
        g_release_scheduled = True
        event_loop().call_soon(release_postponed)


def release_postponed():
    global g_release_scheduled
    g_release_scheduled = False
    for c in list(g_postponed):
        if (<Client>c).flags & CLIENT_BLOCKED:
            rerun_postponed(<Client>c)
    handle_clients_blocked_on_keys()


cdef int rerun_postponed(Client c) except -1:
    cdef list args = c.bargs
    cdef const char **argv = c.bargv
    cdef size_t *argvlen = c.bargvlen
    c.bargv = NULL
    c.bargvlen = NULL
    unblock_client(c)
    c.argv = argv
    c.argvlen = argvlen
    c.argc = len(args)
    try:
        process_command(c)
    finally:
        if not (c.flags & CLIENT_BLOCKED):
            c.argv = NULL
            c.argvlen = NULL
            c.argc = 0
        zfree(argv)
        zfree(argvlen)
    g_unblocked.append(c)
    return 0


def set_failover_pause(bint on):
    global g_pause_failover
    g_pause_failover = on
    update_pause()


cdef int cmd_client_pause(Client c) except -1:
    global g_pause_cmd_type, g_pause_cmd_end
    cdef long long timeout
    cdef int ptype = PAUSE_ALL
    if c.argc > 4:
        reply_error_fmt(c, "ERR unknown subcommand or wrong number of arguments for '%s'. "
                        "Try CLIENT HELP." % arg_str(c, 1))
        return 0
    if not arg_ll_msg(c, 2, &timeout, b"ERR timeout is not an integer or out of range"):
        return 0
    if timeout < 0:
        replyErrorC(&c.reply, "ERR timeout is negative")
        return 0
    if c.argc == 4:
        if arg_is(c, 3, "write"):
            ptype = PAUSE_WRITE
        elif not arg_is(c, 3, "all"):
            replyErrorC(&c.reply, "ERR CLIENT PAUSE mode must be WRITE or ALL")
            return 0
    cdef long long now = mstime()
    if g_pause_cmd_type == PAUSE_OFF or g_pause_cmd_end <= now:
        g_pause_cmd_type, g_pause_cmd_end = ptype, now + timeout
    else:
        # a pause in force only grows: the stronger type, the later end
        g_pause_cmd_type = max(g_pause_cmd_type, ptype)
        g_pause_cmd_end = max(g_pause_cmd_end, now + timeout)
    update_pause()
    replyOk(&c.reply)
    return 0


cdef int cmd_client_unpause(Client c) except -1:
    global g_pause_cmd_type, g_pause_cmd_end
    g_pause_cmd_type = PAUSE_OFF
    g_pause_cmd_end = 0
    update_pause()
    replyOk(&c.reply)
    return 0
