# List commands.


cdef int cmd_lpush(Client c) except -1:
    return not_implemented(c)


cdef int cmd_rpush(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lpushx(Client c) except -1:
    return not_implemented(c)


cdef int cmd_rpushx(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lpop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_rpop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_llen(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lrange(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lindex(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lset(Client c) except -1:
    return not_implemented(c)


cdef int cmd_linsert(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lrem(Client c) except -1:
    return not_implemented(c)


cdef int cmd_ltrim(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lpos(Client c) except -1:
    return not_implemented(c)


cdef int cmd_rpoplpush(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lmove(Client c) except -1:
    return not_implemented(c)


cdef int cmd_lmpop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_blpop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_brpop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_brpoplpush(Client c) except -1:
    return not_implemented(c)


cdef int cmd_blmove(Client c) except -1:
    return not_implemented(c)


cdef int cmd_blmpop(Client c) except -1:
    return not_implemented(c)
