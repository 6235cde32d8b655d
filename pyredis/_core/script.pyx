# EVAL/EVALSHA/EVAL_RO/EVALSHA_RO and SCRIPT: argument checks, the
# `#!lua` shebang, and the bridge that runs a script's redis.call() commands
# on one internal client (g_script_client) through the same lookup and
# checks as a client's command, plus the script-only ones (Redis's
# scriptCall).  The interpreter and the script cache live in Python
# (pyredis/scripting.py, lupa): the core hands it the arguments as bytes
# and appends the RESP bytes it returns.
#
# The script's commands run nested in EVAL's call (g_call_depth > 1), so
# their effects join EVAL's propagation unit and reach the AOF wrapped in
# MULTI/EXEC; EVAL's own vector is never propagated (prop_prevent).

from cpython.mem cimport PyMem_Malloc, PyMem_Free

cdef object g_scripts = None        # pyredis.scripting.ScriptEngine
cdef Client g_script_client = None
cdef Client g_script_caller = None  # the client whose script is running
cdef bint g_script_ro = False       # EVAL_RO or a no-writes script
cdef bint g_script_wrote = False
cdef bint g_script_allow_oom = False   # shebang allow-oom: denyoom commands run over maxmemory
# a script past busy-reply-threshold: other clients get -BUSY (call.pyx)
cdef bint g_script_busy = False
cdef bint g_script_killed = False   # SCRIPT KILL accepted: the hook aborts it
cdef long long g_script_start = 0   # ms
cdef object g_script_sha = None       # the running script's sha or function's name
cdef bint g_script_is_eval = True

cdef const char *MSG_BUSY_EVAL = (
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.")
cdef const char *MSG_BUSY_FUNCTION = (
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.")

cdef enum:
    SCRIPT_FLAG_NO_WRITES = 1 << 0
    SCRIPT_FLAG_ALLOW_OOM = 1 << 1
    SCRIPT_FLAG_ALLOW_STALE = 1 << 2
    SCRIPT_FLAG_NO_CLUSTER = 1 << 3
    SCRIPT_FLAG_EVAL_COMPAT_MODE = 1 << 4
    SCRIPT_FLAG_ALLOW_CROSS_SLOT = 1 << 5

SCRIPT_FLAG_NAMES = {
    b"no-writes": SCRIPT_FLAG_NO_WRITES, b"allow-oom": SCRIPT_FLAG_ALLOW_OOM,
    b"allow-stale": SCRIPT_FLAG_ALLOW_STALE, b"no-cluster": SCRIPT_FLAG_NO_CLUSTER,
    b"allow-cross-slot-keys": SCRIPT_FLAG_ALLOW_CROSS_SLOT,
}
cdef dict g_script_flags = {}       # sha -> SCRIPT_FLAG_* bits


cdef object scripts():
    global g_scripts, g_script_client
    if g_scripts is None:
        from pyredis.scripting import ScriptEngine
        g_scripts = ScriptEngine(script_exec, script_log, script_busy_check, script_command_known)
        g_script_client = Client.__new__(Client)
        g_clients.pop(g_script_client.id, None)
    return g_scripts


def script_log(level, bytes msg):
    if g_ctl is None:
        return
    text = msg.decode("utf-8", "replace")
    if level == 3:
        g_ctl.log_warning(text)
    elif level == 2:
        g_ctl.log_notice(text)
    elif level == 1:
        g_ctl.log_verbose(text)


cdef int shebang_flags(bytes body, int *flags) except -1:
    """The flags of a `#!lua` first line (Redis's evalExtractShebangFlags).
    Returns the length of the line, or writes nothing and raises
    ScriptError's text through the return path: -2 on error (the message
    is left in g_shebang_error)."""
    global g_shebang_error
    if not body.startswith(b"#!"):
        flags[0] = SCRIPT_FLAG_EVAL_COMPAT_MODE
        return 0
    cdef Py_ssize_t end = body.find(b"\n")
    if end < 0:
        g_shebang_error = b"ERR Invalid script shebang"
        return -2
    parts = body[:end].split()
    if not parts:
        g_shebang_error = b"ERR Invalid engine in script shebang"
        return -2
    if parts[0] != b"#!lua":
        g_shebang_error = b"ERR Unexpected engine in script shebang: " + parts[0]
        return -2
    flags[0] = 0
    for p in parts[1:]:
        if p.startswith(b"flags="):
            for f in p[6:].split(b","):
                bit = SCRIPT_FLAG_NAMES.get(f)
                if bit is None:
                    g_shebang_error = b"ERR Unexpected flag in script shebang: " + f
                    return -2
                flags[0] |= bit
        else:
            g_shebang_error = b"ERR Unknown lua shebang option: " + p
            return -2
    return end

cdef bytes g_shebang_error = b""


cdef object script_create(Client c, bytes body):
    """Compile body into the cache; its sha, or None after an error reply."""
    cdef int flags = 0
    cdef int n = shebang_flags(body, &flags)
    if n == -2:
        replyError(&c.reply, <const char *>g_shebang_error, len(g_shebang_error))
        return None
    from pyredis.scripting import ScriptError, sha1hex
    sha = sha1hex(body)
    engine = scripts()
    if sha in engine.scripts:
        return sha
    try:
        engine.load_as(sha, body, n)
    except ScriptError as e:
        msg = e.args[0]
        replyError(&c.reply, <const char *>msg, len(msg))
        return None
    g_script_flags[sha] = flags
    return sha


cdef tuple keys_and_args(Client c, const char *not_a_number):
    """argv[2] numkeys, then the keys and the arguments (EVAL*, FCALL*):
    (keys, args), or None once the error is replied; a non-integer numkeys
    answers not_a_number, or Redis's generic integer error when NULL."""
    cdef long long numkeys
    cdef int i
    if not_a_number == NULL:
        if not arg_ll(c, 2, &numkeys):
            return None
    elif not string2ll(c.argv[2], c.argvlen[2], &numkeys):
        replyErrorC(&c.reply, not_a_number)
        return None
    if numkeys > c.argc - 3:
        replyErrorC(&c.reply, "ERR Number of keys can't be greater than number of args")
        return None
    if numkeys < 0:
        replyErrorC(&c.reply, "ERR Number of keys can't be negative")
        return None
    return ([c.argv[i][:c.argvlen[i]] for i in range(3, 3 + numkeys)],
            [c.argv[i][:c.argvlen[i]] for i in range(3 + numkeys, c.argc)])


cdef int eval_generic(Client c, bint by_sha, bint ro) except -1:
    cdef int flags
    ka = keys_and_args(c, NULL)
    if ka is None:
        return 0
    engine = scripts()
    if by_sha:
        sha = c.argv[1][:c.argvlen[1]].lower()
        if c.argvlen[1] != 40 or sha not in engine.scripts:
            replyErrorC(&c.reply, "NOSCRIPT No matching script. Please use EVAL.")
            return 0
    else:
        sha = script_create(c, c.argv[1][:c.argvlen[1]])
        if sha is None:
            return 0
    flags = g_script_flags[sha]
    return run_script(c, engine, engine.run, sha, ka[0], ka[1], flags, ro, True)


cdef int run_script(Client c, object engine, object runner, bytes name, list keys, list args, int flags,
                    bint ro, bint is_eval) except -1:
    """Run a script or function for c (Redis's scriptPrepareForRun and the
    run itself): runner(name, keys, args, resp) returns the reply bytes;
    engine is the ScriptEngine it runs on."""
    global g_script_caller, g_script_ro, g_script_wrote, g_script_busy, g_script_killed
    global g_script_start, g_script_sha, g_script_is_eval, g_skip_error_stats, g_script_allow_oom
    if not (flags & SCRIPT_FLAG_EVAL_COMPAT_MODE) and not (flags & SCRIPT_FLAG_NO_WRITES):
        # a script that may write is a denyoom command unless allow-oom
        if not (flags & SCRIPT_FLAG_ALLOW_OOM) and cfg_maxmemory and g_pre_command_oom:
            replyError(&c.reply, <const char *>MSG_OOM, len(MSG_OOM))
            return 0
        if g_deny_writes_disk_error:
            replyErrorC(&c.reply, MSG_MISCONF)
            return 0
        if ro:
            replyErrorC(&c.reply, "ERR Can not execute a script with write flag using *_ro command.")
            return 0
    g_script_client.db = c.db
    g_script_client.resp = 2
    g_script_client.flags = CLIENT_DENY_BLOCKING
    g_script_caller = c
    g_script_ro = ro or (flags & SCRIPT_FLAG_NO_WRITES) != 0
    g_script_allow_oom = (flags & SCRIPT_FLAG_ALLOW_OOM) != 0
    g_script_wrote = g_script_busy = g_script_killed = False
    g_script_start = mstime()
    g_script_sha = name
    g_script_is_eval = is_eval
    try:
        out = runner(name, keys, args, c.resp)
    finally:
        g_script_caller = None
        if g_busy_accepted:
            hand_over_busy_accepted()
        if g_script_busy:
            g_script_busy = False
            if g_ctl is not None:
                g_ctl.log_notice("Script ended after %d milliseconds." % (mstime() - g_script_start))
    replyAppend(&c.reply, <const char *><bytes>out, len(<bytes>out))
    g_skip_error_stats = engine.skip_error_stats
    prop_prevent()
    return 0


cdef str script_refuse(str text):
    """A script's command refused before it ran: the error is counted now
    (the script's error reply repeating it will not be)."""
    code = text[1:].split(" ", 1)[0] if text.startswith("-") else "ERR"
    g_stats.total_error_replies += 1
    g_errorstats[code] = g_errorstats.get(code, 0) + 1
    return text


def script_command_known(list argv):
    """redis.acl_check_cmd: None for an unknown command, else whether the
    script's user may run argv."""
    cdef Client sc = g_script_client
    cdef list obj = [None]
    cdef Command cmd
    cdef int argc = len(argv)
    cdef const char *pv[2]
    cdef size_t pl[2]
    cdef int i
    for i in range(min(argc, 2)):
        pv[i] = PyBytes_AS_STRING(argv[i])
        pl[i] = PyBytes_GET_SIZE(argv[i])
    sc.argc = argc
    sc.argv = pv
    sc.argvlen = pl
    try:
        cmd = internal_lookup(sc)
        if cmd is None:
            return None
        u = g_script_caller.user if g_script_caller is not None else None
        if u is None or (<User>u).can_do_everything():
            return True
        return acl_check_user(<User>u, cmd, argv, obj) == ACL_OK
    finally:
        sc.argc = 0
        sc.argv = NULL
        sc.argvlen = NULL


def script_exec(list argv, int resp):
    """Run one command for the running script: its RESP reply (bytes), or
    the text (str) of the error refusing it before it ran."""
    g_script_client.resp = resp
    return internal_call(g_script_client, argv, script_check)


cdef object script_check(Client sc, Command cmd):
    """What redis.call refuses before running cmd (None: nothing)."""
    global g_script_wrote
    if cmd is None:
        return script_refuse("Unknown Redis command called from script")
    if (cmd.arity > 0 and sc.argc != cmd.arity) or sc.argc < -cmd.arity:
        return script_refuse("Wrong number of args calling Redis command from script")
    if cmd.flags & CMD_NOSCRIPT:
        return script_refuse("This Redis command is not allowed from script")
    if g_script_caller is not None:
        denied = acl_script_check(g_script_caller, g_script_caller.user, cmd,
                                  [sc.argv[i][:sc.argvlen[i]] for i in range(sc.argc)])
        if denied is not None:
            return script_refuse(denied)
    if cmd.flags & CMD_DENYOOM and not g_script_allow_oom and not g_script_wrote \
            and cfg_maxmemory and g_pre_command_oom:
        return script_refuse("-" + MSG_OOM.decode())
    if cmd.flags & CMD_WRITE:
        if g_script_ro:
            return script_refuse("Write commands are not allowed from read-only scripts.")
        if g_deny_writes_disk_error:
            return script_refuse("-" + (<bytes>MSG_MISCONF).decode())
        g_script_wrote = True
    return None


cdef int cmd_eval(Client c) except -1:
    return eval_generic(c, False, False)


cdef int cmd_evalsha(Client c) except -1:
    return eval_generic(c, True, False)


cdef int cmd_eval_ro(Client c) except -1:
    return eval_generic(c, False, True)


cdef int cmd_evalsha_ro(Client c) except -1:
    return eval_generic(c, True, True)


# --- SCRIPT -----------------------------------------------------------------

cdef int cmd_script_load(Client c) except -1:
    sha = script_create(c, c.argv[2][:c.argvlen[2]])
    if sha is not None:
        replyBulk(&c.reply, <const char *><bytes>sha, 40)
    return 0


cdef int cmd_script_exists(Client c) except -1:
    engine = scripts()
    replyArrayLen(&c.reply, c.argc - 2)
    for i in range(2, c.argc):
        replyLongLong(&c.reply, 1 if c.argv[i][:c.argvlen[i]].lower() in engine.scripts else 0)
    return 0


cdef int cmd_script_flush(Client c) except -1:
    if c.argc > 3 or (c.argc == 3 and not arg_is(c, 2, "sync") and not arg_is(c, 2, "async")):
        replyErrorC(&c.reply, "ERR SCRIPT FLUSH only support SYNC|ASYNC option")
        return 0
    scripts().reset()
    g_script_flags.clear()
    replyOk(&c.reply)
    return 0


cdef int cmd_script_kill(Client c) except -1:
    return script_kill(c, True)


cdef int script_kill(Client c, bint is_eval) except -1:
    global g_script_killed
    if not g_script_busy:
        replyErrorC(&c.reply, "NOTBUSY No scripts in execution right now.")
    elif g_script_wrote:
        replyErrorC(&c.reply, "UNKILLABLE Sorry the script already executed write commands "
                    "against the dataset. You can either wait the script termination or kill "
                    "the server in a hard way using the SHUTDOWN NOSAVE command.")
    elif is_eval and not g_script_is_eval:
        replyErrorC(&c.reply, MSG_BUSY_FUNCTION)
    elif not is_eval and g_script_is_eval:
        replyErrorC(&c.reply, MSG_BUSY_EVAL)
    else:
        g_script_killed = True
        replyOk(&c.reply)
    return 0


# --- busy scripts -----------------------------------------------------------
#
# The script runs inside the event-loop callback that read its EVAL, so no
# other callback runs until it returns.  A Lua count hook calls
# script_busy_check() every so many instructions; past busy-reply-threshold
# it serves the other clients itself: it reads their sockets (non-blocking,
# as uvloop left them), runs what they sent through the normal request path
# -- where resolve_and_call answers -BUSY to every command without the
# allow_busy flag -- and writes the replies at once.  SCRIPT KILL sets
# g_script_killed, which the hook turns into an error that ends the script;
# SHUTDOWN NOSAVE shuts the server down and the process exits from here.

def script_busy_check():
    """Called from the Lua hook: True when the script must stop."""
    global g_script_busy
    if g_script_killed:
        return True
    limit = g_ctl.cfg.typed("busy-reply-threshold") if g_ctl is not None else 5000
    if not g_script_busy:
        if mstime() - g_script_start < limit:
            return False
        g_script_busy = True
        if g_ctl is not None:
            g_ctl.log_warning(
                "Slow script detected: still in execution after %d milliseconds. You can try "
                "killing the script using the SCRIPT KILL command. Script name is: %s."
                % (mstime() - g_script_start, g_script_sha.decode()))
    serve_clients_while_busy()
    if g_script_killed and g_ctl is not None:
        g_ctl.log_warning("Lua script killed by user with SCRIPT KILL.")
    return g_script_killed


class BusyTransport(object):
    """A connection accepted while a script runs: the loop cannot take it
    until the script returns, so its replies are sent straight away."""

    def __init__(self, sock):
        self.sock = sock

    def write(self, data):
        try:
            self.sock.setblocking(True)
            self.sock.settimeout(1.0)
            self.sock.sendall(data)
        except OSError:
            pass
        finally:
            self.sock.setblocking(False)

    def close(self):
        self.sock.close()

    def pause_reading(self):
        pass

    def resume_reading(self):
        pass

    def get_extra_info(self, name, default=None):
        if name == "socket":
            return self.sock
        if name == "peername":
            return self.sock.getpeername()
        if name == "sockname":
            return self.sock.getsockname()
        return default


cdef list g_busy_accepted = []       # Clients accepted while a script runs


cdef void accept_while_busy():
    import socket
    if g_ctl is None:
        return
    for srv in g_ctl.servers:
        for lsock in (srv.sockets or ()):
            try:
                listener = socket.socket(fileno=lsock.fileno())
            except OSError:
                continue
            try:
                while True:
                    try:
                        sock, _ = listener.accept()
                    except OSError:
                        break
                    sock.setblocking(False)
                    c = Client.__new__(Client)
                    c.connection_made(BusyTransport(sock))
                    g_busy_accepted.append(c)
            finally:
                listener.detach()


cdef void hand_over_busy_accepted():
    """After the script: give the connections accepted meanwhile to the
    event loop (the same Client objects carry on)."""
    cdef Client c
    global g_busy_accepted
    accepted, g_busy_accepted = g_busy_accepted, []
    loop = event_loop()
    for obj in accepted:
        c = <Client>obj
        sock = c.transport.sock
        if c.flags & CLIENT_CLOSED or sock.fileno() < 0:
            c.free_client()
            continue
        g_stats.numconnections -= 1     # counted again by connection_made
        g_clients.pop(c.id, None)
        loop.create_task(loop.connect_accepted_socket(lambda c=c: c, sock))


cdef void serve_clients_while_busy():
    import os
    cdef Client c
    # replies queued before the script started would otherwise wait for it
    for obj in g_pending_writes:
        c = <Client>obj
        if c is not g_script_caller and c.reply.len:
            c.flush_reply()
    accept_while_busy()
    for obj in list(g_clients.values()):
        c = <Client>obj
        if c is g_script_caller or c.fd < 0 or c.flags & (CLIENT_CLOSED | CLIENT_BLOCKED):
            continue
        try:
            data = os.read(c.fd, 65536)
        except OSError:
            continue
        if not data:
            continue
        c.process_input(PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))
        c.flush_reply()
        if g_ctl is not None and g_ctl.stopped is not None and g_ctl.stopped.done():
            # SHUTDOWN NOSAVE ran: the server is closed, leave now
            os._exit(0)


cdef int cmd_script_debug(Client c) except -1:
    if arg_is(c, 2, "no"):
        replyOk(&c.reply)
    elif arg_is(c, 2, "yes") or arg_is(c, 2, "sync"):
        replyErrorC(&c.reply, "ERR the Lua debugger (SCRIPT DEBUG YES|SYNC) is not supported")
    else:
        replyErrorC(&c.reply, "ERR Use SCRIPT DEBUG YES/SYNC/NO")
    return 0


cdef int cmd_script_help(Client c) except -1:
    return reply_help(c, "script")
