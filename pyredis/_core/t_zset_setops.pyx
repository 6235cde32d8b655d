# ZUNION ZINTER ZDIFF, their STORE forms and ZINTERCARD.
#
# Inputs may be sorted sets or plain sets (every member scoring 1.0); a
# missing key is an empty input.  The result is gathered in a Python dict
# member -> score, then ordered by (score, member) as a skiplist would be.
# Union and intersection visit the inputs from the smallest to the largest
# (a stable order for equal sizes), like Redis: floating-point sums depend
# on the order in which they are added, and replies must match digit for
# digit.  A weighted score or a sum that comes out NaN (0 * inf, inf - inf)
# is taken as 0.

cdef enum:
    ZSETOP_UNION = 0
    ZSETOP_INTER = 1
    ZSETOP_DIFF = 2
    ZAGGR_SUM = 0
    ZAGGR_MIN = 1
    ZAGGR_MAX = 2


cdef struct ZSrcIter:
    robj *o
    ZIter zi
    SetIter si


cdef inline long zsrc_length(robj *o) noexcept:
    if o == NULL:
        return 0
    if o.type == OBJ_SET:
        return set_size(o)
    return zset_length(o)


cdef inline bint zsrc_find(robj *o, const char *e, size_t l, double *score) noexcept:
    if o == NULL:
        return False
    if o.type == OBJ_SET:
        score[0] = 1.0
        return set_is_member(o, e, l)
    return zset_score(o, e, l, score)


cdef int zsrc_iter_init(ZSrcIter *it, robj *o) except -1:
    it.o = o
    if o.type == OBJ_SET:
        set_iter_init(&it.si, o)
    else:
        zset_iter_init(&it.zi, o, False)
    return 0


cdef bint zsrc_iter_next(ZSrcIter *it, const char **e, size_t *l, double *score) noexcept:
    if it.o.type == OBJ_SET:
        e[0] = set_iter_next(&it.si, l)
        score[0] = 1.0
        return e[0] != NULL
    return zset_iter_next(&it.zi, e, l, score)


cdef void zsrc_iter_release(ZSrcIter *it) noexcept:
    if it.o.type == OBJ_SET:
        set_iter_release(&it.si)


cdef inline double zaggregate(double target, double val, int aggr) noexcept:
    if aggr == ZAGGR_SUM:
        target = target + val
        if isnan(target):
            target = 0.0
    elif aggr == ZAGGR_MIN:
        if val < target:
            target = val
    elif val > target:
        target = val
    return target


cdef dict zop_union(list srcs, list weights, int aggr):
    cdef dict acc = {}
    cdef ZSrcIter it
    cdef const char *e
    cdef size_t l
    cdef double s, w, prev
    cdef robj *o
    cdef bytes m
    cdef Py_ssize_t i
    for i in range(len(srcs)):
        o = <robj *><size_t>srcs[i]
        if zsrc_length(o) == 0:
            continue
        w = weights[i]
        zsrc_iter_init(&it, o)
        try:
            while zsrc_iter_next(&it, &e, &l, &s):
                s = w * s
                if isnan(s):
                    s = 0.0
                m = e[:l]
                if m in acc:
                    prev = acc[m]
                    acc[m] = zaggregate(prev, s, aggr)
                else:
                    acc[m] = s
        finally:
            zsrc_iter_release(&it)
    return acc


cdef dict zop_inter(list srcs, list weights, int aggr, bint card_only,
                    long long limit, long long *card):
    cdef dict acc = {}
    cdef ZSrcIter it
    cdef const char *e
    cdef size_t l
    cdef double s, v, score
    cdef robj *first = <robj *><size_t>srcs[0]
    cdef robj *o
    cdef Py_ssize_t j, n = len(srcs)
    card[0] = 0
    if zsrc_length(first) == 0:
        return acc
    zsrc_iter_init(&it, first)
    try:
        while zsrc_iter_next(&it, &e, &l, &s):
            score = <double>weights[0] * s
            if isnan(score):
                score = 0.0
            j = 1
            while j < n:
                o = <robj *><size_t>srcs[j]
                if o == first:
                    v = s
                elif not zsrc_find(o, e, l, &v):
                    break
                score = zaggregate(score, v * <double>weights[j], aggr)
                j += 1
            if j < n:
                continue
            card[0] += 1
            if card_only:
                if limit and card[0] >= limit:
                    break
            else:
                acc[e[:l]] = score
    finally:
        zsrc_iter_release(&it)
    return acc


cdef dict zop_diff(list srcs):
    cdef dict acc = {}
    cdef ZSrcIter it
    cdef const char *e
    cdef size_t l
    cdef double s, v
    cdef robj *first = <robj *><size_t>srcs[0]
    cdef robj *o
    cdef Py_ssize_t j, n = len(srcs)
    cdef bint keep
    if zsrc_length(first) == 0:
        return acc
    zsrc_iter_init(&it, first)
    try:
        while zsrc_iter_next(&it, &e, &l, &s):
            keep = True
            for j in range(1, n):
                o = <robj *><size_t>srcs[j]
                if o == first or zsrc_find(o, e, l, &v):
                    keep = False
                    break
            if keep:
                acc[e[:l]] = s
    finally:
        zsrc_iter_release(&it)
    return acc


cdef int zsetop_generic(Client c, int numkeys_idx, int dst, int op, bint card_only,
                        const char *name) except -1:
    """dst: argv index of the destination key, or 0 for a reply."""
    cdef long long setnum, limit = 0, card = 0
    cdef int i, j, first = numkeys_idx + 1
    cdef int aggr = ZAGGR_SUM
    cdef bint withscores = False
    cdef double w
    cdef robj *o
    cdef list srcs = []
    cdef list weights
    cdef list order, sizes
    cdef list items
    cdef dict acc
    cdef bytes msg
    if not string2ll(c.argv[numkeys_idx], c.argvlen[numkeys_idx], &setnum):
        replyErrorC(&c.reply, MSG_NOT_INT)
        return 0
    if setnum < 1:
        msg = b"ERR at least 1 input key is needed for '%s' command" % name
        replyError(&c.reply, <const char *>msg, len(msg))
        return 0
    if setnum > c.argc - first:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    for j in range(first, first + <int>setnum):
        # a read lookup even for *STORE (keymiss, hit/miss stats: as 7.0)
        o = lookup_read(c.db, c.argv[j], c.argvlen[j])
        if o != NULL and o.type != OBJ_ZSET and o.type != OBJ_SET:
            replyErrorC(&c.reply, MSG_WRONGTYPE)
            return 0
        srcs.append(<size_t>o)
    weights = [1.0] * <Py_ssize_t>setnum
    j = first + <int>setnum
    while j < c.argc:
        if op != ZSETOP_DIFF and not card_only and c.argc - j >= setnum + 1 and \
           arg_is(c, j, "weights"):
            j += 1
            for i in range(<int>setnum):
                if not string2d(c.argv[j], c.argvlen[j], &w):
                    replyErrorC(&c.reply, "ERR weight value is not a float")
                    return 0
                weights[i] = w
                j += 1
        elif op != ZSETOP_DIFF and not card_only and c.argc - j >= 2 and \
             arg_is(c, j, "aggregate"):
            if arg_is(c, j + 1, "sum"):
                aggr = ZAGGR_SUM
            elif arg_is(c, j + 1, "min"):
                aggr = ZAGGR_MIN
            elif arg_is(c, j + 1, "max"):
                aggr = ZAGGR_MAX
            else:
                replyErrorC(&c.reply, MSG_SYNTAX)
                return 0
            j += 2
        elif not dst and not card_only and arg_is(c, j, "withscores"):
            withscores = True
            j += 1
        elif card_only and c.argc - j >= 2 and arg_is(c, j, "limit"):
            if not string2ll(c.argv[j + 1], c.argvlen[j + 1], &limit) or limit < 0:
                replyErrorC(&c.reply, "ERR LIMIT can't be negative")
                return 0
            j += 2
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    if op != ZSETOP_DIFF:
        # smallest input first; sorted() is stable for equal sizes
        sizes = [zsrc_length(<robj *><size_t>k) for k in srcs]
        order = sorted(range(<Py_ssize_t>setnum), key=sizes.__getitem__)
        srcs = [srcs[k] for k in order]
        weights = [weights[k] for k in order]
    if op == ZSETOP_UNION:
        acc = zop_union(srcs, weights, aggr)
    elif op == ZSETOP_INTER:
        acc = zop_inter(srcs, weights, aggr, card_only, limit, &card)
    else:
        acc = zop_diff(srcs)
    if card_only:
        replyLongLong(&c.reply, card)
        return 0
    items = sorted([(s, m) for m, s in acc.items()])
    items = [(m, s) for s, m in items]
    if dst:
        return zstore_result(c, c.argv[dst], c.argvlen[dst], items,
                             "zunionstore" if op == ZSETOP_UNION else
                             "zinterstore" if op == ZSETOP_INTER else "zdiffstore")
    zreply_members(c, items, withscores)
    return 0


cdef int cmd_zunion(Client c) except -1:
    return zsetop_generic(c, 1, 0, ZSETOP_UNION, False, b"zunion")


cdef int cmd_zinter(Client c) except -1:
    return zsetop_generic(c, 1, 0, ZSETOP_INTER, False, b"zinter")


cdef int cmd_zdiff(Client c) except -1:
    return zsetop_generic(c, 1, 0, ZSETOP_DIFF, False, b"zdiff")


cdef int cmd_zunionstore(Client c) except -1:
    return zsetop_generic(c, 2, 1, ZSETOP_UNION, False, b"zunionstore")


cdef int cmd_zinterstore(Client c) except -1:
    return zsetop_generic(c, 2, 1, ZSETOP_INTER, False, b"zinterstore")


cdef int cmd_zdiffstore(Client c) except -1:
    return zsetop_generic(c, 2, 1, ZSETOP_DIFF, False, b"zdiffstore")


cdef int cmd_zintercard(Client c) except -1:
    return zsetop_generic(c, 1, 0, ZSETOP_INTER, True, b"zintercard")
