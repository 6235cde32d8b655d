# Sorted sets: encodings and operations.
#
# A sorted set is an robj of type OBJ_ZSET in one of two encodings, as in
# Redis:
#   LISTPACK  v.ptr is a listpack of member,score,member,score... kept in
#             (score, member) order: at most zset-max-listpack-entries
#             pairs, every member at most zset-max-listpack-value bytes;
#   SKIPLIST  v.ptr is a ZSet: a dict member -> score (v.d) for O(1)
#             lookups plus a zskiplist (csrc/zskiplist.h) ordered by
#             (score, member) for ranks and ranges.  The member bytes
#             are stored once, as the dict entry's key; skiplist nodes
#             point at them.  So: dict entry first, then node; unlink
#             the node first, then delete the entry.
# A set moves to SKIPLIST when an insert would break either limit and never
# back, except that a set built by a *STORE command is created in the
# encoding its final size calls for.  Commands go through the zset_* and
# ZIter operations and do not look at the encoding.  Empty sorted sets do
# not exist: the command that removes the last member deletes the key.
#
# Internal API other modules (t_geo.pyx) build on -- keep these names:
#   robj *zset_new(size_t size_hint, size_t maxelelen)
#   int zset_add(robj *o, double score, const char *ele, size_t len,
#                int in_flags, int *out_flags, double *newscore) except -1
#   bint zset_score(robj *o, const char *ele, size_t len, double *score)
#   long zset_length(robj *o)
#   bint zset_del(robj *o, const char *ele, size_t len) except -1
#   ZIter: zset_iter_init(ZIter *it, robj *o, bint reverse),
#          zset_iter_seek_score(ZIter *it, double min, bint exclusive),
#          zset_iter_next(ZIter *it, const char **ele, size_t *len,
#          double *score) -> bint; ele stays valid until the next call
from libc.stdlib cimport strtod
from libc.string cimport memcpy
from libc.math cimport isnan, INFINITY

cdef extern from "listpack.h" nogil:
    unsigned char *lpGetValue(unsigned char *p, uint32_t *slen, long long *ival)

cdef extern from "zskiplist.h" nogil:
    int ZLEX_BYTES, ZLEX_MINUS, ZLEX_PLUS
    ctypedef struct zskiplistLevel "struct zskiplistLevel":
        zskiplistNode *forward
        unsigned long span
    ctypedef struct zskiplistNode:
        double score
        zskiplistNode *backward
        const unsigned char *ele
        uint32_t len
        uint32_t height
        zskiplistLevel *level
    ctypedef struct zskiplist:
        zskiplistNode *header
        zskiplistNode *tail
        unsigned long length
        int level
    ctypedef struct zrangespec:
        double min, max
        int minex, maxex
    ctypedef struct zlexrangespec:
        const char *min
        const char *max
        size_t minlen, maxlen
        int minkind, maxkind
        int minex, maxex
    zskiplist *zslCreate()
    void zslFree(zskiplist *zsl)
    zskiplistNode *zslInsert(zskiplist *zsl, double score, const unsigned char *ele, uint32_t len)
    int zslDelete(zskiplist *zsl, double score, const char *ele, size_t len, zskiplistNode **node)
    zskiplistNode *zslUpdateScore(zskiplist *zsl, double curscore, const char *ele, size_t len, double newscore)
    unsigned long zslGetRank(zskiplist *zsl, double score, const char *ele, size_t len)
    zskiplistNode *zslGetElementByRank(zskiplist *zsl, unsigned long rank)
    int zslCmpEle(const char *a, size_t al, const char *b, size_t bl)
    int zslValueGteMin(double v, const zrangespec *r)
    int zslValueLteMax(double v, const zrangespec *r)
    int zslLexGteMin(const char *e, size_t l, const zlexrangespec *r)
    int zslLexLteMax(const char *e, size_t l, const zlexrangespec *r)
    int zslLexRangeEmpty(const zlexrangespec *r)
    zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *r)
    zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *r)
    zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *r)
    zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *r)
    unsigned long zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *r, dict_t *d)
    unsigned long zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *r, dict_t *d)
    unsigned long zslDeleteRangeByRank(zskiplist *zsl, unsigned long start, unsigned long end, dict_t *d)

cdef extern from "listpack.h" nogil:
    int LP_BEFORE
    unsigned char *lpPrev(unsigned char *lp, unsigned char *p)
    unsigned char *lpSeek(unsigned char *lp, long index)
    unsigned char *lpInsertString(unsigned char *lp, const unsigned char *s, uint32_t len,
                                  unsigned char *p, int where, unsigned char **newp)


cdef enum:
    ZADD_IN_NONE = 0
    ZADD_IN_INCR = 1 << 0
    ZADD_IN_NX = 1 << 1
    ZADD_IN_XX = 1 << 2
    ZADD_IN_GT = 1 << 3
    ZADD_IN_LT = 1 << 4
    ZADD_OUT_NOP = 1 << 0
    ZADD_OUT_NAN = 1 << 1
    ZADD_OUT_ADDED = 1 << 2
    ZADD_OUT_UPDATED = 1 << 3


cdef struct ZSet:
    dict_t *d            # member -> score (v.d)
    zskiplist *zsl


cdef struct ZIter:
    robj *o
    bint reverse
    unsigned char *p          # listpack: member entry of the next element
    zskiplistNode *node       # skiplist: the next node
    unsigned char buf[32]     # listpack integers formatted as text


cdef dictType g_zset_dict_type


cdef void _zset_free_payload(robj *o) noexcept:
    cdef ZSet *zs
    if o.encoding == OBJ_ENCODING_SKIPLIST:
        zs = <ZSet *>o.v.ptr
        dictRelease(zs.d)
        zslFree(zs.zsl)
        zfree(zs)
    else:
        lpFree(<unsigned char *>o.v.ptr)


cdef ZSet *_zs_create() noexcept:
    cdef ZSet *zs = <ZSet *>zmalloc(sizeof(ZSet))
    if zs == NULL:
        return NULL
    zs.d = dictCreate(&g_zset_dict_type)
    zs.zsl = zslCreate()
    if zs.d == NULL or zs.zsl == NULL:
        if zs.d != NULL:
            dictRelease(zs.d)
        if zs.zsl != NULL:
            zslFree(zs.zsl)
        zfree(zs)
        return NULL
    return zs


cdef bint _zs_insert(ZSet *zs, double score, const char *ele, size_t len) noexcept:
    cdef dictEntry *de = dictAddRaw(zs.d, ele, len, NULL)
    if de == NULL:
        return False
    de.v.d = score
    # the node borrows the entry's copy of the member
    if zslInsert(zs.zsl, score, de.key, de.klen) == NULL:
        dictDelete(zs.d, ele, len)
        return False
    return True


cdef robj *_zset_dup(const robj *o) noexcept:
    cdef robj *n = objCreate(OBJ_ZSET, o.encoding, NULL)
    cdef ZSet *src
    cdef ZSet *dst
    cdef zskiplistNode *x
    if n == NULL:
        return NULL
    n.lru = o.lru
    if o.encoding == OBJ_ENCODING_LISTPACK:
        n.v.ptr = lpDup(<const unsigned char *>o.v.ptr)
        if n.v.ptr == NULL:
            zfree(n)
            return NULL
        return n
    src = <ZSet *>o.v.ptr
    dst = _zs_create()
    if dst == NULL:
        zfree(n)
        return NULL
    n.v.ptr = dst
    dictExpand(dst.d, src.zsl.length)
    x = src.zsl.tail
    while x != NULL:
        if not _zs_insert(dst, x.score, <const char *>x.ele, x.len):
            _zset_free_payload(n)
            zfree(n)
            return NULL
        x = x.backward
    return n


cdef int _zset_register() except -1:
    cdef objTypeOps ops
    g_zset_dict_type.valDestructor = NULL
    ops.freePayload = _zset_free_payload
    ops.dup = _zset_dup
    objRegisterType(OBJ_ZSET, ops)
    return 0


_zset_register()


# --- listpack helpers ----------------------------------------------------------

cdef inline double zzl_score(unsigned char *sp) noexcept:
    """The score entry after a member, read as Redis's zzlGetScore does:
    an integer entry as is, a string with plain strtod over at most its
    first 127 bytes -- a numeric prefix counts ("2>5" is 2, "abc" 0, "nan"
    NaN).  Scores we write always parse whole; others come only from a
    RESTOREd listpack, which Redis does not check."""
    cdef char text[128]
    cdef uint32_t n
    cdef long long v
    cdef unsigned char *s = lpGetValue(sp, &n, &v)
    if s == NULL:
        return <double>v
    if n > sizeof(text) - 1:
        n = sizeof(text) - 1
    memcpy(text, s, n)
    text[n] = 0
    return strtod(text, NULL)


cdef bint zzl_in_range(unsigned char *lp, zrangespec *r) noexcept:
    """Redis's first test of a score range on a listpack: the last score
    >= min and the first <= max.  Implied when the scores are in order;
    it decides the answer when a RESTOREd listpack holds a NaN score."""
    cdef unsigned char *p = lpLast(lp)
    if p == NULL or not zslValueGteMin(zzl_score(p), r):
        return False
    return zslValueLteMax(zzl_score(lpNext(lp, lpFirst(lp))), r)


cdef inline int zzl_cmp_member(unsigned char *p, const char *ele, size_t len) noexcept:
    cdef unsigned char buf[32]
    cdef uint32_t n
    cdef const char *s = <const char *>lpGet(p, &n, buf)
    return zslCmpEle(s, n, ele, len)


cdef unsigned char *zzl_find(unsigned char *lp, const char *ele, size_t len, double *score) noexcept:
    cdef unsigned char *p = lpFirst(lp)
    if p == NULL:
        return NULL
    p = lpFind(lp, p, <const unsigned char *>ele, <uint32_t>len, 1)
    if p != NULL and score != NULL:
        score[0] = zzl_score(lpNext(lp, p))
    return p


cdef unsigned char *zzl_insert(unsigned char *lp, const char *ele, size_t len, double score) noexcept:
    """Insert (member, score) at its place; returns the new listpack or NULL."""
    cdef unsigned char *p = lpFirst(lp)
    cdef unsigned char *sp
    cdef double s
    cdef char sbuf[64]
    cdef int sl
    # integral scores go in as integers (so -0 reads back as 0, as in Redis)
    if -4503599627370496.0 < score < 4503599627370496.0 and score == <double><long long>score:
        sl = fmtLongLong(sbuf, <long long>score)
    else:
        sl = fmtDouble(sbuf, score)
    while p != NULL:
        sp = lpNext(lp, p)
        s = zzl_score(sp)
        if s > score or (s == score and zzl_cmp_member(p, ele, len) > 0):
            lp = lpInsertString(lp, <const unsigned char *>ele, <uint32_t>len, p, LP_BEFORE, &p)
            if lp == NULL:
                return NULL
            p = lpNext(lp, p)
            return lpInsertString(lp, <const unsigned char *>sbuf, <uint32_t>sl, p, LP_BEFORE, NULL)
        p = lpNext(lp, sp)
    lp = lpAppend(lp, <const unsigned char *>ele, <uint32_t>len)
    if lp == NULL:
        return NULL
    return lpAppend(lp, <const unsigned char *>sbuf, <uint32_t>sl)


# --- sorted set operations -------------------------------------------------------

cdef robj *zset_new(size_t size_hint, size_t maxelelen) except NULL:
    cdef robj *o = objCreate(OBJ_ZSET, OBJ_ENCODING_LISTPACK, NULL)
    if o == NULL:
        raise MemoryError()
    if cfg_zset_max_listpack_entries == 0 or \
       <long long>size_hint > cfg_zset_max_listpack_entries or \
       <long long>maxelelen > cfg_zset_max_listpack_value:
        o.encoding = OBJ_ENCODING_SKIPLIST
        o.v.ptr = _zs_create()
        if o.v.ptr != NULL:
            dictExpand((<ZSet *>o.v.ptr).d, size_hint)
    else:
        o.encoding = OBJ_ENCODING_LISTPACK
        o.v.ptr = lpNew(0)
    if o.v.ptr == NULL:
        zfree(o)
        raise MemoryError()
    return o


cdef long zset_length(robj *o) noexcept:
    if o.encoding == OBJ_ENCODING_LISTPACK:
        return lpLength(<unsigned char *>o.v.ptr) // 2
    return (<ZSet *>o.v.ptr).zsl.length


cdef int zset_convert_to_skiplist(robj *o) except -1:
    cdef unsigned char *lp = <unsigned char *>o.v.ptr
    cdef unsigned char *p = lpFirst(lp)
    cdef unsigned char *sp
    cdef unsigned char buf[32]
    cdef uint32_t n
    cdef const char *s
    cdef ZSet *zs = _zs_create()
    if zs == NULL:
        raise MemoryError()
    dictExpand(zs.d, lpLength(lp) // 2)
    while p != NULL:
        sp = lpNext(lp, p)
        s = <const char *>lpGet(p, &n, buf)
        if not _zs_insert(zs, zzl_score(sp), s, n):
            dictRelease(zs.d)
            zslFree(zs.zsl)
            zfree(zs)
            raise MemoryError()
        p = lpNext(lp, sp)
    lpFree(lp)
    o.v.ptr = zs
    o.encoding = OBJ_ENCODING_SKIPLIST
    return 0


cdef bint zset_score(robj *o, const char *ele, size_t len, double *score) noexcept:
    cdef dictEntry *de
    if o.encoding == OBJ_ENCODING_LISTPACK:
        return zzl_find(<unsigned char *>o.v.ptr, ele, len, score) != NULL
    de = dictFind((<ZSet *>o.v.ptr).d, ele, len)
    if de == NULL:
        return False
    if score != NULL:
        score[0] = de.v.d
    return True


cdef int zset_add(robj *o, double score, const char *ele, size_t len,
                  int in_flags, int *out_flags, double *newscore) except -1:
    """ZADD on one member.  Returns 1, or 0 with ZADD_OUT_NAN set when the
    resulting score would be NaN (nothing changed)."""
    cdef bint incr = in_flags & ZADD_IN_INCR
    cdef double cur
    cdef unsigned char *lp
    cdef unsigned char *p
    cdef dictEntry *de
    cdef ZSet *zs
    out_flags[0] = 0
    if isnan(score):
        out_flags[0] = ZADD_OUT_NAN
        return 0
    if o.encoding == OBJ_ENCODING_LISTPACK:
        lp = <unsigned char *>o.v.ptr
        p = zzl_find(lp, ele, len, &cur)
        if p != NULL:
            if in_flags & ZADD_IN_NX:
                out_flags[0] = ZADD_OUT_NOP
                return 1
            if incr:
                score += cur
                if isnan(score):
                    out_flags[0] = ZADD_OUT_NAN
                    return 0
            if ((in_flags & ZADD_IN_LT) and score >= cur) or ((in_flags & ZADD_IN_GT) and score <= cur):
                out_flags[0] = ZADD_OUT_NOP
                return 1
            if newscore != NULL:
                newscore[0] = score
            if score != cur:
                lp = lpDeleteRangeWithEntry(lp, &p, 2)
                lp = zzl_insert(lp, ele, len, score)
                if lp == NULL:
                    raise MemoryError()
                o.v.ptr = lp
                out_flags[0] = ZADD_OUT_UPDATED
            return 1
        if in_flags & ZADD_IN_XX:
            out_flags[0] = ZADD_OUT_NOP
            return 1
        if lpLength(lp) // 2 + 1 > <unsigned long>cfg_zset_max_listpack_entries or \
           <long long>len > cfg_zset_max_listpack_value or \
           lpBytes(lp) + len > HASH_LISTPACK_MAX_SAFETY_SIZE:
            zset_convert_to_skiplist(o)
        else:
            lp = zzl_insert(lp, ele, len, score)
            if lp == NULL:
                raise MemoryError()
            o.v.ptr = lp
            if newscore != NULL:
                newscore[0] = score
            out_flags[0] = ZADD_OUT_ADDED
            return 1
    zs = <ZSet *>o.v.ptr
    de = dictFind(zs.d, ele, len)
    if de != NULL:
        if in_flags & ZADD_IN_NX:
            out_flags[0] = ZADD_OUT_NOP
            return 1
        cur = de.v.d
        if incr:
            score += cur
            if isnan(score):
                out_flags[0] = ZADD_OUT_NAN
                return 0
        if ((in_flags & ZADD_IN_LT) and score >= cur) or ((in_flags & ZADD_IN_GT) and score <= cur):
            out_flags[0] = ZADD_OUT_NOP
            return 1
        if newscore != NULL:
            newscore[0] = score
        if score != cur:
            zslUpdateScore(zs.zsl, cur, ele, len, score)
            de.v.d = score
            out_flags[0] = ZADD_OUT_UPDATED
        return 1
    if in_flags & ZADD_IN_XX:
        out_flags[0] = ZADD_OUT_NOP
        return 1
    if not _zs_insert(zs, score, ele, len):
        raise MemoryError()
    if newscore != NULL:
        newscore[0] = score
    out_flags[0] = ZADD_OUT_ADDED
    return 1


cdef bint zset_del(robj *o, const char *ele, size_t len) except -1:
    cdef unsigned char *lp
    cdef unsigned char *p
    cdef dictEntry *de
    cdef ZSet *zs
    cdef double score
    if o.encoding == OBJ_ENCODING_LISTPACK:
        lp = <unsigned char *>o.v.ptr
        p = zzl_find(lp, ele, len, NULL)
        if p == NULL:
            return False
        o.v.ptr = lpDeleteRangeWithEntry(lp, &p, 2)
        return True
    zs = <ZSet *>o.v.ptr
    de = dictFind(zs.d, ele, len)
    if de == NULL:
        return False
    score = de.v.d
    # the node borrows de.key: unlink it before the entry goes
    zslDelete(zs.zsl, score, ele, len, NULL)
    dictDelete(zs.d, ele, len)
    return True


cdef long zset_rank(robj *o, const char *ele, size_t len, bint reverse) noexcept:
    """0-based rank of ele, -1 when absent."""
    cdef unsigned char *lp
    cdef unsigned char *p
    cdef long r = 0
    cdef long n = zset_length(o)
    cdef dictEntry *de
    cdef ZSet *zs
    if o.encoding == OBJ_ENCODING_LISTPACK:
        lp = <unsigned char *>o.v.ptr
        p = lpFirst(lp)
        while p != NULL:
            if zzl_cmp_member(p, ele, len) == 0:
                return n - 1 - r if reverse else r
            r += 1
            p = lpNext(lp, lpNext(lp, p))
        return -1
    zs = <ZSet *>o.v.ptr
    de = dictFind(zs.d, ele, len)
    if de == NULL:
        return -1
    r = <long>zslGetRank(zs.zsl, de.v.d, ele, len) - 1
    return n - 1 - r if reverse else r


# --- iteration ---------------------------------------------------------------------

cdef void zset_iter_init(ZIter *it, robj *o, bint reverse) noexcept:
    cdef unsigned char *lp
    it.o = o
    it.reverse = reverse
    it.p = NULL
    it.node = NULL
    if o.encoding == OBJ_ENCODING_LISTPACK:
        lp = <unsigned char *>o.v.ptr
        if reverse:
            it.p = lpLast(lp)
            if it.p != NULL:
                it.p = lpPrev(lp, it.p)
        else:
            it.p = lpFirst(lp)
    else:
        if reverse:
            it.node = (<ZSet *>o.v.ptr).zsl.tail
        else:
            it.node = (<ZSet *>o.v.ptr).zsl.header.level[0].forward


cdef void zset_iter_seek_rank(ZIter *it, long rank) noexcept:
    """Position on the element at 0-based rank (counted in the iteration
    direction); must be in range."""
    cdef long n = zset_length(it.o)
    cdef long fwd = n - 1 - rank if it.reverse else rank
    if it.o.encoding == OBJ_ENCODING_LISTPACK:
        it.p = lpSeek(<unsigned char *>it.o.v.ptr, 2 * fwd)
    else:
        it.node = zslGetElementByRank((<ZSet *>it.o.v.ptr).zsl, fwd + 1)


cdef void zset_iter_seek_score(ZIter *it, double min, bint exclusive) noexcept:
    """Forward: first element with score >= min (> when exclusive).
    Reverse: last element with score <= min (< when exclusive)."""
    cdef zrangespec r
    cdef unsigned char *lp
    cdef unsigned char *p
    cdef double s
    if it.o.encoding == OBJ_ENCODING_LISTPACK:
        lp = <unsigned char *>it.o.v.ptr
        if not it.reverse:
            p = lpFirst(lp)
            while p != NULL:
                s = zzl_score(lpNext(lp, p))
                if s > min or (s == min and not exclusive):
                    break
                p = lpNext(lp, lpNext(lp, p))
        else:
            p = lpLast(lp)
            while p != NULL:
                s = zzl_score(p)
                p = lpPrev(lp, p)
                if s < min or (s == min and not exclusive):
                    break
                p = lpPrev(lp, p)
        it.p = p
        return
    if not it.reverse:
        r.min = min
        r.minex = exclusive
        r.max = INFINITY
        r.maxex = 0
        it.node = zslFirstInRange((<ZSet *>it.o.v.ptr).zsl, &r)
    else:
        r.max = min
        r.maxex = exclusive
        r.min = -INFINITY
        r.minex = 0
        it.node = zslLastInRange((<ZSet *>it.o.v.ptr).zsl, &r)


cdef void zset_iter_seek_lex(ZIter *it, zlexrangespec *r) noexcept:
    """Forward: first element >= r's min; reverse: last element <= r's max;
    either way nothing when that element is outside the other bound."""
    cdef unsigned char *lp
    cdef unsigned char *p
    cdef unsigned char buf[32]
    cdef uint32_t n
    cdef const char *s
    if it.o.encoding == OBJ_ENCODING_LISTPACK:
        lp = <unsigned char *>it.o.v.ptr
        it.p = NULL
        # as Redis: nothing is in range unless the last member is >= min
        # and the first <= max (decides the answer when scores differ)
        if zslLexRangeEmpty(r) or lpFirst(lp) == NULL:
            return
        p = lpPrev(lp, lpLast(lp))
        s = <const char *>lpGet(p, &n, buf)
        if not zslLexGteMin(s, n, r):
            return
        s = <const char *>lpGet(lpFirst(lp), &n, buf)
        if not zslLexLteMax(s, n, r):
            return
        if not it.reverse:
            p = lpFirst(lp)
            while p != NULL:
                s = <const char *>lpGet(p, &n, buf)
                if zslLexGteMin(s, n, r):
                    if not zslLexLteMax(s, n, r):
                        p = NULL
                    break
                p = lpNext(lp, lpNext(lp, p))
        else:
            p = lpLast(lp)
            while p != NULL:
                p = lpPrev(lp, p)
                s = <const char *>lpGet(p, &n, buf)
                if zslLexLteMax(s, n, r):
                    if not zslLexGteMin(s, n, r):
                        p = NULL
                    break
                p = lpPrev(lp, p)
        it.p = p
        return
    if not it.reverse:
        it.node = zslFirstInLexRange((<ZSet *>it.o.v.ptr).zsl, r)
    else:
        it.node = zslLastInLexRange((<ZSet *>it.o.v.ptr).zsl, r)


cdef bint zset_iter_next(ZIter *it, const char **ele, size_t *len, double *score) noexcept:
    cdef unsigned char *lp
    cdef unsigned char *sp
    cdef uint32_t n
    cdef zskiplistNode *x
    if it.o.encoding == OBJ_ENCODING_LISTPACK:
        if it.p == NULL:
            return False
        lp = <unsigned char *>it.o.v.ptr
        ele[0] = <const char *>lpGet(it.p, &n, it.buf)
        len[0] = n
        sp = lpNext(lp, it.p)
        if score != NULL:
            score[0] = zzl_score(sp)
        if it.reverse:
            it.p = lpPrev(lp, it.p)
            if it.p != NULL:
                it.p = lpPrev(lp, it.p)
        else:
            it.p = lpNext(lp, sp)
        return True
    x = it.node
    if x == NULL:
        return False
    ele[0] = <const char *>x.ele
    len[0] = x.len
    if score != NULL:
        score[0] = x.score
    it.node = x.backward if it.reverse else x.level[0].forward
    return True
