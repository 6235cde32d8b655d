# Connection and server commands: PING ECHO QUIT RESET HELLO AUTH CLIENT
# INFO TIME LASTSAVE SHUTDOWN DEBUG CONFIG COMMAND.  All slow paths: they
# may use Python objects freely and call the control layer (g_ctl).
from libc.math cimport floor
from posix.time cimport nanosleep, timespec
import json as _json2
import os as _os2

from pyredis.config import ConfigError

with open(_os2.path.join(_os2.path.dirname(__file__), "help.json")) as _f2:
    HELP_TEXT = _json2.load(_f2)


cdef int reply_help(Client c, str name) except -1:
    lines = HELP_TEXT[name]
    replyArrayLen(&c.reply, len(lines))
    for line in lines:
        b = line.encode()
        replyStatus(&c.reply, <const char *>b, len(b))
    return 0


cdef int reply_text(Client c, str text) except -1:
    """Bulk in RESP2, verbatim txt in RESP3 (INFO, CLIENT LIST/INFO)."""
    cdef bytes b = text.encode("utf-8", "surrogateescape")
    replyVerbatim(&c.reply, c.resp, <const char *>b, len(b), "txt")
    return 0


cdef int cmd_ping(Client c) except -1:
    if c.argc > 2:
        reply_arity_error(c, c.cmd)
    elif c.flags & CLIENT_PUBSUB and c.resp == 2:
        # a RESP2 subscriber cannot tell a status from a message: an array
        replyArrayLen(&c.reply, 2)
        replyBulkC(&c.reply, "pong")
        if c.argc == 2:
            replyBulk(&c.reply, c.argv[1], c.argvlen[1])
        else:
            replyBulk(&c.reply, "", 0)
    elif c.argc == 1:
        replyStatusC(&c.reply, "PONG")
    else:
        replyBulk(&c.reply, c.argv[1], c.argvlen[1])
    return 0


cdef int cmd_echo(Client c) except -1:
    replyBulk(&c.reply, c.argv[1], c.argvlen[1])
    return 0


cdef int cmd_quit(Client c) except -1:
    replyOk(&c.reply)
    c.flags |= CLIENT_CLOSE_AFTER_REPLY
    return 0


cdef int cmd_reset(Client c) except -1:
    discard_transaction(c)
    pubsub_unsubscribe_all(c)
    c.db = &g_dbs[0]
    c.resp = 2
    c.name = None
    c.flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP | CLIENT_REPLY_SKIP_NEXT | CLIENT_NO_EVICT)
    c.user = g_default_user
    c.authenticated = g_default_user.nopass and g_default_user.enabled
    c.parser.unauthenticated = not c.authenticated
    replyStatusC(&c.reply, "RESET")
    return 0


cdef int cmd_auth(Client c) except -1:
    if c.argc > 3:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if c.argc == 2 and g_default_user.nopass:
        replyErrorC(&c.reply, "ERR AUTH <password> called without any password configured "
                    "for the default user. Are you sure your configuration is correct?")
        return 0
    user = arg_bytes(c, 1) if c.argc == 3 else b"default"
    if acl_authenticate(c, user, arg_bytes(c, c.argc - 1)):
        replyOk(&c.reply)
    else:
        replyErrorC(&c.reply, "WRONGPASS invalid username-password pair or user is disabled.")
    return 0


cdef int valid_client_name(Client c, int i) except -1:
    cdef size_t j
    cdef unsigned char ch
    for j in range(c.argvlen[i]):
        ch = c.argv[i][j]
        if ch < 33 or ch > 126:
            replyErrorC(&c.reply, "ERR Client names cannot contain spaces, newlines or special characters.")
            return 0
    return 1


cdef int cmd_hello(Client c) except -1:
    cdef long long ver = 0
    cdef int j = 1
    user = password = None
    setname = -1
    if c.argc >= 2:
        if not arg_ll_msg(c, 1, &ver, "ERR Protocol version is not an integer or out of range"):
            return 0
        j = 2
        if ver < 2 or ver > 3:
            replyErrorC(&c.reply, "NOPROTO unsupported protocol version")
            return 0
    while j < c.argc:
        more = c.argc - 1 - j
        if arg_is(c, j, "auth") and more >= 2:
            user, password = arg_bytes(c, j + 1), arg_bytes(c, j + 2)
            j += 2
        elif arg_is(c, j, "setname") and more:
            setname = j + 1
            j += 1
        else:
            reply_error_fmt(c, "ERR Syntax error in HELLO option '%s'" % arg_str(c, j))
            return 0
        j += 1
    if user is not None:
        if not acl_authenticate(c, user, password):
            replyErrorC(&c.reply, "WRONGPASS invalid username-password pair or user is disabled.")
            return 0
    if auth_required(c):
        replyErrorC(&c.reply, "NOAUTH HELLO must be called with the client already authenticated, "
                    "otherwise the HELLO AUTH <user> <pass> option can be used to "
                    "authenticate the client and select the RESP protocol version at the same time")
        return 0
    if setname >= 0:
        if not valid_client_name(c, setname):
            return 0
        c.name = arg_bytes(c, setname) or None
    if ver:
        c.resp = ver
    replyMapLen(&c.reply, c.resp, 7)
    reply_py(c, "server"); reply_py(c, "redis")
    reply_py(c, "version"); reply_py(c, "7.0.15")
    reply_py(c, "proto"); replyLongLong(&c.reply, c.resp)
    reply_py(c, "id"); replyLongLong(&c.reply, c.id)
    reply_py(c, "mode"); reply_py(c, "standalone")
    reply_py(c, "role"); reply_py(c, "master")
    reply_py(c, "modules"); replyArrayLen(&c.reply, 0)
    return 0


# --- CLIENT -------------------------------------------------------------------

cdef int cmd_client_id(Client c) except -1:
    replyLongLong(&c.reply, c.id)
    return 0


cdef int cmd_client_setname(Client c) except -1:
    if valid_client_name(c, 2):
        c.name = arg_bytes(c, 2) or None
        replyOk(&c.reply)
    return 0


cdef int cmd_client_getname(Client c) except -1:
    reply_py(c, c.name)
    return 0


cdef int cmd_client_info(Client c) except -1:
    return reply_text(c, client_info_string(c) + "\n")


cdef str client_type(Client c):
    """CLIENT LIST/KILL TYPE: a subscriber is "pubsub", not "normal"."""
    if c.flags & CLIENT_SLAVE:
        return "slave"
    if c.flags & CLIENT_MASTER:
        return "master"
    return "pubsub" if c.flags & CLIENT_PUBSUB else "normal"


cdef int cmd_client_list(Client c) except -1:
    cdef int j = 2
    ids = None
    ctype = None
    while j < c.argc:
        if arg_is(c, j, "type") and j + 1 < c.argc:
            t = arg_str(c, j + 1).lower()
            if t not in ("normal", "master", "replica", "slave", "pubsub"):
                reply_error_fmt(c, "ERR Unknown client type '%s'" % arg_str(c, j + 1))
                return 0
            ctype = "slave" if t == "replica" else t
            j += 2
        elif arg_is(c, j, "id") and j + 1 < c.argc:
            ids = set()
            j += 1
            while j < c.argc:
                try:
                    v = int(arg_str(c, j))
                    if v <= 0:
                        raise ValueError
                except ValueError:
                    replyErrorC(&c.reply, "ERR Invalid client ID")
                    return 0
                ids.add(v)
                j += 1
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    lines = [client_info_string(<Client>x) + "\n" for x in list(g_clients.values())
             if (ids is None or (<Client>x).id in ids)
             and (ctype is None or client_type(<Client>x) == ctype)]
    return reply_text(c, "".join(lines))


cdef int cmd_client_kill(Client c) except -1:
    cdef Client victim
    if c.argc == 3:
        addr = arg_str(c, 2)
        for x in list(g_clients.values()):
            if (<Client>x).addr == addr:
                (<Client>x).close()
                replyOk(&c.reply)
                if x is c:
                    c.flags |= CLIENT_CLOSE_AFTER_REPLY
                return 0
        replyErrorC(&c.reply, "ERR No such client")
        return 0
    if c.argc % 2 == 1:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    filters = {}
    skipme = True
    for j in range(2, c.argc, 2):
        opt = arg_str(c, j).lower()
        val = arg_str(c, j + 1)
        if opt == "id":
            try:
                v = int(val)
                if v <= 0:
                    raise ValueError
            except ValueError:
                replyErrorC(&c.reply, "ERR client-id should be greater than 0")
                return 0
            filters["id"] = v
        elif opt == "type":
            t = val.lower()
            if t not in ("normal", "master", "replica", "slave", "pubsub"):
                reply_error_fmt(c, "ERR Unknown client type '%s'" % val)
                return 0
            filters["type"] = "slave" if t == "replica" else t
        elif opt in ("addr", "laddr", "user"):
            filters[opt] = val
        elif opt == "skipme":
            if val.lower() == "yes":
                skipme = True
            elif val.lower() == "no":
                skipme = False
            else:
                replyErrorC(&c.reply, MSG_SYNTAX)
                return 0
        elif opt == "maxage":
            try:
                filters["maxage"] = int(val)
            except ValueError:
                replyErrorC(&c.reply, MSG_NOT_INT)
                return 0
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    if "user" in filters:
        kill_user = g_users.get(filters["user"].encode("utf-8", "surrogateescape"))
        if kill_user is None:
            reply_error_fmt(c, "ERR No such user '%s'" % filters["user"])
            return 0
    killed = 0
    now = mstime() // 1000
    for x in list(g_clients.values()):
        victim = <Client>x
        if "id" in filters and victim.id != filters["id"]:
            continue
        if "type" in filters and filters["type"] != client_type(victim):
            continue
        if "addr" in filters and victim.addr != filters["addr"]:
            continue
        if "laddr" in filters and victim.laddr != filters["laddr"]:
            continue
        if "user" in filters and victim.user is not kill_user:
            continue
        if "maxage" in filters and now - victim.ctime < filters["maxage"]:
            continue
        if victim is c and skipme:
            continue
        killed += 1
        if victim is c:
            c.flags |= CLIENT_CLOSE_AFTER_REPLY
        else:
            victim.close()
    replyLongLong(&c.reply, killed)
    return 0


cdef int cmd_client_reply(Client c) except -1:
    if arg_is(c, 2, "on"):
        c.flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF)
        replyOk(&c.reply)
    elif arg_is(c, 2, "off"):
        c.flags |= CLIENT_REPLY_OFF
    elif arg_is(c, 2, "skip"):
        if not (c.flags & CLIENT_REPLY_OFF):
            c.flags |= CLIENT_REPLY_SKIP_NEXT
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
    return 0


cdef int cmd_client_no_evict(Client c) except -1:
    if arg_is(c, 2, "on"):
        c.flags |= CLIENT_NO_EVICT
    elif arg_is(c, 2, "off"):
        c.flags &= ~CLIENT_NO_EVICT
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    replyOk(&c.reply)
    return 0


cdef int cmd_client_unblock(Client c) except -1:
    cdef long long id
    cdef bint with_error = False
    if c.argc > 4:
        reply_error_fmt(c, "ERR unknown subcommand or wrong number of arguments for '%s'. "
                        "Try CLIENT HELP." % arg_str(c, 1))
        return 0
    if c.argc == 4:
        if arg_is(c, 3, "error"):
            with_error = True
        elif not arg_is(c, 3, "timeout"):
            replyErrorC(&c.reply, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
            return 0
    if not arg_ll(c, 2, &id):
        return 0
    target = g_clients.get(id)
    replyLongLong(&c.reply, 1 if target is not None and
                  unblock_by_request(<Client>target, with_error) else 0)
    return 0


cdef int cmd_client_help(Client c) except -1:
    return reply_help(c, "client")


# --- server -------------------------------------------------------------------

cdef int cmd_info(Client c) except -1:
    return reply_text(c, g_ctl.info_text([arg_str(c, i) for i in range(1, c.argc)]))


cdef int cmd_time(Client c) except -1:
    cdef long long us = ustime()
    replyArrayLen(&c.reply, 2)
    replyBulkLongLong(&c.reply, us // 1000000)
    replyBulkLongLong(&c.reply, us % 1000000)
    return 0


cdef int cmd_lastsave(Client c) except -1:
    replyLongLong(&c.reply, g_ctl.lastsave)
    return 0


cdef int cmd_shutdown(Client c) except -1:
    opts = {"nosave": False, "save": False, "now": False, "force": False, "abort": False}
    for i in range(1, c.argc):
        o = arg_str(c, i).lower()
        if o not in opts:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        opts[o] = True
    if (opts["nosave"] and opts["save"]) or (opts["abort"] and c.argc > 2):
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if opts["abort"]:
        replyErrorC(&c.reply, "ERR No shutdown in progress.")
        return 0
    if g_script_busy and not opts["nosave"]:
        replyErrorC(&c.reply, MSG_BUSY_EVAL if g_script_is_eval else MSG_BUSY_FUNCTION)
        return 0
    err = g_ctl.request_shutdown(opts["nosave"], opts["save"], opts["now"], opts["force"])
    if err:
        reply_error_fmt(c, err)
    return 0


cdef bint client_is_local(Client c):
    """Over a unix socket or from a loopback address (Redis's connIsLocal)."""
    return (c.flags & CLIENT_UNIX_SOCKET) != 0 or addr_is_loopback(c.addr or "")


def addr_is_loopback(str addr):
    """addr: "ip:port" as CLIENT LIST shows it."""
    ip = addr.rsplit(":", 1)[0]
    return ip.startswith("127.") or ip == "::1"


cdef bint debug_allowed(Client c):
    mode = g_ctl.cfg.show("enable-debug-command") if g_ctl is not None else "no"
    if mode == "yes":
        return True
    if mode == "local":
        return client_is_local(c)
    return False


cdef int cmd_debug(Client c) except -1:
    cdef timespec ts
    cdef double secs
    cdef robj *o
    sub = arg_str(c, 1).lower()
    if sub == "help":
        replyArrayLen(&c.reply, 7)
        for line in ("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                     "OBJECT <key>", "    Show low level info about the key and associated value.",
                     "SET-ACTIVE-EXPIRE <0|1>",
                     "    Setting it to 0 disables expiring keys in background when they are not accessed (otherwise the Redis behavior). Setting it to 1 reenables back the default.",
                     "SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed."):
            b = line.encode()
            replyStatus(&c.reply, <const char *>b, len(b))
    elif sub == "sleep" and c.argc == 3:
        try:
            secs = float(arg_str(c, 2))
        except ValueError:
            secs = 0
        if secs > 0:
            ts.tv_sec = <long>floor(secs)
            ts.tv_nsec = <long>((secs - floor(secs)) * 1e9)
            nanosleep(&ts, NULL)
        replyOk(&c.reply)
    elif sub == "set-active-expire" and c.argc == 3:
        global cfg_active_expire
        cfg_active_expire = arg_str(c, 2) != "0"
        replyOk(&c.reply)
    elif sub == "object" and c.argc == 3:
        o = db_find(c.db, c.argv[2], c.argvlen[2])
        if o == NULL:
            replyErrorC(&c.reply, "ERR no such key")
            return 0
        text = "Value at:0x%x refcount:1 encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d" % (
            <size_t>o, objEncodingName(o.encoding).decode(), objStrLen(o) if o.type == OBJ_STRING else 0,
            o.lru, object_idle_seconds(o))
        reply_py(c, Status(text))
    elif sub == "reload":
        debug_reload(c)
    else:
        reply_error_fmt(c, "ERR unknown subcommand '%s'. Try DEBUG HELP." % arg_str(c, 1, 128))
    return 0


cdef int debug_reload(Client c) except -1:
    """DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty, load back."""
    cdef bint merge = False, flush = True, save = True
    for i in range(2, c.argc):
        opt = arg_str(c, i).lower()
        if opt == "merge":
            merge = True
        elif opt == "noflush":
            flush = False
        elif opt == "nosave":
            save = False
        else:
            replyErrorC(&c.reply, "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
            return 0
    err = g_ctl.persistence.debug_reload(merge, flush, save)
    if err:
        reply_error_fmt(c, err)
    else:
        replyOk(&c.reply)
    return 0


# --- CONFIG -------------------------------------------------------------------

cdef int cmd_config_get(Client c) except -1:
    pairs = g_ctl.config_get([arg_str(c, i) for i in range(2, c.argc)])
    replyMapLen(&c.reply, c.resp, len(pairs))
    for k, v in pairs:
        reply_py(c, k)
        reply_py(c, v)
    return 0


cdef int cmd_config_set(Client c) except -1:
    if c.argc % 2:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    pairs = [(arg_str(c, i), arg_str(c, i + 1)) for i in range(2, c.argc, 2)]
    try:
        g_ctl.config_set(pairs, client_is_local(c))
    except ConfigError as e:
        reply_error_fmt(c, e.message)
        return 0
    replyOk(&c.reply)
    return 0


cdef int cmd_config_resetstat(Client c) except -1:
    g_ctl.resetstat()
    replyOk(&c.reply)
    return 0


cdef int cmd_config_rewrite(Client c) except -1:
    try:
        g_ctl.config_rewrite()
    except ConfigError as e:
        reply_error_fmt(c, e.message)
        return 0
    replyOk(&c.reply)
    return 0


cdef int cmd_config_help(Client c) except -1:
    return reply_help(c, "config")


# --- COMMAND ------------------------------------------------------------------

cdef int reply_meta(Client c, object v) except -1:
    """Encode commands.json values: "+x" status, "$x" bulk, int, list,
    {"%": [k, v, ...]} map, None null."""
    cdef bytes b
    if v is None:
        replyNull(&c.reply, c.resp)
    elif isinstance(v, str):
        b = (<str>v)[1:].encode()
        if (<str>v)[0] == "+":
            replyStatus(&c.reply, <const char *>b, len(b))
        else:
            replyBulk(&c.reply, <const char *>b, len(b))
    elif isinstance(v, int):
        replyLongLong(&c.reply, v)
    elif isinstance(v, dict) and "%" in v:
        kv = v["%"]
        replyMapLen(&c.reply, c.resp, len(kv) // 2)
        for x in kv:
            reply_meta(c, x)
    elif isinstance(v, dict):
        replySetLen(&c.reply, c.resp, len(v["~"]))
        for x in v["~"]:
            reply_meta(c, x)
    else:
        replyArrayLen(&c.reply, len(v))
        for x in v:
            reply_meta(c, x)
    return 0


cdef int reply_status_set(Client c, tuple names) except -1:
    cdef bytes b
    replySetLen(&c.reply, c.resp, len(names))
    for x in names:
        b = (<str>x).encode()
        replyStatus(&c.reply, <const char *>b, len(b))
    return 0


cdef int reply_command_info(Client c, Command cmd) except -1:
    meta = COMMAND_META.get(cmd.name, {})
    replyArrayLen(&c.reply, 10)
    reply_py(c, cmd.name)
    replyLongLong(&c.reply, cmd.arity)
    reply_status_set(c, cmd.flag_names)
    replyLongLong(&c.reply, cmd.first_key)
    replyLongLong(&c.reply, cmd.last_key)
    replyLongLong(&c.reply, cmd.step)
    reply_status_set(c, cmd.categories)
    reply_meta(c, meta.get("tips", {"~": []}))
    reply_meta(c, meta.get("key_specs", {"~": []}))
    subs = list(cmd.subcommands.values()) if cmd.subcommands else []
    if subs:
        replyArrayLen(&c.reply, len(subs))
    else:
        replySetLen(&c.reply, c.resp, 0)     # as Redis: an empty set, else an array
    for s in subs:
        reply_command_info(c, <Command>s)
    return 0


cdef int reply_command_docs(Client c, Command cmd) except -1:
    docs = COMMAND_META.get(cmd.name, {}).get("docs", {"%": []})["%"]
    subs = list(cmd.subcommands.values()) if cmd.subcommands else []
    replyMapLen(&c.reply, c.resp, len(docs) // 2 + (1 if subs else 0))
    for x in docs:
        reply_meta(c, x)
    if subs:
        reply_py(c, "subcommands")
        replyMapLen(&c.reply, c.resp, len(subs))
        for s in subs:
            reply_py(c, (<Command>s).name)
            reply_command_docs(c, <Command>s)
    return 0


cdef Command find_command_by_fullname(str name):
    parts = name.lower().split("|")
    cmd = g_commands.get(parts[0])
    if cmd is None or len(parts) == 1:
        return cmd
    if len(parts) != 2 or (<Command>cmd).subcommands is None:
        return None
    return (<Command>cmd).subcommands.get(parts[1].encode())


cdef int cmd_command(Client c) except -1:
    replyArrayLen(&c.reply, len(g_commands))
    for cmd in g_commands.values():
        reply_command_info(c, <Command>cmd)
    return 0


cdef int cmd_command_count(Client c) except -1:
    replyLongLong(&c.reply, len(g_commands))
    return 0


cdef int cmd_command_info(Client c) except -1:
    if c.argc == 2:
        return cmd_command(c)
    replyArrayLen(&c.reply, c.argc - 2)
    for i in range(2, c.argc):
        cmd = find_command_by_fullname(arg_str(c, i))
        if cmd is None:
            replyNull(&c.reply, c.resp)
        else:
            reply_command_info(c, <Command>cmd)
    return 0


cdef int cmd_command_docs(Client c) except -1:
    if c.argc == 2:
        cmds = list(g_commands.values())
    else:
        cmds = [x for x in (find_command_by_fullname(arg_str(c, i)) for i in range(2, c.argc))
                if x is not None]
    replyMapLen(&c.reply, c.resp, len(cmds))
    for cmd in cmds:
        reply_py(c, (<Command>cmd).name)
        reply_command_docs(c, <Command>cmd)
    return 0


cdef int cmd_command_list(Client c) except -1:
    names = []
    for cmd in g_commands.values():
        names.append((<Command>cmd).name)
        if (<Command>cmd).subcommands:
            names.extend((<Command>s).name for s in (<Command>cmd).subcommands.values())
    if c.argc == 5 and arg_is(c, 2, "filterby"):
        kind, val = arg_str(c, 3).lower(), arg_str(c, 4)
        if kind == "module":
            names = [n for n in names if (<Command>find_command_by_fullname(n)).module == val]
        elif kind == "aclcat":
            cat = "@" + val.lower()
            names = [n for n in names if cat in (<Command>find_command_by_fullname(n)).categories]
        elif kind == "pattern":
            b = val.encode()
            names = [n for n in names
                     if stringmatchlen(b, len(b), n.encode(), len(n.encode()), 1)]
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    elif c.argc != 2:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    reply_py(c, names)
    return 0


cdef dict meta_map(object m):
    kv = m["%"]
    return {kv[i][1:]: kv[i + 1] for i in range(0, len(kv), 2)}


cdef list spec_keys(Command cmd, list argv):
    """Key positions and flags from the command's key specs (Redis 7's
    way of finding keys; first/last/step are only the legacy summary)."""
    out = []
    argc = len(argv)
    for raw in COMMAND_META.get(cmd.name, {}).get("key_specs", {"~": []})["~"]:
        spec = meta_map(raw)
        flags = tuple(x[1:] for x in spec["flags"]["~"])
        bs = meta_map(spec["begin_search"])
        bss = meta_map(bs["spec"])
        if bs["type"] == "$index":
            first = bss["index"]
        elif bs["type"] == "$keyword":
            word = bss["keyword"][1:].lower()
            start = bss["startfrom"]
            rng = range(start, argc) if start >= 0 else range(argc + start, 0, -1)
            first = next((i + 1 for i in rng if 0 < i < argc and argv[i].lower() == word.encode()), None)
            if first is None:
                continue
        else:
            continue
        fk = meta_map(spec["find_keys"])
        fks = meta_map(fk["spec"])
        if fk["type"] == "$range":
            lastkey, step, limit = fks["lastkey"], fks["keystep"], fks["limit"]
            if lastkey >= 0:
                last = first + lastkey
            elif limit <= 1:
                last = argc + lastkey
            else:
                last = first + ((argc - first) // limit + lastkey)
        elif fk["type"] == "$keynum":
            idx = first + fks["keynumidx"]
            if idx >= argc:
                continue
            try:
                n = int(argv[idx])
            except ValueError:
                continue
            step = fks["keystep"]
            first = first + fks["firstkey"]
            last = first + (n - 1) * step
        else:
            continue
        i = first
        while i <= last and i < argc:
            out.append((argv[i], flags))
            i += step
    return out


cdef list keys_with_flags(Command cmd, list argv):
    """(key, flags) of cmd's keys in argv (argv[0] is the command name):
    COMMAND GETKEYS and the ACL check."""
    # a command whose key specs cannot place every key has its own finder
    if cmd.name == "sort":
        return sort_get_keys(argv)
    keys = spec_keys(cmd, argv)
    # key specs marked variable_flags: the arguments decide (Redis's
    # setGetKeys / bitfieldGetKeys)
    if cmd.name == "set" and keys:
        if any(a.lower() == b"get" for a in argv[3:]):
            keys = [(keys[0][0], ("RW", "access", "update"))]
        else:
            keys = [(keys[0][0], ("OW", "update"))]
    elif cmd.name == "bitfield" and keys:
        writes = any(a.lower() in (b"set", b"incrby") for a in argv[2:])
        keys = [(keys[0][0], ("RW", "access", "update") if writes else ("RO", "access"))]
    return keys


cdef object command_keys(Client c, bint with_flags):
    """Keys of the command in argv[2:]; None after an error reply."""
    cdef Command cmd = lookup_command(c.argv[2], c.argvlen[2])
    cdef int argc = c.argc - 2
    if cmd is not None and cmd.subcommands is not None and argc >= 2:
        sub = lookup_subcommand(cmd, c.argv[3], c.argvlen[3])
        cmd = <Command>sub if sub is not None else None
    if cmd is None:
        replyErrorC(&c.reply, "ERR Invalid command specified")
        return None
    if (cmd.arity > 0 and argc != cmd.arity) or argc < -cmd.arity:
        replyErrorC(&c.reply, "ERR Invalid number of arguments specified for command")
        return None
    keys = keys_with_flags(cmd, [arg_bytes(c, i) for i in range(2, c.argc)])
    if not keys:
        replyErrorC(&c.reply, "ERR The command has no key arguments")
        return None
    return keys


cdef int cmd_command_getkeys(Client c) except -1:
    keys = command_keys(c, False)
    if keys is not None:
        reply_py(c, [k for k, f in keys])
    return 0


cdef int cmd_command_getkeysandflags(Client c) except -1:
    keys = command_keys(c, True)
    if keys is not None:
        replyArrayLen(&c.reply, len(keys))
        for k, f in keys:
            replyArrayLen(&c.reply, 2)
            reply_py(c, k)
            reply_status_set(c, f)
    return 0


cdef int cmd_command_help(Client c) except -1:
    return reply_help(c, "command")


# CLIENT LIST flags=, in the order Redis prints them
CLIENT_FLAG_LETTERS = (
    (CLIENT_MONITOR, "O"), (CLIENT_SLAVE, "S"), (CLIENT_MASTER, "M"), (CLIENT_PUBSUB, "P"), (CLIENT_MULTI, "x"),
    (CLIENT_BLOCKED, "b"), (CLIENT_TRACKING, "t"), (CLIENT_TRACKING_BROKEN_REDIR, "R"),
    (CLIENT_TRACKING_BCAST, "B"), (CLIENT_DIRTY_CAS, "d"), (CLIENT_CLOSE_AFTER_REPLY, "c"),
    (CLIENT_NO_EVICT, "e"),
)


cdef str client_info_string(Client c):
    """One CLIENT LIST line, fields as Redis 7.0 prints them."""
    cdef long long now = mstime() // 1000
    flags = "".join(letter for bit, letter in CLIENT_FLAG_LETTERS if c.flags & bit) or "N"
    cmdname = c.lastcmd.name if c.lastcmd is not None else "NULL"
    if c.cmd is not None:
        cmdname = c.cmd.name
    name = (<bytes>c.name).decode("utf-8", "surrogateescape") if c.name is not None else ""
    return ("id=%d addr=%s laddr=%s fd=%d name=%s age=%d idle=%d flags=%s db=%d "
            "sub=%d psub=%d ssub=%d multi=%d qbuf=%d qbuf-free=%d argv-mem=%d multi-mem=%d "
            "rbs=%d rbp=%d obl=0 oll=0 omem=0 tot-mem=%d events=r cmd=%s user=%s "
            "redir=%d resp=%d") % (
        c.id, c.addr, c.laddr, c.fd, name, now - c.ctime, now - c.last_interaction,
        flags, c.db.id, len(c.sub_channels or ()), len(c.sub_patterns or ()),
        len(c.sub_shard or ()), multi_count(c), c.qlen, c.qcap - c.qlen, argv_mem(c),
        multi_mem(c), c.reply.cap, c.reply.len,
        c.qcap + c.reply.cap + 1024, cmdname,
        (<bytes>c.user.name).decode("utf-8", "surrogateescape") if c.user is not None
        else "(superuser)",
        c.tracking_redirect if c.flags & CLIENT_TRACKING else -1, c.resp)


cdef long long argv_mem(Client c):
    cdef long long n = 0
    if c.cmd is None:
        return 0
    for i in range(c.argc):
        n += c.argvlen[i]
    return n
