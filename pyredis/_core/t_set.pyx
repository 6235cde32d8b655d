# Set commands.


cdef int cmd_sadd(Client c) except -1:
    return not_implemented(c)


cdef int cmd_srem(Client c) except -1:
    return not_implemented(c)


cdef int cmd_smembers(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sismember(Client c) except -1:
    return not_implemented(c)


cdef int cmd_smismember(Client c) except -1:
    return not_implemented(c)


cdef int cmd_scard(Client c) except -1:
    return not_implemented(c)


cdef int cmd_spop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_srandmember(Client c) except -1:
    return not_implemented(c)


cdef int cmd_smove(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sinter(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sintercard(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sinterstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sunion(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sunionstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sdiff(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sdiffstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_sscan(Client c) except -1:
    return not_implemented(c)
