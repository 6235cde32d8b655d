# Databases over csrc/dict: lookup with lazy expiry, add/overwrite/delete,
# expire times, and the active expire cycle run from the cron.
#
# Every change to a key goes through this file, so it is the one place
# that later hooks (WATCH, keyspace notifications, propagation, memory
# accounting) attach to.
from libc.string cimport memcmp

ctypedef void (*scan_fn)(void *, const dictEntry *) noexcept nogil

cdef dictType g_keyspace_type
cdef dictType g_plain_type


cdef void _free_value(dictEntry *de) noexcept nogil:
    objFree(<robj *>de.v.ptr)


cdef int init_dbs(int n) except -1:
    global g_dbs, g_ndbs
    g_keyspace_type.valDestructor = _free_value
    g_plain_type.valDestructor = NULL
    g_dbs = <redisDb *>zcalloc(n * sizeof(redisDb))
    if g_dbs == NULL:
        raise MemoryError()
    for i in range(n):
        g_dbs[i].dict = dictCreate(&g_keyspace_type)
        g_dbs[i].expires = dictCreate(&g_plain_type)
        g_dbs[i].id = i
    g_ndbs = n
    return 0


cdef inline robj *db_find(redisDb *db, const char *k, size_t kl) noexcept:
    cdef dictEntry *de = dictFind(db.dict, k, kl)
    return <robj *>de.v.ptr if de != NULL else NULL


cdef inline long long get_expire(redisDb *db, const char *k, size_t kl) noexcept:
    if dictSize(db.expires) == 0:
        return -1
    cdef dictEntry *de = dictFind(db.expires, k, kl)
    return de.v.s64 if de != NULL else -1


cdef inline bint key_is_expired(redisDb *db, const char *k, size_t kl) noexcept:
    """The key's time has passed (it may still be in the table)."""
    cdef long long when = get_expire(db, k, kl)
    return when >= 0 and when <= g_cmd_ms


cdef bint expire_if_needed(redisDb *db, const char *k, size_t kl, bint force=False) noexcept:
    """True when the key's time has passed: callers treat it as missing.
    A master deletes it (and propagates the DEL).  A replica only hides it
    until its master's DEL arrives, and the master's own stream sees it as
    it is; force (a write on a writable replica) deletes it anyway.  While
    clients are paused nothing is deleted, so no DEL enters the stream."""
    if not key_is_expired(db, k, kl):
        return False
    if g_repl_is_replica:
        if g_cmd_from_master:
            return False
        if not force:
            return True
    elif g_pause_active:
        return True
    delete_expired_key(db, k, kl)
    g_stats.expired_keys += 1
    return True


cdef void delete_expired_key(redisDb *db, const char *k, size_t kl) noexcept:
    """Lazy and active expiry: propagate the deletion, report it and delete
    (Redis's deleteExpiredKeyAndPropagate).  k may be the entry's own key
    (RANDOMKEY, the active cycle), which the delete frees: WATCH, which is
    told after the key is gone, gets a copy."""
    cdef bytes watched = k[:kl] if g_nwatched or g_tracking_clients else None
    if g_prop_targets:
        prop_deletion(db, k, kl)
    notify_keyspace_event(NOTIFY_EXPIRED, "expired", k, kl, db.id)
    db_delete(db, k, kl)
    if watched is not None:
        signal_modified_key(db, <const char *>watched, kl)


cdef inline unsigned long long object_idle_seconds(const robj *o) noexcept nogil:
    """Seconds since the value was last accessed (LRU policies' clock; the
    24-bit clock wraps about every 194 days)."""
    if objLruClock >= o.lru:
        return objLruClock - o.lru
    return objLruClock + (LRU_CLOCK_MAX - o.lru)


cdef inline robj *lookup_read(redisDb *db, const char *k, size_t kl, bint touch=True,
                              bint notify=True) noexcept:
    """Lookup for reading: lazy expiry, hit/miss counters, a keymiss
    notification unless notify is false (OBJECT), and unless touch is false
    (OBJECT, TTL-like reads) the access time."""
    cdef robj *o = NULL if expire_if_needed(db, k, kl) else db_find(db, k, kl)
    if o == NULL:
        g_stats.keyspace_misses += 1
        if notify:
            notify_keyspace_event(NOTIFY_KEY_MISS, "keymiss", k, kl, db.id)
    else:
        g_stats.keyspace_hits += 1
        # a write to every read value would copy the pages a child shares
        if touch and g_child_pid == -1:
            touch_object(o)
    return o


cdef inline robj *lookup_write(redisDb *db, const char *k, size_t kl) noexcept:
    cdef robj *o = NULL if expire_if_needed(db, k, kl, True) else db_find(db, k, kl)
    if o != NULL and g_child_pid == -1:
        touch_object(o)
    return o


cdef int db_add(redisDb *db, const char *k, size_t kl, robj *val) except -1:
    """Add a key that must not exist (the caller checked)."""
    cdef dictEntry *existing = NULL
    cdef dictEntry *de = dictAddRaw(db.dict, k, kl, &existing)
    if de == NULL:
        objFree(val)
        raise MemoryError()
    de.v.ptr = val
    notify_keyspace_event(NOTIFY_NEW, "new", k, kl, db.id)
    return 0


cdef int db_set(redisDb *db, const char *k, size_t kl, robj *val, bint keepttl) except -1:
    """Add or overwrite; an overwrite drops the TTL unless keepttl."""
    cdef dictEntry *existing = NULL
    cdef dictEntry *de = dictAddRaw(db.dict, k, kl, &existing)
    if de != NULL:
        de.v.ptr = val
        notify_keyspace_event(NOTIFY_NEW, "new", k, kl, db.id)
        return 0
    if existing == NULL:
        objFree(val)
        raise MemoryError()
    if g_nblocked:
        signal_deleted_key(db, k, kl, <robj *>existing.v.ptr)
    objFree(<robj *>existing.v.ptr)
    existing.v.ptr = val
    if not keepttl:
        remove_expire(db, k, kl)
    return 0


cdef inline void db_replace_value(redisDb *db, const char *k, size_t kl, robj *val) noexcept:
    """Point an existing key at a new object (after an in-place reallocation);
    the old object was already released or moved."""
    cdef dictEntry *de = dictFind(db.dict, k, kl)
    de.v.ptr = val


cdef int db_relink_value(redisDb *src, const char *k, size_t kl,
                         redisDb *dst, const char *nk, size_t nkl, robj *o) except -1:
    """Hand the value of src/k to a new key dst/nk (which must not exist)
    without copying or freeing it; the TTL, if any, is the caller's."""
    cdef dictEntry *existing = NULL
    cdef dictEntry *de = dictAddRaw(dst.dict, nk, nkl, &existing)
    if de == NULL:
        raise MemoryError()
    de.v.ptr = o
    notify_keyspace_event(NOTIFY_NEW, "new", nk, nkl, dst.id)
    if g_nblocked:
        signal_deleted_key(src, k, kl, o)     # blocking.pyx
    de = dictUnlink(src.dict, k, kl)
    de.v.ptr = NULL           # the value lives on under the new key
    dictFreeUnlinkedEntry(src.dict, de)
    remove_expire(src, k, kl)
    return 0


cdef bint db_delete(redisDb *db, const char *k, size_t kl) noexcept:
    if g_nblocked:
        signal_deleted_key(db, k, kl, db_find(db, k, kl))     # blocking.pyx
    if dictSize(db.expires):
        dictDelete(db.expires, k, kl)
    return dictDelete(db.dict, k, kl) == DICT_OK


cdef int set_expire(redisDb *db, const char *k, size_t kl, long long when) except -1:
    cdef dictEntry *existing = NULL
    cdef dictEntry *de = dictAddRaw(db.expires, k, kl, &existing)
    if de == NULL:
        if existing == NULL:
            raise MemoryError()
        de = existing
    de.v.s64 = when
    return 0


cdef bint remove_expire(redisDb *db, const char *k, size_t kl) noexcept:
    if dictSize(db.expires) == 0:
        return False
    return dictDelete(db.expires, k, kl) == DICT_OK


cdef void db_empty(redisDb *db) noexcept:
    dictEmpty(db.dict, NULL)
    dictEmpty(db.expires, NULL)
    db.avg_ttl = 0
    db.expires_cursor = 0


cdef long long empty_data(int dbid) noexcept:
    """Empty database dbid, or every one for -1 (Redis's emptyData): WATCHes
    on keys that existed fail.  Returns the number of keys removed."""
    cdef long long removed = 0
    cdef int i
    signal_flushed_db(dbid)
    for i in range(g_ndbs):
        if dbid == -1 or dbid == i:
            removed += dictSize(g_dbs[i].dict)
            if g_nblocked:
                signal_deleted_stream_keys(&g_dbs[i])     # blocking.pyx
            db_empty(&g_dbs[i])
    return removed


cdef void db_swap(redisDb *a, redisDb *b) noexcept:
    cdef dict_t *d = a.dict
    cdef dict_t *e = a.expires
    cdef long long t = a.avg_ttl
    a.dict, a.expires, a.avg_ttl = b.dict, b.expires, b.avg_ttl
    b.dict, b.expires, b.avg_ttl = d, e, t
    a.expires_cursor = b.expires_cursor = 0


cdef long long keys_total() noexcept:
    cdef long long n = 0
    for i in range(g_ndbs):
        n += dictSize(g_dbs[i].dict)
    return n


# --- background work of the cron -------------------------------------------

cdef enum:
    EXPIRE_KEYS_PER_LOOP = 20
    EXPIRE_ACCEPTABLE_STALE = 10      # percent


cdef struct ExpireScan:
    redisDb *db
    long long now
    long long sampled
    long long expired
    long long ttl_sum
    long long ttl_samples


cdef void _expire_visit(void *privdata, const dictEntry *de) noexcept:
    cdef ExpireScan *s = <ExpireScan *>privdata
    s.sampled += 1
    cdef long long when = de.v.s64
    if when <= s.now:
        # each deletion is its own propagation unit
        delete_expired_key(s.db, <const char *>de.key, de.klen)
        if g_prop_targets:
            prop_flush()
        s.expired += 1
    else:
        s.ttl_sum += when - s.now
        s.ttl_samples += 1


cdef long long active_expire_cycle(long long time_limit_us) noexcept:
    """Redis's slow expire cycle: per database, scan expires buckets with
    the SCAN cursor, about 20 keys a loop, again while more than 10% of the
    sampled keys were stale, until the time budget runs out.  Deleting from
    inside the scan callback is safe: dictScan pauses rehashing and the
    entry is not touched after the callback returns."""
    cdef long long start = ustime()
    cdef long long expired_total = 0
    cdef ExpireScan s
    cdef int i, loops
    cdef long long per_loop = EXPIRE_KEYS_PER_LOOP + EXPIRE_KEYS_PER_LOOP * (cfg_active_expire_effort - 1) // 4
    for i in range(g_ndbs):
        s.db = &g_dbs[i]
        loops = 0
        while dictSize(s.db.expires) > 0:
            s.now = mstime()
            s.sampled = s.expired = s.ttl_sum = s.ttl_samples = 0
            while s.sampled < per_loop and dictSize(s.db.expires) > 0:
                s.db.expires_cursor = dictScan(s.db.expires, s.db.expires_cursor,
                                                 <scan_fn>_expire_visit, &s)
                if s.db.expires_cursor == 0:
                    break
            expired_total += s.expired
            if s.ttl_samples:
                avg = s.ttl_sum // s.ttl_samples
                s.db.avg_ttl = avg if s.db.avg_ttl == 0 else (s.db.avg_ttl // 50) * 49 + avg // 50
            loops += 1
            if (loops & 15) == 0 and ustime() - start > time_limit_us:
                break
            if s.sampled == 0 or s.expired * 100 // s.sampled <= EXPIRE_ACCEPTABLE_STALE:
                break
        if ustime() - start > time_limit_us:
            break
    g_stats.expired_keys += expired_total
    g_stats.expire_cycle_time_used += ustime() - start
    return expired_total


cdef void databases_cron(int hz) noexcept:
    """Shrink tables that emptied, and give each rehashing table 1 ms --
    not while a child process shares the memory (it would copy it)."""
    cdef int i
    if g_child_pid != -1:
        return
    for i in range(g_ndbs):
        if dictNeedsShrink(g_dbs[i].dict):
            dictResize(g_dbs[i].dict)
        if dictNeedsShrink(g_dbs[i].expires):
            dictResize(g_dbs[i].expires)
    if cfg_activerehashing:
        for i in range(g_ndbs):
            if dictIsRehashing(g_dbs[i].dict):
                dictRehashMilliseconds(g_dbs[i].dict, 1)
                break
            if dictIsRehashing(g_dbs[i].expires):
                dictRehashMilliseconds(g_dbs[i].expires, 1)
                break
