# Set commands.
#
# A set is an OBJ_SET object whose v.ptr is one of two encodings:
#   INTSET  csrc/intset: every member is a canonical integer (the text
#           string2ll accepts) and there are at most set-max-intset-entries
#   HT      a csrc/dict holding the members as keys, no values
# Conversion goes one way, intset -> hashtable, at the moment Redis does
# it: when a non-integer member is added or an add makes the intset longer
# than the limit.  A set created by SADD/SMOVE starts as an intset when its
# first member is an integer; result sets (the *STORE commands, SUNION and
# SDIFF replies, what SPOP leaves behind) start as an intset and convert
# as members come in.  So OBJECT ENCODING always agrees with Redis, and
# replies built from an intset come out in ascending order as Redis's do.
#
# Members travel as (pointer, length) byte strings; intset members are
# formatted into a 32-byte scratch buffer owned by the caller or iterator.
from libc.stdint cimport int64_t, uint32_t


cdef extern from "intset.h" nogil:
    ctypedef struct intset:
        pass
    intset *intsetNew()
    intset *intsetDup(const intset *s)
    void intsetFree(intset *s)
    intset *intsetAdd(intset *s, int64_t value, int *success)
    intset *intsetRemove(intset *s, int64_t value, int *success)
    int intsetFind(const intset *s, int64_t value)
    int intsetGet(const intset *s, uint32_t pos, int64_t *value)
    int64_t intsetRandom(const intset *s)
    uint32_t intsetLen(const intset *s)
    size_t intsetBlobLen(const intset *s)


cdef enum:
    # SPOP with count: pop one by one unless fewer than count/5 would
    # remain, then build the remainder instead (Redis's thresholds)
    SPOP_MOVE_STRATEGY_MUL = 5
    # SRANDMEMBER with count: copy and remove when count > size/3, else
    # sample into a new table
    SRANDMEMBER_SUB_STRATEGY_MUL = 3
    SET_OP_UNION = 0
    SET_OP_DIFF = 1
    SET_MEMBER_BUF = 32


cdef dictType g_set_dict_type
g_set_dict_type.valDestructor = NULL


# --- the set type: objects, encodings, members -------------------------------

cdef void _set_free_payload(robj *o) noexcept nogil:
    if o.encoding == OBJ_ENCODING_INTSET:
        intsetFree(<intset *>o.v.ptr)
    else:
        dictRelease(<dict_t *>o.v.ptr)


cdef dict_t *_set_dict_copy(dict_t *src) noexcept nogil:
    cdef dict_t *d = dictCreate(&g_set_dict_type)
    cdef dictIterator *it
    cdef dictEntry *de
    if d == NULL:
        return NULL
    if dictSize(src):
        dictExpand(d, dictSize(src))
    it = dictGetIterator(src)
    if it == NULL:
        dictRelease(d)
        return NULL
    de = dictNext(it)
    while de != NULL:
        if dictAddRaw(d, de.key, de.klen, NULL) == NULL:
            dictReleaseIterator(it)
            dictRelease(d)
            return NULL
        de = dictNext(it)
    dictReleaseIterator(it)
    return d


cdef robj *_set_dup(const robj *o) noexcept nogil:
    cdef void *payload
    cdef robj *n
    if o.encoding == OBJ_ENCODING_INTSET:
        payload = intsetDup(<const intset *>o.v.ptr)
    else:
        payload = _set_dict_copy(<dict_t *>o.v.ptr)
    if payload == NULL:
        return NULL
    n = objCreate(OBJ_SET, o.encoding, payload)
    if n == NULL:
        if o.encoding == OBJ_ENCODING_INTSET:
            intsetFree(<intset *>payload)
        else:
            dictRelease(<dict_t *>payload)
    return n


cdef objTypeOps _set_ops
_set_ops.freePayload = _set_free_payload
_set_ops.dup = _set_dup
objRegisterType(OBJ_SET, _set_ops)


cdef robj *set_new_intset() except NULL:
    cdef intset *s = intsetNew()
    cdef robj *o
    if s == NULL:
        raise MemoryError()
    o = objCreate(OBJ_SET, OBJ_ENCODING_INTSET, s)
    if o == NULL:
        intsetFree(s)
        raise MemoryError()
    return o


cdef robj *set_new_ht() except NULL:
    cdef dict_t *d = dictCreate(&g_set_dict_type)
    cdef robj *o
    if d == NULL:
        raise MemoryError()
    o = objCreate(OBJ_SET, OBJ_ENCODING_HT, d)
    if o == NULL:
        dictRelease(d)
        raise MemoryError()
    return o


cdef inline bint member_as_int(const char *p, size_t n, long long *v) noexcept:
    return n <= 20 and string2ll(p, n, v)


cdef robj *set_create_for(const char *p, size_t n) except NULL:
    """An empty set of the encoding its first member calls for."""
    cdef long long v
    if member_as_int(p, n, &v):
        return set_new_intset()
    return set_new_ht()


cdef inline size_t set_size(robj *o) noexcept:
    if o.encoding == OBJ_ENCODING_INTSET:
        return intsetLen(<intset *>o.v.ptr)
    return dictSize(<dict_t *>o.v.ptr)


cdef int set_convert_to_ht(robj *o) except -1:
    cdef intset *s = <intset *>o.v.ptr
    cdef uint32_t i, n = intsetLen(s)
    cdef int64_t v
    cdef char buf[SET_MEMBER_BUF]
    cdef dict_t *d = dictCreate(&g_set_dict_type)
    if d == NULL:
        raise MemoryError()
    if n:
        dictExpand(d, n)
    for i in range(n):
        intsetGet(s, i, &v)
        if dictAddRaw(d, buf, fmtLongLong(buf, v), NULL) == NULL:
            dictRelease(d)
            raise MemoryError()
    intsetFree(s)
    o.v.ptr = d
    o.encoding = OBJ_ENCODING_HT
    return 0


cdef int set_add(robj *o, const char *p, size_t n) except -1:
    """1 when p was added, 0 when it was already a member."""
    cdef long long v
    cdef int ok
    cdef intset *s
    cdef dictEntry *existing = NULL
    if o.encoding == OBJ_ENCODING_INTSET:
        if member_as_int(p, n, &v):
            s = intsetAdd(<intset *>o.v.ptr, v, &ok)
            if s == NULL:
                raise MemoryError()
            o.v.ptr = s
            if ok and intsetLen(s) > cfg_set_max_intset_entries:
                set_convert_to_ht(o)
            return ok
        set_convert_to_ht(o)
    if dictAddRaw(<dict_t *>o.v.ptr, p, n, &existing) != NULL:
        return 1
    if existing == NULL:
        raise MemoryError()
    return 0


cdef bint set_remove(robj *o, const char *p, size_t n) noexcept:
    """p may point into the member's own entry (a random pick)."""
    cdef long long v
    cdef int ok
    cdef dict_t *d
    if o.encoding == OBJ_ENCODING_INTSET:
        if not member_as_int(p, n, &v):
            return False
        o.v.ptr = intsetRemove(<intset *>o.v.ptr, v, &ok)
        return ok
    d = <dict_t *>o.v.ptr
    if dictDelete(d, p, n) != DICT_OK:
        return False
    if dictNeedsShrink(d):
        dictResize(d)
    return True


cdef bint set_is_member(robj *o, const char *p, size_t n) noexcept:
    cdef long long v
    if o.encoding == OBJ_ENCODING_INTSET:
        return member_as_int(p, n, &v) and intsetFind(<intset *>o.v.ptr, v)
    return dictFind(<dict_t *>o.v.ptr, p, n) != NULL


cdef const char *set_random(robj *o, char *buf, size_t *n) noexcept:
    """A random member of a non-empty set: fair over the members for both
    encodings.  The bytes stay valid until the member is removed."""
    cdef dictEntry *de
    if o.encoding == OBJ_ENCODING_INTSET:
        n[0] = fmtLongLong(buf, intsetRandom(<intset *>o.v.ptr))
        return buf
    de = dictGetFairRandomKey(<dict_t *>o.v.ptr)
    n[0] = de.klen
    return <const char *>de.key


cdef struct SetIter:
    robj *o
    uint32_t pos
    dictIterator *di
    char buf[SET_MEMBER_BUF]


cdef int set_iter_init(SetIter *it, robj *o) except -1:
    """A safe iterator for hash tables: other sets (even the same one,
    as in SINTER k k) can be probed while it is open."""
    it.o = o
    it.pos = 0
    it.di = NULL
    if o.encoding == OBJ_ENCODING_HT:
        it.di = dictGetSafeIterator(<dict_t *>o.v.ptr)
        if it.di == NULL:
            raise MemoryError()
    return 0


cdef const char *set_iter_next(SetIter *it, size_t *n) noexcept:
    cdef int64_t v
    cdef dictEntry *de
    if it.di == NULL:
        if not intsetGet(<intset *>it.o.v.ptr, it.pos, &v):
            return NULL
        it.pos += 1
        n[0] = fmtLongLong(it.buf, v)
        return it.buf
    de = dictNext(it.di)
    if de == NULL:
        return NULL
    n[0] = de.klen
    return <const char *>de.key


cdef void set_iter_release(SetIter *it) noexcept:
    if it.di != NULL:
        dictReleaseIterator(it.di)
        it.di = NULL


cdef int reply_members(Client c, robj *o) except -1:
    """Every member as a bulk string (the caller wrote the length)."""
    cdef SetIter it
    cdef const char *p
    cdef size_t n
    set_iter_init(&it, o)
    p = set_iter_next(&it, &n)
    while p != NULL:
        replyBulk(&c.reply, p, n)
        p = set_iter_next(&it, &n)
    set_iter_release(&it)
    return 0


cdef int reply_dict_keys(Client c, dict_t *d) except -1:
    cdef dictIterator *it = dictGetIterator(d)
    cdef dictEntry *de
    if it == NULL:
        raise MemoryError()
    replyArrayLen(&c.reply, dictSize(d))
    de = dictNext(it)
    while de != NULL:
        replyBulk(&c.reply, de.key, de.klen)
        de = dictNext(it)
    dictReleaseIterator(it)
    return 0


cdef int store_result(Client c, int dst, robj *result, const char *event) except -1:
    """The *STORE ending: the result replaces the destination (any type,
    TTL dropped) and `event` is reported, or the destination is deleted
    when the result is empty; the reply is the result's size."""
    global g_dirty
    cdef size_t n = set_size(result)
    if n:
        db_set(c.db, c.argv[dst], c.argvlen[dst], result, False)
        arg_event(c, NOTIFY_SET, event, dst)
        g_dirty += 1
    else:
        objFree(result)
        delete_store_destination(c, dst)
    replyLongLong(&c.reply, n)
    return 0


cdef void delete_store_destination(Client c, int dst) noexcept:
    """An empty *STORE result: the destination goes (reported as del)."""
    global g_dirty
    if db_delete(c.db, c.argv[dst], c.argvlen[dst]):
        arg_event(c, NOTIFY_GENERIC, "del", dst)
        g_dirty += 1


# --- SADD SREM SMOVE ----------------------------------------------------------

cdef int cmd_sadd(Client c) except -1:
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef long long added = 0
    cdef int j
    if o == NULL:
        o = set_create_for(c.argv[2], c.argvlen[2])
        db_add(c.db, c.argv[1], c.argvlen[1], o)
    elif not check_type(c, o, OBJ_SET):
        return 0
    try:
        for j in range(2, c.argc):
            added += set_add(o, c.argv[j], c.argvlen[j])
    finally:
        if set_size(o) == 0:       # only after a failed first add
            db_delete(c.db, c.argv[1], c.argvlen[1])
    global g_dirty
    g_dirty += added
    if added:
        arg_event(c, NOTIFY_SET, "sadd", 1)
    replyLongLong(&c.reply, added)
    return 0


cdef int cmd_srem(Client c) except -1:
    return remove_members_generic(c, OBJ_SET, NOTIFY_SET, "srem")


cdef int cmd_smove(Client c) except -1:
    cdef robj *src = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef robj *dst = lookup_write(c.db, c.argv[2], c.argvlen[2])
    cdef const char *ele = c.argv[3]
    cdef size_t elen = c.argvlen[3]
    if src == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not check_type(c, src, OBJ_SET) or (dst != NULL and not check_type(c, dst, OBJ_SET)):
        return 0
    if src == dst:
        replyLongLong(&c.reply, set_is_member(src, ele, elen))
        return 0
    if not set_remove(src, ele, elen):
        replyLongLong(&c.reply, 0)
        return 0
    notify_keyspace_event(NOTIFY_SET, "srem", c.argv[1], c.argvlen[1], c.db.id)
    if set_size(src) == 0:
        db_delete(c.db, c.argv[1], c.argvlen[1])
        notify_keyspace_event(NOTIFY_GENERIC, "del", c.argv[1], c.argvlen[1], c.db.id)
    if dst == NULL:
        dst = set_create_for(ele, elen)
        db_add(c.db, c.argv[2], c.argvlen[2], dst)
    signal_modified_key(c.db, c.argv[1], c.argvlen[1])
    global g_dirty
    # one change for the removal, one more when the member was new in dst
    g_dirty += 1
    if set_add(dst, ele, elen):
        g_dirty += 1
        arg_event(c, NOTIFY_SET, "sadd", 2)
    replyLongLong(&c.reply, 1)
    return 0


# --- SISMEMBER SMISMEMBER SCARD -----------------------------------------------

cdef int cmd_sismember(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
    elif check_type(c, o, OBJ_SET):
        replyLongLong(&c.reply, set_is_member(o, c.argv[2], c.argvlen[2]))
    return 0


cdef int cmd_smismember(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef int j
    if o != NULL and not check_type(c, o, OBJ_SET):
        return 0
    replyArrayLen(&c.reply, c.argc - 2)
    for j in range(2, c.argc):
        replyLongLong(&c.reply, o != NULL and set_is_member(o, c.argv[j], c.argvlen[j]))
    return 0


cdef int cmd_scard(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
    elif check_type(c, o, OBJ_SET):
        replyLongLong(&c.reply, set_size(o))
    return 0


# --- SPOP SRANDMEMBER ----------------------------------------------------------

cdef int cmd_spop(Client c) except -1:
    cdef robj *o
    cdef char buf[SET_MEMBER_BUF]
    cdef const char *p
    cdef size_t n
    if c.argc == 3:
        return spop_with_count(c)
    if c.argc > 3:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_null(c)
        return 0
    if not check_type(c, o, OBJ_SET):
        return 0
    p = set_random(o, buf, &n)
    replyBulk(&c.reply, p, n)
    global g_dirty
    g_dirty += 1
    cdef replyBuf *b
    if g_prop_targets:
        b = prop_rewrite(3)
        replyBulk(b, b"SREM", 4)
        replyBulk(b, c.argv[1], c.argvlen[1])
        replyBulk(b, p, n)
    set_remove(o, p, n)
    arg_event(c, NOTIFY_SET, "spop", 1)
    if set_size(o) == 0:
        db_delete(c.db, c.argv[1], c.argvlen[1])
        notify_keyspace_event(NOTIFY_GENERIC, "del", c.argv[1], c.argvlen[1], c.db.id)
    return 0


cdef int spop_with_count(Client c) except -1:
    cdef long long count
    cdef robj *o
    cdef robj *rest = NULL
    cdef size_t size, remaining, n
    cdef char buf[SET_MEMBER_BUF]
    cdef const char *p
    if not string2ll(c.argv[2], c.argvlen[2], &count) or count < 0:
        replyErrorC(&c.reply, MSG_NOT_POSITIVE)
        return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replySetLen(&c.reply, c.resp, 0)
        return 0
    if not check_type(c, o, OBJ_SET):
        return 0
    if count == 0:
        replySetLen(&c.reply, c.resp, 0)
        return 0
    size = set_size(o)
    arg_event(c, NOTIFY_SET, "spop", 1)
    global g_dirty
    if <unsigned long long>count >= size:
        replySetLen(&c.reply, c.resp, size)
        reply_members(c, o)
        db_delete(c.db, c.argv[1], c.argvlen[1])
        notify_keyspace_event(NOTIFY_GENERIC, "del", c.argv[1], c.argvlen[1], c.db.id)
        g_dirty += size
        if g_prop_targets:
            prop_rewrite_key(b"DEL", 3, c.argv[1], c.argvlen[1])
        return 0
    remaining = size - <size_t>count
    replySetLen(&c.reply, c.resp, count)
    g_dirty += count
    if g_prop_targets:
        prop_prevent()          # one SREM per popped member instead
    if remaining * SPOP_MOVE_STRATEGY_MUL > <unsigned long long>count:
        while count > 0:
            p = set_random(o, buf, &n)
            replyBulk(&c.reply, p, n)
            if g_prop_targets:
                prop_srem(c, p, n)
            set_remove(o, p, n)
            count -= 1
        return 0
    # Few members stay: move them to a new set and hand out the old one.
    try:
        while remaining > 0:
            p = set_random(o, buf, &n)
            if rest == NULL:
                rest = set_create_for(p, n)
            set_add(rest, p, n)
            set_remove(o, p, n)
            remaining -= 1
    except:
        objFree(rest)
        raise
    reply_members(c, o)
    if g_prop_targets:
        prop_members_srem(c, o)
    db_set(c.db, c.argv[1], c.argvlen[1], rest, True)
    return 0


cdef int prop_srem(Client c, const char *p, size_t n) except -1:
    cdef replyBuf *b = prop_also(c.db.id, 3)
    replyBulk(b, b"SREM", 4)
    replyBulk(b, c.argv[1], c.argvlen[1])
    replyBulk(b, p, n)
    return 0


cdef int prop_members_srem(Client c, robj *o) except -1:
    """SREM key member for every member of o (the popped ones)."""
    cdef SetIter it
    cdef const char *p
    cdef size_t n
    set_iter_init(&it, o)
    try:
        p = set_iter_next(&it, &n)
        while p != NULL:
            prop_srem(c, p, n)
            p = set_iter_next(&it, &n)
    finally:
        set_iter_release(&it)
    return 0


cdef int cmd_srandmember(Client c) except -1:
    cdef robj *o
    cdef char buf[SET_MEMBER_BUF]
    cdef const char *p
    cdef size_t n
    if c.argc == 3:
        return srandmember_with_count(c)
    if c.argc > 3:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_null(c)
    elif check_type(c, o, OBJ_SET):
        p = set_random(o, buf, &n)
        replyBulk(&c.reply, p, n)
    return 0


cdef int srandmember_with_count(Client c) except -1:
    cdef long long l
    cdef unsigned long long count
    cdef bint uniq
    cdef robj *o
    cdef size_t size, n
    cdef char buf[SET_MEMBER_BUF]
    cdef const char *p
    cdef dict_t *d
    cdef dictEntry *de
    cdef SetIter it
    if not arg_ll(c, 2, &l):
        return 0
    if l == LLONG_MIN:
        replyErrorC(&c.reply, "ERR value is out of range, value must between "
                    "-9223372036854775807 and 9223372036854775807")
        return 0
    uniq = l >= 0
    count = <unsigned long long>(l if uniq else -l)
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyArrayLen(&c.reply, 0)
        return 0
    if not check_type(c, o, OBJ_SET):
        return 0
    if count == 0:
        replyArrayLen(&c.reply, 0)
        return 0
    # repeats allowed: independent draws, in draw order
    if not uniq or count == 1:
        replyArrayLen(&c.reply, count)
        while count > 0:
            p = set_random(o, buf, &n)
            replyBulk(&c.reply, p, n)
            count -= 1
        return 0
    size = set_size(o)
    if count >= size:
        replyArrayLen(&c.reply, size)
        return reply_members(c, o)
    d = dictCreate(&g_set_dict_type)
    if d == NULL:
        raise MemoryError()
    try:
        if count * SRANDMEMBER_SUB_STRATEGY_MUL > size:
            # most members are wanted: copy all, then drop random ones
            dictExpand(d, size)
            set_iter_init(&it, o)
            p = set_iter_next(&it, &n)
            while p != NULL:
                if dictAddRaw(d, p, n, NULL) == NULL:
                    set_iter_release(&it)
                    raise MemoryError()
                p = set_iter_next(&it, &n)
            set_iter_release(&it)
            while dictSize(d) > count:
                de = dictGetFairRandomKey(d)
                dictDelete(d, de.key, de.klen)
        else:
            # few members are wanted: draw until that many distinct ones
            while dictSize(d) < count:
                p = set_random(o, buf, &n)
                de = NULL
                if dictAddRaw(d, p, n, &de) == NULL and de == NULL:
                    raise MemoryError()
        reply_dict_keys(c, d)
    finally:
        dictRelease(d)
    return 0


# --- SINTER SINTERCARD SINTERSTORE SMEMBERS -------------------------------------

cdef int sinter_generic(Client c, int first, int nkeys, int dst, bint card_only,
                        long long limit) except -1:
    """dst: argv index of the destination key, or 0.  Members of the
    smallest set are probed in the others; a missing key makes the
    result empty (once every key passed the type check)."""
    cdef robj **sets = <robj **>zmalloc(nkeys * sizeof(robj *))
    cdef robj *o
    cdef robj *result = NULL
    cdef int i, j
    cdef long long card = 0
    cdef size_t at, n
    cdef const char *p
    cdef SetIter it
    cdef bint in_all
    cdef bint missing = False
    if sets == NULL:
        raise MemoryError()
    try:
        for j in range(nkeys):
            # a read lookup even for *STORE (keymiss, hit/miss stats: as 7.0)
            o = lookup_read(c.db, c.argv[first + j], c.argvlen[first + j])
            if o != NULL and not check_type(c, o, OBJ_SET):
                return 0
            sets[j] = o
            if o == NULL:
                missing = True
        if missing:
            if dst:
                delete_store_destination(c, dst)
                replyLongLong(&c.reply, 0)
            elif card_only:
                replyLongLong(&c.reply, 0)
            else:
                replySetLen(&c.reply, c.resp, 0)
            return 0
        # smallest first (insertion sort: nkeys is small)
        for i in range(1, nkeys):
            o = sets[i]
            j = i - 1
            while j >= 0 and set_size(sets[j]) > set_size(o):
                sets[j + 1] = sets[j]
                j -= 1
            sets[j + 1] = o
        if dst:
            result = set_new_intset()
        at = c.reply.len
        set_iter_init(&it, sets[0])
        try:
            p = set_iter_next(&it, &n)
            while p != NULL:
                in_all = True
                for j in range(1, nkeys):
                    if sets[j] != sets[0] and not set_is_member(sets[j], p, n):
                        in_all = False
                        break
                if in_all:
                    card += 1
                    if card_only:
                        if limit and card == limit:
                            break
                    elif dst:
                        set_add(result, p, n)
                    else:
                        replyBulk(&c.reply, p, n)
                p = set_iter_next(&it, &n)
        finally:
            set_iter_release(&it)
        if card_only:
            replyLongLong(&c.reply, card)
        elif dst:
            o = result
            result = NULL
            store_result(c, dst, o, "sinterstore")
        else:
            reply_set_len_at(c, at, card)
    finally:
        zfree(sets)
        if result != NULL:
            objFree(result)
    return 0


cdef int reply_set_len_at(Client c, size_t at, long n) except -1:
    cdef replyBuf head
    replyInit(&head)
    replySetLen(&head, c.resp, n)
    try:
        reply_insert(c, at, &head)
    finally:
        replyFree(&head)
    return 0


cdef int cmd_smembers(Client c) except -1:
    return sinter_generic(c, 1, 1, 0, False, 0)


cdef int cmd_sinter(Client c) except -1:
    return sinter_generic(c, 1, c.argc - 1, 0, False, 0)


cdef int cmd_sinterstore(Client c) except -1:
    return sinter_generic(c, 2, c.argc - 2, 1, False, 0)


cdef int cmd_sintercard(Client c) except -1:
    cdef long long numkeys, limit = 0
    cdef int j
    if not string2ll(c.argv[1], c.argvlen[1], &numkeys) or numkeys < 1:
        replyErrorC(&c.reply, "ERR numkeys should be greater than 0")
        return 0
    if numkeys > c.argc - 2:
        replyErrorC(&c.reply, "ERR Number of keys can't be greater than number of args")
        return 0
    j = 2 + <int>numkeys
    while j < c.argc:
        if arg_is(c, j, "limit") and j + 1 < c.argc:
            if not string2ll(c.argv[j + 1], c.argvlen[j + 1], &limit) or limit < 0:
                replyErrorC(&c.reply, "ERR LIMIT can't be negative")
                return 0
            j += 2
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    return sinter_generic(c, 2, <int>numkeys, 0, True, limit)


# --- SUNION SUNIONSTORE SDIFF SDIFFSTORE ------------------------------------------

cdef int sunion_diff_generic(Client c, int first, int nkeys, int dst, int op) except -1:
    """Missing keys count as empty sets, but every key is type-checked.
    The result is built as a set of its own (starting as an intset), then
    stored or sent."""
    cdef robj **sets = <robj **>zmalloc(nkeys * sizeof(robj *))
    cdef robj *o
    cdef robj *result = NULL
    cdef int i, j
    cdef size_t n
    cdef const char *p
    cdef SetIter it
    cdef bint keep
    if sets == NULL:
        raise MemoryError()
    try:
        for j in range(nkeys):
            # a read lookup even for *STORE (keymiss, hit/miss stats: as 7.0)
            o = lookup_read(c.db, c.argv[first + j], c.argvlen[first + j])
            if o != NULL and not check_type(c, o, OBJ_SET):
                return 0
            sets[j] = o
        result = set_new_intset()
        for j in range(nkeys if op == SET_OP_UNION else 1):
            if sets[j] == NULL:
                continue
            set_iter_init(&it, sets[j])
            try:
                p = set_iter_next(&it, &n)
                while p != NULL:
                    keep = True
                    if op == SET_OP_DIFF:
                        for i in range(1, nkeys):
                            if sets[i] != NULL and (sets[i] == sets[0] or set_is_member(sets[i], p, n)):
                                keep = False
                                break
                    if keep:
                        set_add(result, p, n)
                    p = set_iter_next(&it, &n)
            finally:
                set_iter_release(&it)
        o = result
        result = NULL
        if dst:
            store_result(c, dst, o, "sunionstore" if op == SET_OP_UNION else "sdiffstore")
        else:
            try:
                replySetLen(&c.reply, c.resp, set_size(o))
                reply_members(c, o)
            finally:
                objFree(o)
    finally:
        zfree(sets)
        if result != NULL:
            objFree(result)
    return 0


cdef int cmd_sunion(Client c) except -1:
    return sunion_diff_generic(c, 1, c.argc - 1, 0, SET_OP_UNION)


cdef int cmd_sunionstore(Client c) except -1:
    return sunion_diff_generic(c, 2, c.argc - 2, 1, SET_OP_UNION)


cdef int cmd_sdiff(Client c) except -1:
    return sunion_diff_generic(c, 1, c.argc - 1, 0, SET_OP_DIFF)


cdef int cmd_sdiffstore(Client c) except -1:
    return sunion_diff_generic(c, 2, c.argc - 2, 1, SET_OP_DIFF)


# --- SSCAN ---------------------------------------------------------------------------

cdef int cmd_sscan(Client c) except -1:
    """An intset is returned whole in one call with cursor 0, as Redis does
    for its compact encodings; a hash table is walked with the dict's
    reverse-binary cursor, about COUNT entries per call."""
    cdef unsigned long cursor
    cdef robj *o
    cdef ScanOpts opts
    cdef SetIter it
    cdef const char *p
    cdef size_t n, at
    cdef long emitted = 0
    if not parse_scan_cursor(c, 2, &cursor):
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_empty_scan(c)
        return 0
    if not check_type(c, o, OBJ_SET) or not parse_scan_options(c, 3, &opts, False):
        return 0
    if o.encoding == OBJ_ENCODING_HT:
        return reply_dict_scan(c, <dict_t *>o.v.ptr, cursor, &opts, NULL)
    at = c.reply.len
    set_iter_init(&it, o)
    p = set_iter_next(&it, &n)
    while p != NULL:
        if not opts.use_pattern or stringmatchlen(opts.pat, opts.patlen, p, <int>n, 0):
            replyBulk(&c.reply, p, n)
            emitted += 1
        p = set_iter_next(&it, &n)
    set_iter_release(&it)
    return reply_scan_head(c, at, 0, emitted)
