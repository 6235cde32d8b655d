# Hash commands.
#
# A hash is an robj of type OBJ_HASH in one of two encodings, as in Redis:
#   LISTPACK  v.ptr is a listpack (csrc/listpack.h) of field,value,field,
#             value...: small hashes, every field and value at most
#             hash-max-listpack-value bytes and at most
#             hash-max-listpack-entries pairs;
#   HT        v.ptr is a dict (csrc/dict.h): field bytes are the entry key,
#             the value is a value blob (below) owned by the entry.
# A hash moves from LISTPACK to HT the moment a write would break either
# limit (checked on every set, never on delete) and never back.
#
# Commands touch hashes only through the hash_* operations below (length,
# get, set, delete, iterate, random pick), so they never look at the
# encoding themselves.  Empty hashes do not exist: the command that removes
# the last field deletes the key.
from libc.stdint cimport uint32_t
from libc.string cimport memcpy

cdef extern from "<stdlib.h>" nogil:
    long random()

cdef extern from "listpack.h" nogil:
    unsigned char *lpNew(size_t capacity)
    void lpFree(unsigned char *lp)
    unsigned char *lpDup(const unsigned char *lp)
    size_t lpBytes(const unsigned char *lp)
    unsigned long lpLength(unsigned char *lp)
    unsigned char *lpFirst(unsigned char *lp)
    unsigned char *lpLast(unsigned char *lp)
    unsigned char *lpNext(unsigned char *lp, unsigned char *p)
    unsigned char *lpGet(unsigned char *p, uint32_t *slen, unsigned char *intbuf)
    unsigned char *lpAppend(unsigned char *lp, const unsigned char *s, uint32_t len)
    unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const unsigned char *s, uint32_t len)
    unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num)
    unsigned char *lpFind(unsigned char *lp, unsigned char *p, const unsigned char *s,
                          uint32_t len, unsigned int skip)

# A listpack is kept under 1 GB (Redis's lpSafeToAdd): beyond, hashtable.
cdef size_t HASH_LISTPACK_MAX_SAFETY_SIZE = 1 << 30

cdef dictType g_hash_dict_type


# --- value blobs ---------------------------------------------------------------
#
# A hashtable value is only ever read back as bytes, so it is kept as the
# bytes plus their length in one zmalloc block rather than a string robj
# (whose 8-byte header, NUL and INT form buy nothing here):
#
#     len < 255:   [len:1][bytes]
#     otherwise:   [255:1][len:size_t, unaligned][bytes]
#
# A value of up to 7 bytes fits the 8-byte size class.  Integers are stored
# as their text, which is what every reader wants.

cdef enum:
    HVAL_LONG = 255     # tag byte: a size_t length follows


cdef inline size_t hval_size(size_t n) noexcept nogil:
    """Bytes of the blob holding an n-byte value."""
    return 1 + n if n < HVAL_LONG else 1 + sizeof(size_t) + n


cdef inline void hval_write(unsigned char *b, const char *p, size_t n) noexcept nogil:
    if n < HVAL_LONG:
        b[0] = <unsigned char>n
        memcpy(b + 1, p, n)
    else:
        b[0] = HVAL_LONG
        memcpy(b + 1, &n, sizeof(size_t))
        memcpy(b + 1 + sizeof(size_t), p, n)


cdef inline unsigned char *hval_new(const char *p, size_t n) noexcept nogil:
    """A blob holding a copy of p[0:n], or NULL when out of memory."""
    cdef unsigned char *b = <unsigned char *>zmalloc(hval_size(n))
    if b != NULL:
        hval_write(b, p, n)
    return b


cdef inline const char *hval_ptr(const void *blob, size_t *len) noexcept nogil:
    cdef const unsigned char *b = <const unsigned char *>blob
    if b[0] != HVAL_LONG:
        len[0] = b[0]
        return <const char *>(b + 1)
    memcpy(len, b + 1, sizeof(size_t))
    return <const char *>(b + 1 + sizeof(size_t))


cdef inline unsigned char *hval_dup(const void *blob) noexcept nogil:
    cdef size_t n
    cdef const char *p = hval_ptr(blob, &n)
    return hval_new(p, n)


cdef void _hash_free_value(dictEntry *de) noexcept nogil:
    zfree(de.v.ptr)


cdef void _hash_free_payload(robj *o) noexcept:
    if o.encoding == OBJ_ENCODING_HT:
        dictRelease(<dict_t *>o.v.ptr)
    else:
        lpFree(<unsigned char *>o.v.ptr)


cdef robj *_hash_dup(const robj *o) noexcept:
    cdef robj *n = objCreate(OBJ_HASH, o.encoding, NULL)
    cdef dict_t *src
    cdef dict_t *dst
    cdef dictIterator *it
    cdef dictEntry *de
    cdef dictEntry *nde
    cdef unsigned char *v
    if n == NULL:
        return NULL
    n.lru = o.lru
    if o.encoding == OBJ_ENCODING_LISTPACK:
        n.v.ptr = lpDup(<const unsigned char *>o.v.ptr)
        if n.v.ptr == NULL:
            zfree(n)
            return NULL
        return n
    src = <dict_t *>o.v.ptr
    dst = dictCreate(&g_hash_dict_type)
    if dst == NULL:
        zfree(n)
        return NULL
    n.v.ptr = dst
    dictExpand(dst, dictSize(src))
    it = dictGetIterator(src)
    de = dictNext(it)
    while de != NULL:
        v = hval_dup(de.v.ptr)
        nde = dictAddRaw(dst, de.key, de.klen, NULL) if v != NULL else NULL
        if nde == NULL:
            zfree(v)
            dictReleaseIterator(it)
            dictRelease(dst)
            zfree(n)
            return NULL
        nde.v.ptr = v
        de = dictNext(it)
    dictReleaseIterator(it)
    return n


cdef int _hash_register() except -1:
    cdef objTypeOps ops
    g_hash_dict_type.valDestructor = _hash_free_value
    ops.freePayload = _hash_free_payload
    ops.dup = _hash_dup
    objRegisterType(OBJ_HASH, ops)
    return 0


_hash_register()


# --- hash operations ---------------------------------------------------------

cdef struct HashVal:
    # a field's value as bytes; buf holds listpack integers formatted as text
    const char *p
    size_t len
    char buf[32]


cdef robj *hash_create() except NULL:
    cdef unsigned char *lp = lpNew(0)
    cdef robj *o = objCreate(OBJ_HASH, OBJ_ENCODING_LISTPACK, lp) if lp != NULL else NULL
    if o == NULL:
        lpFree(lp)
        raise MemoryError()
    return o


cdef inline unsigned long hash_len(robj *o) noexcept:
    if o.encoding == OBJ_ENCODING_LISTPACK:
        return lpLength(<unsigned char *>o.v.ptr) // 2
    return dictSize(<dict_t *>o.v.ptr)


cdef inline unsigned char *lp_find_field(unsigned char *lp, const char *f, size_t fl) noexcept:
    """The field entry of f in a field,value listpack, or NULL."""
    cdef unsigned char *p = lpFirst(lp)
    if p == NULL:
        return NULL
    return lpFind(lp, p, <const unsigned char *>f, <uint32_t>fl, 1)


cdef bint hash_get(robj *o, const char *f, size_t fl, HashVal *v) noexcept:
    cdef dictEntry *de
    cdef unsigned char *lp
    cdef unsigned char *p
    cdef uint32_t n
    if o.encoding == OBJ_ENCODING_LISTPACK:
        lp = <unsigned char *>o.v.ptr
        p = lp_find_field(lp, f, fl)
        if p == NULL:
            return False
        v.p = <const char *>lpGet(lpNext(lp, p), &n, <unsigned char *>v.buf)
        v.len = n
        return True
    de = dictFind(<dict_t *>o.v.ptr, f, fl)
    if de == NULL:
        return False
    v.p = hval_ptr(de.v.ptr, &v.len)
    return True


cdef int hash_convert(robj *o) except -1:
    """LISTPACK -> HT, keeping every pair."""
    cdef unsigned char *lp = <unsigned char *>o.v.ptr
    cdef unsigned char *fp = lpFirst(lp)
    cdef unsigned char *vp
    cdef unsigned char *f
    cdef unsigned char *v
    cdef unsigned char fbuf[32]
    cdef unsigned char vbuf[32]
    cdef uint32_t fl, vl
    cdef dictEntry *de
    cdef unsigned char *val
    cdef dict_t *d = dictCreate(&g_hash_dict_type)
    if d == NULL:
        raise MemoryError()
    dictExpand(d, lpLength(lp) // 2)
    while fp != NULL:
        vp = lpNext(lp, fp)
        f = lpGet(fp, &fl, fbuf)
        v = lpGet(vp, &vl, vbuf)
        val = hval_new(<const char *>v, vl)
        de = dictAddRaw(d, f, fl, NULL) if val != NULL else NULL
        if de == NULL:
            zfree(val)
            dictRelease(d)
            raise MemoryError()
        de.v.ptr = val
        fp = lpNext(lp, vp)
    lpFree(lp)
    o.v.ptr = d
    o.encoding = OBJ_ENCODING_HT
    return 0


cdef int hash_set_listpack(robj *o, const char *f, size_t fl, const char *v, size_t vl) except -1:
    cdef unsigned char *lp = <unsigned char *>o.v.ptr
    cdef unsigned char *p = lp_find_field(lp, f, fl)
    cdef unsigned char *n
    cdef int added = p == NULL
    if p != NULL:
        p = lpNext(lp, p)
        n = lpReplace(lp, &p, <const unsigned char *>v, <uint32_t>vl)
        if n == NULL:
            raise MemoryError()
    else:
        n = lpAppend(lp, <const unsigned char *>f, <uint32_t>fl)
        if n == NULL:
            raise MemoryError()
        o.v.ptr = n
        n = lpAppend(n, <const unsigned char *>v, <uint32_t>vl)
        if n == NULL:
            # drop the lone field so the pairs stay aligned
            p = lpLast(<unsigned char *>o.v.ptr)
            o.v.ptr = lpDeleteRangeWithEntry(<unsigned char *>o.v.ptr, &p, 1)
            raise MemoryError()
    o.v.ptr = n
    return added


cdef int hash_set(robj *o, const char *f, size_t fl, const char *v, size_t vl) except -1:
    """Set a field; 1 when it was added, 0 when an existing value was replaced.
    A listpack hash becomes a hashtable when the field or value is longer
    than hash-max-listpack-value, or when it would grow past 1 GB (before
    the set) or past hash-max-listpack-entries pairs (after it).
    v must not point into the hash itself."""
    cdef dictEntry *existing = NULL
    cdef dictEntry *de
    cdef dict_t *d
    cdef unsigned char *val
    cdef int added
    if o.encoding == OBJ_ENCODING_LISTPACK:
        if <long long>fl > cfg_hash_max_listpack_value or \
           <long long>vl > cfg_hash_max_listpack_value or \
           lpBytes(<unsigned char *>o.v.ptr) + fl + vl > HASH_LISTPACK_MAX_SAFETY_SIZE:
            hash_convert(o)
        else:
            added = hash_set_listpack(o, f, fl, v, vl)
            if <long long>hash_len(o) > cfg_hash_max_listpack_entries:
                hash_convert(o)
            return added
    d = <dict_t *>o.v.ptr
    de = dictAddRaw(d, f, fl, &existing)
    if de != NULL:
        de.v.ptr = hval_new(v, vl)
        if de.v.ptr == NULL:
            dictDelete(d, f, fl)
            raise MemoryError()
        return 1
    if existing == NULL:
        raise MemoryError()
    # a value of the same size class (HINCRBY's usual case) is rewritten in
    # place: zrealloc keeps the block
    val = <unsigned char *>zrealloc(existing.v.ptr, hval_size(vl))
    if val == NULL:
        raise MemoryError()
    hval_write(val, v, vl)
    existing.v.ptr = val
    return 0


cdef bint hash_delete(robj *o, const char *f, size_t fl) noexcept:
    cdef dict_t *d = <dict_t *>o.v.ptr
    cdef unsigned char *p
    if o.encoding == OBJ_ENCODING_LISTPACK:
        p = lp_find_field(<unsigned char *>o.v.ptr, f, fl)
        if p == NULL:
            return False
        # shrinking never needs memory: lpDelete* cannot fail here
        o.v.ptr = lpDeleteRangeWithEntry(<unsigned char *>o.v.ptr, &p, 2)
        return True
    if dictDelete(d, f, fl) != DICT_OK:
        return False
    if dictNeedsShrink(d):
        dictResize(d)
    return True


cdef struct HashIter:
    robj *o
    dictIterator *di      # HT
    dictEntry *de
    unsigned char *fp     # LISTPACK: the current field entry
    bint started
    char fbuf[32]
    char vbuf[32]


cdef inline void hash_iter_init(HashIter *it, robj *o) noexcept:
    it.o = o
    it.de = NULL
    it.fp = NULL
    it.started = False
    it.di = dictGetIterator(<dict_t *>o.v.ptr) if o.encoding == OBJ_ENCODING_HT else NULL


cdef inline bint hash_iter_next(HashIter *it) noexcept:
    cdef unsigned char *lp
    if it.di != NULL:
        it.de = dictNext(it.di)
        return it.de != NULL
    lp = <unsigned char *>it.o.v.ptr
    if not it.started:
        it.started = True
        it.fp = lpFirst(lp)
    elif it.fp != NULL:
        it.fp = lpNext(lp, lpNext(lp, it.fp))
    return it.fp != NULL


cdef inline const char *lp_entry_bytes(unsigned char *p, char *buf, size_t *len) noexcept:
    cdef uint32_t n
    cdef const char *s = <const char *>lpGet(p, &n, <unsigned char *>buf)
    len[0] = n
    return s


cdef inline const char *hash_iter_field(HashIter *it, size_t *len) noexcept:
    if it.fp != NULL:
        return lp_entry_bytes(it.fp, it.fbuf, len)
    len[0] = it.de.klen
    return <const char *>it.de.key


cdef inline const char *hash_iter_value(HashIter *it, size_t *len) noexcept:
    if it.fp != NULL:
        return lp_entry_bytes(lpNext(<unsigned char *>it.o.v.ptr, it.fp), it.vbuf, len)
    return hval_ptr(it.de.v.ptr, len)


cdef inline void hash_iter_release(HashIter *it) noexcept:
    if it.di != NULL:
        dictReleaseIterator(it.di)
        it.di = NULL


# --- shared command paths ----------------------------------------------------

cdef robj *hash_lookup_write_or_create(Client c, bint *created) except? NULL:
    """The hash at argv[1] for writing, created empty (and not yet in the
    keyspace: the caller adds it once a field is set) when missing.  NULL
    after a WRONGTYPE reply."""
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    created[0] = False
    if o != NULL:
        return o if check_type(c, o, OBJ_HASH) else NULL
    created[0] = True
    return hash_create()


cdef int hash_store_created(Client c, robj *o, bint created) except -1:
    if created:
        db_add(c.db, c.argv[1], c.argvlen[1], o)
    return 0


cdef inline void reply_bytes(Client c, const char *p, size_t n) noexcept:
    replyBulk(&c.reply, p, n)


cdef inline void reply_hash_value(Client c, robj *o, const char *f, size_t fl) noexcept:
    cdef HashVal v
    if hash_get(o, f, fl, &v):
        replyBulk(&c.reply, v.p, v.len)
    else:
        reply_null(c)


# --- HSET HSETNX HMSET HDEL ---------------------------------------------------

cdef int hset_generic(Client c, bint reply_count) except -1:
    cdef bint created
    cdef robj *o
    cdef long long added = 0
    cdef int j
    if c.argc % 2 == 1:
        reply_arity_error(c, c.cmd)
        return 0
    o = hash_lookup_write_or_create(c, &created)
    if o == NULL:
        return 0
    try:
        j = 2
        while j < c.argc:
            added += hash_set(o, c.argv[j], c.argvlen[j], c.argv[j + 1], c.argvlen[j + 1])
            j += 2
    except MemoryError:
        if created:
            objFree(o)
        raise
    hash_store_created(c, o, created)
    global g_dirty
    g_dirty += (c.argc - 2) // 2
    arg_event(c, NOTIFY_HASH, "hset", 1)
    if reply_count:
        replyLongLong(&c.reply, added)
    else:
        replyOk(&c.reply)
    return 0


cdef int cmd_hset(Client c) except -1:
    return hset_generic(c, True)


cdef int cmd_hmset(Client c) except -1:
    return hset_generic(c, False)


cdef int cmd_hsetnx(Client c) except -1:
    cdef bint created
    cdef HashVal v
    cdef robj *o = hash_lookup_write_or_create(c, &created)
    if o == NULL:
        return 0
    if not created and hash_get(o, c.argv[2], c.argvlen[2], &v):
        replyLongLong(&c.reply, 0)
        return 0
    try:
        hash_set(o, c.argv[2], c.argvlen[2], c.argv[3], c.argvlen[3])
    except MemoryError:
        if created:
            objFree(o)
        raise
    hash_store_created(c, o, created)
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_HASH, "hset", 1)
    replyLongLong(&c.reply, 1)
    return 0


cdef int cmd_hdel(Client c) except -1:
    return remove_members_generic(c, OBJ_HASH, NOTIFY_HASH, "hdel")


# --- reads ---------------------------------------------------------------------

cdef robj *hash_lookup_read(Client c) noexcept:
    """The hash at argv[1], or NULL: missing (no reply written) or
    WRONGTYPE (replied); tell them apart with c.reply.len."""
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o != NULL and not check_type(c, o, OBJ_HASH):
        return NULL
    return o


cdef int cmd_hget(Client c) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = hash_lookup_read(c)
    if o != NULL:
        reply_hash_value(c, o, c.argv[2], c.argvlen[2])
    elif c.reply.len == at:
        reply_null(c)
    return 0


cdef int cmd_hmget(Client c) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = hash_lookup_read(c)
    cdef int j
    if o == NULL and c.reply.len != at:
        return 0
    replyArrayLen(&c.reply, c.argc - 2)
    for j in range(2, c.argc):
        if o == NULL:
            reply_null(c)
        else:
            reply_hash_value(c, o, c.argv[j], c.argvlen[j])
    return 0


cdef int cmd_hlen(Client c) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = hash_lookup_read(c)
    if o != NULL:
        replyLongLong(&c.reply, hash_len(o))
    elif c.reply.len == at:
        replyLongLong(&c.reply, 0)
    return 0


cdef int cmd_hstrlen(Client c) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = hash_lookup_read(c)
    cdef HashVal v
    if o != NULL:
        replyLongLong(&c.reply, v.len if hash_get(o, c.argv[2], c.argvlen[2], &v) else 0)
    elif c.reply.len == at:
        replyLongLong(&c.reply, 0)
    return 0


cdef int cmd_hexists(Client c) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = hash_lookup_read(c)
    cdef HashVal v
    if o != NULL:
        replyLongLong(&c.reply, hash_get(o, c.argv[2], c.argvlen[2], &v))
    elif c.reply.len == at:
        replyLongLong(&c.reply, 0)
    return 0


cdef enum:
    HASH_FIELDS = 1
    HASH_VALUES = 2


cdef int hgetall_generic(Client c, int what) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = hash_lookup_read(c)
    cdef HashIter it
    cdef const char *p
    cdef size_t n
    cdef bint both = what == (HASH_FIELDS | HASH_VALUES)
    if o == NULL:
        if c.reply.len == at:
            if both:
                replyMapLen(&c.reply, c.resp, 0)
            else:
                replyArrayLen(&c.reply, 0)
        return 0
    if both:
        replyMapLen(&c.reply, c.resp, hash_len(o))
    else:
        replyArrayLen(&c.reply, hash_len(o))
    hash_iter_init(&it, o)
    while hash_iter_next(&it):
        if what & HASH_FIELDS:
            p = hash_iter_field(&it, &n)
            replyBulk(&c.reply, p, n)
        if what & HASH_VALUES:
            p = hash_iter_value(&it, &n)
            replyBulk(&c.reply, p, n)
    hash_iter_release(&it)
    return 0


cdef int cmd_hkeys(Client c) except -1:
    return hgetall_generic(c, HASH_FIELDS)


cdef int cmd_hvals(Client c) except -1:
    return hgetall_generic(c, HASH_VALUES)


cdef int cmd_hgetall(Client c) except -1:
    return hgetall_generic(c, HASH_FIELDS | HASH_VALUES)


# --- HINCRBY HINCRBYFLOAT ------------------------------------------------------

cdef int cmd_hincrby(Client c) except -1:
    cdef long long incr, value = 0
    cdef bint created
    cdef robj *o
    cdef HashVal v
    cdef char buf[32]
    cdef int n
    if not arg_ll(c, 3, &incr):
        return 0
    o = hash_lookup_write_or_create(c, &created)
    if o == NULL:
        return 0
    if not created and hash_get(o, c.argv[2], c.argvlen[2], &v):
        if not string2ll(v.p, v.len, &value):
            replyErrorC(&c.reply, "ERR hash value is not an integer")
            return 0
    if (incr < 0 and value < 0 and incr < LLONG_MIN - value) or \
       (incr > 0 and value > 0 and incr > LLONG_MAX - value):
        if created:
            objFree(o)
        replyErrorC(&c.reply, "ERR increment or decrement would overflow")
        return 0
    value += incr
    n = fmtLongLong(buf, value)
    try:
        hash_set(o, c.argv[2], c.argvlen[2], buf, n)
    except MemoryError:
        if created:
            objFree(o)
        raise
    hash_store_created(c, o, created)
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_HASH, "hincrby", 1)
    replyLongLong(&c.reply, value)
    return 0


cdef int cmd_hincrbyfloat(Client c) except -1:
    cdef long double incr, value = 0
    cdef bint created
    cdef robj *o
    cdef HashVal v
    cdef char buf[5120]
    cdef int n
    if not arg_ld(c, 3, &incr):
        return 0
    if isnan_ld(incr) or isinf_ld(incr):
        replyErrorC(&c.reply, "ERR value is NaN or Infinity")
        return 0
    o = hash_lookup_write_or_create(c, &created)
    if o == NULL:
        return 0
    if not created and hash_get(o, c.argv[2], c.argvlen[2], &v):
        if v.len > 5000 or not string2ld(v.p, v.len, &value):
            replyErrorC(&c.reply, "ERR hash value is not a float")
            return 0
    value += incr
    if isnan_ld(value) or isinf_ld(value):
        if created:
            objFree(o)
        replyErrorC(&c.reply, "ERR increment would produce NaN or Infinity")
        return 0
    n = fmtHumanLongDouble(buf, sizeof(buf), value)
    try:
        hash_set(o, c.argv[2], c.argvlen[2], buf, n)
    except MemoryError:
        if created:
            objFree(o)
        raise
    hash_store_created(c, o, created)
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_HASH, "hincrbyfloat", 1)
    cdef replyBuf *b
    if g_prop_targets:
        # the result, not the increment (replay must not redo float math)
        b = prop_rewrite(4)
        replyBulk(b, b"HSET", 4)
        replyBulk(b, c.argv[1], c.argvlen[1])
        replyBulk(b, c.argv[2], c.argvlen[2])
        replyBulk(b, buf, n)
    replyBulk(&c.reply, buf, n)
    return 0


# --- HRANDFIELD ------------------------------------------------------------------

cdef int cmd_hrandfield(Client c) except -1:
    cdef long long count
    cdef bint withvalues = False
    cdef size_t at
    cdef robj *o
    cdef HashPick pick
    if c.argc == 2:
        at = c.reply.len
        o = hash_lookup_read(c)
        if o != NULL:
            hash_pick_init(&pick, o, False)
            hash_pick_random(&pick)
            reply_pick(c, &pick, False)
            hash_pick_release(&pick)
        elif c.reply.len == at:
            reply_null(c)
        return 0
    if not parse_random_count(c, "withvalues", &count, &withvalues):
        return 0
    return hrandfield_count(c, count, withvalues)


cdef int hrandfield_count(Client c, long long count, bint withvalues) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = hash_lookup_read(c)
    cdef unsigned long size
    cdef unsigned long long want
    cdef unsigned long long j
    cdef HashPick pick
    cdef HashIter it
    cdef bint resp2_flat = withvalues and c.resp == 2
    if o == NULL:
        if c.reply.len == at:
            replyArrayLen(&c.reply, 0)
        return 0
    if count == 0:
        replyArrayLen(&c.reply, 0)
        return 0
    size = hash_len(o)
    want = <unsigned long long>(-count if count < 0 else count)
    if count < 0 or count == 1:
        # repeats allowed: independent picks
        replyArrayLen(&c.reply, want * 2 if resp2_flat else want)
        hash_pick_init(&pick, o, False)
        try:
            for j in range(want):
                hash_pick_random(&pick)
                reply_pick(c, &pick, withvalues)
        finally:
            hash_pick_release(&pick)
        return 0
    if want >= size:
        # the whole hash
        replyArrayLen(&c.reply, size * 2 if resp2_flat else size)
        hash_iter_init(&it, o)
        while hash_iter_next(&it):
            reply_iter_pair(c, &it, withvalues)
        hash_iter_release(&it)
        return 0
    replyArrayLen(&c.reply, want * 2 if resp2_flat else want)
    hash_pick_init(&pick, o, True)
    try:
        hash_pick_unique(c, &pick, want, withvalues)
    finally:
        hash_pick_release(&pick)
    return 0


cdef inline void reply_pair(Client c, const char *f, size_t fl, const char *v, size_t vl,
                            bint withvalues) noexcept:
    if withvalues and c.resp > 2:
        replyArrayLen(&c.reply, 2)
    replyBulk(&c.reply, f, fl)
    if withvalues:
        replyBulk(&c.reply, v, vl)


cdef inline void reply_iter_pair(Client c, HashIter *it, bint withvalues) noexcept:
    cdef size_t fl, vl = 0
    cdef const char *f = hash_iter_field(it, &fl)
    cdef const char *v = hash_iter_value(it, &vl) if withvalues else NULL
    reply_pair(c, f, fl, v, vl, withvalues)


# Random picks.  A hashtable picks with dictGetFairRandomKey; a listpack
# (small by construction) and unique sampling of either use an array of
# every entry built once, so a pick is O(1) and unique sampling is a
# partial shuffle.
cdef struct HashPick:
    robj *o
    unsigned long n
    void **entries        # dictEntry* (HT) or field entry pointers (LISTPACK)
    unsigned long cur     # index of the last pick in entries
    dictEntry *de         # the last pick of a hashtable without entries


cdef int hash_pick_init(HashPick *p, robj *o, bint unique) except -1:
    cdef HashIter it
    cdef unsigned long i = 0
    p.o = o
    p.n = hash_len(o)
    p.cur = 0
    p.de = NULL
    p.entries = NULL
    if o.encoding == OBJ_ENCODING_HT and not unique:
        return 0
    p.entries = <void **>zmalloc(p.n * sizeof(void *) + 1)
    if p.entries == NULL:
        raise MemoryError()
    hash_iter_init(&it, o)
    while hash_iter_next(&it):
        p.entries[i] = it.fp if it.fp != NULL else <void *>it.de
        i += 1
    hash_iter_release(&it)
    return 0


cdef inline void hash_pick_release(HashPick *p) noexcept:
    zfree(p.entries)
    p.entries = NULL


cdef inline void hash_pick_random(HashPick *p) noexcept:
    if p.entries == NULL:
        p.de = dictGetFairRandomKey(<dict_t *>p.o.v.ptr)
    else:
        p.cur = <unsigned long>random() % p.n


cdef void reply_pick(Client c, HashPick *p, bint withvalues) noexcept:
    cdef dictEntry *de = p.de if p.entries == NULL else <dictEntry *>p.entries[p.cur]
    cdef unsigned char *fp
    cdef char buf[32]
    cdef char fbuf[32]
    cdef size_t fl, vl = 0
    cdef const char *f
    cdef const char *v = NULL
    if p.o.encoding == OBJ_ENCODING_LISTPACK:
        fp = <unsigned char *>p.entries[p.cur]
        f = lp_entry_bytes(fp, fbuf, &fl)
        if withvalues:
            v = lp_entry_bytes(lpNext(<unsigned char *>p.o.v.ptr, fp), buf, &vl)
        reply_pair(c, f, fl, v, vl, withvalues)
        return
    if withvalues:
        v = hval_ptr(de.v.ptr, &vl)
    reply_pair(c, <const char *>de.key, de.klen, v, vl, withvalues)


cdef void hash_pick_unique(Client c, HashPick *p, unsigned long long want,
                           bint withvalues) noexcept:
    """want distinct entries (want < n): a partial Fisher-Yates shuffle."""
    cdef unsigned long long i
    cdef unsigned long j
    cdef void *t
    for i in range(want):
        j = <unsigned long>(i + <unsigned long>random() % (p.n - i))
        t = p.entries[i]
        p.entries[i] = p.entries[j]
        p.entries[j] = t
        p.cur = <unsigned long>i
        reply_pick(c, p, withvalues)


# --- HSCAN -------------------------------------------------------------------------

cdef void _hscan_value(replyBuf *r, const dictEntry *de) noexcept:
    cdef size_t n
    cdef const char *p = hval_ptr(de.v.ptr, &n)
    replyBulk(r, p, n)


cdef int cmd_hscan(Client c) except -1:
    cdef unsigned long cursor
    cdef ScanOpts opts
    cdef robj *o
    if not parse_scan_cursor(c, 2, &cursor):
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_empty_scan(c)
        return 0
    if not check_type(c, o, OBJ_HASH):
        return 0
    if not parse_scan_options(c, 3, &opts, False):
        return 0
    if o.encoding == OBJ_ENCODING_LISTPACK:
        return hscan_listpack(c, o, &opts)
    return reply_dict_scan(c, <dict_t *>o.v.ptr, cursor, &opts, _hscan_value)


cdef int hscan_listpack(Client c, robj *o, ScanOpts *opts) except -1:
    """A listpack hash is small: every matching pair in one reply, cursor 0."""
    cdef HashIter it
    cdef size_t at = c.reply.len
    cdef long n = 0
    cdef const char *f
    cdef const char *v
    cdef size_t fl, vl
    hash_iter_init(&it, o)
    while hash_iter_next(&it):
        f = hash_iter_field(&it, &fl)
        if opts.use_pattern and not stringmatchlen(opts.pat, opts.patlen, f, <int>fl, 0):
            continue
        v = hash_iter_value(&it, &vl)
        replyBulk(&c.reply, f, fl)
        replyBulk(&c.reply, v, vl)
        n += 2
    hash_iter_release(&it)
    return reply_scan_head(c, at, 0, n)
