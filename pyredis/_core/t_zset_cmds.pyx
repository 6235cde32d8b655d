# Sorted set commands: argument parsing and replies over the operations of
# t_zset.pyx.

cdef enum:
    ZRANGE_AUTO = 0
    ZRANGE_RANK = 1
    ZRANGE_SCORE = 2
    ZRANGE_LEX = 3
    ZDIR_AUTO = 0
    ZDIR_FORWARD = 1
    ZDIR_REVERSE = 2

cdef const char *MSG_ZRANGE_FLOAT = "ERR min or max is not a float"
cdef const char *MSG_ZRANGE_LEX = "ERR min or max not valid string range item"
cdef const char *MSG_ZNAN = "ERR resulting score is not a number (NaN)"


cdef inline int arg_double(Client c, int i, double *d) noexcept:
    if string2d(c.argv[i], c.argvlen[i], d):
        return 1
    replyErrorC(&c.reply, MSG_NOT_FLOAT)
    return 0


cdef bint parse_score_bound(const char *s, size_t n, double *v, int *ex):
    """A ZRANGEBYSCORE bound: strtod over the text after an optional '('."""
    cdef bytes b
    cdef const char *p
    cdef char *end
    ex[0] = 0
    if n > 0 and s[0] == b'(':
        ex[0] = 1
        s += 1
        n -= 1
    b = s[:n]
    p = b
    v[0] = strtod(p, &end)
    return end[0] == 0 and not isnan(v[0])


cdef int parse_score_range(Client c, int imin, int imax, zrangespec *r) noexcept:
    try:
        if parse_score_bound(c.argv[imin], c.argvlen[imin], &r.min, &r.minex) and \
           parse_score_bound(c.argv[imax], c.argvlen[imax], &r.max, &r.maxex):
            return 1
    except MemoryError:
        pass
    replyErrorC(&c.reply, MSG_ZRANGE_FLOAT)
    return 0


cdef bint parse_lex_bound(const char *s, size_t n, const char **p, size_t *pl, int *kind, int *ex) noexcept:
    ex[0] = 0
    kind[0] = ZLEX_BYTES
    if n == 0:
        return False
    if s[0] == b'+' or s[0] == b'-':
        if n != 1:
            return False
        kind[0] = ZLEX_PLUS if s[0] == b'+' else ZLEX_MINUS
        return True
    if s[0] == b'(':
        ex[0] = 1
    elif s[0] != b'[':
        return False
    p[0] = s + 1
    pl[0] = n - 1
    return True


cdef int parse_lex_range(Client c, int imin, int imax, zlexrangespec *r) noexcept:
    if parse_lex_bound(c.argv[imin], c.argvlen[imin], &r.min, &r.minlen, &r.minkind, &r.minex) and \
       parse_lex_bound(c.argv[imax], c.argvlen[imax], &r.max, &r.maxlen, &r.maxkind, &r.maxex):
        return 1
    replyErrorC(&c.reply, MSG_ZRANGE_LEX)
    return 0


cdef void zreply_members(Client c, list items, bint withscores) noexcept:
    """items: [(member, score)] as an array, with scores flat (RESP2) or as
    [member, score] pairs (RESP3)."""
    cdef bytes m
    cdef double s
    if withscores and c.resp == 2:
        replyArrayLen(&c.reply, 2 * len(items))
    else:
        replyArrayLen(&c.reply, len(items))
    for m, s in items:
        if withscores and c.resp > 2:
            replyArrayLen(&c.reply, 2)
        replyBulk(&c.reply, <const char *>m, len(m))
        if withscores:
            replyDouble(&c.reply, c.resp, s)


# --- ZADD ZINCRBY ---------------------------------------------------------------

cdef int zadd_generic(Client c, int flags) except -1:
    cdef int i = 2
    cdef int nelem, j
    cdef long added = 0, updated = 0, processed = 0
    cdef int out
    cdef double newscore = 0
    cdef size_t maxlen = 0
    cdef robj *o
    cdef bint created = False
    while i < c.argc:
        if arg_is(c, i, "nx"):
            flags |= ZADD_IN_NX
        elif arg_is(c, i, "xx"):
            flags |= ZADD_IN_XX
        elif arg_is(c, i, "ch"):
            flags |= 1 << 8
        elif arg_is(c, i, "incr"):
            flags |= ZADD_IN_INCR
        elif arg_is(c, i, "gt"):
            flags |= ZADD_IN_GT
        elif arg_is(c, i, "lt"):
            flags |= ZADD_IN_LT
        else:
            break
        i += 1
    nelem = c.argc - i
    if nelem == 0 or nelem % 2:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    nelem //= 2
    if (flags & ZADD_IN_NX) and (flags & ZADD_IN_XX):
        replyErrorC(&c.reply, "ERR XX and NX options at the same time are not compatible")
        return 0
    if ((flags & ZADD_IN_GT) and (flags & ZADD_IN_NX)) or ((flags & ZADD_IN_LT) and (flags & ZADD_IN_NX)) or \
       ((flags & ZADD_IN_GT) and (flags & ZADD_IN_LT)):
        replyErrorC(&c.reply, "ERR GT, LT, and/or NX options at the same time are not compatible")
        return 0
    if (flags & ZADD_IN_INCR) and nelem > 1:
        replyErrorC(&c.reply, "ERR INCR option supports a single increment-element pair")
        return 0
    cdef double *scores = <double *>zmalloc(sizeof(double) * nelem)
    if scores == NULL:
        raise MemoryError()
    try:
        for j in range(nelem):
            if not arg_double(c, i + 2 * j, &scores[j]):
                return 0
            if c.argvlen[i + 2 * j + 1] > maxlen:
                maxlen = c.argvlen[i + 2 * j + 1]
        o = lookup_write(c.db, c.argv[1], c.argvlen[1])
        if o != NULL and not check_type(c, o, OBJ_ZSET):
            return 0
        if o == NULL:
            if flags & ZADD_IN_XX:
                if flags & ZADD_IN_INCR:
                    reply_null(c)
                else:
                    replyLongLong(&c.reply, 0)
                return 0
            # sized by the first member only, as Redis 7.0 does
            o = zset_new(0, c.argvlen[i + 1])
            db_add(c.db, c.argv[1], c.argvlen[1], o)
            created = True
        for j in range(nelem):
            if not zset_add(o, scores[j], c.argv[i + 2 * j + 1], c.argvlen[i + 2 * j + 1],
                            flags & 0xff, &out, &newscore):
                replyErrorC(&c.reply, MSG_ZNAN)
                break
            if out & ZADD_OUT_ADDED:
                added += 1
            if out & ZADD_OUT_UPDATED:
                updated += 1
            if not (out & ZADD_OUT_NOP):
                processed += 1
        else:
            if flags & ZADD_IN_INCR:
                if processed:
                    replyDouble(&c.reply, c.resp, newscore)
                else:
                    reply_null(c)
            else:
                replyLongLong(&c.reply, added + updated if flags & (1 << 8) else added)
        global g_dirty
        g_dirty += added + updated
        if added or updated:
            arg_event(c, NOTIFY_ZSET, "zincr" if flags & ZADD_IN_INCR else "zadd", 1)
        if zset_length(o) == 0:
            db_delete(c.db, c.argv[1], c.argvlen[1])
        elif added:
            signal_key_as_ready(c.db, c.argv[1], c.argvlen[1])
    finally:
        zfree(scores)
    return 0


cdef int cmd_zadd(Client c) except -1:
    return zadd_generic(c, ZADD_IN_NONE)


cdef int cmd_zincrby(Client c) except -1:
    return zadd_generic(c, ZADD_IN_INCR)


# --- simple lookups ----------------------------------------------------------------

cdef int cmd_zrem(Client c) except -1:
    return remove_members_generic(c, OBJ_ZSET, NOTIFY_ZSET, "zrem")


cdef int cmd_zcard(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
    elif check_type(c, o, OBJ_ZSET):
        replyLongLong(&c.reply, zset_length(o))
    return 0


cdef int cmd_zscore(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef double s
    if o != NULL and not check_type(c, o, OBJ_ZSET):
        return 0
    if o != NULL and zset_score(o, c.argv[2], c.argvlen[2], &s):
        replyDouble(&c.reply, c.resp, s)
    else:
        reply_null(c)
    return 0


cdef int cmd_zmscore(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef double s
    cdef int i
    if o != NULL and not check_type(c, o, OBJ_ZSET):
        return 0
    replyArrayLen(&c.reply, c.argc - 2)
    for i in range(2, c.argc):
        if o != NULL and zset_score(o, c.argv[i], c.argvlen[i], &s):
            replyDouble(&c.reply, c.resp, s)
        else:
            reply_null(c)
    return 0


cdef int zrank_generic(Client c, bint reverse) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef long r
    if o == NULL:
        reply_null(c)
        return 0
    if not check_type(c, o, OBJ_ZSET):
        return 0
    r = zset_rank(o, c.argv[2], c.argvlen[2], reverse)
    if r < 0:
        reply_null(c)
    else:
        replyLongLong(&c.reply, r)
    return 0


cdef int cmd_zrank(Client c) except -1:
    return zrank_generic(c, False)


cdef int cmd_zrevrank(Client c) except -1:
    return zrank_generic(c, True)


# --- ranges ------------------------------------------------------------------------

cdef list zcollect_rank(robj *o, long start, long end, bint reverse):
    """Elements at ranks start..end (already clamped, start <= end)."""
    cdef ZIter it
    cdef const char *e
    cdef size_t l
    cdef double s
    cdef list out = []
    cdef long n = end - start + 1
    zset_iter_init(&it, o, reverse)
    zset_iter_seek_rank(&it, start)
    while n > 0 and zset_iter_next(&it, &e, &l, &s):
        out.append((e[:l], s))
        n -= 1
    return out


cdef list zcollect_score(robj *o, zrangespec *r, bint reverse, long offset, long limit):
    cdef ZIter it
    cdef const char *e
    cdef size_t l
    cdef double s
    cdef list out = []
    cdef ZIter first
    if o.encoding == OBJ_ENCODING_LISTPACK and not zzl_in_range(<unsigned char *>o.v.ptr, r):
        return out
    zset_iter_init(&it, o, reverse)
    if reverse:
        zset_iter_seek_score(&it, r.max, r.maxex)
    else:
        zset_iter_seek_score(&it, r.min, r.minex)
    # As Redis: the member found must be within the other bound too, and
    # the offset is then skipped unchecked.  With scores in order this is
    # the plain range walk; it differs only around a NaN score, which a
    # RESTOREd listpack may hold.
    first = it
    if not zset_iter_next(&first, &e, &l, &s) or \
            not (zslValueGteMin(s, r) if reverse else zslValueLteMax(s, r)):
        return out
    while offset > 0 and zset_iter_next(&it, &e, &l, NULL):
        offset -= 1
    while limit != 0 and zset_iter_next(&it, &e, &l, &s):
        if reverse:
            if not zslValueGteMin(s, r):
                break
        elif not zslValueLteMax(s, r):
            break
        out.append((e[:l], s))
        limit -= 1
    return out


cdef list zcollect_lex(robj *o, zlexrangespec *r, bint reverse, long offset, long limit):
    cdef ZIter it
    cdef const char *e
    cdef size_t l
    cdef double s
    cdef list out = []
    zset_iter_init(&it, o, reverse)
    zset_iter_seek_lex(&it, r)
    # As Redis, the offset is skipped without looking at the members: when
    # scores differ the members are not in lex order, and a member past an
    # out-of-range one may be in range again.
    while offset > 0 and zset_iter_next(&it, &e, &l, NULL):
        offset -= 1
    while limit != 0 and zset_iter_next(&it, &e, &l, &s):
        if reverse:
            if not zslLexGteMin(e, l, r):
                break
        elif not zslLexLteMax(e, l, r):
            break
        out.append((e[:l], s))
        limit -= 1
    return out


cdef bint zclamp_ranks(long llen, long long *start, long long *end) noexcept:
    """Redis's rank sanitising; False when the range is empty."""
    if start[0] < 0:
        start[0] += llen
    if end[0] < 0:
        end[0] += llen
    if start[0] < 0:
        start[0] = 0
    if start[0] > end[0] or start[0] >= llen:
        return False
    if end[0] >= llen:
        end[0] = llen - 1
    return True


cdef int zstore_result(Client c, const char *k, size_t kl, list items,
                       const char *event) except -1:
    """Replace key k with a sorted set of items and report `event`
    (deleting it, reported as del, when empty); replies the count."""
    cdef robj *o
    cdef size_t maxlen = 0
    cdef bytes m
    cdef double s
    cdef int out
    global g_dirty
    if not items:
        if db_delete(c.db, k, kl):
            key_event(c, NOTIFY_GENERIC, "del", k, kl)
            g_dirty += 1
        replyLongLong(&c.reply, 0)
        return 0
    for m, s in items:
        if <size_t>len(m) > maxlen:
            maxlen = len(m)
    o = zset_new(len(items), maxlen)
    try:
        for m, s in items:
            zset_add(o, s, m, len(m), ZADD_IN_NONE, &out, NULL)
    except BaseException:
        objFree(o)
        raise
    db_set(c.db, k, kl, o, False)
    g_dirty += 1
    key_event(c, NOTIFY_ZSET, event, k, kl)
    signal_key_as_ready(c.db, k, kl)
    replyLongLong(&c.reply, len(items))
    return 0


cdef int zrange_generic(Client c, int keyidx, bint store, int rangetype, int direction) except -1:
    cdef int minidx = keyidx + 1
    cdef int maxidx = keyidx + 2
    cdef int j, t
    cdef bint withscores = False
    cdef long long offset = 0, limit = -1
    cdef long long start = 0, end = 0
    cdef zrangespec sr
    cdef zlexrangespec lr
    cdef robj *o
    cdef list items
    j = keyidx + 3
    while j < c.argc:
        if not store and arg_is(c, j, "withscores"):
            withscores = True
        elif arg_is(c, j, "limit") and c.argc - j - 1 >= 2:
            if not arg_ll(c, j + 1, &offset) or not arg_ll(c, j + 2, &limit):
                return 0
            j += 2
        elif direction == ZDIR_AUTO and arg_is(c, j, "rev"):
            direction = ZDIR_REVERSE
        elif rangetype == ZRANGE_AUTO and arg_is(c, j, "bylex"):
            rangetype = ZRANGE_LEX
        elif rangetype == ZRANGE_AUTO and arg_is(c, j, "byscore"):
            rangetype = ZRANGE_SCORE
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    if direction == ZDIR_AUTO:
        direction = ZDIR_FORWARD
    if rangetype == ZRANGE_AUTO:
        rangetype = ZRANGE_RANK
    if limit != -1 and rangetype == ZRANGE_RANK:
        replyErrorC(&c.reply, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
        return 0
    if withscores and rangetype == ZRANGE_LEX:
        replyErrorC(&c.reply, "ERR syntax error, WITHSCORES not supported in combination with BYLEX")
        return 0
    if direction == ZDIR_REVERSE and rangetype != ZRANGE_RANK:
        t = minidx
        minidx = maxidx
        maxidx = t
    if rangetype == ZRANGE_RANK:
        if not arg_ll(c, minidx, &start) or not arg_ll(c, maxidx, &end):
            return 0
    elif rangetype == ZRANGE_SCORE:
        if not parse_score_range(c, minidx, maxidx, &sr):
            return 0
    elif not parse_lex_range(c, minidx, maxidx, &lr):
        return 0
    o = lookup_read(c.db, c.argv[keyidx], c.argvlen[keyidx])
    if o != NULL and not check_type(c, o, OBJ_ZSET):
        return 0
    items = []
    if o != NULL:
        if rangetype == ZRANGE_RANK:
            if zclamp_ranks(zset_length(o), &start, &end):
                items = zcollect_rank(o, start, end, direction == ZDIR_REVERSE)
        elif rangetype == ZRANGE_SCORE:
            if offset >= 0:
                items = zcollect_score(o, &sr, direction == ZDIR_REVERSE, offset, limit)
        elif offset >= 0:
            items = zcollect_lex(o, &lr, direction == ZDIR_REVERSE, offset, limit)
    if store:
        return zstore_result(c, c.argv[1], c.argvlen[1], items, "zrangestore")
    zreply_members(c, items, withscores)
    return 0


cdef int cmd_zrange(Client c) except -1:
    return zrange_generic(c, 1, False, ZRANGE_AUTO, ZDIR_AUTO)


cdef int cmd_zrangestore(Client c) except -1:
    return zrange_generic(c, 2, True, ZRANGE_AUTO, ZDIR_AUTO)


cdef int cmd_zrangebyscore(Client c) except -1:
    return zrange_generic(c, 1, False, ZRANGE_SCORE, ZDIR_FORWARD)


cdef int cmd_zrevrangebyscore(Client c) except -1:
    return zrange_generic(c, 1, False, ZRANGE_SCORE, ZDIR_REVERSE)


cdef int cmd_zrangebylex(Client c) except -1:
    return zrange_generic(c, 1, False, ZRANGE_LEX, ZDIR_FORWARD)


cdef int cmd_zrevrangebylex(Client c) except -1:
    return zrange_generic(c, 1, False, ZRANGE_LEX, ZDIR_REVERSE)


cdef int cmd_zrevrange(Client c) except -1:
    return zrange_generic(c, 1, False, ZRANGE_RANK, ZDIR_REVERSE)


cdef int cmd_zcount(Client c) except -1:
    cdef zrangespec r
    cdef robj *o
    if not parse_score_range(c, 2, 3, &r):
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
    elif check_type(c, o, OBJ_ZSET):
        replyLongLong(&c.reply, zset_count_in_range(o, &r, NULL))
    return 0


cdef int cmd_zlexcount(Client c) except -1:
    cdef zlexrangespec r
    cdef robj *o
    if not parse_lex_range(c, 2, 3, &r):
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
    elif check_type(c, o, OBJ_ZSET):
        replyLongLong(&c.reply, zset_count_in_range(o, NULL, &r))
    return 0


cdef long zset_count_in_range(robj *o, zrangespec *sr, zlexrangespec *lr) except -1:
    """ZCOUNT (sr) / ZLEXCOUNT (lr): on a skiplist the difference of two
    ranks, O(log n); a (small) listpack through the range walk itself."""
    cdef zskiplist *zsl
    cdef zskiplistNode *first
    cdef zskiplistNode *last
    if o.encoding != OBJ_ENCODING_SKIPLIST:
        if sr != NULL:
            return len(zcollect_score(o, sr, False, 0, -1))
        return len(zcollect_lex(o, lr, False, 0, -1))
    zsl = (<ZSet *>o.v.ptr).zsl
    if sr != NULL:
        first = zslFirstInRange(zsl, sr)
        last = zslLastInRange(zsl, sr) if first != NULL else NULL
    else:
        first = zslFirstInLexRange(zsl, lr)
        last = zslLastInLexRange(zsl, lr) if first != NULL else NULL
    if first == NULL or last == NULL:
        return 0
    return <long>(zslGetRank(zsl, last.score, <const char *>last.ele, last.len) -
                  zslGetRank(zsl, first.score, <const char *>first.ele, first.len) + 1)


cdef int zremrange_generic(Client c, int rangetype) except -1:
    cdef long long start = 0, end = 0
    cdef zrangespec sr
    cdef zlexrangespec lr
    cdef robj *o
    cdef list items = []
    cdef bytes m
    if rangetype == ZRANGE_RANK:
        if not arg_ll(c, 2, &start) or not arg_ll(c, 3, &end):
            return 0
    elif rangetype == ZRANGE_SCORE:
        if not parse_score_range(c, 2, 3, &sr):
            return 0
    elif not parse_lex_range(c, 2, 3, &lr):
        return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not check_type(c, o, OBJ_ZSET):
        return 0
    cdef ZSet *zs
    cdef long removed = 0
    cdef bint in_range = True
    if rangetype == ZRANGE_RANK:
        in_range = zclamp_ranks(zset_length(o), &start, &end)
    if not in_range:
        pass
    elif o.encoding == OBJ_ENCODING_SKIPLIST:
        # the skiplist unlinks each node before its dict entry goes
        zs = <ZSet *>o.v.ptr
        if rangetype == ZRANGE_RANK:
            removed = zslDeleteRangeByRank(zs.zsl, start + 1, end + 1, zs.d)
        elif rangetype == ZRANGE_SCORE:
            removed = zslDeleteRangeByScore(zs.zsl, &sr, zs.d)
        else:
            removed = zslDeleteRangeByLex(zs.zsl, &lr, zs.d)
    else:
        if rangetype == ZRANGE_RANK:
            items = zcollect_rank(o, start, end, False)
        elif rangetype == ZRANGE_SCORE:
            items = zcollect_score(o, &sr, False, 0, -1)
        else:
            items = zcollect_lex(o, &lr, False, 0, -1)
        for m, _ in items:
            zset_del(o, m, len(m))
        removed = len(items)
    return reply_removed(c, o, removed, NOTIFY_ZSET,
                         "zremrangebyrank" if rangetype == ZRANGE_RANK else
                         "zremrangebyscore" if rangetype == ZRANGE_SCORE else "zremrangebylex")


cdef int cmd_zremrangebyrank(Client c) except -1:
    return zremrange_generic(c, ZRANGE_RANK)


cdef int cmd_zremrangebyscore(Client c) except -1:
    return zremrange_generic(c, ZRANGE_SCORE)


cdef int cmd_zremrangebylex(Client c) except -1:
    return zremrange_generic(c, ZRANGE_LEX)


cdef int zpop_generic(Client c, bint popmax) except -1:
    """ZPOPMIN/ZPOPMAX: each popped member is replied straight from the set
    and then deleted, no Python objects on the way."""
    cdef long long count = 1
    cdef long long i
    cdef robj *o
    cdef ZIter it
    cdef const char *ele
    cdef size_t elen
    cdef double score
    cdef char small[128]
    cdef char *copy
    cdef bint counted = c.argc == 3
    cdef bint pairs
    if c.argc > 3:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if counted:
        if not string2ll(c.argv[2], c.argvlen[2], &count) or count < 0:
            replyErrorC(&c.reply, "ERR value is out of range, must be positive")
            return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o != NULL and not check_type(c, o, OBJ_ZSET):
        return 0
    if o == NULL or count == 0:
        replyArrayLen(&c.reply, 0)
        return 0
    if count > zset_length(o):
        count = zset_length(o)
    pairs = counted and c.resp > 2
    replyArrayLen(&c.reply, count if pairs else 2 * count)
    for i in range(count):
        zset_iter_init(&it, o, popmax)
        zset_iter_next(&it, &ele, &elen, &score)
        if pairs:
            replyArrayLen(&c.reply, 2)
        replyBulk(&c.reply, ele, elen)
        replyDouble(&c.reply, c.resp, score)
        # the member's bytes live in the set: copy them before deleting
        copy = <char *>small
        if elen > sizeof(small):
            copy = <char *>zmalloc(elen)
        if copy == NULL:
            raise MemoryError()
        memcpy(copy, ele, elen)
        try:
            zset_del(o, copy, elen)
        finally:
            if copy != <char *>small:
                zfree(copy)
    global g_dirty
    g_dirty += count
    zset_popped(c, 1, o, popmax)
    return 0


cdef void zset_popped(Client c, int j, robj *o, bint popmax) noexcept:
    """Members left the sorted set o at argv[j] by ZPOP*: report it, and
    delete the key (reported as del) once it is empty."""
    arg_event(c, NOTIFY_ZSET, "zpopmax" if popmax else "zpopmin", j)
    if zset_length(o) == 0:
        db_delete(c.db, c.argv[j], c.argvlen[j])
        notify_keyspace_event(NOTIFY_GENERIC, "del", c.argv[j], c.argvlen[j], c.db.id)


cdef int cmd_zpopmin(Client c) except -1:
    return zpop_generic(c, False)


cdef int cmd_zpopmax(Client c) except -1:
    return zpop_generic(c, True)


# --- ZMPOP BZPOPMIN BZPOPMAX BZMPOP ---------------------------------------------------

cdef int zpop_first_nonempty(Client c, int first, int nkeys, bint popmax, long long count,
                             bint mpop) except -1:
    """Pops from the first existing sorted set among the keys.  Replies and
    returns 1 (also after WRONGTYPE), or returns 0 having replied nothing
    when none exists.  mpop: [key, [[member, score]...]] (ZMPOP) else
    [key, member, score] (BZPOPMIN/BZPOPMAX)."""
    cdef int j
    cdef robj *o
    cdef list items
    cdef bytes m
    cdef double s
    cdef replyBuf *b
    for j in range(first, first + nkeys):
        o = lookup_write(c.db, c.argv[j], c.argvlen[j])
        if o == NULL:
            continue
        if not check_type(c, o, OBJ_ZSET):
            return 1
        items = zcollect_rank(o, 0, min(count, zset_length(o)) - 1, popmax)
        for m, s in items:
            zset_del(o, m, len(m))
        zset_popped(c, j, o, popmax)
        global g_dirty
        g_dirty += len(items)
        if g_prop_targets:
            # BZPOPMIN/BZPOPMAX -> ZPOPMIN/ZPOPMAX key; [B]ZMPOP ->
            # ZPOPMIN/ZPOPMAX key count (the popped count)
            b = prop_rewrite(3 if mpop else 2)
            replyBulk(b, b"ZPOPMAX" if popmax else b"ZPOPMIN", 7)
            replyBulk(b, c.argv[j], c.argvlen[j])
            if mpop:
                replyBulkLongLong(b, len(items))
        if mpop:
            replyArrayLen(&c.reply, 2)
            replyBulk(&c.reply, c.argv[j], c.argvlen[j])
            replyArrayLen(&c.reply, len(items))
            for m, s in items:
                replyArrayLen(&c.reply, 2)
                replyBulk(&c.reply, <const char *>m, len(m))
                replyDouble(&c.reply, c.resp, s)
        else:
            m, s = items[0]
            replyArrayLen(&c.reply, 3)
            replyBulk(&c.reply, c.argv[j], c.argvlen[j])
            replyBulk(&c.reply, <const char *>m, len(m))
            replyDouble(&c.reply, c.resp, s)
        return 1
    return 0


cdef int bzpop_generic(Client c, bint popmax) except -1:
    cdef long long timeout
    if not parse_timeout(c, c.argc - 1, &timeout):
        return 0
    if zpop_first_nonempty(c, 1, c.argc - 2, popmax, 1, False):
        return 0
    if not can_block(c):
        replyNullArray(&c.reply, c.resp)
        return 0
    block_client(c, arg_keys(c, 1, c.argc - 2), timeout)
    return 0


cdef int zmpop_generic(Client c, int numkeys_i, bint blocking) except -1:
    cdef long long numkeys, count = -1, timeout = 0
    cdef long long where_i
    cdef bint popmax
    cdef int j
    if not string2ll(c.argv[numkeys_i], c.argvlen[numkeys_i], &numkeys) or numkeys <= 0:
        replyErrorC(&c.reply, MSG_NUMKEYS)
        return 0
    where_i = numkeys_i + numkeys + 1
    if where_i >= c.argc:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if arg_is(c, <int>where_i, "min"):
        popmax = False
    elif arg_is(c, <int>where_i, "max"):
        popmax = True
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if not parse_mpop_count(c, <int>where_i + 1, &count):
        return 0
    if blocking and not parse_timeout(c, 1, &timeout):
        return 0
    if zpop_first_nonempty(c, numkeys_i + 1, <int>numkeys, popmax, count, True):
        return 0
    if not blocking or not can_block(c):
        replyNullArray(&c.reply, c.resp)
        return 0
    block_client(c, arg_keys(c, numkeys_i + 1, <int>numkeys), timeout)
    return 0


cdef int cmd_zmpop(Client c) except -1:
    return zmpop_generic(c, 1, False)


cdef int cmd_bzpopmin(Client c) except -1:
    return bzpop_generic(c, False)


cdef int cmd_bzpopmax(Client c) except -1:
    return bzpop_generic(c, True)


cdef int cmd_bzmpop(Client c) except -1:
    return zmpop_generic(c, 2, True)


# --- ZRANDMEMBER --------------------------------------------------------------------

cdef int cmd_zrandmember(Client c) except -1:
    cdef long long count, r
    cdef bint withscores = False
    cdef robj *o
    cdef bytes m
    if c.argc == 2:
        o = lookup_read(c.db, c.argv[1], c.argvlen[1])
        if o == NULL:
            reply_null(c)
        elif check_type(c, o, OBJ_ZSET):
            r = <long long>(<unsigned long>random() % <unsigned long>zset_length(o))
            m = zcollect_rank(o, r, r, False)[0][0]
            replyBulk(&c.reply, <const char *>m, len(m))
        return 0
    if not parse_random_count(c, "withscores", &count, &withscores):
        return 0
    return zrandmember_count(c, count, withscores)


cdef int zrandmember_count(Client c, long long count, bint withscores) except -1:
    """Negative count: that many independent picks (repeats allowed);
    positive: that many distinct members, the whole set in order when it
    has no more."""
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef list items, picked
    cdef long long want, i, j, n
    if o == NULL:
        replyArrayLen(&c.reply, 0)
        return 0
    if not check_type(c, o, OBJ_ZSET):
        return 0
    if count == 0:
        replyArrayLen(&c.reply, 0)
        return 0
    n = zset_length(o)
    items = zcollect_rank(o, 0, n - 1, False)
    if count < 0:
        want = -count
        picked = [items[<unsigned long>random() % <unsigned long>n] for i in range(want)]
    elif count >= n:
        picked = items
    else:
        # partial Fisher-Yates shuffle
        want = count
        for i in range(want):
            j = i + <long long>(<unsigned long>random() % <unsigned long>(n - i))
            items[i], items[j] = items[j], items[i]
        picked = items[:want]
    zreply_members(c, picked, withscores)
    return 0


# --- ZSCAN ---------------------------------------------------------------------------

cdef inline int zscan_score_text(char *buf, double s, bint integral_as_ll) noexcept:
    # a listpack holds integral scores as integers (so -0 reads back as 0)
    if integral_as_ll and -4503599627370496.0 < s < 4503599627370496.0 and s == <double><long long>s:
        return fmtLongLong(buf, <long long>s)
    return fmtDouble(buf, s)


cdef void _zscan_value(replyBuf *r, const dictEntry *de) noexcept:
    cdef char buf[64]
    cdef int n = zscan_score_text(buf, de.v.d, False)
    replyBulk(r, buf, n)


cdef int cmd_zscan(Client c) except -1:
    """A listpack sorted set is small: every matching pair in one reply with
    cursor 0; a skiplist one is scanned through its dict."""
    cdef unsigned long cursor
    cdef ScanOpts opts
    cdef robj *o
    cdef ZIter it
    cdef const char *e
    cdef size_t l, at
    cdef double s
    cdef char buf[64]
    cdef int bl
    cdef long n = 0
    if not parse_scan_cursor(c, 2, &cursor):
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_empty_scan(c)
        return 0
    if not check_type(c, o, OBJ_ZSET) or not parse_scan_options(c, 3, &opts, False):
        return 0
    if o.encoding != OBJ_ENCODING_LISTPACK:
        return reply_dict_scan(c, (<ZSet *>o.v.ptr).d, cursor, &opts, _zscan_value)
    at = c.reply.len
    zset_iter_init(&it, o, False)
    while zset_iter_next(&it, &e, &l, &s):
        if opts.use_pattern and not stringmatchlen(opts.pat, opts.patlen, e, <int>l, 0):
            continue
        replyBulk(&c.reply, e, l)
        bl = zscan_score_text(buf, s, True)
        replyBulk(&c.reply, buf, bl)
        n += 2
    return reply_scan_head(c, at, 0, n)
