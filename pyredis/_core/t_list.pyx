# List commands.  A list value is an robj of type OBJ_LIST, encoding
# QUICKLIST, whose v.ptr is a csrc/quicklist (a chain of listpacks), so a
# small list is one compact node.  Empty lists never stay in the keyspace.
# Every push that can make a list non-empty signals the key to the
# blocking layer (blocking.pyx), which serves BLPOP & co.
from libc.string cimport memcpy
from libc.stdint cimport uint32_t

cdef extern from "quicklist.h" nogil:
    int QUICKLIST_HEAD, QUICKLIST_TAIL, QL_FORWARD, QL_BACKWARD
    ctypedef struct quicklistNode:
        pass
    ctypedef struct quicklist:
        unsigned long count
        int fill
        int compress
    ctypedef struct quicklistEntry:
        quicklistNode *node
        unsigned char *p
        const unsigned char *s
        uint32_t sz
        long long lval
    ctypedef struct quicklistIter:
        pass
    quicklist *quicklistCreate(int fill, int compress)
    void quicklistRelease(quicklist *ql)
    quicklist *quicklistDup(const quicklist *ql)
    size_t quicklistAllocSize(const quicklist *ql)
    int quicklistPush(quicklist *ql, const void *s, size_t len, int where)
    int quicklistPeek(quicklist *ql, int where, quicklistEntry *e)
    void quicklistPopDiscard(quicklist *ql, int where)
    int quicklistIndex(quicklist *ql, long index, quicklistEntry *e)
    int quicklistReplaceEntry(quicklist *ql, quicklistEntry *e, const void *s, size_t len)
    int quicklistInsertBefore(quicklist *ql, quicklistEntry *e, const void *s, size_t len)
    int quicklistInsertAfter(quicklist *ql, quicklistEntry *e, const void *s, size_t len)
    unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count)
    void quicklistIterAt(quicklist *ql, long index, int direction, quicklistIter *it)
    int quicklistNext(quicklistIter *it, quicklistEntry *e)
    void quicklistDelEntry(quicklistIter *it, quicklistEntry *e)
    int quicklistEntryEquals(const quicklistEntry *e, const void *s, size_t len)

cdef const char *MSG_NOT_POSITIVE = "ERR value is out of range, must be positive"
cdef const char *MSG_TIMEOUT_FLOAT = "ERR timeout is not a float or out of range"
cdef const char *MSG_TIMEOUT_NEG = "ERR timeout is negative"
cdef const char *MSG_NUMKEYS = "ERR numkeys should be greater than 0"
cdef const char *MSG_COUNT_POSITIVE = "ERR count should be greater than 0"
cdef const char *MSG_RANK_ZERO = ("ERR RANK can't be zero: use 1 to start from the first match, "
                                  "2 from the second ... or use negative to start from the end of the list")

# --- the list object -----------------------------------------------------------

cdef void _list_free_payload(robj *o) noexcept nogil:
    quicklistRelease(<quicklist *>o.v.ptr)


cdef robj *_list_dup(const robj *o) noexcept nogil:
    cdef quicklist *ql = quicklistDup(<quicklist *>o.v.ptr)
    cdef robj *d = objCreate(o.type, o.encoding, ql) if ql != NULL else NULL
    if d == NULL:
        if ql != NULL:
            quicklistRelease(ql)
        return NULL
    d.lru = o.lru
    return d


cdef objTypeOps _list_ops
_list_ops.freePayload = _list_free_payload
_list_ops.dup = _list_dup
objRegisterType(OBJ_LIST, _list_ops)


cdef robj *list_create() except NULL:
    cdef quicklist *ql = quicklistCreate(cfg_list_max_listpack_size, cfg_list_compress_depth)
    cdef robj *o = objCreate(OBJ_LIST, OBJ_ENCODING_QUICKLIST, ql) if ql != NULL else NULL
    if o == NULL:
        if ql != NULL:
            quicklistRelease(ql)
        raise MemoryError()
    return o


cdef inline quicklist *QL(robj *o) noexcept:
    return <quicklist *>o.v.ptr


cdef inline int check_list(Client c, robj *o) noexcept:
    """1 when o is NULL or a list; 0 after a WRONGTYPE reply."""
    return o == NULL or check_type(c, o, OBJ_LIST)


cdef inline void reply_entry(Client c, quicklistEntry *e) noexcept:
    if e.s == NULL:
        replyBulkLongLong(&c.reply, e.lval)
    else:
        replyBulk(&c.reply, e.s, e.sz)


cdef inline int list_push(robj *o, const char *s, size_t n, int where) except -1:
    if not quicklistPush(QL(o), s, n, where):
        raise MemoryError()
    return 0


cdef inline void list_changed(Client c, int j, robj *o, const char *event) noexcept:
    """Elements left the list o at argv[j]: report `event`, and delete the
    key (reporting "del") once the list is empty."""
    arg_event(c, NOTIFY_LIST, event, j)
    if QL(o).count == 0:
        db_delete(c.db, c.argv[j], c.argvlen[j])
        notify_keyspace_event(NOTIFY_GENERIC, "del", c.argv[j], c.argvlen[j], c.db.id)


cdef inline const char *pop_event(int where) noexcept:
    return "lpop" if where == QUICKLIST_HEAD else "rpop"


cdef inline const char *push_event(int where) noexcept:
    return "lpush" if where == QUICKLIST_HEAD else "rpush"


cdef inline int parse_where(Client c, int i, int *where) noexcept:
    if arg_is(c, i, "left"):
        where[0] = QUICKLIST_HEAD
    elif arg_is(c, i, "right"):
        where[0] = QUICKLIST_TAIL
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    return 1


cdef int parse_timeout(Client c, int i, long long *out) noexcept:
    """Seconds (float) to an absolute unix ms deadline, 0 = forever.  Like
    Redis, the milliseconds are truncated toward zero, and a value too large
    for a long long wraps to the negative limit."""
    cdef long double ld, ms
    cdef long long t
    if c.argvlen[i] > 5000 or not string2ld(c.argv[i], c.argvlen[i], &ld):
        replyErrorC(&c.reply, MSG_TIMEOUT_FLOAT)
        return 0
    ms = ld * 1000.0
    if ms >= 9223372036854775807.0 or ms < -9223372036854775807.0:
        t = -9223372036854775807 - 1
    else:
        t = <long long>ms
    if t < 0:
        replyErrorC(&c.reply, MSG_TIMEOUT_NEG)
        return 0
    if t > 0:
        t += g_cmd_ms
    out[0] = t
    return 1


cdef list arg_keys(Client c, int first, int n):
    return [c.argv[j][:c.argvlen[j]] for j in range(first, first + n)]


# --- LPUSH RPUSH LPUSHX RPUSHX -------------------------------------------------

cdef int push_generic(Client c, int where, bint xx) except -1:
    cdef const char *k = c.argv[1]
    cdef size_t kl = c.argvlen[1]
    cdef robj *o = lookup_write(c.db, k, kl)
    cdef int j
    if not check_list(c, o):
        return 0
    if o == NULL:
        if xx:
            replyLongLong(&c.reply, 0)
            return 0
        o = list_create()
        db_add(c.db, k, kl, o)
    for j in range(2, c.argc):
        list_push(o, c.argv[j], c.argvlen[j], where)
    global g_dirty
    g_dirty += c.argc - 2
    signal_key_as_ready(c.db, k, kl)
    arg_event(c, NOTIFY_LIST, push_event(where), 1)
    replyLongLong(&c.reply, QL(o).count)
    return 0


cdef int cmd_lpush(Client c) except -1:
    return push_generic(c, QUICKLIST_HEAD, False)


cdef int cmd_rpush(Client c) except -1:
    return push_generic(c, QUICKLIST_TAIL, False)


cdef int cmd_lpushx(Client c) except -1:
    return push_generic(c, QUICKLIST_HEAD, True)


cdef int cmd_rpushx(Client c) except -1:
    return push_generic(c, QUICKLIST_TAIL, True)


# --- LPOP RPOP -----------------------------------------------------------------

cdef long long pop_into_reply(Client c, robj *o, int where, long long count) noexcept:
    """Pops count (>= 1, capped at the length) elements as an array;
    returns how many."""
    cdef quicklist *ql = QL(o)
    cdef quicklistEntry e
    global g_dirty
    if <unsigned long long>count > ql.count:
        count = ql.count
    g_dirty += count
    cdef long long popped = count
    replyArrayLen(&c.reply, count)
    while count > 0:
        quicklistPeek(ql, where, &e)
        reply_entry(c, &e)
        quicklistPopDiscard(ql, where)
        count -= 1
    return popped


cdef int pop_generic(Client c, int where) except -1:
    cdef long long count = 1
    cdef bint hascount = c.argc == 3
    cdef quicklistEntry e
    cdef robj *o
    if c.argc > 3:
        reply_arity_error(c, c.cmd)
        return 0
    if hascount:
        if not string2ll(c.argv[2], c.argvlen[2], &count) or count < 0:
            replyErrorC(&c.reply, MSG_NOT_POSITIVE)
            return 0
    o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        if hascount:
            replyNullArray(&c.reply, c.resp)
        else:
            replyNull(&c.reply, c.resp)
        return 0
    if not check_list(c, o):
        return 0
    if hascount and count == 0:
        replyArrayLen(&c.reply, 0)
        return 0
    if hascount:
        pop_into_reply(c, o, where, count)
    else:
        quicklistPeek(QL(o), where, &e)
        reply_entry(c, &e)
        quicklistPopDiscard(QL(o), where)
        global g_dirty
        g_dirty += 1
    list_changed(c, 1, o, pop_event(where))
    return 0


cdef int cmd_lpop(Client c) except -1:
    return pop_generic(c, QUICKLIST_HEAD)


cdef int cmd_rpop(Client c) except -1:
    return pop_generic(c, QUICKLIST_TAIL)


# --- LLEN LRANGE LINDEX LSET ---------------------------------------------------

cdef int cmd_llen(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if not check_list(c, o):
        return 0
    replyLongLong(&c.reply, QL(o).count if o != NULL else 0)
    return 0


cdef int cmd_lrange(Client c) except -1:
    cdef long long start, end, llen, n
    cdef quicklistIter it
    cdef quicklistEntry e
    if not arg_ll(c, 2, &start) or not arg_ll(c, 3, &end):
        return 0
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if not check_list(c, o):
        return 0
    if o == NULL:
        replyArrayLen(&c.reply, 0)
        return 0
    llen = QL(o).count
    if start < 0:
        start += llen
    if end < 0:
        end += llen
    if start < 0:
        start = 0
    if start > end or start >= llen:
        replyArrayLen(&c.reply, 0)
        return 0
    if end >= llen:
        end = llen - 1
    n = end - start + 1
    replyArrayLen(&c.reply, n)
    quicklistIterAt(QL(o), start, QL_FORWARD, &it)
    while n > 0 and quicklistNext(&it, &e):
        reply_entry(c, &e)
        n -= 1
    return 0


cdef int cmd_lindex(Client c) except -1:
    cdef long long index
    cdef quicklistEntry e
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyNull(&c.reply, c.resp)
        return 0
    if not check_list(c, o) or not arg_ll(c, 2, &index):
        return 0
    if quicklistIndex(QL(o), index, &e):
        reply_entry(c, &e)
    else:
        replyNull(&c.reply, c.resp)
    return 0


cdef int cmd_lset(Client c) except -1:
    cdef long long index
    cdef quicklistEntry e
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyErrorC(&c.reply, "ERR no such key")
        return 0
    if not check_list(c, o) or not arg_ll(c, 2, &index):
        return 0
    if not quicklistIndex(QL(o), index, &e):
        replyErrorC(&c.reply, "ERR index out of range")
        return 0
    if not quicklistReplaceEntry(QL(o), &e, c.argv[3], c.argvlen[3]):
        raise MemoryError()
    global g_dirty
    g_dirty += 1
    arg_event(c, NOTIFY_LIST, "lset", 1)
    replyOk(&c.reply)
    return 0


# --- LINSERT LREM LTRIM LPOS ---------------------------------------------------

cdef int cmd_linsert(Client c) except -1:
    cdef bint after
    cdef quicklistIter it
    cdef quicklistEntry e
    cdef int ok
    if arg_is(c, 2, "after"):
        after = True
    elif arg_is(c, 2, "before"):
        after = False
    else:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not check_list(c, o):
        return 0
    quicklistIterAt(QL(o), 0, QL_FORWARD, &it)
    while quicklistNext(&it, &e):
        if quicklistEntryEquals(&e, c.argv[3], c.argvlen[3]):
            if after:
                ok = quicklistInsertAfter(QL(o), &e, c.argv[4], c.argvlen[4])
            else:
                ok = quicklistInsertBefore(QL(o), &e, c.argv[4], c.argvlen[4])
            if not ok:
                raise MemoryError()
            global g_dirty
            g_dirty += 1
            signal_key_as_ready(c.db, c.argv[1], c.argvlen[1])
            arg_event(c, NOTIFY_LIST, "linsert", 1)
            replyLongLong(&c.reply, QL(o).count)
            return 0
    replyLongLong(&c.reply, -1)
    return 0


cdef int cmd_lrem(Client c) except -1:
    cdef long long toremove, removed = 0
    cdef quicklistIter it
    cdef quicklistEntry e
    if not arg_ll(c, 2, &toremove):
        return 0
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyLongLong(&c.reply, 0)
        return 0
    if not check_list(c, o):
        return 0
    if toremove < 0:
        quicklistIterAt(QL(o), -1, QL_BACKWARD, &it)
        toremove = -toremove
    else:
        quicklistIterAt(QL(o), 0, QL_FORWARD, &it)
    while quicklistNext(&it, &e):
        if quicklistEntryEquals(&e, c.argv[3], c.argvlen[3]):
            quicklistDelEntry(&it, &e)
            removed += 1
            if toremove and removed == toremove:
                break
    if removed:
        list_changed(c, 1, o, "lrem")
    global g_dirty
    g_dirty += removed
    replyLongLong(&c.reply, removed)
    return 0


cdef int cmd_ltrim(Client c) except -1:
    cdef long long start, end, llen, ltrim, rtrim
    if not arg_ll(c, 2, &start) or not arg_ll(c, 3, &end):
        return 0
    cdef robj *o = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyOk(&c.reply)
        return 0
    if not check_list(c, o):
        return 0
    llen = QL(o).count
    if start < 0:
        start += llen
    if end < 0:
        end += llen
    if start < 0:
        start = 0
    if start > end or start >= llen:
        ltrim = llen
        rtrim = 0
    else:
        if end >= llen:
            end = llen - 1
        ltrim = start
        rtrim = llen - end - 1
    if ltrim:
        quicklistDelRange(QL(o), 0, ltrim)
    if rtrim:
        quicklistDelRange(QL(o), -rtrim, rtrim)
    list_changed(c, 1, o, "ltrim")
    global g_dirty
    g_dirty += ltrim + rtrim
    replyOk(&c.reply)
    return 0


cdef int cmd_lpos(Client c) except -1:
    cdef long long rank = 1, count = -1, maxlen = 0, v
    cdef long long index = 0, matches = 0, llen
    cdef int j = 3
    cdef bint backward
    cdef quicklistIter it
    cdef quicklistEntry e
    while j < c.argc:
        if j + 1 >= c.argc:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        if arg_is(c, j, "rank"):
            if not arg_ll(c, j + 1, &v):
                return 0
            if v == 0:
                replyErrorC(&c.reply, MSG_RANK_ZERO)
                return 0
            rank = v
        elif arg_is(c, j, "count"):
            if not arg_ll(c, j + 1, &v):
                return 0
            if v < 0:
                replyErrorC(&c.reply, "ERR COUNT can't be negative")
                return 0
            count = v
        elif arg_is(c, j, "maxlen"):
            if not arg_ll(c, j + 1, &v):
                return 0
            if v < 0:
                replyErrorC(&c.reply, "ERR MAXLEN can't be negative")
                return 0
            maxlen = v
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 2
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        if count != -1:
            replyArrayLen(&c.reply, 0)
        else:
            replyNull(&c.reply, c.resp)
        return 0
    if not check_list(c, o):
        return 0
    backward = rank < 0
    if backward:
        # the lowest rank negates to itself, which then matches from the
        # first hit on, as Redis's arithmetic does
        rank = -rank if rank != -9223372036854775807 - 1 else rank
        quicklistIterAt(QL(o), -1, QL_BACKWARD, &it)
    else:
        quicklistIterAt(QL(o), 0, QL_FORWARD, &it)
    llen = QL(o).count
    cdef list found = []
    while (maxlen == 0 or index < maxlen) and quicklistNext(&it, &e):
        if quicklistEntryEquals(&e, c.argv[2], c.argvlen[2]):
            matches += 1
            if matches >= rank:
                found.append(llen - index - 1 if backward else index)
                if count == -1:
                    break
                if count and <unsigned long long>(matches - rank + 1) >= <unsigned long long>count:
                    break
        index += 1
    if count == -1:
        if found:
            replyLongLong(&c.reply, found[0])
        else:
            replyNull(&c.reply, c.resp)
        return 0
    replyArrayLen(&c.reply, len(found))
    for v in found:
        replyLongLong(&c.reply, v)
    return 0


# --- RPOPLPUSH LMOVE -----------------------------------------------------------

cdef int move_one(Client c, robj *src, int src_i, robj *dst, int dst_i, int wherefrom, int whereto) except -1:
    """Pops from src and pushes onto dst (created when NULL), replying with
    the element.  The caller checked both types and that src is not empty."""
    cdef quicklistEntry e
    cdef char numbuf[32]
    cdef char *copy = NULL
    cdef const char *val
    cdef size_t vlen
    quicklistPeek(QL(src), wherefrom, &e)
    if e.s == NULL:
        vlen = fmtLongLong(numbuf, e.lval)
        val = numbuf
    else:
        vlen = e.sz
        copy = <char *>zmalloc(vlen + 1)
        if copy == NULL:
            raise MemoryError()
        memcpy(copy, e.s, vlen)
        val = copy
    try:
        quicklistPopDiscard(QL(src), wherefrom)
        if dst == NULL:
            dst = list_create()
            db_add(c.db, c.argv[dst_i], c.argvlen[dst_i], dst)
        list_push(dst, val, vlen, whereto)
        signal_key_as_ready(c.db, c.argv[dst_i], c.argvlen[dst_i])
        arg_event(c, NOTIFY_LIST, push_event(whereto), dst_i)
        replyBulk(&c.reply, val, vlen)
    finally:
        zfree(copy)
    list_changed(c, src_i, src, pop_event(wherefrom))
    global g_dirty
    g_dirty += 1
    return 0


cdef int lmove_generic(Client c, int wherefrom, int whereto, bint blocking, long long timeout) except -1:
    """1 when it replied (moved, or an error), 0 when the source is empty."""
    cdef robj *src = lookup_write(c.db, c.argv[1], c.argvlen[1])
    if src == NULL:
        return 0
    if not check_list(c, src):
        return 1
    cdef robj *dst = lookup_write(c.db, c.argv[2], c.argvlen[2])
    if not check_list(c, dst):
        return 1
    move_one(c, src, 1, dst, 2, wherefrom, whereto)
    cdef replyBuf *b
    if blocking and g_prop_targets:
        # BLMOVE -> LMOVE src dst left|right left|right; BRPOPLPUSH -> RPOPLPUSH
        # (a client served after blocking gets lower-case directions, one
        # served at once keeps them as written: as Redis 7.0)
        b = prop_rewrite(3 if c.argc == 4 else 5)
        replyBulk(b, b"RPOPLPUSH" if c.argc == 4 else b"LMOVE", 9 if c.argc == 4 else 5)
        replyBulk(b, c.argv[1], c.argvlen[1])
        replyBulk(b, c.argv[2], c.argvlen[2])
        if c.argc != 4:
            if c.flags & CLIENT_REPROCESSING:
                replyBulkC(b, "left" if wherefrom == QUICKLIST_HEAD else "right")
                replyBulkC(b, "left" if whereto == QUICKLIST_HEAD else "right")
            else:
                replyBulk(b, c.argv[3], c.argvlen[3])
                replyBulk(b, c.argv[4], c.argvlen[4])
    return 1


cdef int cmd_rpoplpush(Client c) except -1:
    if not lmove_generic(c, QUICKLIST_TAIL, QUICKLIST_HEAD, False, 0):
        replyNull(&c.reply, c.resp)
    return 0


cdef int cmd_lmove(Client c) except -1:
    cdef int wf, wt
    if not parse_where(c, 3, &wf) or not parse_where(c, 4, &wt):
        return 0
    if not lmove_generic(c, wf, wt, False, 0):
        replyNull(&c.reply, c.resp)
    return 0


cdef int blmove_generic(Client c, int wf, int wt, int timeout_i) except -1:
    cdef long long timeout
    if not parse_timeout(c, timeout_i, &timeout):
        return 0
    if lmove_generic(c, wf, wt, True, timeout):
        return 0
    if not can_block(c):
        replyNull(&c.reply, c.resp)
        return 0
    block_client(c, arg_keys(c, 1, 1), timeout)
    return 0


cdef int cmd_brpoplpush(Client c) except -1:
    return blmove_generic(c, QUICKLIST_TAIL, QUICKLIST_HEAD, 3)


cdef int cmd_blmove(Client c) except -1:
    cdef int wf, wt
    if not parse_where(c, 3, &wf) or not parse_where(c, 4, &wt):
        return 0
    return blmove_generic(c, wf, wt, 5)


# --- LMPOP BLPOP BRPOP BLMPOP ---------------------------------------------------

cdef int pop_first_nonempty(Client c, int first, int nkeys, int where, long long count, bint mpop) except -1:
    """Pops from the first non-empty list among the keys.  Replies and
    returns 1 (also after WRONGTYPE), or returns 0 having replied nothing
    when all are empty.  mpop: [key, [elems]] (LMPOP) else [key, elem]."""
    cdef int j
    cdef replyBuf *b
    cdef robj *o
    cdef quicklistEntry e
    for j in range(first, first + nkeys):
        o = lookup_write(c.db, c.argv[j], c.argvlen[j])
        if o == NULL:
            continue
        if not check_list(c, o):
            return 1
        replyArrayLen(&c.reply, 2)
        replyBulk(&c.reply, c.argv[j], c.argvlen[j])
        if mpop:
            count = pop_into_reply(c, o, where, count)
        else:
            quicklistPeek(QL(o), where, &e)
            reply_entry(c, &e)
            quicklistPopDiscard(QL(o), where)
            global g_dirty
            g_dirty += 1
        list_changed(c, j, o, pop_event(where))
        if g_prop_targets:
            # BLPOP/BRPOP -> LPOP/RPOP key; [B]LMPOP -> LPOP/RPOP key popped
            b = prop_rewrite(3 if mpop else 2)
            replyBulk(b, b"LPOP" if where == QUICKLIST_HEAD else b"RPOP", 4)
            replyBulk(b, c.argv[j], c.argvlen[j])
            if mpop:
                replyBulkLongLong(b, count)
        return 1
    return 0


cdef int bpop_generic(Client c, int where) except -1:
    cdef long long timeout
    if not parse_timeout(c, c.argc - 1, &timeout):
        return 0
    if pop_first_nonempty(c, 1, c.argc - 2, where, 1, False):
        return 0
    if not can_block(c):
        replyNullArray(&c.reply, c.resp)
        return 0
    block_client(c, arg_keys(c, 1, c.argc - 2), timeout)
    return 0


cdef int cmd_blpop(Client c) except -1:
    return bpop_generic(c, QUICKLIST_HEAD)


cdef int cmd_brpop(Client c) except -1:
    return bpop_generic(c, QUICKLIST_TAIL)


cdef int parse_mpop_count(Client c, int j, long long *count) noexcept:
    """The optional COUNT n after LMPOP/ZMPOP's direction (default 1).
    1 ok, 0 replied."""
    count[0] = -1
    while j < c.argc:
        if count[0] == -1 and arg_is(c, j, "count") and j + 1 < c.argc:
            j += 1
            if not string2ll(c.argv[j], c.argvlen[j], count) or count[0] <= 0:
                replyErrorC(&c.reply, MSG_COUNT_POSITIVE)
                return 0
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        j += 1
    if count[0] == -1:
        count[0] = 1
    return 1


cdef int mpop_generic(Client c, int numkeys_i, bint blocking) except -1:
    cdef long long numkeys, count = -1, timeout = 0
    cdef int where, j
    if not string2ll(c.argv[numkeys_i], c.argvlen[numkeys_i], &numkeys) or numkeys <= 0:
        replyErrorC(&c.reply, MSG_NUMKEYS)
        return 0
    cdef long long where_i = numkeys_i + numkeys + 1
    if where_i >= c.argc:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    if not parse_where(c, <int>where_i, &where):
        return 0
    if not parse_mpop_count(c, <int>where_i + 1, &count):
        return 0
    if blocking and not parse_timeout(c, 1, &timeout):
        return 0
    if pop_first_nonempty(c, numkeys_i + 1, <int>numkeys, where, count, True):
        return 0
    if not blocking or not can_block(c):
        replyNullArray(&c.reply, c.resp)
        return 0
    block_client(c, arg_keys(c, numkeys_i + 1, <int>numkeys), timeout)
    return 0


cdef int cmd_lmpop(Client c) except -1:
    return mpop_generic(c, 1, False)


cdef int cmd_blmpop(Client c) except -1:
    return mpop_generic(c, 2, True)
