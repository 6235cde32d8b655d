# HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST.  An HLL is
# a plain string in Redis's exact format (csrc/hyperloglog.c has the
# layout); this file does lookups, type checks, replies, and keeps the
# string object raw and big enough while csrc/hyperloglog.c edits it.
from libc.string cimport memset, memcpy
from libc.stdio cimport snprintf
from libc.stdint cimport uint8_t, uint64_t

cdef size_t cfg_hll_sparse_max_bytes = 3000
cdef const char *MSG_HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value."
cdef const char *MSG_HLL_INVALID = "INVALIDOBJ Corrupted HLL object detected"


cdef int hll_check(Client c, robj *o) noexcept:
    """Redis's isHLLObjectOrReply: 1 ok, 0 after an error reply."""
    cdef char scratch[32]
    cdef size_t n
    cdef const uint8_t *p
    if not check_type(c, o, OBJ_STRING):
        return 0
    if o.encoding == OBJ_ENCODING_INT:
        replyErrorC(&c.reply, MSG_HLL_WRONGTYPE)
        return 0
    p = <const uint8_t *>objStrPtr(o, scratch, &n)
    if not hllIsValid(p, n):
        replyErrorC(&c.reply, MSG_HLL_WRONGTYPE)
        return 0
    return 1


cdef robj *hll_unshare(Client c, int i, robj *o) except NULL:
    """The HLL at argv[i] as a raw string we may edit in place."""
    if o.encoding == OBJ_ENCODING_RAW:
        return o
    cdef robj *n = objMakeRawWithCap(o, o.len)
    if n == NULL:
        raise MemoryError()
    if n != o:
        db_replace_value(c.db, c.argv[i], c.argvlen[i], n)
    return n


cdef robj *hll_create(Client c, int i) except NULL:
    cdef robj *o = objCreateRawString(NULL, 0, HLL_SPARSE_EMPTY_SIZE)
    if o == NULL:
        raise MemoryError()
    hllInitSparse(<uint8_t *>objRawPtr(o))
    o.len = HLL_SPARSE_EMPTY_SIZE
    objRawPtr(o)[o.len] = 0
    db_add(c.db, c.argv[i], c.argvlen[i], o)
    return o


cdef int hll_to_dense(robj *o) except -2:
    """Swap the sparse buffer of raw o for its dense form.  0 (also when
    already dense), -1 corrupt."""
    cdef uint8_t *p = <uint8_t *>objRawPtr(o)
    if p[4] == HLL_DENSE:
        return 0
    cdef uint8_t *dense = <uint8_t *>zmalloc(HLL_DENSE_SIZE + 1)
    if dense == NULL:
        raise MemoryError()
    memset(dense, 0, HLL_DENSE_SIZE + 1)
    if hllSparseToDense(p, o.len, dense) != 0:
        zfree(dense)
        return -1
    zfree(p)
    o.v.ptr = dense
    o.len = HLL_DENSE_SIZE
    return 0


cdef int hll_set(robj *o, long index, int count) except -2:
    """Register index = max(itself, count) in raw o: 1 changed, 0 not,
    -1 corrupt.  Sparse edits need 3 spare bytes; promotion to dense
    happens here."""
    cdef size_t length
    cdef int r
    cdef uint8_t *p = <uint8_t *>objRawPtr(o)
    if p[4] == HLL_DENSE:
        return hllDenseSet(p + HLL_HDR_SIZE, index, <uint8_t>count)
    if p[4] != HLL_SPARSE:
        return -1
    if objMakeRawWithCap(o, o.len + 3) != o:
        raise MemoryError()
    length = o.len
    r = hllSparseSet(<uint8_t *>objRawPtr(o), &length, index, <uint8_t>count,
                     cfg_hll_sparse_max_bytes)
    o.len = <uint32_t>length
    if r != HLL_PROMOTE:
        return r
    if hll_to_dense(o) != 0:
        return -1
    return hllDenseSet(<uint8_t *>objRawPtr(o) + HLL_HDR_SIZE, index, <uint8_t>count)


cdef int cmd_pfadd(Client c) except -1:
    global g_dirty
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef int updated = 0, j, r
    cdef long index
    cdef int count
    if o == NULL:
        o = hll_create(c, 1)
        updated = 1
    else:
        if not hll_check(c, o):
            return 0
        o = hll_unshare(c, 1, o)
    for j in range(2, c.argc):
        count = hllPatLen(<const unsigned char *>c.argv[j], c.argvlen[j], &index)
        r = hll_set(o, index, count)
        if r == -1:
            replyErrorC(&c.reply, MSG_HLL_INVALID)
            return 0
        updated += r
    if updated:
        hllInvalidateCache(<uint8_t *>objRawPtr(o))
        g_dirty += updated
        arg_event(c, NOTIFY_STRING, "pfadd", 1)
    replyLongLong(&c.reply, 1 if updated else 0)
    return 0


cdef int hll_merge_into(Client c, uint8_t *max, robj *o, bint *dense) noexcept:
    """max[i] = MAX(max[i], register i of o).  1 ok, 0 after replying."""
    cdef char scratch[32]
    cdef size_t n
    cdef const uint8_t *p
    if not hll_check(c, o):
        return 0
    p = <const uint8_t *>objStrPtr(o, scratch, &n)
    if dense != NULL and p[4] == HLL_DENSE:
        dense[0] = True
    if hllMerge(max, p, n) != 0:
        replyErrorC(&c.reply, MSG_HLL_INVALID)
        return 0
    return 1


cdef int cmd_pfcount(Client c) except -1:
    global g_dirty
    cdef uint8_t raw[HLL_HDR_SIZE + HLL_REGISTERS]
    cdef int j, invalid = 0
    cdef robj *o
    cdef uint8_t *p
    cdef uint64_t card
    if c.argc > 2:
        memset(raw, 0, sizeof(raw))
        raw[4] = HLL_RAW
        for j in range(1, c.argc):
            o = lookup_read(c.db, c.argv[j], c.argvlen[j])
            if o != NULL and not hll_merge_into(c, raw + HLL_HDR_SIZE, o, NULL):
                return 0
        replyLongLong(&c.reply, hllCount(raw, sizeof(raw), NULL))
        return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not hll_check(c, o):
        return 0
    o = hll_unshare(c, 1, o)
    p = <uint8_t *>objRawPtr(o)
    if hllValidCache(p):
        card = hllGetCache(p)
    else:
        card = hllCount(p, o.len, &invalid)
        if invalid:
            replyErrorC(&c.reply, MSG_HLL_INVALID)
            return 0
        # a read that rewrites the cached value: replicas must see it
        hllSetCache(p, card)
        signal_modified_key(c.db, c.argv[1], c.argvlen[1])
        g_dirty += 1
    replyLongLong(&c.reply, <long long>card)
    return 0


cdef int cmd_pfmerge(Client c) except -1:
    global g_dirty
    cdef uint8_t max[HLL_REGISTERS]
    cdef bint dense = False
    cdef int j
    cdef robj *o
    memset(max, 0, sizeof(max))
    for j in range(1, c.argc):
        o = lookup_read(c.db, c.argv[j], c.argvlen[j])
        if o != NULL and not hll_merge_into(c, max, o, &dense):
            return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        o = hll_create(c, 1)
    else:
        o = hll_unshare(c, 1, o)
    if dense and hll_to_dense(o) != 0:
        replyErrorC(&c.reply, MSG_HLL_INVALID)
        return 0
    for j in range(HLL_REGISTERS):
        if max[j]:
            hll_set(o, j, max[j])
    hllInvalidateCache(<uint8_t *>objRawPtr(o))
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "pfadd", 1)
    replyOk(&c.reply)
    return 0


cdef int cmd_pfdebug(Client c) except -1:
    global g_dirty
    cdef robj *o = lookup_write(c.db, c.argv[2], c.argvlen[2])
    cdef uint8_t *p
    cdef int j
    cdef bint conv = False
    cdef size_t n
    cdef bytes text
    if o == NULL:
        replyErrorC(&c.reply, "ERR The specified key does not exist")
        return 0
    if not hll_check(c, o):
        return 0
    o = hll_unshare(c, 2, o)
    p = <uint8_t *>objRawPtr(o)
    if arg_is(c, 1, "getreg") or arg_is(c, 1, "todense"):
        if p[4] == HLL_SPARSE:
            if hll_to_dense(o) != 0:
                replyErrorC(&c.reply, MSG_HLL_INVALID)
                return 0
            conv = True
            g_dirty += 1
        if arg_is(c, 1, "todense"):
            replyLongLong(&c.reply, 1 if conv else 0)
            return 0
        p = <uint8_t *>objRawPtr(o)
        replyArrayLen(&c.reply, HLL_REGISTERS)
        for j in range(HLL_REGISTERS):
            replyLongLong(&c.reply, hllDenseGet(p + HLL_HDR_SIZE, j))
    elif arg_is(c, 1, "decode"):
        if p[4] != HLL_SPARSE:
            replyErrorC(&c.reply, "ERR HLL encoding is not sparse")
            return 0
        n = hllSparseDecode(p, o.len, NULL, 0)
        text = b"\0" * (n + 1)
        hllSparseDecode(p, o.len, <char *>text, n + 1)
        replyBulk(&c.reply, <char *>text, n)
    elif arg_is(c, 1, "encoding"):
        replyStatusC(&c.reply, "dense" if p[4] == HLL_DENSE else "sparse")
    else:
        reply_error_fmt(c, "ERR Unknown PFDEBUG subcommand '%s'"
                        % c.argv[1][:c.argvlen[1]].decode("utf-8", "replace"))
    return 0


cdef int cmd_pfselftest(Client c) except -1:
    """Redis's PFSELFTEST checks its own register macros and estimator;
    ours checks the same properties of csrc/hyperloglog.c: dense register
    round trips, and sparse and dense forms counting alike with the
    expected relative error while elements are added."""
    cdef uint8_t dense[HLL_DENSE_SIZE + 1]
    cdef uint8_t sparse[HLL_DENSE_SIZE + 4]
    cdef uint8_t promoted[HLL_DENSE_SIZE + 1]
    cdef size_t slen = HLL_SPARSE_EMPTY_SIZE
    cdef long j, index
    cdef int count, r, n
    cdef uint64_t a, b
    cdef bint is_sparse = True
    cdef char ele[32]
    cdef double relerr = 1.04 / 128.0
    memset(dense, 0, sizeof(dense))
    for j in range(HLL_REGISTERS):
        hllDenseSet(dense + HLL_HDR_SIZE, j, <uint8_t>((j * 7) % 64) or 1)
    for j in range(HLL_REGISTERS):
        if hllDenseGet(dense + HLL_HDR_SIZE, j) != (((j * 7) % 64) or 1):
            replyErrorC(&c.reply, "ERR TESTFAILED Register error")
            return 0
    memset(dense, 0, sizeof(dense))
    memcpy(dense, b"HYLL", 4)
    hllInitSparse(sparse)
    for j in range(1, 100001):
        n = snprintf(ele, sizeof(ele), "%ld", j)
        count = hllPatLen(<const unsigned char *>ele, n, &index)
        hllDenseSet(dense + HLL_HDR_SIZE, index, <uint8_t>count)
        if is_sparse:
            r = hllSparseSet(sparse, &slen, index, <uint8_t>count, 3000)
            if r == HLL_PROMOTE:
                memset(promoted, 0, sizeof(promoted))
                hllSparseToDense(sparse, slen, promoted)
                is_sparse = False
        if j % 1000 == 0 or j < 1000:
            a = hllCount(dense, HLL_DENSE_SIZE, NULL)
            if is_sparse:
                b = hllCount(sparse, slen, NULL)
                if a != b:
                    replyErrorC(&c.reply, "ERR TESTFAILED sparse and dense counts differ")
                    return 0
            if abs(<double>a - j) > 5 * relerr * j + 1:
                reply_error_fmt(c, "ERR TESTFAILED Too big error. card:%d abserr:%d" % (j, abs(<long long>a - j)))
                return 0
    replyOk(&c.reply)
    return 0
