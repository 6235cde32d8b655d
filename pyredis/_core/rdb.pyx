# RDB value codec: how one value is written to and read from an RDB stream
# (csrc/rio.h), byte-compatible with Redis 7.0.  DUMP/RESTORE (t_dump.pyx)
# and the RDB file layer build on this file; it knows nothing of files,
# keys or expiry.
#
# Saving writes exactly what Redis 7.0 writes for the same in-memory value:
#   string            INT8/16/32 for canonical integers that fit 32 bits,
#                     LZF when rdbcompression is on, the string is longer
#                     than 20 bytes and LZF saves at least 4 bytes, else raw
#   list (quicklist)  LIST_QUICKLIST_2: node count, then per node its
#                     container kind (PACKED) and its listpack as a string
#   set               intset -> SET_INTSET (the blob); hashtable -> SET
#   sorted set        listpack -> ZSET_LISTPACK (the blob); skiplist ->
#                     ZSET_2: members from the highest score to the lowest,
#                     each with its score as a little-endian binary double
#   hash              listpack -> HASH_LISTPACK (the blob); hashtable -> HASH
# Hashtable-encoded sets and hashes come out in our dict's order, which is
# not Redis's: those payloads load into the same value but differ in bytes.
#
# Loading accepts every value type Redis 7.0 loads (streams and modules
# excepted, for now) including the pre-7.0 ziplist, zipmap, LIST and ZSET
# types, and picks the in-memory encoding as Redis's loader does, given
# the *-max-listpack-* / set-max-intset-entries limits.  The input is
# untrusted (RESTORE takes it from any client): every length is checked
# against the bytes the stream still holds before anything is allocated
# for it, every blob (listpack, intset, ziplist, zipmap) is validated
# before use, and duplicate members, empty values, odd field/value counts
# and NaN scores are refused.  Redis skips the per-entry blob checks and
# the duplicate checks unless sanitize-dump-payload says otherwise, then
# may crash on a later command; here they always run (they are linear and
# cheap), so sanitize-dump-payload only decides what is counted as a
# sanitization in INFO.
#
# Nothing here creates Python objects per key or per element: the save
# path runs in a forked child and both paths are timed against Redis.
# Every function returns -1 (or NULL) on error and never raises.
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy, memcmp
from libc.stdlib cimport strtod
from libc.math cimport isnan, INFINITY, NAN

include "rdbconsts.pxi"

cdef extern from "listpack.h" nogil:
    int lpValidateIntegrity(const unsigned char *lp, size_t size, int deep)
    unsigned char *lpAppendInteger(unsigned char *lp, long long v)

cdef extern from "intset.h" nogil:
    int intsetValidateIntegrity(const unsigned char *blob, size_t size, int deep)

# our names for the quicklist structures (t_list.pyx declares them opaque)
cdef extern from "quicklist.h" nogil:
    ctypedef struct rdb_qlnode "quicklistNode":
        rdb_qlnode *next
        unsigned char *lp
        uint32_t sz
        uint32_t count
    ctypedef struct rdb_quicklist "quicklist":
        rdb_qlnode *head
        unsigned long count
        unsigned long len
    int quicklistAppendListpack(rdb_quicklist *ql, unsigned char *lp)

cdef bint cfg_rdb_compression = True
cdef int cfg_sanitize_dump_payload = SANITIZE_DUMP_NO
cdef long long g_dump_payload_sanitizations = 0

cdef enum:
    # strings up to this size are loaded into RdbStr.buf without allocating
    RDB_STR_INLINE = 64
    # a listpack (or the text of one) never grows past 1 GB (lpSafeToAdd)
    LISTPACK_MAX_SAFETY_SIZE = 1 << 30
    # an LZF stream expands at most 88 times (3 input bytes -> 264 output)
    LZF_MAX_RATIO = 88
    RDB_LP_INTBUF = 21          # LP_INTBUF_SIZE
    RDB_DICT_INITIAL = 4        # DICT_HT_INITIAL_SIZE

# scratch buffers reused across calls: the LZF output when saving, the
# compressed bytes when loading
cdef unsigned char *g_lzf_buf = NULL
cdef size_t g_lzf_cap = 0


cdef unsigned char *lzf_scratch(size_t n) noexcept:
    global g_lzf_buf, g_lzf_cap
    cdef unsigned char *b
    if n > g_lzf_cap:
        b = <unsigned char *>zrealloc(g_lzf_buf, n)
        if b == NULL:
            return NULL
        g_lzf_buf = b
        g_lzf_cap = n
    return g_lzf_buf


cdef bint rdb_is_object_type(int t) noexcept:
    return (0 <= t <= 7) or (9 <= t <= 19)


# --- saving -------------------------------------------------------------------

cdef inline int rdb_write(rio *r, const void *p, size_t n) noexcept:
    return <int>n if rioWrite(r, p, n) else -1


cdef int rdb_save_type(rio *r, unsigned char t) noexcept:
    return rdb_write(r, &t, 1)


cdef int rdb_save_len(rio *r, uint64_t n) noexcept:
    cdef unsigned char b[9]
    cdef int k
    if n < (1 << 6):
        b[0] = <unsigned char>n
        return rdb_write(r, b, 1)
    if n < (1 << 14):
        b[0] = <unsigned char>((n >> 8) | (RDB_14BITLEN << 6))
        b[1] = <unsigned char>(n & 0xFF)
        return rdb_write(r, b, 2)
    if n <= 0xFFFFFFFF:
        b[0] = RDB_32BITLEN
        for k in range(4):
            b[1 + k] = <unsigned char>((n >> (24 - 8 * k)) & 0xFF)
        return rdb_write(r, b, 5)
    b[0] = RDB_64BITLEN
    for k in range(8):
        b[1 + k] = <unsigned char>((n >> (56 - 8 * k)) & 0xFF)
    return rdb_write(r, b, 9)


cdef int rdb_save_millis(rio *r, long long ms) noexcept:
    cdef unsigned char b[8]
    cdef uint64_t u = <uint64_t>ms
    cdef int k
    for k in range(8):
        b[k] = <unsigned char>((u >> (8 * k)) & 0xFF)
    return rdb_write(r, b, 8)


cdef int rdb_save_double_binary(rio *r, double d) noexcept:
    cdef uint64_t u
    cdef unsigned char b[8]
    cdef int k
    memcpy(&u, &d, 8)
    for k in range(8):
        b[k] = <unsigned char>((u >> (8 * k)) & 0xFF)
    return rdb_write(r, b, 8)


cdef inline int encode_int(long long v, unsigned char *b) noexcept:
    """The INT8/16/32 special encoding of v into b; 0 when v needs more
    than 32 bits."""
    if -128 <= v <= 127:
        b[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT8
        b[1] = <unsigned char>(v & 0xFF)
        return 2
    if -32768 <= v <= 32767:
        b[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT16
        b[1] = <unsigned char>(v & 0xFF)
        b[2] = <unsigned char>((v >> 8) & 0xFF)
        return 3
    if -2147483648 <= v <= 2147483647:
        b[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT32
        b[1] = <unsigned char>(v & 0xFF)
        b[2] = <unsigned char>((v >> 8) & 0xFF)
        b[3] = <unsigned char>((v >> 16) & 0xFF)
        b[4] = <unsigned char>((v >> 24) & 0xFF)
        return 5
    return 0


cdef int rdb_save_lzf_blob(rio *r, const void *data, size_t clen, size_t ulen) noexcept:
    cdef unsigned char t = (RDB_ENCVAL << 6) | RDB_ENC_LZF
    cdef int a, b, c
    if rdb_write(r, &t, 1) < 0:
        return -1
    a = rdb_save_len(r, clen)
    b = rdb_save_len(r, ulen) if a >= 0 else -1
    c = rdb_write(r, data, clen) if b >= 0 else -1
    if c < 0:
        return -1
    return 1 + a + b + c


cdef int rdb_save_string(rio *r, const char *p, size_t n) noexcept:
    """A string with Redis's choice of encoding (see the top comment)."""
    cdef unsigned char b[5]
    cdef long long v
    cdef int k, h
    cdef size_t clen
    cdef unsigned char *out
    if n <= 11 and string2ll(p, n, &v):
        k = encode_int(v, b)
        if k:
            return rdb_write(r, b, k)
    if cfg_rdb_compression and n > 20:
        # worth it only when at least 4 bytes are saved
        out = lzf_scratch(n - 4 + 1)
        if out != NULL:
            clen = lzfCompress(p, n, out, n - 4)
            if clen:
                return rdb_save_lzf_blob(r, out, clen, n)
    h = rdb_save_len(r, n)
    if h < 0:
        return -1
    if n and rdb_write(r, p, n) < 0:
        return -1
    return h + <int>n


cdef int rdb_save_ll_string(rio *r, long long v) noexcept:
    """An INT-encoded string object: the special encoding when it fits,
    else the decimal text."""
    cdef unsigned char b[32]
    cdef int k = encode_int(v, b)
    cdef int h
    if k:
        return rdb_write(r, b, k)
    k = fmtLongLong(<char *>b, v)
    h = rdb_save_len(r, k)
    if h < 0 or rdb_write(r, b, k) < 0:
        return -1
    return h + k


cdef int rdb_save_object_type(rio *r, robj *o) noexcept:
    cdef unsigned char t
    if o.type == OBJ_STRING:
        t = RDB_TYPE_STRING
    elif o.type == OBJ_LIST:
        t = RDB_TYPE_LIST_QUICKLIST_2
    elif o.type == OBJ_SET:
        t = RDB_TYPE_SET_INTSET if o.encoding == OBJ_ENCODING_INTSET else RDB_TYPE_SET
    elif o.type == OBJ_ZSET:
        t = RDB_TYPE_ZSET_LISTPACK if o.encoding == OBJ_ENCODING_LISTPACK else RDB_TYPE_ZSET_2
    elif o.type == OBJ_HASH:
        t = RDB_TYPE_HASH_LISTPACK if o.encoding == OBJ_ENCODING_LISTPACK else RDB_TYPE_HASH
    elif o.type == OBJ_STREAM:
        t = RDB_TYPE_STREAM_LISTPACKS_2
    else:
        return -1
    return rdb_save_type(r, t)


cdef int _save_quicklist(rio *r, rdb_quicklist *ql) noexcept:
    cdef rdb_qlnode *n = ql.head
    if rdb_save_len(r, ql.len) < 0:
        return -1
    while n != NULL:
        if rdb_save_len(r, QUICKLIST_NODE_CONTAINER_PACKED) < 0 or \
           rdb_save_string(r, <const char *>n.lp, n.sz) < 0:
            return -1
        n = n.next
    return 0


cdef int _save_dict_keys(rio *r, dict_t *d, bint with_hval) noexcept:
    """A set (members) or hash (field, value pairs) in dict order."""
    cdef dictIterator *it
    cdef dictEntry *de
    cdef const char *v
    cdef size_t vl
    if rdb_save_len(r, dictSize(d)) < 0:
        return -1
    it = dictGetIterator(d)
    if it == NULL:
        return -1
    de = dictNext(it)
    while de != NULL:
        if rdb_save_string(r, <const char *>de.key, de.klen) < 0:
            dictReleaseIterator(it)
            return -1
        if with_hval:
            v = hval_ptr(de.v.ptr, &vl)
            if rdb_save_string(r, v, vl) < 0:
                dictReleaseIterator(it)
                return -1
        de = dictNext(it)
    dictReleaseIterator(it)
    return 0


cdef int _save_skiplist(rio *r, ZSet *zs) noexcept:
    # highest score first: loading then inserts each node at the head of
    # the skiplist, the cheapest place
    cdef zskiplistNode *x = zs.zsl.tail
    if rdb_save_len(r, zs.zsl.length) < 0:
        return -1
    while x != NULL:
        if rdb_save_string(r, <const char *>x.ele, x.len) < 0 or \
           rdb_save_double_binary(r, x.score) < 0:
            return -1
        x = x.backward
    return 0


cdef int rdb_save_object(rio *r, robj *o) noexcept:
    """The value of o (after its type byte).  0 ok, -1 on error; rioTell
    gives the bytes written."""
    cdef int rc
    cdef unsigned char *lp
    if o.type == OBJ_STRING:
        if o.encoding == OBJ_ENCODING_INT:
            rc = rdb_save_ll_string(r, o.v.ll)
        elif o.encoding == OBJ_ENCODING_EMBSTR:
            rc = rdb_save_string(r, (<char *>o) + 8, o.len)
        else:
            rc = rdb_save_string(r, <const char *>o.v.ptr, o.len)
    elif o.type == OBJ_LIST:
        rc = _save_quicklist(r, <rdb_quicklist *>o.v.ptr)
    elif o.type == OBJ_SET:
        if o.encoding == OBJ_ENCODING_INTSET:
            rc = rdb_save_string(r, <const char *>o.v.ptr, intsetBlobLen(<intset *>o.v.ptr))
        else:
            rc = _save_dict_keys(r, <dict_t *>o.v.ptr, False)
    elif o.type == OBJ_ZSET:
        if o.encoding == OBJ_ENCODING_LISTPACK:
            lp = <unsigned char *>o.v.ptr
            rc = rdb_save_string(r, <const char *>lp, lpBytes(lp))
        else:
            rc = _save_skiplist(r, <ZSet *>o.v.ptr)
    elif o.type == OBJ_HASH:
        if o.encoding == OBJ_ENCODING_LISTPACK:
            lp = <unsigned char *>o.v.ptr
            rc = rdb_save_string(r, <const char *>lp, lpBytes(lp))
        else:
            rc = _save_dict_keys(r, <dict_t *>o.v.ptr, True)
    elif o.type == OBJ_STREAM:
        rc = rdb_save_stream(r, <stream *>o.v.ptr)     # rdb_stream.pyx
    else:
        return -1
    return -1 if rc < 0 else 0


# --- loading: primitives --------------------------------------------------------

cdef int rdb_load_type(rio *r) noexcept:
    cdef unsigned char t
    if not rioRead(r, &t, 1):
        return -1
    return t


cdef int rdb_load_len(rio *r, uint64_t *n, bint *isencoded) noexcept:
    """0 with *n set, or -1.  A special string encoding (two high bits
    set) puts its kind in *n and sets *isencoded when given; where no
    encoding is expected (isencoded NULL) Redis reads those bits as a
    6-bit length, and so does this."""
    cdef unsigned char b[8]
    cdef int kind
    cdef int k
    cdef uint64_t v = 0
    if isencoded != NULL:
        isencoded[0] = False
    if not rioRead(r, b, 1):
        return -1
    kind = (b[0] & 0xC0) >> 6
    if kind == RDB_ENCVAL:
        if isencoded != NULL:
            isencoded[0] = True
        n[0] = b[0] & 0x3F
    elif kind == RDB_6BITLEN:
        n[0] = b[0] & 0x3F
    elif kind == RDB_14BITLEN:
        v = (b[0] & 0x3F) << 8
        if not rioRead(r, b, 1):
            return -1
        n[0] = v | b[0]
    elif b[0] == RDB_32BITLEN:
        if not rioRead(r, b, 4):
            return -1
        for k in range(4):
            v = (v << 8) | b[k]
        n[0] = v
    elif b[0] == RDB_64BITLEN:
        if not rioRead(r, b, 8):
            return -1
        for k in range(8):
            v = (v << 8) | b[k]
        n[0] = v
    else:
        return -1
    return 0


cdef int rdb_load_u64_le(rio *r, uint64_t *v) noexcept:
    """Eight bytes, little-endian (millisecond times, binary doubles, the
    file checksum)."""
    cdef unsigned char b[8]
    cdef uint64_t u = 0
    cdef int k
    if not rioRead(r, b, 8):
        return -1
    for k in range(7, -1, -1):
        u = (u << 8) | b[k]
    v[0] = u
    return 0


cdef int rdb_load_millis(rio *r, long long *ms) noexcept:
    cdef uint64_t u
    if rdb_load_u64_le(r, &u) < 0:
        return -1
    ms[0] = <long long>u
    return 0


cdef int rdb_load_double_binary(rio *r, double *d) noexcept:
    cdef uint64_t u
    if rdb_load_u64_le(r, &u) < 0:
        return -1
    memcpy(d, &u, 8)
    return 0


cdef int rdb_load_double_string(rio *r, double *d) noexcept:
    """The pre-RDB-8 score format: a length byte (253 nan, 254 +inf,
    255 -inf) then that many bytes of text, read as scanf's %lg does."""
    cdef unsigned char n
    cdef char buf[256]
    cdef char *end
    if not rioRead(r, &n, 1):
        return -1
    if n == 255:
        d[0] = -INFINITY
        return 0
    if n == 254:
        d[0] = INFINITY
        return 0
    if n == 253:
        d[0] = NAN
        return 0
    if not rioRead(r, buf, n):
        return -1
    buf[n] = 0
    d[0] = strtod(buf, &end)
    return 0 if end != buf else -1


cdef struct RdbStr:
    # a loaded string: p/n, pointing into buf (short ones) or heap (owned,
    # zmalloc'd, NUL-terminated); is_int when it came INT-encoded (ll)
    const unsigned char *p
    size_t n
    unsigned char *heap
    bint is_int
    long long ll
    unsigned char buf[RDB_STR_INLINE]


cdef inline void rdb_str_free(RdbStr *s) noexcept:
    if s.heap != NULL:
        zfree(s.heap)
        s.heap = NULL


cdef int rdb_load_str(rio *r, RdbStr *s, bint owned) noexcept:
    """Load a string in any encoding into s.  owned: always in s.heap
    (n + 1 bytes, NUL-terminated), for callers that keep the buffer.
    0 ok, -1 on error (nothing to free then)."""
    cdef uint64_t n, clen, ulen
    cdef bint enc
    cdef unsigned char b[4]
    cdef unsigned char *dst
    cdef unsigned char *cbuf
    cdef size_t got
    s.heap = NULL
    s.is_int = False
    if rdb_load_len(r, &n, &enc) < 0:
        return -1
    if enc:
        if n == RDB_ENC_INT8:
            if not rioRead(r, b, 1):
                return -1
            s.ll = <int8_t>b[0]
        elif n == RDB_ENC_INT16:
            if not rioRead(r, b, 2):
                return -1
            s.ll = <int16_t>(<uint16_t>b[0] | (<uint16_t>b[1] << 8))
        elif n == RDB_ENC_INT32:
            if not rioRead(r, b, 4):
                return -1
            s.ll = <int32_t>(<uint32_t>b[0] | (<uint32_t>b[1] << 8) |
                             (<uint32_t>b[2] << 16) | (<uint32_t>b[3] << 24))
        elif n == RDB_ENC_LZF:
            if rdb_load_len(r, &clen, NULL) < 0 or rdb_load_len(r, &ulen, NULL) < 0:
                return -1
            if clen > rioRemaining(r):
                r.error = 1         # what reading it would find: a short read
                return -1
            if ulen // LZF_MAX_RATIO > clen:
                return -1
            cbuf = lzf_scratch(clen + 1)
            if cbuf == NULL or not rioRead(r, cbuf, clen):
                return -1
            if owned or ulen > RDB_STR_INLINE:
                s.heap = <unsigned char *>zmalloc(ulen + 1)
                if s.heap == NULL:
                    return -1
                dst = s.heap
            else:
                dst = s.buf
            # an empty result is accepted whatever the compressed bytes,
            # as Redis does
            if ulen:
                got = lzfDecompress(cbuf, clen, dst, ulen)
                if got != ulen:
                    rdb_str_free(s)
                    return -1
            if s.heap != NULL:
                s.heap[ulen] = 0
            s.p = dst
            s.n = ulen
            return 0
        else:
            return -1
        s.is_int = True
        s.n = fmtLongLong(<char *>s.buf, s.ll)
        s.p = s.buf
        if owned:
            s.heap = <unsigned char *>zmalloc(s.n + 1)
            if s.heap == NULL:
                return -1
            memcpy(s.heap, s.buf, s.n)
            s.heap[s.n] = 0
            s.p = s.heap
        return 0
    if n > rioRemaining(r):
        r.error = 1                 # what reading it would find: a short read
        return -1
    if owned or n > RDB_STR_INLINE:
        s.heap = <unsigned char *>zmalloc(n + 1)
        if s.heap == NULL:
            return -1
        dst = s.heap
        s.heap[n] = 0
    else:
        dst = s.buf
    if n and not rioRead(r, dst, n):
        rdb_str_free(s)
        return -1
    s.p = dst
    s.n = n
    return 0


cdef unsigned char *rdb_load_string(rio *r, size_t *n) noexcept:
    """A string as a zmalloc'd buffer of *n bytes plus a NUL (the caller
    zfrees it), or NULL.  Integer encodings come back as their text."""
    cdef RdbStr s
    if rdb_load_str(r, &s, True) < 0:
        return NULL
    n[0] = s.n
    return s.heap
