# String commands.  Values are robj strings (csrc/object.h): INT for
# canonical integers, EMBSTR up to 44 bytes, RAW above or after in-place
# edits (APPEND, SETRANGE).  No Python objects on the paths of GET/SET/
# INCR/MGET/MSET.
from libc.string cimport memcpy, memset
from libc.stdint cimport uint32_t

cdef enum:
    SET_NX = 1 << 0
    SET_XX = 1 << 1
    SET_GET = 1 << 2
    SET_KEEPTTL = 1 << 3
    SET_PERSIST = 1 << 4
    SET_EX = 1 << 5
    SET_PX = 1 << 6
    SET_EXAT = 1 << 7
    SET_PXAT = 1 << 8
    SET_EXPIRE_ANY = SET_EX | SET_PX | SET_EXAT | SET_PXAT

cdef enum:
    CMDTYPE_SET = 0
    CMDTYPE_GETEX = 1


cdef int parse_set_options(Client c, int start, int cmdtype, int *flags, int *expire_idx) noexcept:
    """Redis's grammar for SET and GETEX options; the last unit seen wins
    only in the sense that two units are a syntax error.  1 ok, 0 replied."""
    cdef int j = start
    cdef int f = 0
    cdef bint has_next
    expire_idx[0] = -1
    while j < c.argc:
        has_next = j + 1 < c.argc
        if arg_is(c, j, "nx") and not (f & SET_XX) and cmdtype == CMDTYPE_SET:
            f |= SET_NX
        elif arg_is(c, j, "xx") and not (f & SET_NX) and cmdtype == CMDTYPE_SET:
            f |= SET_XX
        elif arg_is(c, j, "get") and cmdtype == CMDTYPE_SET:
            f |= SET_GET
        elif arg_is(c, j, "keepttl") and not (f & (SET_PERSIST | SET_EXPIRE_ANY)) and cmdtype == CMDTYPE_SET:
            f |= SET_KEEPTTL
        elif arg_is(c, j, "persist") and cmdtype == CMDTYPE_GETEX and not (f & (SET_EXPIRE_ANY | SET_KEEPTTL)):
            f |= SET_PERSIST
        elif has_next and arg_is(c, j, "ex") and not (f & (SET_KEEPTTL | SET_PERSIST | SET_EXAT | SET_PX | SET_PXAT)):
            f |= SET_EX
            j += 1
            expire_idx[0] = j
        elif has_next and arg_is(c, j, "px") and not (f & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_EXAT | SET_PXAT)):
            f |= SET_PX
            j += 1
            expire_idx[0] = j
        elif has_next and arg_is(c, j, "exat") and not (f & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_PX | SET_PXAT)):
            f |= SET_EXAT
            j += 1
            expire_idx[0] = j
        elif has_next and arg_is(c, j, "pxat") and not (f & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_EXAT | SET_PX)):
            f |= SET_PXAT
            j += 1
            expire_idx[0] = j
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    flags[0] = f
    return 1


cdef int reply_invalid_expire(Client c) except -1:
    reply_error_fmt(c, "ERR invalid expire time in '%s' command" % c.cmd.name)
    return 0


cdef int parse_expire_ms(Client c, int idx, bint seconds, bint relative, long long *out) except -1:
    """Expire argument to an absolute unix time in ms (Redis's
    getExpireMillisecondsOrReply).  1 ok, 0 replied."""
    cdef long long v
    if not arg_ll(c, idx, &v):
        return 0
    if v <= 0 or (seconds and v > LLONG_MAX // 1000):
        return reply_invalid_expire(c)
    if seconds:
        v *= 1000
    if relative:
        if v > LLONG_MAX - g_cmd_ms:
            return reply_invalid_expire(c)
        v += g_cmd_ms
    out[0] = v
    return 1


cdef int parse_set_command(Client c, int start, int cmdtype, int *flags, long long *when) except -1:
    """Options of SET / GETEX and their expire time as absolute ms (-1:
    none).  1 ok, 0 replied."""
    cdef int eidx
    when[0] = -1
    if not parse_set_options(c, start, cmdtype, flags, &eidx):
        return 0
    if eidx >= 0:
        return parse_expire_ms(c, eidx, flags[0] & (SET_EX | SET_EXAT),
                               flags[0] & (SET_EX | SET_PX), when)
    return 1


cdef int set_from_args(Client c, int k, int v, bint keepttl) except -1:
    """Store argv[v] (int-encoded when canonical) under the key argv[k]."""
    cdef robj *val = objCreateStringTryInt(c.argv[v], c.argvlen[v])
    if val == NULL:
        raise MemoryError()
    return db_set(c.db, c.argv[k], c.argvlen[k], val, keepttl)


cdef int get_generic(Client c) except -1:
    """Reply with the value of argv[1]: 1 when a reply was a value or null,
    0 on WRONGTYPE."""
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_null(c)
        return 1
    if not check_type(c, o, OBJ_STRING):
        return 0
    reply_obj(c, o)
    return 1


cdef int set_generic(Client c, int flags, int valarg, long long expire_at) except -1:
    """SET and its variants once options are parsed.  expire_at < 0: none."""
    cdef bint found
    if flags & SET_GET:
        if not get_generic(c):
            return 0
    found = lookup_write(c.db, c.argv[1], c.argvlen[1]) != NULL
    if (flags & SET_NX and found) or (flags & SET_XX and not found):
        if not (flags & SET_GET):
            reply_null(c)
        return 0
    global g_dirty
    cdef replyBuf *b
    set_from_args(c, 1, valarg, flags & SET_KEEPTTL)
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "set", 1)
    if expire_at >= 0:
        set_expire(c.db, c.argv[1], c.argvlen[1], expire_at)
        notify_keyspace_event(NOTIFY_GENERIC, "expire", c.argv[1], c.argvlen[1], c.db.id)
        if g_prop_targets:
            # relative and second forms travel as SET key value PXAT ms
            b = prop_rewrite(5)
            replyBulk(b, b"SET", 3)
            replyBulk(b, c.argv[1], c.argvlen[1])
            replyBulk(b, c.argv[valarg], c.argvlen[valarg])
            replyBulk(b, b"PXAT", 4)
            replyBulkLongLong(b, expire_at)
    if not (flags & SET_GET):
        replyOk(&c.reply)
    return 1


cdef int cmd_get(Client c) except -1:
    get_generic(c)
    return 0


cdef int cmd_set(Client c) except -1:
    cdef int flags
    cdef long long when
    if parse_set_command(c, 3, CMDTYPE_SET, &flags, &when):
        set_generic(c, flags, 2, when)
    return 0


cdef int cmd_setnx(Client c) except -1:
    if lookup_write(c.db, c.argv[1], c.argvlen[1]) != NULL:
        replyLongLong(&c.reply, 0)
        return 0
    set_from_args(c, 1, 2, False)
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "set", 1)
    replyLongLong(&c.reply, 1)
    return 0


cdef int setex_generic(Client c, bint seconds) except -1:
    cdef long long when
    if not parse_expire_ms(c, 2, seconds, True, &when):
        return 0
    set_generic(c, 0, 3, when)
    return 0


cdef int cmd_setex(Client c) except -1:
    return setex_generic(c, True)


cdef int cmd_psetex(Client c) except -1:
    return setex_generic(c, False)


cdef int cmd_getset(Client c) except -1:
    global g_dirty
    if not get_generic(c):
        return 0
    set_from_args(c, 1, 2, False)
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "set", 1)
    if g_prop_targets:
        prop_rewrite_argv0(c, b"SET", 3)
    return 0


cdef int cmd_getdel(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_null(c)
        return 0
    if not check_type(c, o, OBJ_STRING):
        return 0
    global g_dirty
    reply_obj(c, o)
    db_delete(c.db, c.argv[1], c.argvlen[1])
    g_dirty += 1
    arg_event(c, NOTIFY_GENERIC, "del", 1)
    if g_prop_targets:
        prop_rewrite_key(b"DEL", 3, c.argv[1], c.argvlen[1])
    return 0


cdef int cmd_getex(Client c) except -1:
    cdef int flags
    cdef long long when
    if not parse_set_command(c, 2, CMDTYPE_GETEX, &flags, &when):
        return 0
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        reply_null(c)
        return 0
    if not check_type(c, o, OBJ_STRING):
        return 0
    global g_dirty
    reply_obj(c, o)
    if when >= 0 and when <= g_cmd_ms:
        db_delete(c.db, c.argv[1], c.argvlen[1])
        g_dirty += 1
        arg_event(c, NOTIFY_GENERIC, "del", 1)
        if g_prop_targets:
            prop_rewrite_key(b"UNLINK" if cfg_lazyfree_lazy_expire else b"DEL",
                             6 if cfg_lazyfree_lazy_expire else 3, c.argv[1], c.argvlen[1])
    elif when >= 0:
        set_expire(c.db, c.argv[1], c.argvlen[1], when)
        g_dirty += 1
        arg_event(c, NOTIFY_GENERIC, "expire", 1)
        if g_prop_targets:
            prop_rewrite_key_ms(b"PEXPIREAT", 9, c.argv[1], c.argvlen[1], when)
    elif flags & SET_PERSIST:
        if remove_expire(c.db, c.argv[1], c.argvlen[1]):
            g_dirty += 1
            arg_event(c, NOTIFY_GENERIC, "persist", 1)
            if g_prop_targets:
                prop_rewrite_key(b"PERSIST", 7, c.argv[1], c.argvlen[1])
    return 0


cdef int cmd_mget(Client c) except -1:
    cdef int j
    cdef robj *o
    replyArrayLen(&c.reply, c.argc - 1)
    for j in range(1, c.argc):
        o = lookup_read(c.db, c.argv[j], c.argvlen[j])
        if o == NULL or o.type != OBJ_STRING:
            reply_null(c)
        else:
            reply_obj(c, o)
    return 0


cdef int mset_generic(Client c, bint nx) except -1:
    cdef int j
    if c.argc % 2 == 0:
        reply_arity_error(c, c.cmd)
        return 0
    if nx:
        for j in range(1, c.argc, 2):
            if lookup_write(c.db, c.argv[j], c.argvlen[j]) != NULL:
                replyLongLong(&c.reply, 0)
                return 0
    global g_dirty
    for j in range(1, c.argc, 2):
        set_from_args(c, j, j + 1, False)
        arg_event(c, NOTIFY_STRING, "set", j)
    g_dirty += (c.argc - 1) // 2
    if nx:
        replyLongLong(&c.reply, 1)
    else:
        replyOk(&c.reply)
    return 0


cdef int cmd_mset(Client c) except -1:
    return mset_generic(c, False)


cdef int cmd_msetnx(Client c) except -1:
    return mset_generic(c, True)


cdef int incr_generic(Client c, long long incr) except -1:
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef long long value = 0
    cdef char scratch[32]
    cdef size_t n
    cdef const char *p
    if o != NULL:
        if not check_type(c, o, OBJ_STRING):
            return 0
        if o.encoding == OBJ_ENCODING_INT:
            value = o.v.ll
        else:
            p = objStrPtr(o, scratch, &n)
            if not string2ll(p, n, &value):
                replyErrorC(&c.reply, MSG_NOT_INT)
                return 0
    if (incr < 0 and value < 0 and incr < LLONG_MIN - value) or \
       (incr > 0 and value > 0 and incr > LLONG_MAX - value):
        replyErrorC(&c.reply, "ERR increment or decrement would overflow")
        return 0
    value += incr
    if o != NULL and o.encoding == OBJ_ENCODING_INT:
        o.v.ll = value
    else:
        o = objCreateInt(value)
        if o == NULL:
            raise MemoryError()
        db_set(c.db, c.argv[1], c.argvlen[1], o, True)
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "incrby", 1)
    replyLongLong(&c.reply, value)
    return 0


cdef int cmd_incr(Client c) except -1:
    return incr_generic(c, 1)


cdef int cmd_decr(Client c) except -1:
    return incr_generic(c, -1)


cdef int cmd_incrby(Client c) except -1:
    cdef long long incr
    if not arg_ll(c, 2, &incr):
        return 0
    return incr_generic(c, incr)


cdef int cmd_decrby(Client c) except -1:
    cdef long long incr
    if not arg_ll(c, 2, &incr):
        return 0
    if incr == LLONG_MIN:
        replyErrorC(&c.reply, "ERR decrement would overflow")
        return 0
    return incr_generic(c, -incr)


cdef int cmd_incrbyfloat(Client c) except -1:
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef long double value = 0, incr
    cdef char scratch[32]
    cdef char buf[5120]
    cdef size_t n
    cdef const char *p
    if o != NULL:
        if not check_type(c, o, OBJ_STRING):
            return 0
        p = objStrPtr(o, scratch, &n)
        if n > 5000 or not string2ld(p, n, &value):
            replyErrorC(&c.reply, MSG_NOT_FLOAT)
            return 0
    if not arg_ld(c, 2, &incr):
        return 0
    value += incr
    if isnan_ld(value) or isinf_ld(value):
        replyErrorC(&c.reply, "ERR increment would produce NaN or Infinity")
        return 0
    cdef int len = fmtHumanLongDouble(buf, sizeof(buf), value)
    o = objCreateString(buf, len)
    if o == NULL:
        raise MemoryError()
    db_set(c.db, c.argv[1], c.argvlen[1], o, True)
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "incrbyfloat", 1)
    cdef replyBuf *b
    if g_prop_targets:
        # the float result, not the increment: replay must not depend on
        # the platform's long double arithmetic
        b = prop_rewrite(4)
        replyBulk(b, b"SET", 3)
        replyBulk(b, c.argv[1], c.argvlen[1])
        replyBulk(b, buf, len)
        replyBulk(b, b"KEEPTTL", 7)
    replyBulk(&c.reply, buf, len)
    return 0


cdef inline int check_string_length(Client c, long long size) noexcept:
    if size > cfg_proto_max_bulk_len:
        replyErrorC(&c.reply, "ERR string exceeds maximum allowed size (proto-max-bulk-len)")
        return 0
    return 1


cdef int cmd_append(Client c) except -1:
    global g_dirty
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef size_t oldlen
    cdef robj *n
    if o == NULL:
        o = objCreateStringTryInt(c.argv[2], c.argvlen[2])
        if o == NULL:
            raise MemoryError()
        db_add(c.db, c.argv[1], c.argvlen[1], o)
        g_dirty += 1
        arg_event(c, NOTIFY_STRING, "append", 1)
        replyLongLong(&c.reply, c.argvlen[2])
        return 0
    if not check_type(c, o, OBJ_STRING):
        return 0
    oldlen = objStrLen(o)
    if not check_string_length(c, oldlen + c.argvlen[2]):
        return 0
    n = objMakeRawWithCap(o, oldlen + c.argvlen[2])
    if n == NULL:
        raise MemoryError()
    if n != o:
        db_replace_value(c.db, c.argv[1], c.argvlen[1], n)
    memcpy(objRawPtr(n) + oldlen, c.argv[2], c.argvlen[2])
    n.len = <uint32_t>(oldlen + c.argvlen[2])
    objRawPtr(n)[n.len] = 0
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "append", 1)
    replyLongLong(&c.reply, n.len)
    return 0


cdef int cmd_strlen(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
    elif check_type(c, o, OBJ_STRING):
        replyLongLong(&c.reply, objStrLen(o))
    return 0


cdef int cmd_getrange(Client c) except -1:
    cdef long long start, end, slen
    cdef char scratch[32]
    cdef size_t n
    cdef const char *p
    if not arg_ll(c, 2, &start) or not arg_ll(c, 3, &end):
        return 0
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyBulk(&c.reply, b"", 0)
        return 0
    if not check_type(c, o, OBJ_STRING):
        return 0
    p = objStrPtr(o, scratch, &n)
    slen = n
    if start < 0 and end < 0 and start > end:
        replyBulk(&c.reply, b"", 0)
        return 0
    if start < 0:
        start = slen + start
    if end < 0:
        end = slen + end
    if start < 0:
        start = 0
    if end < 0:
        end = 0
    if end >= slen:
        end = slen - 1
    if start > end or slen == 0:
        replyBulk(&c.reply, b"", 0)
    else:
        replyBulk(&c.reply, p + start, end - start + 1)
    return 0


cdef robj *string_for_write(Client c, size_t need, bint *grown) except? NULL:
    """The string at argv[1] made raw and zero-padded to at least `need`
    bytes, created when missing (Redis's lookupStringForBitCommand);
    *grown tells whether it was created or lengthened.  NULL after a
    WRONGTYPE reply."""
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef robj *n
    cdef size_t olen
    grown[0] = False
    if o == NULL:
        o = objCreateRawString(NULL, 0, need)
        if o == NULL:
            raise MemoryError()
        memset(objRawPtr(o), 0, need + 1)
        o.len = <uint32_t>need
        db_add(c.db, c.argv[1], c.argvlen[1], o)
        grown[0] = True
        return o
    if not check_type(c, o, OBJ_STRING):
        return NULL
    olen = objStrLen(o)
    n = objMakeRawWithCap(o, max(olen, need))
    if n == NULL:
        raise MemoryError()
    if n != o:
        db_replace_value(c.db, c.argv[1], c.argvlen[1], n)
    if need > olen:
        memset(objRawPtr(n) + olen, 0, need - olen + 1)
        n.len = <uint32_t>need
        grown[0] = True
    return n


cdef int cmd_setrange(Client c) except -1:
    cdef long long offset
    cdef size_t vlen = c.argvlen[3]
    cdef size_t olen
    cdef robj *n
    if not arg_ll(c, 2, &offset):
        return 0
    if offset < 0:
        replyErrorC(&c.reply, "ERR offset is out of range")
        return 0
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        if vlen == 0:
            replyLongLong(&c.reply, 0)
            return 0
        if not check_string_length(c, offset + vlen):
            return 0
        o = objCreateRawString(NULL, 0, offset + vlen)
        if o == NULL:
            raise MemoryError()
        db_add(c.db, c.argv[1], c.argvlen[1], o)
        n = o
        olen = 0
    else:
        if not check_type(c, o, OBJ_STRING):
            return 0
        olen = objStrLen(o)
        if vlen == 0:
            replyLongLong(&c.reply, olen)
            return 0
        if not check_string_length(c, offset + vlen):
            return 0
        n = objMakeRawWithCap(o, max(olen, <size_t>offset + vlen))
        if n == NULL:
            raise MemoryError()
        if n != o:
            db_replace_value(c.db, c.argv[1], c.argvlen[1], n)
    if <size_t>offset > olen:
        memset(objRawPtr(n) + olen, 0, offset - olen)
    memcpy(objRawPtr(n) + offset, c.argv[3], vlen)
    if <size_t>offset + vlen > olen:
        n.len = <uint32_t>(offset + vlen)
        objRawPtr(n)[n.len] = 0
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_STRING, "setrange", 1)
    replyLongLong(&c.reply, n.len)
    return 0


cdef int cmd_lcs(Client c) except -1:
    """LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the classic
    (alen+1) x (blen+1) dynamic programming table of uint32 in C memory,
    then one walk back from the bottom-right corner that yields the common
    subsequence backwards and, for IDX, the matching ranges last to first."""
    cdef robj *oa = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef robj *ob = lookup_read(c.db, c.argv[2], c.argvlen[2])
    cdef char sa[32]
    cdef char sb[32]
    cdef const char *a = b""
    cdef const char *b = b""
    cdef size_t alen = 0, blen = 0
    cdef bint getlen = False, getidx = False, withmatchlen = False
    cdef long long minmatchlen = 0
    cdef int j = 3
    cdef unsigned long long cells, nbytes
    cdef uint32_t *table
    cdef char *result = NULL
    cdef LcsWalk w
    if (oa != NULL and oa.type != OBJ_STRING) or (ob != NULL and ob.type != OBJ_STRING):
        replyErrorC(&c.reply, "ERR The specified keys must contain string values")
        return 0
    if oa != NULL:
        a = objStrPtr(oa, sa, &alen)
    if ob != NULL:
        b = objStrPtr(ob, sb, &blen)
    while j < c.argc:
        if arg_is(c, j, "idx"):
            getidx = True
        elif arg_is(c, j, "len"):
            getlen = True
        elif arg_is(c, j, "withmatchlen"):
            withmatchlen = True
        elif arg_is(c, j, "minmatchlen") and j + 1 < c.argc:
            if not arg_ll(c, j + 1, &minmatchlen):
                return 0
            if minmatchlen < 0:
                minmatchlen = 0
            j += 1
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    if getidx and getlen:
        replyErrorC(&c.reply, "ERR If you want both the length and indexes, please just use IDX.")
        return 0
    if alen >= 0xFFFFFFFE or blen >= 0xFFFFFFFE:
        replyErrorC(&c.reply, "ERR String too long for LCS")
        return 0
    cells = (<unsigned long long>alen + 1) * (blen + 1)
    nbytes = cells * sizeof(uint32_t)
    if nbytes > <unsigned long long>cfg_proto_max_bulk_len:
        replyErrorC(&c.reply, "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
        return 0
    table = <uint32_t *>zmalloc(nbytes)
    if table == NULL:
        replyErrorC(&c.reply, "ERR Insufficient memory, failed allocating transient memory for LCS")
        return 0
    try:
        lcs_fill(table, a, alen, b, blen)
        w.table = table
        w.a, w.b = a, b
        w.alen, w.blen = <uint32_t>alen, <uint32_t>blen
        w.minmatchlen = minmatchlen
        w.withmatchlen = withmatchlen
        w.reply = NULL
        w.result = NULL
        if getlen:
            replyLongLong(&c.reply, table[cells - 1])
        elif getidx:
            # count the ranges first: the array length comes before them
            lcs_walk(&w)
            replyMapLen(&c.reply, c.resp, 2)
            replyBulk(&c.reply, b"matches", 7)
            replyArrayLen(&c.reply, w.emitted)
            w.reply = &c.reply
            lcs_walk(&w)
            replyBulk(&c.reply, b"len", 3)
            replyLongLong(&c.reply, table[cells - 1])
        else:
            result = <char *>zmalloc(table[cells - 1] + 1)
            if result == NULL:
                raise MemoryError()
            w.result = result
            lcs_walk(&w)
            replyBulk(&c.reply, result, table[cells - 1])
    finally:
        zfree(table)
        zfree(result)
    return 0


cdef void lcs_fill(uint32_t *t, const char *a, size_t alen, const char *b, size_t blen) noexcept nogil:
    """t[i*(blen+1) + j] = length of the LCS of a[:i] and b[:j]."""
    cdef size_t w = blen + 1
    cdef size_t i, j
    cdef uint32_t *row
    cdef uint32_t *prev
    for j in range(w):
        t[j] = 0
    for i in range(1, alen + 1):
        row = t + i * w
        prev = row - w
        row[0] = 0
        for j in range(1, w):
            if a[i - 1] == b[j - 1]:
                row[j] = prev[j - 1] + 1
            elif prev[j] > row[j - 1]:
                row[j] = prev[j]
            else:
                row[j] = row[j - 1]


cdef struct LcsWalk:
    const uint32_t *table
    const char *a
    const char *b
    uint32_t alen, blen
    long long minmatchlen
    bint withmatchlen
    replyBuf *reply       # IDX ranges are written here when set
    char *result          # the subsequence is written here when set
    long emitted          # ranges kept (after MINMATCHLEN)


cdef void lcs_walk(LcsWalk *w) noexcept:
    """Walk back from (alen, blen): on equal bytes step diagonally and grow
    the current range backwards; otherwise step towards the larger
    neighbour (j first on ties) and close the range.  A range also closes
    when it reaches the start of either string."""
    cdef uint32_t i = w.alen, j = w.blen
    cdef size_t width = <size_t>w.blen + 1
    cdef uint32_t k = w.table[<size_t>w.alen * width + w.blen]
    cdef uint32_t astart = w.alen, aend = 0, bstart = 0, bend = 0   # astart == alen: no range
    cdef uint32_t mlen
    cdef bint emit
    w.emitted = 0
    while i > 0 and j > 0:
        emit = False
        if w.a[i - 1] == w.b[j - 1]:
            if w.result != NULL:
                w.result[k - 1] = w.a[i - 1]
            if astart == w.alen:
                astart = aend = i - 1
                bstart = bend = j - 1
            elif astart == i and bstart == j:
                astart -= 1
                bstart -= 1
            else:
                emit = True
            if astart == 0 or bstart == 0:
                emit = True
            k -= 1
            i -= 1
            j -= 1
        else:
            if w.table[(<size_t>i - 1) * width + j] > w.table[<size_t>i * width + j - 1]:
                i -= 1
            else:
                j -= 1
            if astart != w.alen:
                emit = True
        if emit:
            mlen = aend - astart + 1
            if w.minmatchlen == 0 or mlen >= w.minmatchlen:
                w.emitted += 1
                if w.reply != NULL:
                    replyArrayLen(w.reply, 3 if w.withmatchlen else 2)
                    replyArrayLen(w.reply, 2)
                    replyLongLong(w.reply, astart)
                    replyLongLong(w.reply, aend)
                    replyArrayLen(w.reply, 2)
                    replyLongLong(w.reply, bstart)
                    replyLongLong(w.reply, bend)
                    if w.withmatchlen:
                        replyLongLong(w.reply, mlen)
            astart = w.alen
