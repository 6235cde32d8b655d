# Loading values from an RDB stream (the other half of rdb.pyx, whose top
# comment describes the format and the rules): one loader per RDB type,
# each returning a new robj or NULL, never raising, never trusting a
# length or a blob it has not checked.  The in-memory encoding is chosen
# as Redis's loader chooses it, so OBJECT ENCODING agrees after RESTORE.


cdef robj *_new_obj(int type, int encoding, void *payload) noexcept:
    """A loaded value around payload; NULL when the payload could not be
    built (or the header not allocated)."""
    return objCreate(type, encoding, payload) if payload != NULL else NULL


cdef robj *_load_string_value(rio *r) noexcept:
    cdef RdbStr s
    cdef robj *o
    if rdb_load_str(r, &s, False) < 0:
        return NULL
    if s.is_int:
        return objCreateInt(s.ll)
    if s.heap == NULL or s.n <= OBJ_EMBSTR_MAX or s.n > 0xFFFFFFFF:
        o = objCreateStringTryInt(<const char *>s.p, s.n)
        rdb_str_free(&s)
        return o
    # a long string keeps the buffer it was read into
    o = objCreate(OBJ_STRING, OBJ_ENCODING_RAW, s.heap)
    if o == NULL:
        rdb_str_free(&s)
        return NULL
    o.len = <uint32_t>s.n
    return o


cdef bint _entry_bytes_equal(unsigned char *a, unsigned char *b) noexcept:
    cdef unsigned char ba[RDB_LP_INTBUF]
    cdef unsigned char bb[RDB_LP_INTBUF]
    cdef uint32_t la, lb
    cdef unsigned char *pa = lpGet(a, &la, ba)
    cdef unsigned char *pb = lpGet(b, &lb, bb)
    return la == lb and memcmp(pa, pb, la) == 0


cdef bint lp_pairs_valid(unsigned char *lp) noexcept:
    """A validated listpack of field,value (or member,score) pairs: an even
    number of entries and no field twice (compared as text, as Redis
    does)."""
    cdef unsigned long n = lpLength(lp)
    cdef unsigned char *p
    cdef unsigned char *q
    cdef dict_t *seen
    cdef unsigned char buf[RDB_LP_INTBUF]
    cdef uint32_t l
    cdef unsigned char *s
    cdef bint ok = True
    if n & 1:
        return False
    if n <= 32:
        p = lpFirst(lp)
        while p != NULL:
            q = lpNext(lp, lpNext(lp, p))
            while q != NULL:
                if _entry_bytes_equal(p, q):
                    return False
                q = lpNext(lp, lpNext(lp, q))
            p = lpNext(lp, lpNext(lp, p))
        return True
    seen = dictCreate(&g_set_dict_type)
    if seen == NULL:
        return False
    dictExpand(seen, n // 2)
    p = lpFirst(lp)
    while p != NULL:
        s = lpGet(p, &l, buf)
        if dictAddRaw(seen, s, l, NULL) == NULL:
            ok = False
            break
        p = lpNext(lp, lpNext(lp, p))
    dictRelease(seen)
    return ok


cdef int _count_sanitization(bint deep) noexcept:
    global g_dump_payload_sanitizations
    if deep:
        g_dump_payload_sanitizations += 1
    return 0


cdef int _convert(robj *o) noexcept:
    """Move a loaded compact value to its hash-table encoding, as the
    loader does when the value is over the configured limits."""
    try:
        if o.type == OBJ_HASH:
            hash_convert(o)
        elif o.type == OBJ_ZSET:
            zset_convert_to_skiplist(o)
        else:
            set_convert_to_ht(o)
    except MemoryError:
        return -1
    return 0


cdef inline size_t _remaining(rio *r) noexcept:
    return rioRemaining(r)


cdef int _load_count(rio *r, uint64_t *n, int *error) noexcept:
    """A collection's element count: -1 when unreadable, larger than the
    bytes left could hold, or 0 (then *error says the key is empty, which
    the loader skips as Redis does)."""
    if rdb_load_len(r, n, NULL) < 0:
        return -1
    if n[0] == 0:
        error[0] = RDB_LOAD_ERR_EMPTY_KEY
        return -1
    if n[0] > _remaining(r):
        return -1
    return 0


cdef robj *_load_list_plain(rio *r, int *error) noexcept:
    """RDB_TYPE_LIST: a count, then every element as a string."""
    cdef uint64_t n
    cdef RdbStr s
    cdef robj *o
    if _load_count(r, &n, error) < 0:
        return NULL
    o = _new_obj(OBJ_LIST, OBJ_ENCODING_QUICKLIST,
                 quicklistCreate(cfg_list_max_listpack_size, cfg_list_compress_depth))
    if o == NULL:
        return NULL
    while n:
        n -= 1
        if rdb_load_str(r, &s, False) < 0:
            objFree(o)
            return NULL
        if not quicklistPush(<quicklist *>o.v.ptr, s.p, s.n, QUICKLIST_TAIL):
            rdb_str_free(&s)
            objFree(o)
            return NULL
        rdb_str_free(&s)
    return o


cdef unsigned char *_lp_single(const unsigned char *p, size_t n) noexcept:
    cdef unsigned char *lp = lpNew(0)
    if lp == NULL:
        return NULL
    return lpAppend(lp, p, <uint32_t>n)


cdef unsigned char *_ziplist_to_listpack(const unsigned char *zl) noexcept:
    """The entries of a validated ziplist, in a new listpack."""
    cdef unsigned char *lp = lpNew(0)
    cdef unsigned char *nlp
    cdef const unsigned char *p
    cdef const unsigned char *s
    cdef unsigned int sl
    cdef long long v
    if lp == NULL:
        return NULL
    p = ziplistFirst(zl)
    while p != NULL:
        ziplistGet(p, &s, &sl, &v)
        nlp = lpAppend(lp, s, sl) if s != NULL else lpAppendInteger(lp, v)
        if nlp == NULL:
            lpFree(lp)
            return NULL
        lp = nlp
        p = ziplistNext(p)
    return lp


cdef robj *_load_quicklist(int rdbtype, rio *r, bint deep, int *error) noexcept:
    """LIST_QUICKLIST (ziplist nodes) and LIST_QUICKLIST_2 (listpack nodes,
    each with its container kind): the nodes are kept as saved."""
    cdef uint64_t n, container = QUICKLIST_NODE_CONTAINER_PACKED
    cdef RdbStr s
    cdef unsigned char *lp
    cdef robj *o
    if _load_count(r, &n, error) < 0:
        return NULL
    o = _new_obj(OBJ_LIST, OBJ_ENCODING_QUICKLIST,
                 quicklistCreate(cfg_list_max_listpack_size, cfg_list_compress_depth))
    if o == NULL:
        return NULL
    while n:
        n -= 1
        if rdbtype == RDB_TYPE_LIST_QUICKLIST_2:
            if rdb_load_len(r, &container, NULL) < 0 or \
               (container != QUICKLIST_NODE_CONTAINER_PACKED and
                container != QUICKLIST_NODE_CONTAINER_PLAIN):
                objFree(o)
                return NULL
        if rdb_load_str(r, &s, True) < 0:
            objFree(o)
            return NULL
        if s.n == 0:
            rdb_str_free(&s)
            objFree(o)
            return NULL
        if container == QUICKLIST_NODE_CONTAINER_PLAIN:
            # one element stored bare (Redis's plain nodes): it becomes a
            # node of its own
            lp = _lp_single(s.p, s.n)
            rdb_str_free(&s)
        elif rdbtype == RDB_TYPE_LIST_QUICKLIST_2:
            _count_sanitization(deep)
            if not lpValidateIntegrity(s.heap, s.n, 1):
                rdb_str_free(&s)
                objFree(o)
                return NULL
            lp = s.heap
            s.heap = NULL
        else:
            if not ziplistValidateIntegrity(s.heap, s.n):
                rdb_str_free(&s)
                objFree(o)
                return NULL
            lp = _ziplist_to_listpack(s.heap)
            rdb_str_free(&s)
        if lp == NULL:
            objFree(o)
            return NULL
        if lpLength(lp) == 0:
            # empty nodes are skipped; an empty list fails below
            lpFree(lp)
            continue
        if not quicklistAppendListpack(<rdb_quicklist *>o.v.ptr, lp):
            lpFree(lp)
            objFree(o)
            return NULL
    if (<rdb_quicklist *>o.v.ptr).count == 0:
        objFree(o)
        error[0] = RDB_LOAD_ERR_EMPTY_KEY
        return NULL
    return o


cdef robj *_load_set(rio *r, int *error) noexcept:
    """RDB_TYPE_SET: an intset while the count allows one and every member
    is an integer, else a hashtable."""
    cdef uint64_t n, i
    cdef RdbStr s
    cdef robj *o
    cdef long long v
    cdef int ok
    cdef intset *iset
    cdef long long max_entries = cfg_set_max_intset_entries
    cdef dict_t *d
    if _load_count(r, &n, error) < 0:
        return NULL
    if max_entries >= (1 << 30):
        max_entries = 1 << 30
    if n > <uint64_t>max_entries:
        o = _new_obj(OBJ_SET, OBJ_ENCODING_HT, dictCreate(&g_set_dict_type))
        if o != NULL and n > RDB_DICT_INITIAL:
            dictExpand(<dict_t *>o.v.ptr, n)
    else:
        o = _new_obj(OBJ_SET, OBJ_ENCODING_INTSET, intsetNew())
    if o == NULL:
        return NULL
    for i in range(n):
        if rdb_load_str(r, &s, False) < 0:
            objFree(o)
            return NULL
        if o.encoding == OBJ_ENCODING_INTSET:
            if s.is_int or (s.n <= 20 and string2ll(<const char *>s.p, s.n, &v)):
                if s.is_int:
                    v = s.ll
                iset = intsetAdd(<intset *>o.v.ptr, v, &ok)
                if iset == NULL or not ok:
                    rdb_str_free(&s)
                    objFree(o)
                    return NULL
                o.v.ptr = iset
                continue
            if _convert(o) < 0:
                rdb_str_free(&s)
                objFree(o)
                return NULL
            dictExpand(<dict_t *>o.v.ptr, n)
        d = <dict_t *>o.v.ptr
        if dictAddRaw(d, s.p, s.n, NULL) == NULL:
            rdb_str_free(&s)
            objFree(o)
            return NULL
        rdb_str_free(&s)
    return o


cdef unsigned char *_zzl_append(unsigned char *lp, const unsigned char *ele, size_t len,
                                double score) noexcept:
    """Append member, score as zset listpack entries (the score in the
    text form zzl_insert uses)."""
    cdef char sbuf[64]
    cdef int sl
    if -4503599627370496.0 < score < 4503599627370496.0 and score == <double><long long>score:
        sl = fmtLongLong(sbuf, <long long>score)
    else:
        sl = fmtDouble(sbuf, score)
    lp = lpAppend(lp, ele, <uint32_t>len)
    if lp == NULL:
        return NULL
    return lpAppend(lp, <const unsigned char *>sbuf, <uint32_t>sl)


cdef int _zset_skiplist_to_listpack(robj *o) noexcept:
    cdef ZSet *zs = <ZSet *>o.v.ptr
    cdef zskiplistNode *x = zs.zsl.header.level[0].forward
    cdef unsigned char *lp = lpNew(0)
    cdef unsigned char *nlp
    if lp == NULL:
        return -1
    while x != NULL:
        nlp = _zzl_append(lp, x.ele, x.len, x.score)
        if nlp == NULL:
            lpFree(lp)
            return -1
        lp = nlp
        x = x.level[0].forward
    dictRelease(zs.d)
    zslFree(zs.zsl)
    zfree(zs)
    o.v.ptr = lp
    o.encoding = OBJ_ENCODING_LISTPACK
    return 0


cdef robj *_load_zset(int rdbtype, rio *r, int *error) noexcept:
    """ZSET (text scores) and ZSET_2 (binary scores): built as a skiplist,
    then made a listpack when small enough, as Redis does."""
    cdef uint64_t n
    cdef RdbStr s
    cdef robj *o
    cdef ZSet *zs
    cdef double score
    cdef dictEntry *de
    cdef dictEntry *existing
    cdef size_t maxelelen = 0, totelelen = 0
    cdef int rc
    if rdb_load_len(r, &n, NULL) < 0:
        return NULL
    if n == 0:
        error[0] = RDB_LOAD_ERR_EMPTY_KEY
        return NULL
    if n > _remaining(r) // 2:
        return NULL
    o = _new_obj(OBJ_ZSET, OBJ_ENCODING_SKIPLIST, _zs_create())
    if o == NULL:
        return NULL
    zs = <ZSet *>o.v.ptr
    if n > RDB_DICT_INITIAL:
        dictExpand(zs.d, n)
    while n:
        n -= 1
        if rdb_load_str(r, &s, False) < 0:
            objFree(o)
            return NULL
        if rdbtype == RDB_TYPE_ZSET_2:
            rc = rdb_load_double_binary(r, &score)
        else:
            rc = rdb_load_double_string(r, &score)
        if rc < 0 or isnan(score):
            rdb_str_free(&s)
            objFree(o)
            return NULL
        if s.n > maxelelen:
            maxelelen = s.n
        totelelen += s.n
        existing = NULL
        de = dictAddRaw(zs.d, s.p, s.n, &existing)
        rdb_str_free(&s)
        if de == NULL:
            objFree(o)
            return NULL
        de.v.d = score
        if zslInsert(zs.zsl, score, de.key, de.klen) == NULL:
            dictDelete(zs.d, de.key, de.klen)
            objFree(o)
            return NULL
    if <long long>zs.zsl.length <= cfg_zset_max_listpack_entries and \
       <long long>maxelelen <= cfg_zset_max_listpack_value and \
       totelelen <= LISTPACK_MAX_SAFETY_SIZE:
        if _zset_skiplist_to_listpack(o) < 0:
            objFree(o)
            return NULL
    return o


cdef int _hash_dict_add(dict_t *d, RdbStr *f, RdbStr *v) noexcept:
    """Add a pair to a hashtable hash; -1 when the field is there already
    or on OOM."""
    cdef unsigned char *val = hval_new(<const char *>v.p, v.n)
    cdef dictEntry *de
    if val == NULL:
        return -1
    de = dictAddRaw(d, f.p, f.n, NULL)
    if de == NULL:
        zfree(val)
        return -1
    de.v.ptr = val
    return 0


cdef robj *_load_hash(rio *r, int *error) noexcept:
    """RDB_TYPE_HASH: a listpack while the pairs fit its limits, converted
    to a hashtable at the first pair that does not (or at once when the
    count is over hash-max-listpack-entries)."""
    cdef uint64_t n
    cdef RdbStr f, v
    cdef robj *o
    cdef dict_t *dups = NULL
    cdef unsigned char *lp
    cdef bint failed = False
    cdef int rc
    if rdb_load_len(r, &n, NULL) < 0:
        return NULL
    if n == 0:
        error[0] = RDB_LOAD_ERR_EMPTY_KEY
        return NULL
    if n > _remaining(r) // 2:
        return NULL
    if n > <uint64_t>cfg_hash_max_listpack_entries:
        o = _new_obj(OBJ_HASH, OBJ_ENCODING_HT, dictCreate(&g_hash_dict_type))
    else:
        o = _new_obj(OBJ_HASH, OBJ_ENCODING_LISTPACK, lpNew(0))
        dups = dictCreate(&g_set_dict_type)
        if dups == NULL:
            objFree(o)
            return NULL
    if o == NULL:
        if dups != NULL:
            dictRelease(dups)
        return NULL
    while o.encoding == OBJ_ENCODING_LISTPACK and n > 0:
        n -= 1
        if rdb_load_str(r, &f, False) < 0:
            failed = True
            break
        if rdb_load_str(r, &v, False) < 0:
            rdb_str_free(&f)
            failed = True
            break
        if dictAddRaw(dups, f.p, f.n, NULL) == NULL:
            failed = True
        elif <long long>f.n > cfg_hash_max_listpack_value or \
             <long long>v.n > cfg_hash_max_listpack_value or \
             lpBytes(<unsigned char *>o.v.ptr) + f.n + v.n > LISTPACK_MAX_SAFETY_SIZE:
            if _convert(o) < 0 or _hash_dict_add(<dict_t *>o.v.ptr, &f, &v) < 0:
                failed = True
        else:
            lp = lpAppend(<unsigned char *>o.v.ptr, f.p, <uint32_t>f.n)
            if lp != NULL:
                o.v.ptr = lp
                lp = lpAppend(lp, v.p, <uint32_t>v.n)
            if lp == NULL:
                failed = True
            else:
                o.v.ptr = lp
        rdb_str_free(&f)
        rdb_str_free(&v)
        if failed:
            break
    if dups != NULL:
        dictRelease(dups)
    if failed:
        objFree(o)
        return NULL
    if o.encoding == OBJ_ENCODING_HT and n > RDB_DICT_INITIAL:
        dictExpand(<dict_t *>o.v.ptr, dictSize(<dict_t *>o.v.ptr) + n)
    while o.encoding == OBJ_ENCODING_HT and n > 0:
        n -= 1
        if rdb_load_str(r, &f, False) < 0:
            objFree(o)
            return NULL
        if rdb_load_str(r, &v, False) < 0:
            rdb_str_free(&f)
            objFree(o)
            return NULL
        rc = _hash_dict_add(<dict_t *>o.v.ptr, &f, &v)
        rdb_str_free(&f)
        rdb_str_free(&v)
        if rc < 0:
            objFree(o)
            return NULL
    return o


cdef robj *_zipmap_to_hash(unsigned char *zm, size_t size) noexcept:
    cdef unsigned char *lp
    cdef unsigned char *nlp
    cdef size_t pos = 0
    cdef const unsigned char *f
    cdef const unsigned char *v
    cdef unsigned int fl, vl, maxlen = 0
    cdef dict_t *dups
    cdef robj *o
    if not zipmapValidateIntegrity(zm, size):
        return NULL
    lp = lpNew(0)
    dups = dictCreate(&g_set_dict_type)
    if lp == NULL or dups == NULL:
        if lp != NULL:
            lpFree(lp)
        if dups != NULL:
            dictRelease(dups)
        return NULL
    while zipmapNext(zm, &pos, &f, &fl, &v, &vl):
        if fl > maxlen:
            maxlen = fl
        if vl > maxlen:
            maxlen = vl
        if dictAddRaw(dups, f, fl, NULL) == NULL or \
           lpBytes(lp) + <size_t>fl + vl > LISTPACK_MAX_SAFETY_SIZE:
            lpFree(lp)
            dictRelease(dups)
            return NULL
        nlp = lpAppend(lp, f, fl)
        if nlp != NULL:
            lp = nlp
            nlp = lpAppend(lp, v, vl)
        if nlp == NULL:
            lpFree(lp)
            dictRelease(dups)
            return NULL
        lp = nlp
    dictRelease(dups)
    o = _new_obj(OBJ_HASH, OBJ_ENCODING_LISTPACK, lp)
    if o == NULL:
        lpFree(lp)
        return NULL
    if <long long>(lpLength(lp) // 2) > cfg_hash_max_listpack_entries or \
       <long long>maxlen > cfg_hash_max_listpack_value:
        if _convert(o) < 0:
            objFree(o)
            return NULL
    return o


cdef robj *_load_blob_value(int rdbtype, rio *r, bint deep, int *error) noexcept:
    """The types stored as one blob: intset, listpacks, ziplists, zipmap."""
    cdef RdbStr s
    cdef unsigned char *blob
    cdef size_t size
    cdef robj *o = NULL
    cdef quicklist *ql
    cdef const unsigned char *p
    cdef const unsigned char *es
    cdef unsigned int esl
    cdef long long ev
    cdef char nbuf[32]
    if rdb_load_str(r, &s, True) < 0:
        return NULL
    blob = s.heap
    size = s.n
    if rdbtype == RDB_TYPE_HASH_ZIPMAP:
        o = _zipmap_to_hash(blob, size)
        zfree(blob)
        return o
    if rdbtype == RDB_TYPE_LIST_ZIPLIST:
        if not ziplistValidateIntegrity(blob, size):
            zfree(blob)
            return NULL
        ql = quicklistCreate(cfg_list_max_listpack_size, cfg_list_compress_depth)
        o = _new_obj(OBJ_LIST, OBJ_ENCODING_QUICKLIST, ql)
        if o == NULL:
            if ql != NULL:
                quicklistRelease(ql)
            zfree(blob)
            return NULL
        p = ziplistFirst(blob)
        while p != NULL:
            ziplistGet(p, &es, &esl, &ev)
            if es == NULL:
                esl = fmtLongLong(nbuf, ev)
                es = <const unsigned char *>nbuf
            if not quicklistPush(ql, es, esl, QUICKLIST_TAIL):
                objFree(o)
                zfree(blob)
                return NULL
            p = ziplistNext(p)
        zfree(blob)
        if ql.count == 0:
            objFree(o)
            error[0] = RDB_LOAD_ERR_EMPTY_KEY
            return NULL
        return o
    if rdbtype == RDB_TYPE_SET_INTSET:
        _count_sanitization(deep)
        if not intsetValidateIntegrity(blob, size, 1):
            zfree(blob)
            return NULL
        o = _new_obj(OBJ_SET, OBJ_ENCODING_INTSET, blob)
        if o == NULL:
            zfree(blob)
            return NULL
        if intsetLen(<intset *>blob) > <uint32_t>cfg_set_max_intset_entries:
            if _convert(o) < 0:
                objFree(o)
                return NULL
        return o
    if rdbtype == RDB_TYPE_ZSET_ZIPLIST or rdbtype == RDB_TYPE_HASH_ZIPLIST:
        if not ziplistValidateIntegrity(blob, size):
            zfree(blob)
            return NULL
        p = <const unsigned char *>_ziplist_to_listpack(blob)
        zfree(blob)
        if p == NULL:
            return NULL
        blob = <unsigned char *>p
    else:
        # ZSET_LISTPACK, HASH_LISTPACK
        _count_sanitization(deep)
        if not lpValidateIntegrity(blob, size, 1):
            zfree(blob)
            return NULL
    if not lp_pairs_valid(blob):
        lpFree(blob)
        return NULL
    if rdbtype == RDB_TYPE_ZSET_ZIPLIST or rdbtype == RDB_TYPE_ZSET_LISTPACK:
        o = _new_obj(OBJ_ZSET, OBJ_ENCODING_LISTPACK, blob)
    else:
        o = _new_obj(OBJ_HASH, OBJ_ENCODING_LISTPACK, blob)
    if o == NULL:
        lpFree(blob)
        return NULL
    if lpLength(blob) == 0:
        objFree(o)
        error[0] = RDB_LOAD_ERR_EMPTY_KEY
        return NULL
    if o.type == OBJ_ZSET:
        if <long long>(lpLength(blob) // 2) > cfg_zset_max_listpack_entries:
            if _convert(o) < 0:
                objFree(o)
                return NULL
    elif <long long>(lpLength(blob) // 2) > cfg_hash_max_listpack_entries:
        if _convert(o) < 0:
            objFree(o)
            return NULL
    return o


cdef robj *rdb_load_object(int rdbtype, rio *r, bint deep_sanitize, int *error) noexcept:
    """Load a value of the given RDB type.  NULL on error with *error set to
    RDB_LOAD_ERR_EMPTY_KEY (a well-formed but empty collection, which the
    file loader skips) or RDB_LOAD_ERR_OTHER."""
    cdef robj *o
    cdef int err = RDB_LOAD_ERR_OTHER
    if rdbtype == RDB_TYPE_STRING:
        o = _load_string_value(r)
    elif rdbtype == RDB_TYPE_LIST:
        o = _load_list_plain(r, &err)
    elif rdbtype == RDB_TYPE_SET:
        o = _load_set(r, &err)
    elif rdbtype == RDB_TYPE_ZSET or rdbtype == RDB_TYPE_ZSET_2:
        o = _load_zset(rdbtype, r, &err)
    elif rdbtype == RDB_TYPE_HASH:
        o = _load_hash(r, &err)
    elif rdbtype == RDB_TYPE_LIST_QUICKLIST or rdbtype == RDB_TYPE_LIST_QUICKLIST_2:
        o = _load_quicklist(rdbtype, r, deep_sanitize, &err)
    elif rdbtype in (RDB_TYPE_HASH_ZIPMAP, RDB_TYPE_LIST_ZIPLIST, RDB_TYPE_SET_INTSET,
                     RDB_TYPE_ZSET_ZIPLIST, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_HASH_ZIPLIST,
                     RDB_TYPE_HASH_LISTPACK):
        o = _load_blob_value(rdbtype, r, deep_sanitize, &err)
    elif rdbtype == RDB_TYPE_STREAM_LISTPACKS or rdbtype == RDB_TYPE_STREAM_LISTPACKS_2:
        o = rdb_load_stream(rdbtype, r, deep_sanitize, &err)     # rdb_stream.pyx
    else:
        # module values are not supported
        o = NULL
    if error != NULL:
        error[0] = 0 if o != NULL else err
    return o
