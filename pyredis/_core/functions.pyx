# Functions (Redis 7.0): FCALL/FCALL_RO and FUNCTION LOAD/LIST/DELETE/FLUSH/
# STATS/KILL/HELP.  The libraries live in pyredis/functions.py (their own
# Lua interpreter); a call runs through run_script() like EVAL, so the
# busy handling, the read-only checks and the propagation of its effects
# are the same.  FUNCTION LOAD/DELETE/FLUSH count as writes: their own
# vector is what reaches the AOF.

cdef object g_functions = None      # pyredis.functions.Functions


cdef object functions():
    global g_functions
    if g_functions is None:
        scripts()                   # the internal client the calls run on
        from pyredis.functions import Functions
        g_functions = Functions(script_exec, script_log, script_busy_check, script_command_known)
    return g_functions


cdef int fcall_generic(Client c, bint ro) except -1:
    cdef int flags = 0
    lib = functions()
    f = lib.lookup(c.argv[1][:c.argvlen[1]])
    if f is None:
        replyErrorC(&c.reply, "ERR Function not found")
        return 0
    ka = keys_and_args(c, "ERR Bad number of keys provided")
    if ka is None:
        return 0
    for name in f.flags:
        flags |= SCRIPT_FLAG_NAMES[name]
    return run_script(c, lib.engine, lambda name, k, a, resp: lib.run(f, k, a, resp), f.name,
                      ka[0], ka[1], flags, ro, False)


cdef int cmd_fcall(Client c) except -1:
    return fcall_generic(c, False)


cdef int cmd_fcall_ro(Client c) except -1:
    return fcall_generic(c, True)


cdef int reply_script_error(Client c, e) except -1:
    msg = e.args[0]
    replyError(&c.reply, <const char *>msg, len(msg))
    return 0


cdef int cmd_function_load(Client c) except -1:
    global g_dirty
    from pyredis.scripting import ScriptError
    cdef bint replace = False
    cdef int i
    for i in range(2, c.argc - 1):
        if not arg_is(c, i, "replace"):
            reply_error_fmt(c, "ERR Unknown option given: %s" % arg_str(c, i))
            return 0
        replace = True
    try:
        name = functions().load(c.argv[c.argc - 1][:c.argvlen[c.argc - 1]], replace)
    except ScriptError as e:
        return reply_script_error(c, e)
    g_dirty += 1
    replyBulk(&c.reply, <const char *><bytes>name, len(<bytes>name))
    return 0


cdef int cmd_function_delete(Client c) except -1:
    global g_dirty
    if not functions().delete(c.argv[2][:c.argvlen[2]]):
        replyErrorC(&c.reply, "ERR Library not found")
        return 0
    g_dirty += 1
    replyOk(&c.reply)
    return 0


cdef int cmd_function_flush(Client c) except -1:
    global g_dirty
    if c.argc > 3:
        reply_error_fmt(c, "ERR unknown subcommand or wrong number of arguments for '%s'. "
                        "Try FUNCTION HELP." % arg_str(c, 1, 128))
        return 0
    if c.argc == 3 and not arg_is(c, 2, "sync") and not arg_is(c, 2, "async"):
        replyErrorC(&c.reply, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
        return 0
    functions().flush()
    g_dirty += 1
    replyOk(&c.reply)
    return 0


cdef int cmd_function_list(Client c) except -1:
    cdef bint with_code = False
    cdef bytes pattern = None
    cdef int i = 2
    while i < c.argc:
        if not with_code and arg_is(c, i, "withcode"):
            with_code = True
        elif pattern is None and arg_is(c, i, "libraryname"):
            if i >= c.argc - 1:
                replyErrorC(&c.reply, "ERR library name argument was not given")
                return 0
            i += 1
            pattern = c.argv[i][:c.argvlen[i]]
        else:
            reply_error_fmt(c, "ERR Unknown argument %s" % arg_str(c, i))
            return 0
        i += 1
    libs = [lib for lib in functions().libraries.values()
            if pattern is None or stringmatchlen(pattern, len(pattern), lib.name, len(lib.name), 1)]
    replyArrayLen(&c.reply, len(libs))
    for lib in libs:
        replyMapLen(&c.reply, c.resp, 4 if with_code else 3)
        replyBulkC(&c.reply, "library_name")
        replyBulk(&c.reply, <const char *><bytes>lib.name, len(lib.name))
        replyBulkC(&c.reply, "engine")
        replyBulkC(&c.reply, "LUA")
        replyBulkC(&c.reply, "functions")
        replyArrayLen(&c.reply, len(lib.functions))
        for f in lib.functions.values():
            replyMapLen(&c.reply, c.resp, 3)
            replyBulkC(&c.reply, "name")
            replyBulk(&c.reply, <const char *><bytes>f.name, len(f.name))
            replyBulkC(&c.reply, "description")
            if f.description is None:
                replyNull(&c.reply, c.resp)
            else:
                replyBulk(&c.reply, <const char *><bytes>f.description, len(f.description))
            replyBulkC(&c.reply, "flags")
            replySetLen(&c.reply, c.resp, len(f.flags))
            for flag in f.flags:
                replyStatus(&c.reply, <const char *><bytes>flag, len(flag))
        if with_code:
            replyBulkC(&c.reply, "library_code")
            replyBulk(&c.reply, <const char *><bytes>lib.code, len(lib.code))
    return 0


cdef int cmd_function_stats(Client c) except -1:
    lib = functions()
    replyMapLen(&c.reply, c.resp, 2)
    replyBulkC(&c.reply, "running_script")
    if g_script_caller is None or not g_script_busy:
        replyNull(&c.reply, c.resp)
    else:
        caller = <Client>g_script_caller
        replyMapLen(&c.reply, c.resp, 3)
        replyBulkC(&c.reply, "name")
        replyBulk(&c.reply, <const char *><bytes>g_script_sha, len(g_script_sha))
        replyBulkC(&c.reply, "command")
        replyArrayLen(&c.reply, caller.argc)
        for i in range(caller.argc):
            replyBulk(&c.reply, caller.argv[i], caller.argvlen[i])
        replyBulkC(&c.reply, "duration_ms")
        replyLongLong(&c.reply, mstime() - g_script_start)
    replyBulkC(&c.reply, "engines")
    replyMapLen(&c.reply, c.resp, 1)
    replyBulkC(&c.reply, "LUA")
    replyMapLen(&c.reply, c.resp, 2)
    replyBulkC(&c.reply, "libraries_count")
    replyLongLong(&c.reply, len(lib.libraries))
    replyBulkC(&c.reply, "functions_count")
    replyLongLong(&c.reply, len(lib.functions))
    return 0


cdef int cmd_function_kill(Client c) except -1:
    return script_kill(c, False)


cdef int cmd_function_help(Client c) except -1:
    return reply_help(c, "function")


# --- FUNCTION DUMP / RESTORE and the RDB ------------------------------------
#
# A library travels as its code: opcode FUNCTION2 and the code as an RDB
# string, in an RDB file (before the databases) and in a FUNCTION DUMP
# payload (followed by the RDB version and a CRC-64, as a key's DUMP).

cdef int rdb_save_functions(rio *r) noexcept:
    """The libraries, one FUNCTION2 record each; -1 on a write error."""
    if g_functions is None:
        return 0
    for lib in g_functions.libraries.values():
        code = <bytes>lib.code
        if rdb_save_type(r, RDB_OPCODE_FUNCTION2) == -1 or \
                rdb_save_string(r, <const char *>code, len(code)) == -1:
            return -1
    return 0


cdef object rdb_load_function(rio *r):
    """Read the code of a FUNCTION2 record and load it (an existing library
    of that name is replaced).  None when done, else the error text."""
    from pyredis.scripting import ScriptError
    cdef size_t n
    cdef unsigned char *p = rdb_load_string(r, &n)
    if p == NULL:
        return "Short read or OOM loading DB. Unrecoverable error, aborting now."
    code = (<char *>p)[:n]
    zfree(p)
    try:
        functions().load(code, True)
    except ScriptError as e:
        return "Failed loading library, " + e.args[0][4:].decode("utf-8", "replace")
    return None


cdef int cmd_function_dump(Client c) except -1:
    cdef unsigned char footer[DUMP_FOOTER_LEN]
    cdef uint64_t crc
    cdef int k
    cdef rio r
    rioInitMemWriter(&r)
    ok = rdb_save_functions(&r) == 0
    footer[0] = RDB_VERSION & 0xFF
    footer[1] = (RDB_VERSION >> 8) & 0xFF
    if ok and rioWrite(&r, footer, 2):
        crc = crc64(0, r.buf, r.len)
        for k in range(8):
            footer[2 + k] = <unsigned char>((crc >> (8 * k)) & 0xFF)
        ok = rioWrite(&r, footer + 2, 8) != 0
    else:
        ok = False
    if not ok:
        rioFree(&r)
        raise MemoryError()
    replyBulk(&c.reply, r.buf, r.len)
    rioFree(&r)
    return 0


cdef int cmd_function_restore(Client c) except -1:
    global g_dirty
    cdef rio r
    cdef size_t n
    cdef unsigned char *p
    cdef const unsigned char *data = <const unsigned char *>c.argv[2]
    cdef size_t dlen = c.argvlen[2]
    if c.argc > 4:
        reply_error_fmt(c, "ERR unknown subcommand or wrong number of arguments for '%s'. "
                        "Try FUNCTION HELP." % arg_str(c, 1, 128))
        return 0
    policy = "append"
    if c.argc == 4:
        policy = arg_str(c, 3).lower()
        if policy not in ("flush", "append", "replace"):
            replyErrorC(&c.reply, "ERR Wrong restore policy given, value should be either "
                        "FLUSH, APPEND or REPLACE.")
            return 0
    if not dump_payload_ok(data, dlen):
        replyErrorC(&c.reply, MSG_DUMP_FOOTER)
        return 0
    codes = []
    rioInitMemReader(&r, data, dlen - DUMP_FOOTER_LEN)
    while rioTell(&r) < dlen - DUMP_FOOTER_LEN:
        if rdb_load_type(&r) != RDB_OPCODE_FUNCTION2:
            rioFree(&r)
            replyErrorC(&c.reply, "ERR given type is not a function")
            return 0
        p = rdb_load_string(&r, &n)
        if p == NULL:
            rioFree(&r)
            replyErrorC(&c.reply, "ERR Failed loading library")
            return 0
        codes.append((<char *>p)[:n])
        zfree(p)
    rioFree(&r)
    from pyredis.scripting import ScriptError
    try:
        functions().restore(codes, policy)
    except ScriptError as e:
        return reply_script_error(c, e)
    g_dirty += 1
    replyOk(&c.reply)
    return 0


def scripting_counts():
    """INFO memory: (cached EVAL scripts, functions, libraries)."""
    return (len(g_scripts.scripts) if g_scripts is not None else 0,
            len(g_functions.functions) if g_functions is not None else 0,
            len(g_functions.libraries) if g_functions is not None else 0)
