# Sorted set commands.
#
# Internal API other modules (t_geo.pyx) build on -- keep these names:
#   robj *zset_new(size_t size_hint, size_t maxelelen)
#       new empty zset in the encoding Redis would pick (listpack or skiplist)
#   int zset_add(robj *o, double score, const char *ele, size_t len,
#                int in_flags, int *out_flags, double *newscore) except -1
#       ZADD semantics: in_flags ZADD_IN_NX/XX/GT/LT/INCR, out_flags
#       ZADD_OUT_ADDED/UPDATED/NOP/NAN; converts the encoding in place (the
#       robj pointer stays the same)
#   bint zset_score(robj *o, const char *ele, size_t len, double *score)
#   long zset_length(robj *o)
#   bint zset_del(robj *o, const char *ele, size_t len) except -1
#   ZIter: zset_iter_init(ZIter *it, robj *o, bint reverse),
#          zset_iter_seek_score(ZIter *it, double min, bint exclusive)  (forward:
#          first element with score >= / > min), zset_iter_next(ZIter *it,
#          const char **ele, size_t *len, double *score) -> bint; ele stays
#          valid until the next call


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
