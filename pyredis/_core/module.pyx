# Commands written in Python, and MODULE LOAD|LOADEX|LIST|UNLOAD|HELP.
#
# A module command is a row of THE command table like any other (name,
# arity, flags with "module", keys, ACL categories), added at load and
# removed at unload, so lookup, arity, MULTI queueing, -OOM, read-only
# replicas, COMMAND INFO/DOCS/LIST and INFO commandstats treat it as a
# built-in.  Its proc is cmd_module, which passes the arguments to the
# Python handler kept on the row (through pyredis/modules.py's runner) and
# encodes what it returns with reply_py.
#
# The handler reaches the data only through ctx.call() (module_call):
# commands run on an internal client per nesting level through call(), so
# they are checked, counted, notified, mark WATCHed keys and feed blocked
# clients exactly as a client's commands.  Their effects join the module
# command's propagation unit -- wrapped in MULTI/EXEC when more than one
# wrote -- and the module command's own vector is never propagated
# (prop_prevent), so a replica or an AOF load never needs the module.
# The loading, the module list and the Python-side API live in
# pyredis/moduleloader.py and pyredis/modules.py.

cdef object g_module_runner = None   # pyredis.modules.run_command
cdef list g_module_clients = []      # internal clients, one per nesting level
cdef list g_module_running = []      # the running module commands, innermost last


def module_set_runner(runner):
    """runner(handler, name, argv, db, resp) -> (True, value) or (False,
    error text)."""
    global g_module_runner
    g_module_runner = runner


def module_add_command(str name, int arity, str flags, int first, int last, int step,
                       str categories, handler, str module, dict meta):
    """Add a module command to the table (flags: the table's own names)."""
    cdef Command c
    cdef bytes key = name.encode()
    cdef dictEntry *de
    if name != name.lower() or "|" in name or not key or len(key) >= MAX_KEYLEN_LOOKUP:
        raise ValueError("invalid command name %r" % name)
    if name in g_commands:
        raise ValueError("command '%s' already exists" % name)
    c = cmd(name, arity, flags + " module", first, last, step, categories, cmd_module)
    c.handler = handler
    c.module = module
    de = dictAddRaw(g_cmd_lookup, <const char *>key, len(key), NULL)
    if de == NULL:
        raise ValueError("command '%s' already exists" % name)
    de.v.ptr = <void *>c
    g_commands[name] = c
    COMMAND_META[name] = meta
    register_command_id(c)
    acl_commands_added()


def module_remove_command(str name):
    cdef bytes key = name.encode()
    c = g_commands.get(name)
    if c is None or (<Command>c).module is None:
        return
    dictDelete(g_cmd_lookup, <const char *>key, len(key))
    del g_commands[name]
    COMMAND_META.pop(name, None)


cdef int cmd_module(Client c) except -1:
    cdef Command cmd = c.cmd
    cdef size_t start = c.reply.len
    cdef Client mc
    cdef int depth = len(g_module_running)
    argv = [c.argv[i][:c.argvlen[i]] for i in range(c.argc)]
    if depth == len(g_module_clients):
        mc = Client.__new__(Client)
        g_clients.pop(mc.id, None)
        g_module_clients.append(mc)
    mc = <Client>g_module_clients[depth]
    mc.db = c.db
    mc.resp = 3
    mc.flags = CLIENT_DENY_BLOCKING
    mc.authenticated = True
    g_module_running.append(cmd)
    try:
        ok, value = g_module_runner(cmd.handler, cmd.name, argv, c.db.id, c.resp)
    finally:
        g_module_running.pop()
    if ok:
        try:
            reply_py(c, value)
        except Exception:
            c.reply.len = start
            reply_error_fmt(c, "ERR module command '%s' returned a value of type %s, which has no "
                            "RESP form" % (cmd.name, type(value).__name__))
    else:
        reply_error_fmt(c, value)
    prop_prevent()
    return 0


def module_call(list argv):
    """Run one command for the running module command (ctx.call): its
    RESP3 reply as bytes.  A command refused before it runs raises
    ValueError with the error text."""
    if not g_module_running:
        raise RuntimeError("ctx.call() outside a module command")
    if not argv:
        raise ValueError("ERR ctx.call() needs a command name")
    return internal_call(<Client>g_module_clients[len(g_module_running) - 1], argv,
                         module_check)


cdef object module_check(Client mc, Command cmd):
    """What ctx.call refuses before running cmd: raised as ValueError."""
    cdef Command outer = <Command>g_module_running[len(g_module_running) - 1]
    if cmd is None:
        raise ValueError(unknown_command_message(mc))
    if (cmd.arity > 0 and mc.argc != cmd.arity) or mc.argc < -cmd.arity:
        raise ValueError(arity_error_message(cmd))
    if cmd.flags & CMD_NOSCRIPT:
        raise ValueError("ERR '%s' cannot be called from a module command" % cmd.name)
    if cmd.flags & CMD_WRITE and not (outer.flags & CMD_WRITE):
        raise ValueError("ERR Write commands are not allowed from module commands "
                         "without the 'write' flag")
    return None


def module_notify(int type, bytes event, bytes key):
    """ctx.notify(): a keyspace event of class `type` (NOTIFY_* bits) on
    key, in the running command's database; WATCHers of key see it."""
    if not g_module_running:
        raise RuntimeError("ctx.notify() outside a module command")
    cdef Client mc = <Client>g_module_clients[len(g_module_running) - 1]
    signal_modified_key(mc.db, <const char *>key, len(key))
    notify_keyspace_event(type, <const char *>event, <const char *>key, len(key), mc.db.id)


def module_db():
    """The database the running module command's ctx.call() uses."""
    if not g_module_running:
        return 0
    return (<Client>g_module_clients[len(g_module_running) - 1]).db.id


# --- MODULE -----------------------------------------------------------------

cdef bint module_command_allowed(Client c):
    mode = g_ctl.cfg.show("enable-module-command")
    if mode == "yes":
        return True
    if mode == "local":
        return (c.flags & CLIENT_UNIX_SOCKET) or c.addr.startswith("127.") or c.addr.startswith("::1")
    return False


cdef bint module_refused(Client c):
    if module_command_allowed(c):
        return False
    replyErrorC(&c.reply, "ERR MODULE command not allowed. If the enable-module-command option "
                "is set to \"local\", you can run it from a local connection, otherwise you "
                "need to set this option in the configuration file, and then restart the server.")
    return True


cdef int module_load_reply(Client c, str path, list args, list configs) except -1:
    if g_ctl.modules.load(path, args, configs):
        replyOk(&c.reply)
    else:
        replyErrorC(&c.reply, "ERR Error loading the extension. Please check the server logs.")
    return 0


cdef int cmd_module_load(Client c) except -1:
    if module_refused(c):
        return 0
    return module_load_reply(c, arg_str(c, 2), [arg_str(c, i) for i in range(3, c.argc)], [])


cdef int cmd_module_loadex(Client c) except -1:
    cdef int i = 3
    if module_refused(c):
        return 0
    configs = []
    args = []
    while i < c.argc:
        if arg_is(c, i, "config") and i + 2 < c.argc:
            configs.append((arg_str(c, i + 1), arg_str(c, i + 2)))
            i += 3
        elif arg_is(c, i, "args"):
            args = [arg_str(c, j) for j in range(i + 1, c.argc)]
            break
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    return module_load_reply(c, arg_str(c, 2), args, configs)


cdef int cmd_module_unload(Client c) except -1:
    if module_refused(c):
        return 0
    err = g_ctl.modules.unload(arg_str(c, 2))
    if err:
        reply_error_fmt(c, "ERR Error unloading module: " + err)
    else:
        replyOk(&c.reply)
    return 0


cdef int cmd_module_list(Client c) except -1:
    mods = g_ctl.modules.list()
    replyArrayLen(&c.reply, len(mods))
    for m in mods:
        replyMapLen(&c.reply, c.resp, 4)
        reply_py(c, "name")
        reply_py(c, m.name)
        reply_py(c, "ver")
        reply_py(c, m.version)
        reply_py(c, "path")
        reply_py(c, m.path)
        reply_py(c, "args")
        reply_py(c, list(m.args))
    return 0


cdef int cmd_module_help(Client c) except -1:
    return reply_help(c, "module")
