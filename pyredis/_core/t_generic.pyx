# Key space commands: keys, expiry, databases, OBJECT.
#
# Lookups follow Redis's flavours: "read" lookups count keyspace hits and
# misses, "notouch" ones (EXISTS, TYPE, TTL, OBJECT) leave the access time
# alone, "write" lookups only expire.  RENAME and MOVE hand the value object
# from one dict entry to another instead of copying it.
from libc.string cimport memcpy, memmove

cdef enum:
    EXPIRE_NX = 1 << 0
    EXPIRE_XX = 1 << 1
    EXPIRE_GT = 1 << 2
    EXPIRE_LT = 1 << 3

cdef enum:
    INT_MAX_ = 2147483647
    INT_MIN_ = -2147483648
    SHARED_INTEGERS = 10000

# LLONG_MAX / 1000 and LLONG_MIN / 1000, truncated as C does
cdef long long LLONG_MAX_DIV_1000 = 9223372036854775
cdef long long LLONG_MIN_DIV_1000 = -9223372036854775

cdef const char *MSG_NO_SUCH_KEY = "ERR no such key"
cdef const char *MSG_SAME_OBJECT = "ERR source and destination objects are the same"
cdef const char *MSG_INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647"
cdef const char *MSG_DB_RANGE = "ERR DB index is out of range"


# --- shared paths -----------------------------------------------------------

cdef inline bint args_equal(Client c, int i, int j) noexcept:
    return c.argvlen[i] == c.argvlen[j] and \
        memcmp(c.argv[i], c.argv[j], c.argvlen[i]) == 0


cdef int arg_int(Client c, int i, int *out, const char *msg) noexcept:
    """getIntFromObjectOrReply: a long long that fits an int.  msg replaces
    both errors when given.  1 ok, 0 replied."""
    cdef long long v
    if not string2ll(c.argv[i], c.argvlen[i], &v):
        replyErrorC(&c.reply, MSG_NOT_INT if msg == NULL else msg)
        return 0
    if v < INT_MIN_ or v > INT_MAX_:
        replyErrorC(&c.reply, MSG_INT_RANGE if msg == NULL else msg)
        return 0
    out[0] = <int>v
    return 1


cdef int arg_db(Client c, int i, redisDb **out) noexcept:
    """A DB index argument, as COPY ... DB and MOVE parse it.  1 ok, 0 replied."""
    cdef int id
    if not arg_int(c, i, &id, NULL):
        return 0
    if id < 0 or id >= g_ndbs:
        replyErrorC(&c.reply, MSG_DB_RANGE)
        return 0
    out[0] = &g_dbs[id]
    return 1


cdef int reply_insert(Client c, size_t at, replyBuf *head) except -1:
    """Insert `head` at offset `at` of the reply: how a length known only
    after the elements were written (KEYS, SCAN) is put in front of them."""
    if head.oom or replyReserve(&c.reply, head.len) != 0:
        raise MemoryError()
    memmove(c.reply.buf + at + head.len, c.reply.buf + at, c.reply.len - at)
    memcpy(c.reply.buf + at, head.buf, head.len)
    c.reply.len += head.len
    return 0


cdef int reply_array_len_at(Client c, size_t at, long n) except -1:
    cdef replyBuf head
    replyInit(&head)
    replyArrayLen(&head, n)
    try:
        reply_insert(c, at, &head)
    finally:
        replyFree(&head)
    return 0


# --- DEL UNLINK EXISTS TYPE TOUCH DBSIZE -------------------------------------

cdef int del_generic(Client c) except -1:
    cdef long long n = 0
    cdef int j
    for j in range(1, c.argc):
        expire_if_needed(c.db, c.argv[j], c.argvlen[j])
        if db_delete(c.db, c.argv[j], c.argvlen[j]):
            arg_event(c, NOTIFY_GENERIC, "del", j)
            n += 1
    global g_dirty
    g_dirty += n
    replyLongLong(&c.reply, n)
    return 0


cdef int cmd_del(Client c) except -1:
    return del_generic(c)


cdef int cmd_unlink(Client c) except -1:
    return del_generic(c)


cdef int cmd_exists(Client c) except -1:
    cdef long long n = 0
    cdef int j
    for j in range(1, c.argc):
        if lookup_read(c.db, c.argv[j], c.argvlen[j], False) != NULL:
            n += 1
    replyLongLong(&c.reply, n)
    return 0


cdef int cmd_type(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1], False)
    if o == NULL:
        replyStatusC(&c.reply, "none")
    else:
        replyStatusC(&c.reply, objTypeName(o.type))
    return 0


cdef int cmd_touch(Client c) except -1:
    cdef long long n = 0
    cdef int j
    for j in range(1, c.argc):
        if lookup_read(c.db, c.argv[j], c.argvlen[j]) != NULL:
            n += 1
    replyLongLong(&c.reply, n)
    return 0


cdef int cmd_dbsize(Client c) except -1:
    replyLongLong(&c.reply, dictSize(c.db.dict))
    return 0


# --- KEYS SCAN RANDOMKEY -----------------------------------------------------

cdef int cmd_keys(Client c) except -1:
    """Redis 7.0 hides expired keys from KEYS without deleting them."""
    cdef const char *pat = c.argv[1]
    cdef int plen = <int>c.argvlen[1]
    cdef bint allkeys = plen == 1 and pat[0] == b'*'
    cdef size_t at = c.reply.len
    cdef long n = 0
    cdef dictEntry *de
    cdef dictIterator *it = dictGetSafeIterator(c.db.dict)
    if it == NULL:
        raise MemoryError()
    de = dictNext(it)
    while de != NULL:
        if (allkeys or stringmatchlen(pat, plen, <const char *>de.key, de.klen, 0)) and \
                not key_is_expired(c.db, <const char *>de.key, de.klen):
            replyBulk(&c.reply, de.key, de.klen)
            n += 1
        de = dictNext(it)
    dictReleaseIterator(it)
    reply_array_len_at(c, at, n)
    return 0


cdef struct ScanState:
    replyBuf *reply
    redisDb *db
    const char *pat
    int patlen
    bint use_pattern
    const char *typename
    size_t typelen
    long long visited
    long long emitted
    # expired keys met by the scan, deleted once it is over:
    # [uint32 length][bytes] records
    char *dead
    size_t deadlen, deadcap
    bint oom


cdef bint type_name_is(const char *name, size_t n, const char *tname) noexcept:
    cdef size_t j
    cdef char ch
    for j in range(n):
        ch = name[j]
        if 65 <= ch <= 90:
            ch += 32
        if tname[j] == 0 or ch != tname[j]:
            return False
    return tname[n] == 0


cdef void _scan_remember_dead(ScanState *s, const dictEntry *de) noexcept:
    cdef size_t need = sizeof(uint32_t) + de.klen
    cdef size_t cap
    cdef char *p
    if s.deadlen + need > s.deadcap:
        cap = s.deadcap * 2 + need + 64
        p = <char *>zrealloc(s.dead, cap)
        if p == NULL:
            s.oom = True
            return
        s.dead, s.deadcap = p, cap
    memcpy(s.dead + s.deadlen, &de.klen, sizeof(uint32_t))
    memcpy(s.dead + s.deadlen + sizeof(uint32_t), de.key, de.klen)
    s.deadlen += need


cdef void _scan_visit(void *privdata, const dictEntry *de) noexcept:
    """Filters in Redis's order: pattern, then TYPE (whose lookup finds an
    expired key gone, so it has type "none"), then expiry."""
    cdef ScanState *s = <ScanState *>privdata
    cdef const char *k = <const char *>de.key
    cdef bint expired
    cdef robj *o
    s.visited += 1
    if s.use_pattern and not stringmatchlen(s.pat, s.patlen, k, de.klen, 0):
        return
    expired = key_is_expired(s.db, k, de.klen)
    if expired:
        _scan_remember_dead(s, de)
    if s.typename != NULL:
        if expired:
            g_stats.keyspace_misses += 1
            if not type_name_is(s.typename, s.typelen, "none"):
                return
            # the TYPE lookup already deleted it: expiry no longer filters it
        else:
            g_stats.keyspace_hits += 1
            o = <robj *>de.v.ptr
            if not type_name_is(s.typename, s.typelen, objTypeName(o.type)):
                return
    elif expired:
        return
    replyBulk(s.reply, de.key, de.klen)
    s.emitted += 1


cdef int parse_scan_cursor(Client c, int i, unsigned long *out) noexcept:
    """The cursor as strtoul(s, &end, 10) reads it, rejected when it starts
    with a space, has trailing bytes or overflows (Redis's rules).  So "",
    "+5" and "-1" (= ULONG_MAX) are valid.  1 ok, 0 replied."""
    cdef const char *p = c.argv[i]
    cdef size_t n = 0
    cdef size_t j = 0
    cdef unsigned long v = 0
    cdef unsigned long d
    cdef bint neg = False
    cdef size_t digits_at
    while n < c.argvlen[i] and p[n] != 0:     # C string semantics
        n += 1
    if n > 0 and (p[0] == 32 or 9 <= p[0] <= 13):
        replyErrorC(&c.reply, "ERR invalid cursor")
        return 0
    if j < n and (p[j] == b'+' or p[j] == b'-'):
        neg = p[j] == b'-'
        j += 1
    digits_at = j
    while j < n and 48 <= p[j] <= 57:
        d = <unsigned long>(p[j] - 48)
        if v > (<unsigned long>-1 - d) // 10:
            replyErrorC(&c.reply, "ERR invalid cursor")
            return 0
        v = v * 10 + d
        j += 1
    if j == digits_at:
        # no digits: strtoul consumed nothing, so only "" is accepted
        if n != 0:
            replyErrorC(&c.reply, "ERR invalid cursor")
            return 0
    elif j != n:
        replyErrorC(&c.reply, "ERR invalid cursor")
        return 0
    out[0] = (<unsigned long>0 - v) if neg else v
    return 1


cdef struct ScanOpts:
    long long count
    const char *pat
    int patlen
    bint use_pattern
    const char *typename      # NULL: no TYPE filter
    size_t typelen


cdef int parse_scan_options(Client c, int start, ScanOpts *o, bint allow_type) noexcept:
    """MATCH / COUNT (and for SCAN itself TYPE) from argv[start:], as every
    SCAN-family command takes them.  1 ok, 0 replied."""
    cdef int i = start
    o.count = 10
    o.pat = NULL
    o.patlen = 0
    o.use_pattern = False
    o.typename = NULL
    o.typelen = 0
    while i < c.argc:
        if arg_is(c, i, "count") and c.argc - i >= 2:
            if not arg_ll(c, i + 1, &o.count):
                return 0
            if o.count < 1:
                replyErrorC(&c.reply, MSG_SYNTAX)
                return 0
        elif arg_is(c, i, "match") and c.argc - i >= 2:
            o.pat = c.argv[i + 1]
            o.patlen = <int>c.argvlen[i + 1]
            o.use_pattern = not (o.patlen == 1 and o.pat[0] == b'*')
        elif allow_type and arg_is(c, i, "type") and c.argc - i >= 2:
            o.typename = c.argv[i + 1]
            o.typelen = c.argvlen[i + 1]
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        i += 2
    return 1


cdef inline long long scan_max_iterations(long long count) noexcept:
    # empty buckets are cheap but not free: give up after count*10 of them
    return count * 10 if count <= LLONG_MAX // 10 else LLONG_MAX


cdef int reply_scan_head(Client c, size_t at, unsigned long cursor, long n) except -1:
    """Put [cursor, [n elements...]] around the n elements written from at."""
    cdef replyBuf head
    replyInit(&head)
    replyArrayLen(&head, 2)
    replyBulkLongLong(&head, <long long>cursor)
    replyArrayLen(&head, n)
    try:
        reply_insert(c, at, &head)
    finally:
        replyFree(&head)
    return 0


cdef inline void reply_empty_scan(Client c) noexcept:
    replyArrayLen(&c.reply, 2)
    replyBulk(&c.reply, b"0", 1)
    replyArrayLen(&c.reply, 0)


# Value writer for collection scans: HSCAN writes the field's value, ZSCAN
# the score; NULL for sets (members only).
ctypedef void (*scan_value_fn)(replyBuf *r, const dictEntry *de) noexcept

cdef struct CollScan:
    replyBuf *reply
    ScanOpts *opts
    scan_value_fn value
    long long produced        # elements collected before filtering (Redis's count)
    long long emitted


cdef void _coll_scan_visit(void *privdata, const dictEntry *de) noexcept:
    cdef CollScan *s = <CollScan *>privdata
    s.produced += 1 if s.value == NULL else 2
    if s.opts.use_pattern and not stringmatchlen(s.opts.pat, s.opts.patlen,
                                                 <const char *>de.key, de.klen, 0):
        return
    replyBulk(s.reply, de.key, de.klen)
    s.emitted += 1
    if s.value != NULL:
        s.value(s.reply, de)
        s.emitted += 1


cdef int reply_dict_scan(Client c, dict_t *d, unsigned long cursor, ScanOpts *o,
                         scan_value_fn value) except -1:
    """One SCAN step over a collection's dict (HSCAN, SSCAN, ZSCAN on the
    hashtable encodings), replied as [next cursor, [elements...]]."""
    cdef CollScan s
    cdef long long maxiter = scan_max_iterations(o.count)
    cdef size_t at = c.reply.len
    s.reply = &c.reply
    s.opts = o
    s.value = value
    s.produced = s.emitted = 0
    while True:
        cursor = dictScan(d, cursor, <scan_fn>_coll_scan_visit, &s)
        if cursor == 0 or maxiter == 0:
            break
        maxiter -= 1
        if s.produced >= o.count:
            break
    return reply_scan_head(c, at, cursor, s.emitted)


cdef int cmd_scan(Client c) except -1:
    cdef unsigned long cursor
    cdef ScanOpts o
    cdef long long maxiter
    cdef ScanState s
    cdef size_t at, off
    cdef uint32_t kl
    if not parse_scan_cursor(c, 1, &cursor):
        return 0
    if not parse_scan_options(c, 2, &o, True):
        return 0
    s.pat = o.pat
    s.patlen = o.patlen
    s.use_pattern = o.use_pattern
    s.typename = o.typename
    s.typelen = o.typelen
    s.reply = &c.reply
    s.db = c.db
    s.visited = s.emitted = 0
    s.dead = NULL
    s.deadlen = s.deadcap = 0
    s.oom = False
    at = c.reply.len
    maxiter = scan_max_iterations(o.count)
    while True:
        cursor = dictScan(c.db.dict, cursor, <scan_fn>_scan_visit, &s)
        if cursor == 0 or maxiter == 0:
            break
        maxiter -= 1
        if s.visited >= o.count:
            break
    off = 0
    while off < s.deadlen:
        memcpy(&kl, s.dead + off, sizeof(uint32_t))
        off += sizeof(uint32_t)
        expire_if_needed(c.db, s.dead + off, kl)
        off += kl
    zfree(s.dead)
    if s.oom:
        raise MemoryError()
    return reply_scan_head(c, at, cursor, s.emitted)


cdef int cmd_randomkey(Client c) except -1:
    cdef dictEntry *de
    cdef int tries = 100
    while True:
        de = dictGetFairRandomKey(c.db.dict)
        if de == NULL:
            reply_null(c)
            return 0
        # an expired pick is deleted and another one drawn; a replica keeps
        # its expired keys (so does a paused server): after 100 it answers one
        if not expire_if_needed(c.db, <const char *>de.key, de.klen) or \
                ((g_repl_is_replica or g_pause_active) and tries <= 0):
            replyBulk(&c.reply, de.key, de.klen)
            return 0
        tries -= 1


# --- RENAME RENAMENX COPY MOVE ------------------------------------------------

cdef int rename_generic(Client c, bint nx) except -1:
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef long long when
    if o == NULL:
        replyErrorC(&c.reply, MSG_NO_SUCH_KEY)
        return 0
    if args_equal(c, 1, 2):
        if nx:
            replyLongLong(&c.reply, 0)
        else:
            replyOk(&c.reply)
        return 0
    when = get_expire(c.db, c.argv[1], c.argvlen[1])
    if lookup_write(c.db, c.argv[2], c.argvlen[2]) != NULL:
        if nx:
            replyLongLong(&c.reply, 0)
            return 0
        db_delete(c.db, c.argv[2], c.argvlen[2])
    db_relink_value(c.db, c.argv[1], c.argvlen[1], c.db, c.argv[2], c.argvlen[2], o)
    if when != -1:
        set_expire(c.db, c.argv[2], c.argvlen[2], when)
    signal_key_as_ready(c.db, c.argv[2], c.argvlen[2])
    signal_modified_key(c.db, c.argv[1], c.argvlen[1])
    signal_modified_key(c.db, c.argv[2], c.argvlen[2])
    notify_keyspace_event(NOTIFY_GENERIC, "rename_from", c.argv[1], c.argvlen[1], c.db.id)
    notify_keyspace_event(NOTIFY_GENERIC, "rename_to", c.argv[2], c.argvlen[2], c.db.id)
    global g_dirty
    g_dirty += 1
    if nx:
        replyLongLong(&c.reply, 1)
    else:
        replyOk(&c.reply)
    return 0


cdef int cmd_rename(Client c) except -1:
    return rename_generic(c, False)


cdef int cmd_renamenx(Client c) except -1:
    return rename_generic(c, True)


cdef int cmd_copy(Client c) except -1:
    cdef redisDb *dst = c.db
    cdef bint replace = False
    cdef int j = 3
    cdef robj *o
    cdef robj *n
    cdef long long when
    while j < c.argc:
        if arg_is(c, j, "replace"):
            replace = True
        elif arg_is(c, j, "db") and c.argc - j - 1 >= 1:
            if not arg_db(c, j + 1, &dst):
                return 0
            j += 1
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    if dst == c.db and args_equal(c, 1, 2):
        replyErrorC(&c.reply, MSG_SAME_OBJECT)
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    when = get_expire(c.db, c.argv[1], c.argvlen[1])
    if lookup_write(dst, c.argv[2], c.argvlen[2]) != NULL:
        if not replace:
            replyLongLong(&c.reply, 0)
            return 0
        db_delete(dst, c.argv[2], c.argvlen[2])
    n = objDup(o)
    if n == NULL:
        raise MemoryError()
    db_add(dst, c.argv[2], c.argvlen[2], n)
    if when != -1:
        set_expire(dst, c.argv[2], c.argvlen[2], when)
    signal_key_as_ready(dst, c.argv[2], c.argvlen[2])
    signal_modified_key(dst, c.argv[2], c.argvlen[2])
    notify_keyspace_event(NOTIFY_GENERIC, "copy_to", c.argv[2], c.argvlen[2], dst.id)
    global g_dirty
    g_dirty += 1
    replyLongLong(&c.reply, 1)
    return 0


cdef int cmd_move(Client c) except -1:
    cdef redisDb *dst
    cdef robj *o
    cdef long long when
    if not arg_db(c, 2, &dst):
        return 0
    if dst == c.db:
        replyErrorC(&c.reply, MSG_SAME_OBJECT)
        return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    when = get_expire(c.db, c.argv[1], c.argvlen[1])
    if lookup_write(dst, c.argv[1], c.argvlen[1]) != NULL:
        replyLongLong(&c.reply, 0)
        return 0
    db_relink_value(c.db, c.argv[1], c.argvlen[1], dst, c.argv[1], c.argvlen[1], o)
    if when != -1:
        set_expire(dst, c.argv[1], c.argvlen[1], when)
    signal_key_as_ready(dst, c.argv[1], c.argvlen[1])
    signal_modified_key(c.db, c.argv[1], c.argvlen[1])
    signal_modified_key(dst, c.argv[1], c.argvlen[1])
    notify_keyspace_event(NOTIFY_GENERIC, "move_from", c.argv[1], c.argvlen[1], c.db.id)
    notify_keyspace_event(NOTIFY_GENERIC, "move_to", c.argv[1], c.argvlen[1], dst.id)
    global g_dirty
    g_dirty += 1
    replyLongLong(&c.reply, 1)
    return 0


# --- EXPIRE family, TTL, PERSIST ---------------------------------------------

cdef int parse_expire_flags(Client c, int *flags) except -1:
    """NX XX GT LT after the time; all are read before the checks.  1 ok,
    0 replied."""
    cdef int f = 0
    cdef int j
    cdef bytes opt
    for j in range(3, c.argc):
        if arg_is(c, j, "nx"):
            f |= EXPIRE_NX
        elif arg_is(c, j, "xx"):
            f |= EXPIRE_XX
        elif arg_is(c, j, "gt"):
            f |= EXPIRE_GT
        elif arg_is(c, j, "lt"):
            f |= EXPIRE_LT
        else:
            # %s of a C string: up to a NUL; newlines become spaces
            opt = arg_bytes(c, j).split(b"\0", 1)[0]
            opt = opt.replace(b"\r", b" ").replace(b"\n", b" ")
            reply_error_fmt(c, "ERR Unsupported option %s"
                            % opt.decode("utf-8", "surrogateescape"))
            return 0
    if (f & EXPIRE_NX) and (f & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)):
        replyErrorC(&c.reply, "ERR NX and XX, GT or LT options at the same time are not compatible")
        return 0
    if (f & EXPIRE_GT) and (f & EXPIRE_LT):
        replyErrorC(&c.reply, "ERR GT and LT options at the same time are not compatible")
        return 0
    flags[0] = f
    return 1


cdef int expire_generic(Client c, long long basetime, bint seconds) except -1:
    cdef int flags
    cdef long long when, current
    if not parse_expire_flags(c, &flags):
        return 0
    if not arg_ll(c, 2, &when):
        return 0
    if seconds:
        if when > LLONG_MAX_DIV_1000 or when < LLONG_MIN_DIV_1000:
            return reply_invalid_expire(c)
        when *= 1000
    if when > LLONG_MAX - basetime:
        return reply_invalid_expire(c)
    when += basetime
    if lookup_write(c.db, c.argv[1], c.argvlen[1]) == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if flags:
        # no TTL counts as an infinite one
        current = get_expire(c.db, c.argv[1], c.argvlen[1])
        if ((flags & EXPIRE_NX) and current != -1) or \
           ((flags & EXPIRE_XX) and current == -1) or \
           ((flags & EXPIRE_GT) and (when <= current or current == -1)) or \
           ((flags & EXPIRE_LT) and current != -1 and when >= current):
            replyLongLong(&c.reply, 0)
            return 0
    global g_dirty
    g_dirty += 1
    cdef replyBuf *b
    cdef int j
    if when <= g_cmd_ms:
        db_delete(c.db, c.argv[1], c.argvlen[1])
        arg_event(c, NOTIFY_GENERIC, "del", 1)
        if g_prop_targets:
            prop_rewrite_key(b"UNLINK" if cfg_lazyfree_lazy_expire else b"DEL",
                             6 if cfg_lazyfree_lazy_expire else 3, c.argv[1], c.argvlen[1])
    else:
        set_expire(c.db, c.argv[1], c.argvlen[1], when)
        arg_event(c, NOTIFY_GENERIC, "expire", 1)
        if g_prop_targets:
            # PEXPIREAT key <absolute ms> [the options as given]
            b = prop_rewrite(c.argc)
            replyBulk(b, b"PEXPIREAT", 9)
            replyBulk(b, c.argv[1], c.argvlen[1])
            replyBulkLongLong(b, when)
            for j in range(3, c.argc):
                replyBulk(b, c.argv[j], c.argvlen[j])
    replyLongLong(&c.reply, 1)
    return 0


cdef int cmd_expire(Client c) except -1:
    return expire_generic(c, g_cmd_ms, True)


cdef int cmd_pexpire(Client c) except -1:
    return expire_generic(c, g_cmd_ms, False)


cdef int cmd_expireat(Client c) except -1:
    return expire_generic(c, 0, True)


cdef int cmd_pexpireat(Client c) except -1:
    return expire_generic(c, 0, False)


cdef int ttl_generic(Client c, bint ms, bint absolute) except -1:
    cdef long long when, ttl
    if lookup_read(c.db, c.argv[1], c.argvlen[1], False) == NULL:
        replyLongLong(&c.reply, -2)
        return 0
    when = get_expire(c.db, c.argv[1], c.argvlen[1])
    if when == -1:
        replyLongLong(&c.reply, -1)
        return 0
    ttl = when if absolute else when - g_cmd_ms
    if ttl < 0:
        ttl = 0
    replyLongLong(&c.reply, ttl if ms else (ttl + 500) // 1000)
    return 0


cdef int cmd_ttl(Client c) except -1:
    return ttl_generic(c, False, False)


cdef int cmd_pttl(Client c) except -1:
    return ttl_generic(c, True, False)


cdef int cmd_expiretime(Client c) except -1:
    return ttl_generic(c, False, True)


cdef int cmd_pexpiretime(Client c) except -1:
    return ttl_generic(c, True, True)


cdef int cmd_persist(Client c) except -1:
    global g_dirty
    if lookup_write(c.db, c.argv[1], c.argvlen[1]) != NULL and \
            remove_expire(c.db, c.argv[1], c.argvlen[1]):
        g_dirty += 1
        arg_event(c, NOTIFY_GENERIC, "persist", 1)
        replyLongLong(&c.reply, 1)
    else:
        replyLongLong(&c.reply, 0)
    return 0


# --- OBJECT ------------------------------------------------------------------

OBJECT_HELP = (
    b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    b"ENCODING <key>",
    b"    Return the kind of internal representation used in order to store the value",
    b"    associated with a <key>.",
    b"FREQ <key>",
    b"    Return the access frequency index of the <key>. The returned integer is",
    b"    proportional to the logarithm of the recent access frequency of the key.",
    b"IDLETIME <key>",
    b"    Return the idle time of the <key>, that is the approximated number of",
    b"    seconds elapsed since the last access to the key.",
    b"REFCOUNT <key>",
    b"    Return the number of references of the value associated with the specified",
    b"    <key>.",
    b"HELP",
    b"    Prints this help.",
)


cdef inline robj *object_lookup(Client c) noexcept:
    """The key of an OBJECT subcommand, or NULL after a null reply."""
    cdef robj *o = lookup_read(c.db, c.argv[2], c.argvlen[2], False, False)
    if o == NULL:
        reply_null(c)
    return o


cdef int cmd_object_help(Client c) except -1:
    replyArrayLen(&c.reply, len(OBJECT_HELP))
    for line in OBJECT_HELP:
        replyStatus(&c.reply, <const char *><bytes>line, len(<bytes>line))
    return 0


cdef int cmd_object_encoding(Client c) except -1:
    cdef robj *o = object_lookup(c)
    if o != NULL:
        replyBulkC(&c.reply, objEncodingName(o.encoding))
    return 0


cdef int cmd_object_refcount(Client c) except -1:
    # Redis shares the integers 0..9999 with refcount INT_MAX; we have no
    # shared objects and report what Redis would
    cdef robj *o = object_lookup(c)
    if o == NULL:
        return 0
    if o.type == OBJ_STRING and o.encoding == OBJ_ENCODING_INT and \
            0 <= o.v.ll < SHARED_INTEGERS:
        replyLongLong(&c.reply, INT_MAX_)
    else:
        replyLongLong(&c.reply, 1)
    return 0


cdef int cmd_object_idletime(Client c) except -1:
    cdef robj *o = object_lookup(c)
    if o == NULL:
        return 0
    if cfg_lfu_enabled:
        replyErrorC(&c.reply, "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
        return 0
    replyLongLong(&c.reply, <long long>object_idle_seconds(o))
    return 0


cdef int cmd_object_freq(Client c) except -1:
    cdef robj *o = object_lookup(c)
    if o == NULL:
        return 0
    if not cfg_lfu_enabled:
        replyErrorC(&c.reply, "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
        return 0
    replyLongLong(&c.reply, object_lfu_count(o))
    return 0


# --- SELECT SWAPDB FLUSHDB FLUSHALL -------------------------------------------

cdef int cmd_select(Client c) except -1:
    cdef int id
    if not arg_int(c, 1, &id, NULL):
        return 0
    if id < 0 or id >= g_ndbs:
        replyErrorC(&c.reply, MSG_DB_RANGE)
        return 0
    c.db = &g_dbs[id]
    replyOk(&c.reply)
    return 0


cdef int cmd_swapdb(Client c) except -1:
    cdef int a, b
    if not arg_int(c, 1, &a, "ERR invalid first DB index") or \
       not arg_int(c, 2, &b, "ERR invalid second DB index"):
        return 0
    if a < 0 or a >= g_ndbs or b < 0 or b >= g_ndbs:
        replyErrorC(&c.reply, MSG_DB_RANGE)
        return 0
    if a != b:
        touch_all_watched_keys_in_db(&g_dbs[a], &g_dbs[b])
        touch_all_watched_keys_in_db(&g_dbs[b], &g_dbs[a])
        # clients keep pointing at their redisDb; the contents move
        db_swap(&g_dbs[a], &g_dbs[b])
        # waiters stay with their db index: the new contents may serve them
        signal_waited_keys(&g_dbs[a])
        signal_waited_keys(&g_dbs[b])
    global g_dirty
    g_dirty += 1
    replyOk(&c.reply)
    return 0


cdef int parse_flush_mode(Client c) noexcept:
    """[ASYNC|SYNC]; both free at once here.  1 ok, 0 replied."""
    if c.argc == 1 or (c.argc == 2 and (arg_is(c, 1, "sync") or arg_is(c, 1, "async"))):
        return 1
    replyErrorC(&c.reply, MSG_SYNTAX)
    return 0


cdef int cmd_flushdb(Client c) except -1:
    if not parse_flush_mode(c):
        return 0
    global g_dirty
    g_dirty += empty_data(c.db.id)
    if g_prop_targets:
        prop_force()          # an empty FLUSHDB is propagated all the same
    zmalloc_release_free_memory()
    replyOk(&c.reply)
    return 0


cdef int cmd_flushall(Client c) except -1:
    if not parse_flush_mode(c):
        return 0
    global g_dirty
    g_dirty += empty_data(-1)
    if g_prop_targets:
        prop_force()
    zmalloc_release_free_memory()
    if g_ctl is not None:
        g_ctl.after_flushall()
    replyOk(&c.reply)
    return 0


# --- members of collections ------------------------------------------------------

cdef bint collection_remove(robj *o, const char *p, size_t n) except -1:
    """Remove one member (set), field (hash) or element (sorted set)."""
    if o.type == OBJ_SET:
        return set_remove(o, p, n)
    if o.type == OBJ_HASH:
        return hash_delete(o, p, n)
    return zset_del(o, p, n)


cdef long collection_length(robj *o) noexcept:
    if o.type == OBJ_SET:
        return set_size(o)
    if o.type == OBJ_HASH:
        return hash_len(o)
    return zset_length(o)


cdef int remove_members_generic(Client c, int otype, int ntype, const char *event) except -1:
    """SREM / HDEL / ZREM key m [m ...]: the key goes with its last member."""
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    cdef long removed = 0
    cdef int j
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not check_type(c, o, otype):
        return 0
    for j in range(2, c.argc):
        if collection_remove(o, c.argv[j], c.argvlen[j]):
            removed += 1
            if collection_length(o) == 0:
                break
    return reply_removed(c, o, removed, ntype, event)


cdef int reply_removed(Client c, robj *o, long removed, int ntype, const char *event) except -1:
    """The end of a command that took `removed` members out of the
    collection o at argv[1]: the key goes when it is empty; `event` (of
    notification class ntype) is reported when something was removed."""
    global g_dirty
    cdef bint emptied = collection_length(o) == 0
    if emptied:
        db_delete(c.db, c.argv[1], c.argvlen[1])
    if removed:
        arg_event(c, ntype, event, 1)
        if emptied:
            notify_keyspace_event(NOTIFY_GENERIC, "del", c.argv[1], c.argvlen[1], c.db.id)
    g_dirty += removed
    replyLongLong(&c.reply, removed)
    return 0


cdef bint parse_random_count(Client c, const char *withopt, long long *count, bint *with_) except -1:
    """HRANDFIELD / ZRANDMEMBER key count [WITHVALUES|WITHSCORES]: false
    after an error reply."""
    if not arg_ll(c, 2, count):
        return False
    if count[0] < -LLONG_MAX:
        replyErrorC(&c.reply, "ERR value is out of range, value must between "
                              "-9223372036854775807 and 9223372036854775807")
        return False
    if c.argc > 4 or (c.argc == 4 and not arg_is(c, 3, withopt)):
        replyErrorC(&c.reply, MSG_SYNTAX)
        return False
    with_[0] = c.argc == 4
    # pairs are twice the count: it must stay representable
    if with_[0] and (count[0] < -(LLONG_MAX // 2) or count[0] > LLONG_MAX // 2):
        replyErrorC(&c.reply, "ERR value is out of range")
        return False
    return True
