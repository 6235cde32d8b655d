# Key space commands: keys, expiry, databases, OBJECT.


cdef int cmd_copy(Client c) except -1:
    return not_implemented(c)


cdef int cmd_dbsize(Client c) except -1:
    return not_implemented(c)


cdef int cmd_del(Client c) except -1:
    return not_implemented(c)


cdef int cmd_exists(Client c) except -1:
    return not_implemented(c)


cdef int cmd_expire(Client c) except -1:
    return not_implemented(c)


cdef int cmd_expireat(Client c) except -1:
    return not_implemented(c)


cdef int cmd_expiretime(Client c) except -1:
    return not_implemented(c)


cdef int cmd_flushall(Client c) except -1:
    return not_implemented(c)


cdef int cmd_flushdb(Client c) except -1:
    return not_implemented(c)


cdef int cmd_keys(Client c) except -1:
    return not_implemented(c)


cdef int cmd_move(Client c) except -1:
    return not_implemented(c)


cdef int cmd_object_encoding(Client c) except -1:
    return not_implemented(c)


cdef int cmd_object_freq(Client c) except -1:
    return not_implemented(c)


cdef int cmd_object_help(Client c) except -1:
    return not_implemented(c)


cdef int cmd_object_idletime(Client c) except -1:
    return not_implemented(c)


cdef int cmd_object_refcount(Client c) except -1:
    return not_implemented(c)


cdef int cmd_persist(Client c) except -1:
    return not_implemented(c)


cdef int cmd_pexpire(Client c) except -1:
    return not_implemented(c)


cdef int cmd_pexpireat(Client c) except -1:
    return not_implemented(c)


cdef int cmd_pexpiretime(Client c) except -1:
    return not_implemented(c)


cdef int cmd_pttl(Client c) except -1:
    return not_implemented(c)


cdef int cmd_randomkey(Client c) except -1:
    return not_implemented(c)


cdef int cmd_rename(Client c) except -1:
    return not_implemented(c)


cdef int cmd_renamenx(Client c) except -1:
    return not_implemented(c)


cdef int cmd_scan(Client c) except -1:
    return not_implemented(c)


cdef int cmd_select(Client c) except -1:
    return not_implemented(c)


cdef int cmd_swapdb(Client c) except -1:
    return not_implemented(c)


cdef int cmd_touch(Client c) except -1:
    return not_implemented(c)


cdef int cmd_ttl(Client c) except -1:
    return not_implemented(c)


cdef int cmd_type(Client c) except -1:
    return not_implemented(c)


cdef int cmd_unlink(Client c) except -1:
    return not_implemented(c)
