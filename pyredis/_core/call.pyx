# The only place that resolves a request to a command and checks it
# (unknown command, arity, authentication) before running it, and the
# only place that measures and counts command calls, and the only place
# that propagates (propagate.pyx).  Inside MULTI, a command that passes the
# checks is queued instead (multi.pyx).  The checks run in Redis's
# processCommand order: authentication, then ACL (acl.pyx), then the rest.

cdef dict g_errorstats = {}      # error code (str) -> count
# calls in progress: 1 while a client's command runs, 2 and more while
# EXEC or a script runs commands of its own
cdef int g_call_depth = 0
cdef bint g_cmd_from_master = False    # the running command came from our master's stream
# set by a script whose error reply repeats one already counted (a failed
# redis.call): call() counts the failed call but not the error again
cdef bint g_skip_error_stats = False

cdef bytes MSG_MISCONF = (
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist "
    "to disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the "
    "RDB error.").encode()


cdef void reply_error_fmt(Client c, str msg):
    cdef bytes b = msg.encode("utf-8", "surrogateescape")
    replyError(&c.reply, <const char *>b, len(b))


cdef inline str arg_str(Client c, int i, int maxlen=-1):
    cdef size_t n = c.argvlen[i]
    if maxlen >= 0 and n > <size_t>maxlen:
        n = maxlen
    return c.argv[i][:n].decode("utf-8", "surrogateescape")


cdef str unknown_command_message(Client c):
    # Redis: up to 128 chars of argument text, each as 'arg' plus a space
    cdef str args = ""
    cdef int i = 1
    while i < c.argc and len(args) < 128:
        args += "'" + arg_str(c, i, 128 - len(args)) + "' "
        i += 1
    return "ERR unknown command '%s', with args beginning with: %s" % (arg_str(c, 0, 128), args)


cdef inline str arity_error_message(Command cmd):
    return "ERR wrong number of arguments for '%s' command" % cmd.name


cdef inline void reply_arity_error(Client c, Command cmd):
    reply_error_fmt(c, arity_error_message(cmd))


cdef int reject(Client c, Command cmd, msg) except -1:
    """Refuse the request with error msg (str or bytes, with its code): a
    transaction being queued will abort, and a refused EXEC ends it."""
    cdef bytes b = msg.encode("utf-8", "surrogateescape") if isinstance(msg, str) else msg
    if cmd is not None:
        cmd.rejected_calls += 1
        if cmd.proc == cmd_exec and c.flags & CLIENT_MULTI:
            # Redis formats its own refusals without the ERR code here
            if b.startswith(b"ERR "):
                b = b[4:]
            exec_abort(c, b, len(b))
            count_rejected(c)
            return 0
    flag_transaction(c)
    replyError(&c.reply, <const char *>b, len(b))
    count_rejected(c)
    return 0


cdef int process_command(Client c) except -1:
    c.reply_start = c.reply.len
    resolve_and_call(c)
    if c.flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP):
        c.reply.len = c.reply_start
    # CLIENT REPLY SKIP silences the command after it (for a command that
    # blocked: its reply when it is unblocked, see unblock_client)
    if not (c.flags & CLIENT_BLOCKED):
        c.flags &= ~CLIENT_REPLY_SKIP
        if c.flags & CLIENT_REPLY_SKIP_NEXT:
            c.flags = (c.flags | CLIENT_REPLY_SKIP) & ~CLIENT_REPLY_SKIP_NEXT
    # the command may have fed keys that blocked clients wait for
    handle_clients_blocked_on_keys()
    return 0


cdef int resolve_and_call(Client c) except -1:
    cdef Command cmd = lookup_command(c.argv[0], c.argvlen[0])
    cdef unsigned long long flags
    cdef int acl_ret
    cdef list acl_obj = [None]
    if cmd is None:
        return reject(c, None, unknown_command_message(c))
    if cmd.subcommands is not None and c.argc >= 2:
        sub = lookup_subcommand(cmd, c.argv[1], c.argvlen[1])
        if sub is None:
            return reject(c, None, "ERR unknown subcommand '%s'. Try %s HELP."
                          % (arg_str(c, 1, 128), cmd.name.upper()))
        cmd = <Command>sub
    if (cmd.arity > 0 and c.argc != cmd.arity) or c.argc < -cmd.arity or cmd.proc == NULL:
        return reject(c, cmd, arity_error_message(cmd))
    if cmd.flags & CMD_PROTECTED and not debug_allowed(c):
        return reject(c, cmd, b"ERR DEBUG command not allowed. If the enable-debug-command option "
                      b"is set to \"local\", you can run it from a local connection, otherwise you "
                      b"need to set this option in the configuration file, and then restart the server.")
    if auth_required(c) and not (cmd.flags & CMD_NO_AUTH):
        return reject(c, cmd, b"NOAUTH Authentication required.")
    if c.flags & CLIENT_MULTI and cmd.flags & CMD_NO_MULTI:
        return reject(c, cmd, b"ERR Command not allowed inside a transaction")
    # ACL (acl.pyx): a user allowed everything skips it
    if c.user is not None and not c.user.can_do_everything():
        acl_ret = acl_check_client(c, cmd, acl_obj)
        if acl_ret != ACL_OK:
            return acl_deny(c, cmd, acl_ret, acl_obj[0])
    # EXEC counts as a write when it would run one
    flags = cmd.flags | (c.mstate_flags if cmd.proc == cmd_exec else 0)
    if cfg_maxmemory and reject_if_out_of_memory(c, cmd, flags):   # evict.pyx
        return 0
    if g_deny_writes_disk_error and (flags & CMD_WRITE or cmd.proc == cmd_ping):
        return reject(c, cmd, MSG_MISCONF)
    if g_repl_write_check and flags & CMD_WRITE and repl_deny_write(c, cmd):   # repl.pyx
        return 0
    # RESP2 subscribers only (un)subscribe, PING, QUIT or RESET (pubsub.pyx)
    if c.flags & CLIENT_PUBSUB and c.resp == 2 and not pubsub_command_allowed(cmd):
        return reject(c, cmd, "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                      "PING / QUIT / RESET are allowed in this context" % cmd.name)
    # a replica cut from its master with replica-serve-stale-data no (repl.pyx)
    if g_repl_deny_stale and (not (cmd.flags & CMD_STALE) or flags & CMD_QUEUED_NOT_STALE):
        return reject(c, cmd, b"MASTERDOWN Link with MASTER is down and "
                      b"replica-serve-stale-data is set to 'no'.")
    if g_loading and not (cmd.flags & CMD_LOADING):
        return reject(c, cmd, b"LOADING Redis is loading the dataset in memory")
    # a script or function past busy-reply-threshold (script.pyx)
    if g_script_busy and not (cmd.flags & CMD_ALLOW_BUSY):
        return reject(c, cmd, <bytes>(MSG_BUSY_EVAL if g_script_is_eval else MSG_BUSY_FUNCTION))
    if g_pause_active and must_postpone(c, flags):     # pause.pyx
        return postpone_client(c, cmd)
    if c.flags & CLIENT_MULTI and cmd.proc != cmd_exec and cmd.proc != cmd_discard and \
            cmd.proc != cmd_multi and cmd.proc != cmd_watch and cmd.proc != cmd_quit and \
            cmd.proc != cmd_reset:
        return queue_multi_command(c, cmd)
    return call(c, cmd)


cdef inline void count_rejected(Client c):
    count_error(c, c.reply_start)


cdef void count_error(Client c, size_t at):
    """Count the error reply written at offset `at` (INFO errorstats)."""
    cdef const char *p = c.reply.buf + at + 1
    cdef size_t n = 0
    g_stats.total_error_replies += 1
    while at + 1 + n < c.reply.len and p[n] != b' ' and p[n] != b'\r' and n < 128:
        n += 1
    code = p[:n].decode("latin-1")
    g_errorstats[code] = g_errorstats.get(code, 0) + 1


cdef int run_proc(Client c, Command cmd) except -1:
    """Run cmd's handler for c: an exception becomes an error reply, and
    what the command changed is queued for propagation -- and sent, unless
    the call is nested in EXEC or a script."""
    cdef long long dirty = g_dirty
    global g_call_depth
    g_call_depth += 1
    if g_prop_targets:
        prop_call_begin()
    try:
        cmd.proc(c)
    except MemoryError:
        c.reply.len = c.reply_start
        replyError(&c.reply, <const char *>MSG_OOM, len(MSG_OOM))
    except Exception as e:
        c.reply.len = c.reply_start
        g_stats.unexpected_error_replies += 1
        replyErrorC(&c.reply, "ERR internal error while running the command (see the server log)")
        if g_ctl is not None:
            g_ctl.log_exception(cmd.name, e)
    g_call_depth -= 1
    cdef long long reploff
    if g_prop_targets:
        prop_after_call(c, g_dirty - dirty)
        if g_call_depth == 0:
            reploff = g_master_repl_offset
            prop_flush()
            if g_master_repl_offset != reploff:
                c.woff = g_master_repl_offset     # what WAIT waits for
    return 0


cdef int call(Client c, Command cmd) except -1:
    cdef long long start = ustime()
    cdef long long dur
    global g_cmd_ms, g_skip_error_stats, g_cmd_from_master
    if g_call_depth == 0:
        g_cmd_ms = start // 1000
        g_cmd_from_master = (c.flags & CLIENT_MASTER) != 0
        if g_tracking_clients:
            tracking_before_call(c)                # tracking.pyx
    c.cmd = cmd
    if g_nmonitors and cmd.script_like and not (c.flags & CLIENT_REPROCESSING):
        feed_monitors(c, cmd)              # slowlog.pyx (scripts skip_monitor the generic feed)
    run_proc(c, cmd)
    if g_tracking_clients and g_call_depth == 0:
        tracking_after_call(c, cmd)                # tracking.pyx
    dur = ustime() - start
    cmd.calls += 1
    cmd.usec += dur
    g_stats.numcommands += 1
    c.lastcmd = cmd
    if (dur >= cfg_slowlog_slower_than >= 0) or g_nmonitors or cfg_latency_threshold:
        log_command(c, cmd, dur)            # slowlog.pyx
    if cfg_latency_tracking and not (c.flags & CLIENT_BLOCKED):
        track_latency(cmd, dur)             # slowlog.pyx
    if c.reply.len > c.reply_start and c.reply.buf[c.reply_start] == b'-':
        cmd.failed_calls += 1
        if not g_skip_error_stats:
            count_error(c, c.reply_start)
    g_skip_error_stats = False
    return 0


# --- commands run by the server itself ------------------------------------------

from cpython.mem cimport PyMem_Malloc, PyMem_Free

ctypedef object (*internal_check)(Client ic, Command cmd)


cdef object internal_call(Client ic, list argv, internal_check check):
    """Run argv (bytes) as a command of internal client ic -- a script's
    redis.call, a module's ctx.call: its reply as bytes, or, when
    check(ic, cmd) refuses it (cmd is None for an unknown command), what
    check returned."""
    cdef int argc = len(argv)
    cdef const char **pv = <const char **>PyMem_Malloc(argc * sizeof(char *))
    cdef size_t *pl = <size_t *>PyMem_Malloc(argc * sizeof(size_t))
    cdef int i
    cdef Command cmd
    if pv == NULL or pl == NULL:
        PyMem_Free(pv)
        PyMem_Free(pl)
        raise MemoryError()
    try:
        for i in range(argc):
            pv[i] = PyBytes_AS_STRING(argv[i])
            pl[i] = PyBytes_GET_SIZE(argv[i])
        ic.argc = argc
        ic.argv = pv
        ic.argvlen = pl
        replyClear(&ic.reply)
        ic.reply_start = 0
        cmd = internal_lookup(ic)
        refusal = check(ic, cmd)
        if refusal is not None:
            return refusal
        call(ic, cmd)
        return PyBytes_FromStringAndSize(ic.reply.buf, ic.reply.len)
    finally:
        ic.argc = 0
        ic.argv = NULL
        ic.argvlen = NULL
        replyClear(&ic.reply)
        PyMem_Free(pv)
        PyMem_Free(pl)


cdef Command internal_lookup(Client c):
    """The command in c.argv with its subcommand, None if either is unknown."""
    cdef Command cmd = lookup_command(c.argv[0], c.argvlen[0])
    if cmd is not None and cmd.subcommands is not None and c.argc >= 2:
        return lookup_subcommand(cmd, c.argv[1], c.argvlen[1])
    return cmd
