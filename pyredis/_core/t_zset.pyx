# Sorted set commands.


cdef int cmd_zadd(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zincrby(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrem(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zcard(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zscore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zmscore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrank(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrevrank(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zcount(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zlexcount(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrange(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrangestore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrangebyscore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrevrangebyscore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrangebylex(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrevrangebylex(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrevrange(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zremrangebyrank(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zremrangebyscore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zremrangebylex(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zpopmin(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zpopmax(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zmpop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_bzpopmin(Client c) except -1:
    return not_implemented(c)


cdef int cmd_bzpopmax(Client c) except -1:
    return not_implemented(c)


cdef int cmd_bzmpop(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zunion(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zinter(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zdiff(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zunionstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zinterstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zdiffstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zintercard(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zrandmember(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zscan(Client c) except -1:
    return not_implemented(c)
