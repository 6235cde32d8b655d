# DUMP and RESTORE: a value serialized in the RDB value format
# (rdb.pyx), with a footer that lets RESTORE refuse foreign or damaged
# payloads:
#
#     <type byte> <value> <RDB version: u16 LE> <CRC-64 of all before: u64 LE>
#
# RESTORE accepts any payload version up to ours (10), as Redis 7.0 does,
# and loads it with the sanitize-dump-payload policy.

cdef const char *MSG_BUSYKEY = "BUSYKEY Target key name already exists."
cdef const char *MSG_DUMP_FOOTER = "ERR DUMP payload version or checksum are wrong"
cdef const char *MSG_BAD_DATA = "ERR Bad data format"

cdef enum:
    DUMP_FOOTER_LEN = 10


cdef int dump_payload(robj *o, rio *r) noexcept:
    """Write the DUMP payload of o into a fresh memory writer r (the
    caller frees it).  0 ok, -1 out of memory."""
    cdef unsigned char footer[DUMP_FOOTER_LEN]
    cdef uint64_t crc
    cdef int k
    rioInitMemWriter(r)
    if rdb_save_object_type(r, o) < 0 or rdb_save_object(r, o) < 0:
        return -1
    footer[0] = RDB_VERSION & 0xFF
    footer[1] = (RDB_VERSION >> 8) & 0xFF
    if not rioWrite(r, footer, 2):
        return -1
    crc = crc64(0, r.buf, r.len)
    for k in range(8):
        footer[2 + k] = <unsigned char>((crc >> (8 * k)) & 0xFF)
    return 0 if rioWrite(r, footer + 2, 8) else -1


cdef bint dump_payload_ok(const unsigned char *p, size_t n) noexcept:
    """Redis's verifyDumpPayload: a footer, a version we can read, and a
    CRC-64 matching the bytes before it."""
    cdef uint64_t crc = 0
    cdef int k
    cdef unsigned int ver
    if n < DUMP_FOOTER_LEN:
        return False
    ver = p[n - 10] | (p[n - 9] << 8)
    if ver > RDB_VERSION:
        return False
    for k in range(7, -1, -1):
        crc = (crc << 8) | p[n - 8 + k]
    return crc64(0, p, n - 8) == crc


cdef int cmd_dump(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef rio r
    if o == NULL:
        reply_null(c)
        return 0
    if dump_payload(o, &r) < 0:
        rioFree(&r)
        raise MemoryError()
    replyBulk(&c.reply, r.buf, r.len)
    rioFree(&r)
    return 0


cdef bint restore_deep_sanitize() noexcept:
    # "clients" sanitizes every client's payload here: there are no
    # replication links or ACL users that could be exempt yet
    return cfg_sanitize_dump_payload != SANITIZE_DUMP_NO


cdef void set_lru_or_lfu(robj *o, long long lfu_freq, long long lru_idle, long long lru_clock) noexcept:
    """IDLETIME / FREQ as Redis applies them (objectSetLRUOrLFU): under an
    LFU policy lru holds minutes << 8 | counter; else the access time in
    seconds of the wrapping 24-bit clock."""
    cdef long long when
    if cfg_lfu_enabled:
        if lfu_freq >= 0:
            o.lru = <unsigned>((((mstime() // 1000) // 60) & 0xFFFF) << 8) | <unsigned>lfu_freq
    elif lru_idle >= 0:
        when = lru_clock - lru_idle
        if when < 0:
            when += LRU_CLOCK_MAX
        o.lru = <unsigned>(when & LRU_CLOCK_MAX)


cdef void prop_restore_absttl(Client c, long long when) noexcept:
    """RESTORE with a relative TTL goes out with the deadline in its place
    and ABSTTL appended (Redis 7.0), so a replica or an AOF replay expires
    the key when this server does, however late it runs the command."""
    cdef replyBuf *b = prop_rewrite(c.argc + 1)
    cdef int j
    for j in range(c.argc):
        if j == 2:
            replyBulkLongLong(b, when)
        else:
            replyBulk(b, c.argv[j], c.argvlen[j])
    replyBulk(b, b"ABSTTL", 6)


cdef int cmd_restore(Client c) except -1:
    cdef long long ttl, lfu_freq = -1, lru_idle = -1, lru_clock = -1
    cdef bint replace = False, absttl = False, deleted = False
    cdef int j = 4
    cdef int additional
    cdef int rdbtype
    cdef int err
    cdef robj *o
    cdef rio r
    while j < c.argc:
        additional = c.argc - j - 1
        if arg_is(c, j, "replace"):
            replace = True
        elif arg_is(c, j, "absttl"):
            absttl = True
        elif arg_is(c, j, "idletime") and additional >= 1 and lfu_freq == -1:
            if not arg_ll(c, j + 1, &lru_idle):
                return 0
            if lru_idle < 0:
                replyErrorC(&c.reply, "ERR Invalid IDLETIME value, must be >= 0")
                return 0
            lru_clock = objLruClock
            j += 1
        elif arg_is(c, j, "freq") and additional >= 1 and lru_idle == -1:
            if not arg_ll(c, j + 1, &lfu_freq):
                return 0
            if lfu_freq < 0 or lfu_freq > 255:
                replyErrorC(&c.reply, "ERR Invalid FREQ value, must be >= 0 and <= 255")
                return 0
            j += 1
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    if not replace and lookup_write(c.db, c.argv[1], c.argvlen[1]) != NULL:
        replyErrorC(&c.reply, MSG_BUSYKEY)
        return 0
    if not arg_ll(c, 2, &ttl):
        return 0
    if ttl < 0:
        replyErrorC(&c.reply, "ERR Invalid TTL value, must be >= 0")
        return 0
    if not dump_payload_ok(<const unsigned char *>c.argv[3], c.argvlen[3]):
        replyErrorC(&c.reply, MSG_DUMP_FOOTER)
        return 0
    # the value may run into the footer, as in Redis: the reader sees the
    # whole payload
    rioInitMemReader(&r, c.argv[3], c.argvlen[3])
    rdbtype = rdb_load_type(&r)
    o = NULL
    if rdbtype >= 0 and rdb_is_object_type(rdbtype):
        o = rdb_load_object(rdbtype, &r, restore_deep_sanitize(), &err)
    if o == NULL:
        replyErrorC(&c.reply, MSG_BAD_DATA)
        return 0
    global g_dirty
    if replace:
        deleted = db_delete(c.db, c.argv[1], c.argvlen[1])
    if ttl and not absttl:
        ttl += g_cmd_ms
    if ttl and ttl <= g_cmd_ms:
        # already expired: the key is gone (deleted above if replacing)
        objFree(o)
        if deleted:
            g_dirty += 1
            arg_event(c, NOTIFY_GENERIC, "del", 1)
            if g_prop_targets:
                # DEL even under lazyfree-lazy-server-del, as Redis 7.0
                prop_rewrite_key(b"DEL", 3, c.argv[1], c.argvlen[1])
        replyOk(&c.reply)
        return 0
    db_add(c.db, c.argv[1], c.argvlen[1], o)
    if ttl:
        set_expire(c.db, c.argv[1], c.argvlen[1], ttl)
        if not absttl and g_prop_targets:
            prop_restore_absttl(c, ttl)
    set_lru_or_lfu(o, lfu_freq, lru_idle, lru_clock)
    signal_key_as_ready(c.db, c.argv[1], c.argvlen[1])
    arg_event(c, NOTIFY_GENERIC, "restore", 1)
    g_dirty += 1
    replyOk(&c.reply)
    return 0
