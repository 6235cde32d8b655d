# Connection and server commands.


cdef int cmd_auth(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_getname(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_help(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_id(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_info(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_kill(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_list(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_no_evict(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_reply(Client c) except -1:
    return not_implemented(c)


cdef int cmd_client_setname(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command_count(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command_docs(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command_getkeys(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command_getkeysandflags(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command_help(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command_info(Client c) except -1:
    return not_implemented(c)


cdef int cmd_command_list(Client c) except -1:
    return not_implemented(c)


cdef int cmd_config_get(Client c) except -1:
    return not_implemented(c)


cdef int cmd_config_help(Client c) except -1:
    return not_implemented(c)


cdef int cmd_config_resetstat(Client c) except -1:
    return not_implemented(c)


cdef int cmd_config_rewrite(Client c) except -1:
    return not_implemented(c)


cdef int cmd_config_set(Client c) except -1:
    return not_implemented(c)


cdef int cmd_debug(Client c) except -1:
    return not_implemented(c)


cdef int cmd_echo(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hello(Client c) except -1:
    return not_implemented(c)


cdef int cmd_info(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lastsave(Client c) except -1:
    return not_implemented(c)


cdef int cmd_ping(Client c) except -1:
    return not_implemented(c)


cdef int cmd_quit(Client c) except -1:
    return not_implemented(c)


cdef int cmd_reset(Client c) except -1:
    return not_implemented(c)


cdef int cmd_shutdown(Client c) except -1:
    return not_implemented(c)


cdef int cmd_time(Client c) except -1:
    return not_implemented(c)


cdef str client_info_string(Client c):
    """One CLIENT LIST line, fields as Redis 7.0 prints them."""
    cdef long long now = mstime() // 1000
    flags = "N"
    if c.flags & CLIENT_CLOSE_AFTER_REPLY:
        flags = "c" if flags == "N" else flags + "c"
    if c.flags & CLIENT_NO_EVICT:
        flags = "e" if flags == "N" else flags + "e"
    cmdname = c.lastcmd.name if c.lastcmd is not None else "NULL"
    if c.cmd is not None:
        cmdname = c.cmd.name
    name = (<bytes>c.name).decode("utf-8", "surrogateescape") if c.name is not None else ""
    return ("id=%d addr=%s laddr=%s fd=%d name=%s age=%d idle=%d flags=%s db=%d "
            "sub=0 psub=0 ssub=0 multi=-1 qbuf=%d qbuf-free=%d argv-mem=%d multi-mem=0 "
            "rbs=%d rbp=%d obl=0 oll=0 omem=0 tot-mem=%d events=r cmd=%s user=default "
            "redir=-1 resp=%d") % (
        c.id, c.addr, c.laddr, c.fd, name, now - c.ctime, now - c.last_interaction,
        flags, c.db.id, c.qlen, c.qcap - c.qlen, argv_mem(c), c.reply.cap, c.reply.len,
        c.qcap + c.reply.cap + 1024, cmdname, c.resp)


cdef long long argv_mem(Client c):
    cdef long long n = 0
    if c.cmd is None:
        return 0
    for i in range(c.argc):
        n += c.argvlen[i]
    return n
