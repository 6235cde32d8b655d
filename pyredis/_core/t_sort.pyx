# SORT and SORT_RO.
#
# The elements of the list, set or sorted set are copied into a C array of
# SortItem (element bytes, numeric score, optional ALPHA compare bytes),
# so BY/GET lookups, which may expire keys, and a STORE over the source
# itself never see a dangling pointer.  The array is sorted with a stable
# merge sort, which orders equal items as glibc's qsort does for Redis
# (its merge sort is stable too).  One comparator serves every mode; the
# mode lives in module globals for the duration of one sort, as Redis's
# does in `server.sort_*`.
#
# Order of work, as Redis 7.0's sortCommandGeneric: parse every option
# (syntax and LIMIT errors first), look the key up (WRONGTYPE), decide
# "dontsort" (BY without '*'), load the vector (lists and sorted sets load
# just the LIMIT range when not sorting), compute scores or compare keys,
# sort, then reply or store.  A set is sorted ALPHA even with BY nosort
# when the result is stored or the command runs in a script, so replicas
# and the AOF see the same order.  Sorted sets are converted to the
# skiplist encoding first, as Redis does.
#
# Where the order can differ from Redis's: only among items equal under
# ALPHA BY (or both without a BY value; numeric ties fall back to the
# element bytes).  Those keep the input order, which for a hash-table set
# (its table's order) or a sorted set (walked here in score order, by Redis
# through its hash table) is not Redis's; and with a LIMIT range Redis sorts BY with a partial quicksort, which
# leaves such ties in an order of its own.  BY nosort on a set (outside
# scripts and STORE) returns the set's own order, as Redis does with its.
from libc.string cimport memcpy, memcmp, memchr
from libc.math cimport isnan

cdef extern from "string.h" nogil:
    int strcoll(const char *a, const char *b)

cdef extern from *:
    """
    #include <errno.h>
    #include <stdlib.h>
    /* strtod reporting ERANGE (over- and underflow) through *range */
    static inline double sort_strtod(const char *s, char **end, int *range) {
        double d;
        errno = 0;
        d = strtod(s, end);
        *range = errno == ERANGE;
        return d;
    }
    """
    double sort_strtod(const char *s, char **end, int *range) nogil

cdef extern from "locale.h" nogil:
    int LC_COLLATE
    char *setlocale(int category, const char *locale)

# Redis collates ALPHA sorts with strcoll() under the environment's locale
setlocale(LC_COLLATE, "")


cdef struct SortItem:
    char *ele          # NUL-terminated copy of the element
    size_t len
    double score
    char *cmp          # ALPHA BY: NUL-terminated copy of the BY value, or NULL
    size_t cmplen


cdef struct PatVal:
    # a BY/GET value: bytes at p (not NUL-terminated); buf holds integers
    # formatted as text
    const char *p
    size_t len
    char buf[32]


cdef bint g_sort_desc = False
cdef bint g_sort_alpha = False
cdef bint g_sort_bypattern = False
cdef bint g_sort_store = False
cdef char *g_sort_keybuf = NULL
cdef size_t g_sort_keycap = 0


cdef inline int bytes_cmp(const char *a, size_t al, const char *b, size_t bl) noexcept nogil:
    cdef size_t n = al if al < bl else bl
    cdef int r = memcmp(a, b, n)
    if r != 0:
        return r
    return (al > bl) - (al < bl)


cdef int sort_compare(const SortItem *a, const SortItem *b) noexcept nogil:
    cdef int r
    if not g_sort_alpha:
        if a.score > b.score:
            r = 1
        elif a.score < b.score:
            r = -1
        else:
            r = bytes_cmp(a.ele, a.len, b.ele, b.len)
    elif g_sort_bypattern:
        if a.cmp == NULL or b.cmp == NULL:
            r = 0 if a.cmp == b.cmp else (-1 if a.cmp == NULL else 1)
        elif g_sort_store:
            r = bytes_cmp(a.cmp, a.cmplen, b.cmp, b.cmplen)
        else:
            r = strcoll(a.cmp, b.cmp)
    elif g_sort_store:
        r = bytes_cmp(a.ele, a.len, b.ele, b.len)
    else:
        r = strcoll(a.ele, b.ele)
    return -r if g_sort_desc else r


cdef void merge_sort(SortItem *v, SortItem *tmp, size_t n) noexcept nogil:
    """Stable: of two equal items the earlier one stays first."""
    cdef size_t mid, i, j, k
    if n < 2:
        return
    mid = n // 2
    merge_sort(v, tmp, mid)
    merge_sort(v + mid, tmp, n - mid)
    if sort_compare(&v[mid - 1], &v[mid]) <= 0:
        return
    i, j, k = 0, mid, 0
    while i < mid and j < n:
        if sort_compare(&v[i], &v[j]) <= 0:
            tmp[k] = v[i]
            i += 1
        else:
            tmp[k] = v[j]
            j += 1
        k += 1
    while i < mid:
        tmp[k] = v[i]
        i += 1
        k += 1
    # v[j:] is already in place
    memcpy(v, tmp, k * sizeof(SortItem))


cdef char *copy_cstr(const char *p, size_t n) except NULL:
    cdef char *s = <char *>zmalloc(n + 1)
    if s == NULL:
        raise MemoryError()
    memcpy(s, p, n)
    s[n] = 0
    return s


cdef inline size_t cstr_len(const char *p, size_t n) noexcept:
    """Length up to the first NUL: Redis scans patterns with strchr/strstr."""
    cdef const char *z = <const char *>memchr(p, 0, n)
    return <size_t>(z - p) if z != NULL else n


cdef bint pattern_is_constant(const char *pat, size_t plen) noexcept:
    """A BY pattern without '*' names no per-element key: nothing to sort."""
    return memchr(pat, ord('*'), cstr_len(pat, plen)) == NULL


cdef bint pattern_value(redisDb *db, const char *pat, size_t plen, const char *sub,
                        size_t slen, PatVal *out) except -1:
    """The value a BY/GET pattern names for element `sub` (Redis's
    lookupKeyByPattern): "#" is the element itself; the first '*' is
    replaced by the element; "key->field" reads a hash field.  False when
    there is no '*', no key, or a key of the wrong type."""
    cdef size_t n0 = cstr_len(pat, plen)
    cdef const char *star
    cdef const char *arrow = NULL
    cdef size_t i, prefix, postfix, fieldlen = 0, klen
    cdef robj *o
    cdef HashVal hv
    if n0 == 1 and pat[0] == ord('#'):
        out.p, out.len = sub, slen
        return True
    star = <const char *>memchr(pat, ord('*'), n0)
    if star == NULL:
        return False
    i = <size_t>(star - pat) + 1
    while i + 1 < n0:
        if pat[i] == ord('-') and pat[i + 1] == ord('>'):
            if i + 2 < n0:
                arrow = pat + i
            break
        i += 1
    if arrow != NULL:
        fieldlen = plen - <size_t>(arrow - pat) - 2
    prefix = <size_t>(star - pat)
    postfix = plen - prefix - 1 - (fieldlen + 2 if arrow != NULL else 0)
    klen = prefix + slen + postfix
    ensure_keybuf(klen)
    memcpy(g_sort_keybuf, pat, prefix)
    memcpy(g_sort_keybuf + prefix, sub, slen)
    memcpy(g_sort_keybuf + prefix + slen, star + 1, postfix)
    o = lookup_read(db, g_sort_keybuf, klen)
    if o == NULL:
        return False
    if arrow != NULL:
        if o.type != OBJ_HASH or not hash_get(o, arrow + 2, fieldlen, &hv):
            return False
        if hv.p == <const char *>hv.buf:
            memcpy(out.buf, hv.buf, hv.len)
            out.p = out.buf
        else:
            out.p = hv.p
        out.len = hv.len
        return True
    if o.type != OBJ_STRING:
        return False
    out.p = objStrPtr(o, out.buf, &out.len)
    return True


cdef int ensure_keybuf(size_t n) except -1:
    global g_sort_keybuf, g_sort_keycap
    cdef char *p
    if n <= g_sort_keycap:
        return 0
    p = <char *>zrealloc(g_sort_keybuf, n + 64)
    if p == NULL:
        raise MemoryError()
    g_sort_keybuf = p
    g_sort_keycap = n + 64
    return 0


cdef bint parse_score(const char *p, size_t n, double *score) noexcept:
    """Redis's strtod check: the whole (NUL-terminated) text is a number,
    in range and not NaN.  p must be NUL-terminated at n."""
    cdef char *end
    cdef int range_error
    score[0] = sort_strtod(p, &end, &range_error)
    return not (end[0] != 0 or range_error or isnan(score[0]))


cdef bint score_of(const char *p, size_t n, double *score) except -1:
    """parse_score for bytes that are not NUL-terminated."""
    cdef char buf[64]
    cdef char *s
    cdef bint ok
    if n < sizeof(buf):
        memcpy(buf, p, n)
        buf[n] = 0
        return parse_score(buf, n, score)
    s = copy_cstr(p, n)
    ok = parse_score(s, n, score)
    zfree(s)
    return ok


cdef class SortOptions:
    cdef bint desc, alpha, dontsort
    cdef long long limit_start, limit_count
    cdef int by           # argv index of the BY pattern, 0 for none
    cdef int store        # argv index of the STORE key, 0 for none
    cdef list gets        # argv indexes of GET patterns


cdef SortOptions parse_sort_options(Client c, bint readonly):
    """The options after the key, or None after an error reply."""
    cdef SortOptions so = SortOptions.__new__(SortOptions)
    cdef int j = 2
    cdef int left
    so.desc = so.alpha = so.dontsort = False
    so.limit_start, so.limit_count = 0, -1
    so.by = so.store = 0
    so.gets = []
    while j < c.argc:
        left = c.argc - j - 1
        if arg_is(c, j, "asc"):
            so.desc = False
        elif arg_is(c, j, "desc"):
            so.desc = True
        elif arg_is(c, j, "alpha"):
            so.alpha = True
        elif arg_is(c, j, "limit") and left >= 2:
            if not arg_ll(c, j + 1, &so.limit_start) or not arg_ll(c, j + 2, &so.limit_count):
                return None
            j += 2
        elif not readonly and arg_is(c, j, "store") and left >= 1:
            so.store = j + 1
            j += 1
        elif arg_is(c, j, "by") and left >= 1:
            so.by = j + 1
            # as in Redis, a later BY with '*' does not undo an earlier constant one
            if pattern_is_constant(c.argv[j + 1], c.argvlen[j + 1]):
                so.dontsort = True
            j += 1
        elif arg_is(c, j, "get") and left >= 1:
            so.gets.append(j + 1)
            j += 1
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return None
        j += 1
    return so


cdef long sort_length(robj *o) noexcept:
    if o.type == OBJ_LIST:
        return QL(o).count
    if o.type == OBJ_SET:
        return set_size(o)
    return zset_length(o)


cdef int load_items(robj *o, SortOptions so, SortItem *v, long start, long n) except -1:
    """Copy n elements of o into v: from rank `start` in the requested
    direction for lists and sorted sets that are not sorted, else all."""
    cdef quicklistIter qi
    cdef quicklistEntry e
    cdef SetIter si
    cdef ZIter zi
    cdef const char *p
    cdef size_t plen
    cdef char buf[32]
    cdef long j = 0
    if o.type == OBJ_LIST:
        if so.dontsort:
            if so.desc:
                quicklistIterAt(QL(o), QL(o).count - start - 1, QL_BACKWARD, &qi)
            else:
                quicklistIterAt(QL(o), start, QL_FORWARD, &qi)
        else:
            quicklistIterAt(QL(o), 0, QL_FORWARD, &qi)
        while j < n and quicklistNext(&qi, &e):
            if e.s == NULL:
                plen = fmtLongLong(buf, e.lval)
                v[j].ele = copy_cstr(buf, plen)
            else:
                plen = e.sz
                v[j].ele = copy_cstr(<const char *>e.s, plen)
            v[j].len = plen
            j += 1
    elif o.type == OBJ_SET:
        set_iter_init(&si, o)
        try:
            p = set_iter_next(&si, &plen)
            while p != NULL and j < n:
                v[j].ele = copy_cstr(p, plen)
                v[j].len = plen
                j += 1
                p = set_iter_next(&si, &plen)
        finally:
            set_iter_release(&si)
    else:
        zset_iter_init(&zi, o, so.desc and so.dontsort)
        if so.dontsort and start > 0:
            zset_iter_seek_rank(&zi, start)
        while j < n and zset_iter_next(&zi, &p, &plen, NULL):
            v[j].ele = copy_cstr(p, plen)
            v[j].len = plen
            j += 1
    return 0


cdef int compute_keys(Client c, SortOptions so, SortItem *v, long n, bint *bad) except -1:
    """Scores (numeric) or compare bytes (ALPHA BY) for every item; bad is
    set when a numeric value is not a double (the sort still runs, as in
    Redis, but the reply is the error)."""
    cdef PatVal pv
    cdef long j
    for j in range(n):
        if so.by:
            if not pattern_value(c.db, c.argv[so.by], c.argvlen[so.by], v[j].ele, v[j].len, &pv):
                continue
            if so.alpha:
                v[j].cmp = copy_cstr(pv.p, pv.len)
                v[j].cmplen = pv.len
            elif not score_of(pv.p, pv.len, &v[j].score):
                bad[0] = True
        elif not so.alpha:
            if not parse_score(v[j].ele, v[j].len, &v[j].score):
                bad[0] = True
    return 0


cdef int reply_sorted(Client c, SortOptions so, SortItem *v, long start, long end) except -1:
    cdef PatVal pv
    cdef long j
    cdef long count = end - start + 1
    replyArrayLen(&c.reply, count * len(so.gets) if so.gets else count)
    for j in range(start, end + 1):
        if not so.gets:
            replyBulk(&c.reply, v[j].ele, v[j].len)
        for g in so.gets:
            if pattern_value(c.db, c.argv[<int>g], c.argvlen[<int>g], v[j].ele, v[j].len, &pv):
                replyBulk(&c.reply, pv.p, pv.len)
            else:
                reply_null(c)
    return 0


cdef int store_sorted(Client c, SortOptions so, SortItem *v, long start, long end) except -1:
    """STORE: the result replaces the destination as a list (TTL dropped,
    "sortstore"), or an empty result deletes it ("del")."""
    global g_dirty
    cdef PatVal pv
    cdef long j
    cdef long count = end - start + 1
    cdef long long outlen = count * len(so.gets) if so.gets else count
    cdef robj *lst
    cdef int dst = so.store
    if outlen <= 0:
        if db_delete(c.db, c.argv[dst], c.argvlen[dst]):
            arg_event(c, NOTIFY_GENERIC, "del", dst)
            g_dirty += 1
        replyLongLong(&c.reply, 0)
        return 0
    lst = list_create()
    try:
        for j in range(start, end + 1):
            if not so.gets:
                list_push(lst, v[j].ele, v[j].len, QUICKLIST_TAIL)
            for g in so.gets:
                if pattern_value(c.db, c.argv[<int>g], c.argvlen[<int>g], v[j].ele, v[j].len, &pv):
                    list_push(lst, pv.p, pv.len, QUICKLIST_TAIL)
                else:
                    list_push(lst, "", 0, QUICKLIST_TAIL)
    except BaseException:
        objFree(lst)
        raise
    lookup_write(c.db, c.argv[dst], c.argvlen[dst])
    db_set(c.db, c.argv[dst], c.argvlen[dst], lst, False)
    arg_event(c, NOTIFY_LIST, "sortstore", dst)
    signal_key_as_ready(c.db, c.argv[dst], c.argvlen[dst])
    g_dirty += outlen
    replyLongLong(&c.reply, outlen)
    return 0


cdef int sort_generic(Client c, bint readonly) except -1:
    global g_sort_desc, g_sort_alpha, g_sort_bypattern, g_sort_store
    cdef SortOptions so = parse_sort_options(c, readonly)
    cdef robj *o
    cdef long vlen, start, end, count, n, j
    cdef SortItem *v = NULL
    cdef SortItem *tmp = NULL
    cdef bint bad = False
    if so is None:
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o != NULL and o.type != OBJ_LIST and o.type != OBJ_SET and o.type != OBJ_ZSET:
        replyErrorC(&c.reply, MSG_WRONGTYPE)
        return 0
    if so.dontsort and o != NULL and o.type == OBJ_SET and (
            so.store or c is g_script_client):
        # the same order on replicas and in the AOF: sort it after all
        so.dontsort = False
        so.alpha = True
        so.by = 0
    if o != NULL and o.type == OBJ_ZSET and o.encoding == OBJ_ENCODING_LISTPACK:
        zset_convert_to_skiplist(o)
    vlen = sort_length(o) if o != NULL else 0

    # LIMIT, clamped to the size so nothing overflows
    start = <long>min(max(so.limit_start, 0), vlen)
    count = <long>min(max(so.limit_count, -1), vlen)
    end = vlen - 1 if count < 0 else start + count - 1
    if start >= vlen:
        start = vlen - 1
        end = vlen - 2
    if end >= vlen:
        end = vlen - 1

    n = vlen
    if o != NULL and o.type != OBJ_SET and so.dontsort and (start != 0 or end != vlen - 1):
        n = end - start + 1 if end >= start else 0
    try:
        if n > 0:
            v = <SortItem *>zcalloc(n * sizeof(SortItem))
            if v == NULL:
                raise MemoryError()
            load_items(o, so, v, start, n)
            if o.type != OBJ_SET and so.dontsort:
                # the vector holds just the range
                end -= start
                start = 0
        if not so.dontsort and n > 0:
            compute_keys(c, so, v, n, &bad)
            tmp = <SortItem *>zmalloc(n * sizeof(SortItem))
            if tmp == NULL:
                raise MemoryError()
            g_sort_desc = so.desc
            g_sort_alpha = so.alpha
            g_sort_bypattern = so.by != 0
            g_sort_store = so.store != 0
            merge_sort(v, tmp, n)
        if bad:
            replyErrorC(&c.reply, "ERR One or more scores can't be converted into double")
        elif so.store:
            store_sorted(c, so, v, start, end)
        else:
            reply_sorted(c, so, v, start, end)
    finally:
        if v != NULL:
            for j in range(n):
                zfree(v[j].ele)
                zfree(v[j].cmp)
            zfree(v)
        zfree(tmp)
    return 0


cdef int cmd_sort(Client c) except -1:
    return sort_generic(c, False)


cdef int cmd_sort_ro(Client c) except -1:
    return sort_generic(c, True)


cdef list sort_get_keys(list argv):
    """COMMAND GETKEYS for SORT (Redis's sortGetKeys): the key, then the
    last STORE destination; LIMIT/GET/BY arguments are skipped so a
    pattern spelled "store" is not taken for the option."""
    cdef Py_ssize_t i = 2, n = len(argv)
    keys = [(argv[1], ("RO", "access"))]
    store = None
    while i < n:
        word = (<bytes>argv[i]).lower()
        if word == b"limit":
            i += 2
        elif word == b"get" or word == b"by":
            i += 1
        elif word == b"store" and i + 1 < n:
            store = argv[i + 1]
        i += 1
    if store is not None:
        keys.append((store, ("OW", "update")))
    return keys
