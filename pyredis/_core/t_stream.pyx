# Stream commands without consumer groups: XADD XRANGE XREVRANGE XLEN XDEL
# XTRIM XSETID XINFO, plus the parsing and reply helpers the group commands
# (t_stream_group.pyx) share.
#
# A stream is an robj of type OBJ_STREAM, encoding STREAM, whose v.ptr is a
# csrc/stream.h `stream`: entries in Redis-format listpack nodes, consumer
# groups with their PELs.  This file parses arguments and writes replies;
# the data structure work is in csrc/stream.c.
from libc.stdint cimport uint64_t, int64_t, uint32_t, UINT64_MAX
from libc.string cimport memcpy, memmove, memset
from libc.stdio cimport snprintf

cdef enum:
    TRIM_NONE = 0
    TRIM_MAXLEN = 1
    TRIM_MINID = 2
    XREAD_BLOCKED_DEFAULT_COUNT = 1000

cdef const char *MSG_INVALID_ID = "ERR Invalid stream ID specified as stream command argument"


cdef void _stream_free_payload(robj *o) noexcept:
    streamFree(<stream *>o.v.ptr)


cdef robj *_stream_dup(const robj *o) noexcept:
    cdef stream *s = streamDup(<stream *>o.v.ptr)
    cdef robj *n
    if s == NULL:
        return NULL
    n = objCreate(OBJ_STREAM, OBJ_ENCODING_STREAM, s)
    if n == NULL:
        streamFree(s)
        return NULL
    n.lru = o.lru
    return n


cdef int _stream_register() except -1:
    cdef objTypeOps ops
    ops.freePayload = _stream_free_payload
    ops.dup = _stream_dup
    objRegisterType(OBJ_STREAM, ops)
    return 0


_stream_register()


cdef robj *stream_create() except NULL:
    cdef stream *s = streamNew()
    cdef robj *o = objCreate(OBJ_STREAM, OBJ_ENCODING_STREAM, s) if s != NULL else NULL
    if o == NULL:
        streamFree(s)
        raise MemoryError()
    return o


cdef inline stream *SP(robj *o) noexcept:
    return <stream *>o.v.ptr


# --- IDs -------------------------------------------------------------------------

cdef bint _strtoull(bytes b, uint64_t *out):
    """string2ull: string2ll, else strtoull's rules (leading blanks, a sign,
    the whole rest digits, no overflow)."""
    cdef long long ll
    if string2ll(b, len(b), &ll):
        if ll < 0:
            return False
        out[0] = <uint64_t>ll
        return True
    s = b.lstrip(b" \t\n\v\f\r")
    neg = False
    if s[:1] in (b"+", b"-"):
        neg = s[:1] == b"-"
        s = s[1:]
    if not s or not s.isdigit() or len(b) == 0:
        return False
    v = int(s)
    if v > 0xFFFFFFFFFFFFFFFF:
        return False
    if neg:
        v = (-v) & 0xFFFFFFFFFFFFFFFF
    out[0] = <uint64_t>v
    return True


cdef int parse_id(const char *p, size_t n, streamID *id, uint64_t missing_seq, bint strict,
                  int *seq_given) noexcept:
    """Redis's streamGenericParseIDOrReply without the reply: 1 ok, 0
    invalid.  seq_given (if not NULL) is cleared for the <ms>-* form."""
    cdef size_t i, dash = n
    cdef long long ll
    cdef uint64_t ms, seq
    if n > 127:
        return 0
    # the C code works on a NUL-terminated copy
    for i in range(n):
        if p[i] == 0:
            n = i
            break
    if strict and n == 1 and (p[0] == b'-' or p[0] == b'+'):
        return 0
    if seq_given != NULL:
        seq_given[0] = 1
    if n == 1 and p[0] == b'-':
        id.ms = 0
        id.seq = 0
        return 1
    if n == 1 and p[0] == b'+':
        id.ms = UINT64_MAX
        id.seq = UINT64_MAX
        return 1
    for i in range(n):
        if p[i] == b'-':
            dash = i
            break
    # fast path: plain non-negative integers
    if string2ll(p, dash, &ll) and ll >= 0:
        ms = <uint64_t>ll
    elif not _strtoull(p[:dash], &ms):
        return 0
    if dash < n:
        if seq_given != NULL and n - dash - 1 == 1 and p[dash + 1] == b'*':
            seq = 0
            seq_given[0] = 0
        elif string2ll(p + dash + 1, n - dash - 1, &ll) and ll >= 0:
            seq = <uint64_t>ll
        elif not _strtoull(p[dash + 1:n], &seq):
            return 0
    else:
        seq = missing_seq
    id.ms = ms
    id.seq = seq
    return 1


cdef inline int parse_id_arg(Client c, int i, streamID *id, uint64_t missing_seq, bint strict,
                             int *seq_given) noexcept:
    """parse_id on argv[i], replying the error: 1 ok, 0 replied."""
    if parse_id(c.argv[i], c.argvlen[i], id, missing_seq, strict, seq_given):
        return 1
    replyErrorC(&c.reply, MSG_INVALID_ID)
    return 0


cdef inline int parse_strict_id(Client c, int i, streamID *id, uint64_t missing_seq) noexcept:
    return parse_id_arg(c, i, id, missing_seq, True, NULL)


cdef int fmt_id(char *buf, const streamID *id) noexcept:
    return snprintf(buf, 64, "%llu-%llu", <unsigned long long>id.ms, <unsigned long long>id.seq)


cdef inline void reply_id(Client c, const streamID *id) noexcept:
    cdef char buf[64]
    cdef int n = fmt_id(buf, id)
    replyBulk(&c.reply, buf, n)


cdef inline void buf_id(replyBuf *b, const streamID *id) noexcept:
    cdef char buf[64]
    cdef int n = fmt_id(buf, id)
    replyBulk(b, buf, n)


cdef bytes id_bytes(const streamID *id):
    cdef char buf[64]
    cdef int n = fmt_id(buf, id)
    return buf[:n]


# --- lookups ----------------------------------------------------------------------

cdef robj *stream_lookup_read(Client c, int i) noexcept:
    """The stream at argv[i] or NULL: missing (nothing replied) or WRONGTYPE
    (replied); tell them apart with c.reply.len."""
    cdef robj *o = lookup_read(c.db, c.argv[i], c.argvlen[i])
    if o != NULL and not check_type(c, o, OBJ_STREAM):
        return NULL
    return o


cdef robj *stream_lookup_write(Client c, int i) noexcept:
    cdef robj *o = lookup_write(c.db, c.argv[i], c.argvlen[i])
    if o != NULL and not check_type(c, o, OBJ_STREAM):
        return NULL
    return o


# --- entries as replies --------------------------------------------------------------

cdef void reply_entry_fields(replyBuf *r, streamIterator *si, int64_t numfields) noexcept:
    cdef const unsigned char *f
    cdef const unsigned char *v
    cdef uint32_t fl, vl
    replyArrayLen(r, numfields * 2)
    while numfields > 0:
        streamIteratorGetField(si, &f, &fl, &v, &vl)
        replyBulk(r, f, fl)
        replyBulk(r, v, vl)
        numfields -= 1


cdef void reply_stream_entry(Client c, streamIterator *si, const streamID *id, int64_t numfields) noexcept:
    replyArrayLen(&c.reply, 2)
    reply_id(c, id)
    reply_entry_fields(&c.reply, si, numfields)


cdef long reply_range_plain(Client c, stream *s, const streamID *start, const streamID *end,
                            long long count, bint rev) noexcept:
    """[id, [field, value ...]] for each entry of the range, at most count
    (0: all), as an array."""
    cdef streamIterator si
    cdef streamID id
    cdef int64_t nf
    cdef long n = 0
    cdef size_t at = c.reply.len
    # the count is only known at the end: reserve the widest header
    replyAppend(&c.reply, b"*00000000000000000000\r\n", 23)
    streamIteratorStart(&si, s, start, end, rev)
    while streamIteratorGetID(&si, &id, &nf):
        reply_stream_entry(c, &si, &id, nf)
        n += 1
        if count and n == count:
            break
    patch_array_len(c, at, n)
    return n


cdef void patch_array_len(Client c, size_t at, long n) noexcept:
    """Rewrite the 23-byte placeholder at `at` as the real *<n> header."""
    cdef char hdr[32]
    cdef int hl = snprintf(hdr, 32, "*%ld\r\n", n)
    cdef size_t tail = c.reply.len - at - 23
    memmove(c.reply.buf + at + hl, c.reply.buf + at + 23, tail)
    memcpy(c.reply.buf + at, hdr, hl)
    c.reply.len = at + hl + tail


cdef void patch_map_len(Client c, size_t at, long n) noexcept:
    cdef char hdr[32]
    cdef int hl = snprintf(hdr, 32, "%%%ld\r\n", n)
    cdef size_t tail = c.reply.len - at - 23
    memmove(c.reply.buf + at + hl, c.reply.buf + at + 23, tail)
    memcpy(c.reply.buf + at, hdr, hl)
    c.reply.len = at + hl + tail


# --- XADD / XTRIM --------------------------------------------------------------------

cdef struct TrimArgs:
    int strategy
    int strategy_arg_idx
    bint approx
    long long maxlen
    streamID minid
    long long limit
    bint id_given
    int seq_given
    streamID id
    bint no_mkstream


cdef bint must_obey_client(Client c) noexcept:
    return (c.flags & CLIENT_MASTER) != 0 or (c.flags & CLIENT_AOF_LOADER) != 0


cdef int parse_add_or_trim(Client c, TrimArgs *a, bint xadd) noexcept:
    """Redis's streamParseAddOrTrimArgsOrReply: the index of the ID (XADD)
    or of the end, or -1 after an error reply."""
    cdef int i = 2
    cdef int moreargs
    cdef bint limit_given = False
    memset(a, 0, sizeof(TrimArgs))
    a.maxlen = -1
    while i < c.argc:
        moreargs = c.argc - 1 - i
        if xadd and c.argvlen[i] == 1 and c.argv[i][0] == b'*':
            break
        elif arg_is(c, i, "maxlen") and moreargs:
            if a.strategy != TRIM_NONE:
                replyErrorC(&c.reply, "ERR syntax error, MAXLEN and MINID options at the same time are not compatible")
                return -1
            a.approx = False
            if moreargs >= 2 and c.argvlen[i + 1] == 1 and c.argv[i + 1][0] == b'~':
                a.approx = True
                i += 1
            elif moreargs >= 2 and c.argvlen[i + 1] == 1 and c.argv[i + 1][0] == b'=':
                i += 1
            if not arg_ll(c, i + 1, &a.maxlen):
                return -1
            if a.maxlen < 0:
                replyErrorC(&c.reply, "ERR The MAXLEN argument must be >= 0.")
                return -1
            i += 1
            a.strategy = TRIM_MAXLEN
            a.strategy_arg_idx = i
        elif arg_is(c, i, "minid") and moreargs:
            if a.strategy != TRIM_NONE:
                replyErrorC(&c.reply, "ERR syntax error, MAXLEN and MINID options at the same time are not compatible")
                return -1
            a.approx = False
            if moreargs >= 2 and c.argvlen[i + 1] == 1 and c.argv[i + 1][0] == b'~':
                a.approx = True
                i += 1
            elif moreargs >= 2 and c.argvlen[i + 1] == 1 and c.argv[i + 1][0] == b'=':
                i += 1
            if not parse_strict_id(c, i + 1, &a.minid, 0):
                return -1
            i += 1
            a.strategy = TRIM_MINID
            a.strategy_arg_idx = i
        elif arg_is(c, i, "limit") and moreargs:
            if not arg_ll(c, i + 1, &a.limit):
                return -1
            if a.limit < 0:
                replyErrorC(&c.reply, "ERR The LIMIT argument must be >= 0.")
                return -1
            limit_given = True
            i += 1
        elif xadd and arg_is(c, i, "nomkstream"):
            a.no_mkstream = True
        elif xadd:
            if not parse_id_arg(c, i, &a.id, 0, True, &a.seq_given):
                return -1
            a.id_given = True
            break
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return -1
        i += 1
    if a.limit and a.strategy == TRIM_NONE:
        replyErrorC(&c.reply, "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy")
        return -1
    if not xadd and a.strategy == TRIM_NONE:
        replyErrorC(&c.reply, "ERR syntax error, XTRIM must be called with a trimming strategy")
        return -1
    if must_obey_client(c):
        a.limit = 0
    elif limit_given:
        if not a.approx:
            replyErrorC(&c.reply, "ERR syntax error, LIMIT cannot be used without the special ~ option")
            return -1
    elif a.approx:
        a.limit = 100 * cfg_stream_node_max_entries
        if a.limit <= 0:
            a.limit = 10000
        if a.limit > 1000000:
            a.limit = 1000000
    else:
        a.limit = 0
    return i


cdef int64_t trim_stream(stream *s, TrimArgs *a) noexcept:
    if a.strategy == TRIM_NONE:
        return 0
    return streamTrim(s, a.strategy, <uint64_t>a.maxlen, &a.minid, a.approx, a.limit)


cdef void prop_trim_rewrite(Client c, stream *s, TrimArgs *a, int idpos, const streamID *id):
    """Propagate the command with `~` as `=`, the threshold as what the
    trim left (Redis's streamRewriteApproxSpecifier/TrimArgument) and, for
    XADD, the ID actually added (idpos > 0)."""
    cdef list args = [c.argv[j][:c.argvlen[j]] for j in range(c.argc)]
    cdef streamID first
    cdef replyBuf *b
    if a.approx:
        args[a.strategy_arg_idx - 1] = b"="
        if a.strategy == TRIM_MAXLEN:
            args[a.strategy_arg_idx] = b"%d" % s.length
        else:
            streamGetEdgeID(s, 1, 0, &first)
            args[a.strategy_arg_idx] = id_bytes(&first)
    if idpos > 0:
        args[idpos] = id_bytes(id)
    b = prop_rewrite(len(args))
    for x in args:
        replyBulk(b, <const char *><bytes>x, len(<bytes>x))


cdef int cmd_xadd(Client c) except -1:
    cdef TrimArgs a
    cdef int idpos = parse_add_or_trim(c, &a, True)
    cdef int field_pos, rc
    cdef robj *o
    cdef stream *s
    cdef streamID id
    cdef bint created = False
    cdef int64_t nfields
    global g_dirty
    if idpos < 0:
        return 0
    field_pos = idpos + 1
    if c.argc - field_pos < 2 or (c.argc - field_pos) % 2 == 1:
        reply_arity_error(c, c.cmd)
        return 0
    if a.id_given and a.seq_given and a.id.ms == 0 and a.id.seq == 0:
        replyErrorC(&c.reply, "ERR The ID specified in XADD must be greater than 0-0")
        return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        if a.no_mkstream:
            replyNull(&c.reply, c.resp)
            return 0
        o = stream_create()
        created = True
    elif not check_type(c, o, OBJ_STREAM):
        return 0
    s = SP(o)
    if s.last_id.ms == UINT64_MAX and s.last_id.seq == UINT64_MAX:
        replyErrorC(&c.reply, "ERR The stream has exhausted the last possible ID, unable to add more items")
        return 0
    nfields = (c.argc - field_pos) // 2
    rc = streamAppendItem(s, <const unsigned char *const *>(c.argv + field_pos),
                          c.argvlen + field_pos, nfields, &id,
                          &a.id if a.id_given else NULL, a.seq_given,
                          <uint64_t>g_cmd_ms, <size_t>cfg_stream_node_max_bytes,
                          cfg_stream_node_max_entries)
    if rc != 0:
        if created:
            objFree(o)
        if rc == -1:
            replyErrorC(&c.reply, "ERR The ID specified in XADD is equal or smaller than the target stream top item")
        elif rc == -2:
            replyErrorC(&c.reply, "ERR Elements are too large to be stored")
        else:
            raise MemoryError()
        return 0
    if created:
        db_add(c.db, c.argv[1], c.argvlen[1], o)
    reply_id(c, &id)
    arg_event(c, NOTIFY_STREAM, "xadd", 1)
    g_dirty += 1
    if a.strategy != TRIM_NONE:
        if trim_stream(s, &a):
            notify_keyspace_event(NOTIFY_STREAM, "xtrim", c.argv[1], c.argvlen[1], c.db.id)
    if g_prop_targets and (a.approx or not a.id_given or not a.seq_given):
        prop_trim_rewrite(c, s, &a, idpos if (not a.id_given or not a.seq_given) else 0, &id)
    signal_key_as_ready(c.db, c.argv[1], c.argvlen[1])
    return 0


cdef int cmd_xtrim(Client c) except -1:
    cdef TrimArgs a
    cdef robj *o
    cdef stream *s
    cdef int64_t deleted
    cdef size_t at = c.reply.len
    global g_dirty
    if parse_add_or_trim(c, &a, False) < 0:
        return 0
    o = stream_lookup_write(c, 1)
    if o == NULL:
        if c.reply.len == at:
            replyLongLong(&c.reply, 0)
        return 0
    s = SP(o)
    deleted = trim_stream(s, &a)
    if deleted:
        arg_event(c, NOTIFY_STREAM, "xtrim", 1)
        g_dirty += deleted
        if g_prop_targets and a.approx:
            prop_trim_rewrite(c, s, &a, 0, NULL)
    replyLongLong(&c.reply, deleted)
    return 0


# --- XRANGE XREVRANGE XLEN XDEL ----------------------------------------------------

cdef int parse_interval_id(Client c, int i, streamID *id, bint *exclude, uint64_t missing_seq) noexcept:
    cdef const char *p = c.argv[i]
    cdef size_t n = c.argvlen[i]
    exclude[0] = n > 1 and p[0] == b'('
    if exclude[0]:
        if parse_id(p + 1, n - 1, id, missing_seq, True, NULL):
            return 1
        replyErrorC(&c.reply, MSG_INVALID_ID)
        return 0
    return parse_id_arg(c, i, id, missing_seq, False, NULL)


cdef int xrange_generic(Client c, bint rev) except -1:
    cdef streamID startid, endid
    cdef bint startex, endex
    cdef long long count = -1
    cdef int j
    cdef robj *o
    cdef int si = 3 if rev else 2
    cdef int ei = 2 if rev else 3
    cdef size_t at
    if not parse_interval_id(c, si, &startid, &startex, 0):
        return 0
    if startex and streamIncrID(&startid) != 0:
        replyErrorC(&c.reply, "ERR invalid start ID for the interval")
        return 0
    if not parse_interval_id(c, ei, &endid, &endex, UINT64_MAX):
        return 0
    if endex and streamDecrID(&endid) != 0:
        replyErrorC(&c.reply, "ERR invalid end ID for the interval")
        return 0
    j = 4
    while j < c.argc:
        if arg_is(c, j, "count") and c.argc - j - 1 >= 1:
            if not arg_ll(c, j + 1, &count):
                return 0
            if count < 0:
                count = 0
            j += 1
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    at = c.reply.len
    o = stream_lookup_read(c, 1)
    if o == NULL:
        if c.reply.len == at:
            replyArrayLen(&c.reply, 0)
        return 0
    if count == 0:
        replyNullArray(&c.reply, c.resp)
        return 0
    if count == -1:
        count = 0
    reply_range_plain(c, SP(o), &startid, &endid, count, rev)
    return 0


cdef int cmd_xrange(Client c) except -1:
    return xrange_generic(c, False)


cdef int cmd_xrevrange(Client c) except -1:
    return xrange_generic(c, True)


cdef int cmd_xlen(Client c) except -1:
    cdef size_t at = c.reply.len
    cdef robj *o = stream_lookup_read(c, 1)
    if o == NULL:
        if c.reply.len == at:
            replyLongLong(&c.reply, 0)
        return 0
    replyLongLong(&c.reply, <long long>SP(o).length)
    return 0


cdef int cmd_xdel(Client c) except -1:
    cdef robj *o
    cdef stream *s
    cdef int j
    cdef long long deleted = 0
    cdef bint first_entry = False
    cdef streamID *ids
    cdef size_t at = c.reply.len
    global g_dirty
    o = stream_lookup_write(c, 1)
    if o == NULL:
        if c.reply.len == at:
            replyLongLong(&c.reply, 0)
        return 0
    s = SP(o)
    ids = <streamID *>zmalloc(sizeof(streamID) * (c.argc - 2))
    if ids == NULL:
        raise MemoryError()
    try:
        for j in range(2, c.argc):
            if not parse_strict_id(c, j, &ids[j - 2], 0):
                return 0
        for j in range(c.argc - 2):
            if streamDeleteItem(s, &ids[j]):
                if streamCompareID(&ids[j], &s.first_id) == 0:
                    first_entry = True
                if streamCompareID(&ids[j], &s.max_deleted_entry_id) > 0:
                    s.max_deleted_entry_id = ids[j]
                deleted += 1
    finally:
        zfree(ids)
    if deleted:
        if s.length == 0:
            s.first_id.ms = s.first_id.seq = 0
        elif first_entry:
            streamGetEdgeID(s, 1, 1, &s.first_id)
        arg_event(c, NOTIFY_STREAM, "xdel", 1)
        g_dirty += deleted
    replyLongLong(&c.reply, deleted)
    return 0


# --- XSETID ----------------------------------------------------------------------------

cdef int cmd_xsetid(Client c) except -1:
    cdef streamID id, max_xdel_id
    cdef long long entries_added = -1
    cdef int i
    cdef robj *o
    cdef stream *s
    cdef streamID maxid
    global g_dirty
    max_xdel_id.ms = max_xdel_id.seq = 0
    if not parse_strict_id(c, 2, &id, 0):
        return 0
    i = 3
    while i < c.argc:
        if arg_is(c, i, "entriesadded") and c.argc - i - 1 >= 1:
            if not arg_ll(c, i + 1, &entries_added):
                return 0
            if entries_added < 0:
                replyErrorC(&c.reply, "ERR entries_added must be positive")
                return 0
            i += 2
        elif arg_is(c, i, "maxdeletedid") and c.argc - i - 1 >= 1:
            if not parse_strict_id(c, i + 1, &max_xdel_id, 0):
                return 0
            if streamCompareID(&id, &max_xdel_id) < 0:
                replyErrorC(&c.reply, "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
                return 0
            i += 2
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyErrorC(&c.reply, "ERR no such key")
        return 0
    if not check_type(c, o, OBJ_STREAM):
        return 0
    s = SP(o)
    if entries_added != -1 and <long long>s.length > entries_added:
        replyErrorC(&c.reply, "ERR The entries_added specified in XSETID is smaller than the target stream length")
        return 0
    if s.length > 0:
        streamGetEdgeID(s, 0, 1, &maxid)
        if streamCompareID(&id, &maxid) < 0:
            replyErrorC(&c.reply, "ERR The ID specified in XSETID is smaller than the target stream top item")
            return 0
    s.last_id = id
    if entries_added != -1:
        s.entries_added = <uint64_t>entries_added
    if not (max_xdel_id.ms == 0 and max_xdel_id.seq == 0):
        s.max_deleted_entry_id = max_xdel_id
    g_dirty += 1
    replyOk(&c.reply)
    # (no WATCH signal: Redis 7.0's XSETID only notifies)
    notify_keyspace_event(NOTIFY_STREAM, "xsetid", c.argv[1], c.argvlen[1], c.db.id)
    return 0


# --- XINFO ------------------------------------------------------------------------------

cdef void reply_edge_entry(Client c, stream *s, bint first) noexcept:
    cdef streamIterator si
    cdef streamID id
    cdef int64_t nf
    streamIteratorStart(&si, s, NULL, NULL, not first)
    if streamIteratorGetID(&si, &id, &nf):
        reply_stream_entry(c, &si, &id, nf)
    else:
        replyNull(&c.reply, c.resp)


cdef void reply_cg_lag(Client c, stream *s, streamCG *cg) noexcept:
    cdef long long lag = 0, er
    cdef bint valid = False
    if not s.entries_added:
        valid = True
    elif cg.entries_read != SCG_INVALID_ENTRIES_READ and \
            not streamRangeHasTombstones(s, &cg.last_id, NULL):
        lag = <long long>s.entries_added - cg.entries_read
        valid = True
    else:
        er = streamEstimateDistanceFromFirstEverEntry(s, &cg.last_id)
        if er != SCG_INVALID_ENTRIES_READ:
            lag = <long long>s.entries_added - er
            valid = True
    if valid:
        replyLongLong(&c.reply, lag)
    else:
        replyNull(&c.reply, c.resp)


cdef inline void reply_entries_read(Client c, streamCG *cg) noexcept:
    if cg.entries_read != SCG_INVALID_ENTRIES_READ:
        replyLongLong(&c.reply, cg.entries_read)
    else:
        replyNull(&c.reply, c.resp)


cdef void xinfo_stream(Client c, stream *s, bint full, long long count) noexcept:
    cdef size_t g, k, m
    cdef streamCG *cg
    cdef streamConsumer *cons
    cdef streamNACK *nk
    cdef streamIterator si
    cdef streamID id
    cdef int64_t nf
    cdef long n
    cdef long long limit
    replyMapLen(&c.reply, c.resp, 9 if full else 10)
    replyBulkC(&c.reply, "length")
    replyLongLong(&c.reply, <long long>s.length)
    replyBulkC(&c.reply, "radix-tree-keys")
    replyLongLong(&c.reply, <long long>s.nnodes)
    replyBulkC(&c.reply, "radix-tree-nodes")
    replyLongLong(&c.reply, <long long>streamRaxNodes(s))
    replyBulkC(&c.reply, "last-generated-id")
    reply_id(c, &s.last_id)
    replyBulkC(&c.reply, "max-deleted-entry-id")
    reply_id(c, &s.max_deleted_entry_id)
    replyBulkC(&c.reply, "entries-added")
    replyLongLong(&c.reply, <long long>s.entries_added)
    replyBulkC(&c.reply, "recorded-first-entry-id")
    reply_id(c, &s.first_id)
    if not full:
        replyBulkC(&c.reply, "groups")
        replyLongLong(&c.reply, <long long>s.ncgroups)
        replyBulkC(&c.reply, "first-entry")
        reply_edge_entry(c, s, True)
        replyBulkC(&c.reply, "last-entry")
        reply_edge_entry(c, s, False)
        return
    replyBulkC(&c.reply, "entries")
    reply_range_plain(c, s, NULL, NULL, count, False)
    replyBulkC(&c.reply, "groups")
    replyArrayLen(&c.reply, <long>s.ncgroups)
    for g in range(s.ncgroups):
        cg = s.cgroups[g]
        replyMapLen(&c.reply, c.resp, 7)
        replyBulkC(&c.reply, "name")
        replyBulk(&c.reply, cg.name, cg.namelen)
        replyBulkC(&c.reply, "last-delivered-id")
        reply_id(c, &cg.last_id)
        replyBulkC(&c.reply, "entries-read")
        reply_entries_read(c, cg)
        replyBulkC(&c.reply, "lag")
        reply_cg_lag(c, s, cg)
        replyBulkC(&c.reply, "pel-count")
        replyLongLong(&c.reply, <long long>cg.pel.len)
        replyBulkC(&c.reply, "pending")
        limit = <long long>cg.pel.len
        if count and count < limit:
            limit = count
        replyArrayLen(&c.reply, limit)
        for k in range(<size_t>limit):
            nk = cg.pel.items[k]
            replyArrayLen(&c.reply, 4)
            reply_id(c, &nk.id)
            replyBulk(&c.reply, nk.consumer.name, nk.consumer.namelen)
            replyLongLong(&c.reply, nk.delivery_time)
            replyLongLong(&c.reply, <long long>nk.delivery_count)
        replyBulkC(&c.reply, "consumers")
        replyArrayLen(&c.reply, <long>cg.nconsumers)
        for k in range(cg.nconsumers):
            cons = cg.consumers[k]
            replyMapLen(&c.reply, c.resp, 4)
            replyBulkC(&c.reply, "name")
            replyBulk(&c.reply, cons.name, cons.namelen)
            replyBulkC(&c.reply, "seen-time")
            replyLongLong(&c.reply, cons.seen_time)
            replyBulkC(&c.reply, "pel-count")
            replyLongLong(&c.reply, <long long>cons.pel.len)
            replyBulkC(&c.reply, "pending")
            limit = <long long>cons.pel.len
            if count and count < limit:
                limit = count
            replyArrayLen(&c.reply, limit)
            for m in range(<size_t>limit):
                nk = cons.pel.items[m]
                replyArrayLen(&c.reply, 3)
                reply_id(c, &nk.id)
                replyLongLong(&c.reply, nk.delivery_time)
                replyLongLong(&c.reply, <long long>nk.delivery_count)


cdef robj *xinfo_lookup(Client c) noexcept:
    cdef robj *o = lookup_read(c.db, c.argv[2], c.argvlen[2])
    if o == NULL:
        replyErrorC(&c.reply, "ERR no such key")
        return NULL
    if not check_type(c, o, OBJ_STREAM):
        return NULL
    return o


cdef int cmd_xinfo_stream(Client c) except -1:
    cdef bint full = False
    cdef long long count = 10
    cdef robj *o
    if c.argc > 3:
        if not arg_is(c, 3, "full") or (c.argc != 4 and c.argc != 6):
            return subcommand_syntax_error(c)
        full = True
        if c.argc == 6:
            if not arg_is(c, 4, "count"):
                return subcommand_syntax_error(c)
            if not arg_ll(c, 5, &count):
                return 0
            if count < 0:
                count = 10
    o = xinfo_lookup(c)
    if o == NULL:
        return 0
    xinfo_stream(c, SP(o), full, count)
    return 0


cdef int cmd_xinfo_groups(Client c) except -1:
    cdef robj *o = xinfo_lookup(c)
    cdef stream *s
    cdef streamCG *cg
    cdef size_t g
    if o == NULL:
        return 0
    s = SP(o)
    replyArrayLen(&c.reply, <long>s.ncgroups)
    for g in range(s.ncgroups):
        cg = s.cgroups[g]
        replyMapLen(&c.reply, c.resp, 6)
        replyBulkC(&c.reply, "name")
        replyBulk(&c.reply, cg.name, cg.namelen)
        replyBulkC(&c.reply, "consumers")
        replyLongLong(&c.reply, <long long>cg.nconsumers)
        replyBulkC(&c.reply, "pending")
        replyLongLong(&c.reply, <long long>cg.pel.len)
        replyBulkC(&c.reply, "last-delivered-id")
        reply_id(c, &cg.last_id)
        replyBulkC(&c.reply, "entries-read")
        reply_entries_read(c, cg)
        replyBulkC(&c.reply, "lag")
        reply_cg_lag(c, s, cg)
    return 0


cdef int cmd_xinfo_consumers(Client c) except -1:
    cdef robj *o = xinfo_lookup(c)
    cdef streamCG *cg
    cdef streamConsumer *cons
    cdef size_t k
    cdef long long idle
    if o == NULL:
        return 0
    cg = streamLookupCG(SP(o), <const unsigned char *>c.argv[3], c.argvlen[3])
    if cg == NULL:
        reply_error_fmt(c, "NOGROUP No such consumer group '%s' for key name '%s'"
                        % (arg_str(c, 3), arg_str(c, 2)))
        return 0
    replyArrayLen(&c.reply, <long>cg.nconsumers)
    for k in range(cg.nconsumers):
        cons = cg.consumers[k]
        idle = g_cmd_ms - cons.seen_time
        if idle < 0:
            idle = 0
        replyMapLen(&c.reply, c.resp, 3)
        replyBulkC(&c.reply, "name")
        replyBulk(&c.reply, cons.name, cons.namelen)
        replyBulkC(&c.reply, "pending")
        replyLongLong(&c.reply, <long long>cons.pel.len)
        replyBulkC(&c.reply, "idle")
        replyLongLong(&c.reply, idle)
    return 0


cdef int cmd_xinfo_help(Client c) except -1:
    return reply_help(c, "xinfo")
