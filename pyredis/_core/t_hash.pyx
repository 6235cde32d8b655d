# Hash commands.


cdef int cmd_hset(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hsetnx(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hget(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hmget(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hmset(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hdel(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hlen(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hstrlen(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hexists(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hkeys(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hvals(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hgetall(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hincrby(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hincrbyfloat(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hrandfield(Client c) except -1:
    return not_implemented(c)


cdef int cmd_hscan(Client c) except -1:
    return not_implemented(c)
