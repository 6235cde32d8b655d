# maxmemory: the access bookkeeping of LRU/LFU and eviction, as Redis's
# evict.c approximates it.
#
#  * The robj lru field (24 bits) is read two ways.  Under an LFU policy it
#    holds the last decrement time in minutes (16 bits) and an 8-bit
#    logarithmic access counter; otherwise the LRU clock (seconds) of the
#    last access.  Switching policy reinterprets the field in place: values
#    need some time to adjust, as in Redis.
#  * used_memory is the allocator's counter (csrc/zmalloc) plus what libc
#    holds outside it (the interpreter), which the control layer refreshes
#    every cron tick: reading it per command costs no system call.
#  * perform_evictions() runs before each command (call.pyx) when maxmemory
#    is set.  A run stopped by the time limit (maxmemory-eviction-tenacity)
#    asks the control layer to call eviction_step() on every event loop
#    iteration until memory is under the limit (Redis's evictionTimeProc).
#    Keys are chosen by sampling `maxmemory-samples` keys per database into
#    a 16-entry pool sorted by score (idle time, 255 - frequency, or TTL);
#    the best-scored key still present is evicted.  The pool keeps copies
#    of the keys, so an entry may name a key deleted since: it is checked.
#  * Every eviction is its own propagation unit (a DEL, or UNLINK with
#    lazyfree-lazy-eviction), sent at once, then notified as `evicted`.
from libc.stdlib cimport rand, RAND_MAX
from libc.string cimport memcpy
from libc.math cimport pow

cdef extern from "object.h":
    unsigned int objNewLru     # the lru field a new object starts with

cdef enum:
    MAXMEMORY_FLAG_LRU = 1 << 0
    MAXMEMORY_FLAG_LFU = 1 << 1
    MAXMEMORY_FLAG_ALLKEYS = 1 << 2
    MAXMEMORY_VOLATILE_LRU = (0 << 8) | MAXMEMORY_FLAG_LRU
    MAXMEMORY_VOLATILE_LFU = (1 << 8) | MAXMEMORY_FLAG_LFU
    MAXMEMORY_VOLATILE_TTL = 2 << 8
    MAXMEMORY_VOLATILE_RANDOM = 3 << 8
    MAXMEMORY_ALLKEYS_LRU = (4 << 8) | MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_ALLKEYS
    MAXMEMORY_ALLKEYS_LFU = (5 << 8) | MAXMEMORY_FLAG_LFU | MAXMEMORY_FLAG_ALLKEYS
    MAXMEMORY_ALLKEYS_RANDOM = (6 << 8) | MAXMEMORY_FLAG_ALLKEYS
    MAXMEMORY_NO_EVICTION = 7 << 8

    EVPOOL_SIZE = 16
    EVPOOL_CACHED_KEY = 255
    EVICT_OK = 0
    EVICT_RUNNING = 1
    EVICT_FAIL = 2

cdef dict POLICY_CODES = {
    "volatile-lru": MAXMEMORY_VOLATILE_LRU, "volatile-lfu": MAXMEMORY_VOLATILE_LFU,
    "volatile-ttl": MAXMEMORY_VOLATILE_TTL, "volatile-random": MAXMEMORY_VOLATILE_RANDOM,
    "allkeys-lru": MAXMEMORY_ALLKEYS_LRU, "allkeys-lfu": MAXMEMORY_ALLKEYS_LFU,
    "allkeys-random": MAXMEMORY_ALLKEYS_RANDOM, "noeviction": MAXMEMORY_NO_EVICTION,
}

# config mirrors
cdef unsigned long long cfg_maxmemory = 0
cdef int cfg_maxmemory_policy = MAXMEMORY_NO_EVICTION
cdef int cfg_maxmemory_samples = 5
cdef int cfg_eviction_tenacity = 10
cdef int cfg_lfu_log_factor = 10
cdef int cfg_lfu_decay_time = 1
cdef bint cfg_lazyfree_lazy_eviction = False

cdef long long g_mem_untracked = 0      # libc memory outside zmalloc (cron)
cdef long long g_mem_not_counted = 0    # AOF/replica buffers (not evicted for)
cdef bint g_eviction_running = False    # a time-limited run left work undone
cdef bint g_eviction_proc_scheduled = False
cdef long long g_eviction_exceeded_start = 0   # us; 0 while under the limit
cdef long long g_eviction_exceeded_total = 0   # us (INFO total_eviction_exceeded_time)


cdef struct EvictionPoolEntry:
    unsigned long long idle     # the score: higher is evicted first
    char *key                   # NULL: empty slot; else cached or zmalloc'd
    size_t klen
    int dbid
    char cached[EVPOOL_CACHED_KEY]

cdef EvictionPoolEntry *g_evpool = NULL


# --- LRU / LFU bookkeeping -------------------------------------------------

cdef inline unsigned long lfu_time_minutes() noexcept nogil:
    return <unsigned long>((g_cmd_ms // 60000) & 65535)


cdef inline unsigned long lfu_time_elapsed(unsigned long ldt) noexcept nogil:
    """Minutes since ldt, with the 16-bit clock wrapping."""
    cdef unsigned long now = lfu_time_minutes()
    if now >= ldt:
        return now - ldt
    return 65535 - ldt + now


cdef inline unsigned char lfu_log_incr(unsigned char counter) noexcept nogil:
    """Increment with probability 1 / ((counter - LFU_INIT_VAL) * factor + 1):
    the counter grows with the logarithm of the accesses."""
    if counter == 255:
        return 255
    cdef double r = <double>rand() / RAND_MAX
    cdef double baseval = counter - LFU_INIT_VAL
    if baseval < 0:
        baseval = 0
    if r < 1.0 / (baseval * cfg_lfu_log_factor + 1):
        counter += 1
    return counter


cdef inline unsigned char object_lfu_count(const robj *o) noexcept nogil:
    """The LFU counter decayed by one per lfu-decay-time minutes since it
    was last decremented (without storing the decay)."""
    cdef unsigned long ldt = o.lru >> 8
    cdef unsigned long counter = o.lru & 255
    cdef unsigned long periods = 0
    if cfg_lfu_decay_time:
        periods = lfu_time_elapsed(ldt) // cfg_lfu_decay_time
    if periods:
        counter = 0 if periods > counter else counter - periods
    return <unsigned char>counter


cdef inline void touch_object(robj *o) noexcept nogil:
    """An access: the LRU clock, or the LFU counter decayed then
    incremented."""
    if cfg_lfu_enabled:
        o.lru = (lfu_time_minutes() << 8) | lfu_log_incr(object_lfu_count(o))
    else:
        o.lru = objLruClock


cdef void update_new_object_lru() noexcept nogil:
    """What a new object's lru field holds (the LRU clock moves, LFU starts
    at LFU_INIT_VAL): refreshed by the cron and on a policy change."""
    global objNewLru
    if cfg_lfu_enabled:
        objNewLru = (lfu_time_minutes() << 8) | LFU_INIT_VAL
    else:
        objNewLru = objLruClock


# --- memory accounting -------------------------------------------------------

cdef inline long long used_memory_now() noexcept nogil:
    return <long long>zmalloc_used_memory() + g_mem_untracked


cdef inline long long memory_for_eviction() noexcept nogil:
    """used_memory minus the buffers eviction would not help to shrink."""
    cdef long long used = used_memory_now() - g_mem_not_counted
    return used if used > 0 else 0


# --- the eviction pool -------------------------------------------------------

cdef int evpool_init() except -1:
    global g_evpool
    if g_evpool == NULL:
        g_evpool = <EvictionPoolEntry *>zcalloc(EVPOOL_SIZE * sizeof(EvictionPoolEntry))
        if g_evpool == NULL:
            raise MemoryError()
    return 0


cdef inline void evpool_release_key(EvictionPoolEntry *e) noexcept nogil:
    if e.key != NULL and e.key != e.cached:
        zfree(e.key)
    e.key = NULL


cdef void evpool_set(EvictionPoolEntry *e, const char *k, size_t kl,
                     unsigned long long idle, int dbid) noexcept nogil:
    if kl <= EVPOOL_CACHED_KEY:
        e.key = e.cached
    else:
        e.key = <char *>zmalloc(kl)
        if e.key == NULL:
            return
    memcpy(e.key, k, kl)
    e.klen = kl
    e.idle = idle
    e.dbid = dbid


cdef unsigned long long eviction_score(redisDb *db, const dictEntry *de,
                                       bint from_expires) noexcept:
    cdef robj *o
    if cfg_maxmemory_policy == MAXMEMORY_VOLATILE_TTL:
        # sooner expiry: higher score
        return 0xFFFFFFFFFFFFFFFFULL - <unsigned long long>de.v.s64
    if from_expires:
        o = db_find(db, <const char *>de.key, de.klen)
        if o == NULL:
            return 0
    else:
        o = <robj *>de.v.ptr
    if cfg_maxmemory_policy & MAXMEMORY_FLAG_LRU:
        return object_idle_seconds(o)
    return 255 - object_lfu_count(o)


cdef void evpool_populate(redisDb *db, dict_t *sampledict, bint from_expires) noexcept:
    """Sample keys of sampledict and insert the better-scored ones into the
    pool, kept sorted by ascending score (best candidate last)."""
    cdef dictEntry *samples[64]
    cdef unsigned int want = cfg_maxmemory_samples if cfg_maxmemory_samples < 64 else 64
    cdef unsigned int n = dictGetSomeKeys(sampledict, samples, want)
    cdef unsigned int j
    cdef int k
    cdef unsigned long long idle
    cdef EvictionPoolEntry tmp
    cdef EvictionPoolEntry *pool = g_evpool
    for j in range(n):
        idle = eviction_score(db, samples[j], from_expires)
        k = 0
        while k < EVPOOL_SIZE and pool[k].key != NULL and pool[k].idle < idle:
            k += 1
        if k == 0 and pool[EVPOOL_SIZE - 1].key != NULL:
            continue            # worse than every pooled candidate
        if k < EVPOOL_SIZE and pool[k].key == NULL:
            pass                # an empty slot at the insertion point
        elif pool[EVPOOL_SIZE - 1].key == NULL:
            # free space on the right: shift k.. right by one
            evpool_shift(pool, k, EVPOOL_SIZE - 1, 1)
        else:
            # full: drop the worst (leftmost) candidate, shift 1..k left
            k -= 1
            evpool_release_key(&pool[0])
            evpool_shift(pool, 0, k, -1)
        pool[k].key = NULL
        evpool_set(&pool[k], <const char *>samples[j].key, samples[j].klen, idle, db.id)


cdef void evpool_shift(EvictionPoolEntry *pool, int lo, int hi, int direction) noexcept nogil:
    """direction 1: move entries lo..hi-1 to lo+1..hi (slot hi is empty);
    -1: move lo+1..hi to lo..hi-1 (slot lo was released).  A key held in
    an entry's cached buffer moves with it."""
    cdef int i
    if direction > 0:
        i = hi
        while i > lo:
            evpool_move(&pool[i], &pool[i - 1])
            i -= 1
    else:
        for i in range(lo, hi):
            evpool_move(&pool[i], &pool[i + 1])
    pool[lo if direction > 0 else hi].key = NULL


cdef inline void evpool_move(EvictionPoolEntry *dst, EvictionPoolEntry *src) noexcept nogil:
    dst.idle = src.idle
    dst.klen = src.klen
    dst.dbid = src.dbid
    if src.key == NULL:
        dst.key = NULL
    elif src.key == src.cached:
        memcpy(dst.cached, src.cached, src.klen)
        dst.key = dst.cached
    else:
        dst.key = src.key
    src.key = NULL


# --- choosing and evicting -------------------------------------------------

cdef int g_next_random_db = 0
cdef char *g_evict_key = NULL           # the chosen key, copied (it outlives
cdef size_t g_evict_key_cap = 0         # its entry for the notification)
cdef size_t g_evict_klen = 0


cdef bint keep_evict_key(const char *k, size_t kl) noexcept nogil:
    global g_evict_key, g_evict_key_cap, g_evict_klen
    cdef char *p
    if kl + 1 > g_evict_key_cap:
        p = <char *>zrealloc(g_evict_key, kl + 1)
        if p == NULL:
            return False
        g_evict_key, g_evict_key_cap = p, kl + 1
    memcpy(g_evict_key, k, kl)
    g_evict_klen = kl
    return True


cdef redisDb *choose_pooled_key() noexcept:
    """LRU, LFU and TTL policies: the best pooled key that still exists
    (copied into g_evict_key), or NULL when no database has candidates."""
    cdef bint allkeys = cfg_maxmemory_policy & MAXMEMORY_FLAG_ALLKEYS
    cdef unsigned long total
    cdef redisDb *db
    cdef dict_t *d
    cdef dictEntry *de
    cdef int i, k
    while True:
        total = 0
        for i in range(g_ndbs):
            db = &g_dbs[i]
            d = db.dict if allkeys else db.expires
            if dictSize(d):
                evpool_populate(db, d, not allkeys)
                total += dictSize(d)
        if total == 0:
            return NULL
        k = EVPOOL_SIZE - 1
        while k >= 0:
            if g_evpool[k].key != NULL:
                db = &g_dbs[g_evpool[k].dbid]
                d = db.dict if allkeys else db.expires
                de = dictFind(d, g_evpool[k].key, g_evpool[k].klen)
                if de != NULL and not keep_evict_key(g_evpool[k].key, g_evpool[k].klen):
                    de = NULL
                evpool_release_key(&g_evpool[k])
                if de != NULL:
                    return db
            k -= 1


cdef redisDb *choose_random_key() noexcept:
    """Random policies: a random key of the next non-empty database (round
    robin), or NULL when there is none."""
    global g_next_random_db
    cdef bint allkeys = cfg_maxmemory_policy & MAXMEMORY_FLAG_ALLKEYS
    cdef redisDb *db
    cdef dict_t *d
    cdef dictEntry *de
    cdef int i
    for i in range(g_ndbs):
        db = &g_dbs[g_next_random_db % g_ndbs]
        g_next_random_db += 1
        d = db.dict if allkeys else db.expires
        if dictSize(d):
            de = dictGetRandomKey(d)
            if de != NULL and keep_evict_key(<const char *>de.key, de.klen):
                return db
    return NULL


cdef int evict_key(redisDb *db, const char *k, size_t kl) except -1:
    """Delete one chosen key as Redis evicts: propagated at once, counted,
    notified, and WATCHes on it fail."""
    if g_prop_targets:
        prop_deletion_as(db, k, kl, cfg_lazyfree_lazy_eviction)
    db_delete(db, k, kl)
    g_stats.evicted_keys += 1
    signal_modified_key(db, k, kl)
    notify_keyspace_event(NOTIFY_EVICTED, "evicted", k, kl, db.id)
    if g_prop_targets:
        prop_flush()
    return 0


cdef long long eviction_time_limit_us() noexcept nogil:
    """maxmemory-eviction-tenacity: 0..10 linear up to 500 us, then 15%
    more per step, 100 unlimited."""
    if cfg_eviction_tenacity <= 10:
        return 50 * cfg_eviction_tenacity
    if cfg_eviction_tenacity < 100:
        return <long long>(500.0 * pow(1.15, cfg_eviction_tenacity - 10.0))
    return 0x7FFFFFFFFFFFFFFFLL


cdef bint cfg_replica_ignore_maxmemory = True


cdef bint eviction_allowed() noexcept:
    """Redis's isSafeToPerformEvictions: not while loading or inside a
    command, not on a replica that leaves its dataset to the master
    (replica-ignore-maxmemory), and not while clients are paused (the
    dataset holds still, pause.pyx)."""
    if g_repl_is_replica and cfg_replica_ignore_maxmemory:
        return False
    if g_pause_active:
        return False
    return not g_loading and g_call_depth == 0


cdef void track_exceeded_time(bint over) noexcept:
    global g_eviction_exceeded_start, g_eviction_exceeded_total
    if over:
        if g_eviction_exceeded_start == 0:
            g_eviction_exceeded_start = ustime()
    elif g_eviction_exceeded_start:
        g_eviction_exceeded_total += ustime() - g_eviction_exceeded_start
        g_eviction_exceeded_start = 0


cdef int perform_evictions() except -1:
    """Evict until used memory is under maxmemory (Redis's
    performEvictions).  EVICT_OK: under the limit; EVICT_RUNNING: the time
    limit stopped it, the cron goes on; EVICT_FAIL: over the limit with
    nothing (more) to evict."""
    global g_eviction_running
    cdef long long used, tofree, freed = 0, before, delta
    cdef long long start, limit
    cdef long long keys_freed = 0
    cdef redisDb *db
    if not eviction_allowed():
        return EVICT_OK
    used = memory_for_eviction()
    if <unsigned long long>used <= cfg_maxmemory:
        g_eviction_running = False
        track_exceeded_time(False)
        return EVICT_OK
    track_exceeded_time(True)
    if cfg_maxmemory_policy == MAXMEMORY_NO_EVICTION:
        return EVICT_FAIL
    evpool_init()
    tofree = used - <long long>cfg_maxmemory
    start = ustime()
    limit = eviction_time_limit_us()
    g_eviction_running = False
    while freed < tofree:
        if cfg_maxmemory_policy & (MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU) or \
                cfg_maxmemory_policy == MAXMEMORY_VOLATILE_TTL:
            db = choose_pooled_key()
        else:
            db = choose_random_key()
        if db == NULL:
            return EVICT_FAIL
        before = zmalloc_used_memory()
        evict_key(db, g_evict_key, g_evict_klen)
        delta = before - <long long>zmalloc_used_memory()
        freed += delta
        keys_freed += 1
        if keys_freed % 16 == 0 and ustime() - start > limit:
            g_eviction_running = True
            start_eviction_proc()
            return EVICT_RUNNING
    track_exceeded_time(False)
    return EVICT_OK


# memory was over the limit (eviction failed) when the running command
# started: scripts refuse denyoom commands until their first write
cdef bint g_pre_command_oom = False
cdef bytes MSG_OOM = b"OOM command not allowed when used memory > 'maxmemory'."


cdef int reject_if_out_of_memory(Client c, Command cmd, unsigned long long flags) except -1:
    """The OOM check of processCommand, run only when maxmemory is set:
    evict, and when memory is still over the limit refuse commands that
    may grow the data set (inside MULTI, queuing any command but EXEC,
    DISCARD, QUIT and RESET).  Returns 1 when the command was refused."""
    global g_pre_command_oom
    g_pre_command_oom = perform_evictions() == EVICT_FAIL
    if not g_pre_command_oom:
        return 0
    if flags & CMD_DENYOOM or (c.flags & CLIENT_MULTI and cmd.proc != cmd_exec and
                               cmd.proc != cmd_discard and cmd.proc != cmd_quit and
                               cmd.proc != cmd_reset):
        reject(c, cmd, MSG_OOM)
        return 1
    return 0


cdef int maxmemory_lowered() except -1:
    """A new limit below the memory in use: evict from the event loop (not
    inside CONFIG SET's own call) and, once serving, warn as Redis does."""
    global g_eviction_running
    cdef long long used = memory_for_eviction()
    if <unsigned long long>used > cfg_maxmemory:
        g_eviction_running = True
        start_eviction_proc()
        if g_eviction_proc_scheduled:
            g_ctl.log_warning(
                "WARNING: the new maxmemory value set via CONFIG SET (%d) is smaller than the "
                "current memory usage (%d). This will result in key eviction and/or the "
                "inability to accept new write commands depending on the maxmemory-policy."
                % (cfg_maxmemory, used))
    return 0


cdef int start_eviction_proc() except -1:
    global g_eviction_proc_scheduled
    if not g_eviction_proc_scheduled and g_ctl is not None:
        g_eviction_proc_scheduled = g_ctl.start_eviction_proc()
    return 0


def eviction_step():
    """Continue an eviction the time limit interrupted; true while there is
    more to do (the caller runs it again on the next loop iteration)."""
    global g_eviction_proc_scheduled
    g_eviction_proc_scheduled = False
    if cfg_maxmemory and g_eviction_running and perform_evictions() == EVICT_RUNNING:
        g_eviction_proc_scheduled = True
        return True
    return False


# --- control layer ---------------------------------------------------------

cdef int set_eviction_config(str name, value) except -1:
    """Mirror one memory directive; returns 1 when name was one of them."""
    global cfg_maxmemory, cfg_maxmemory_policy, cfg_maxmemory_samples
    global cfg_eviction_tenacity, cfg_lfu_log_factor, cfg_lfu_decay_time
    global cfg_lazyfree_lazy_eviction, cfg_lfu_enabled, cfg_lru_enabled
    global cfg_replica_ignore_maxmemory
    if name == "maxmemory":
        cfg_maxmemory = value
        if value:
            maxmemory_lowered()
    elif name == "maxmemory-policy":
        cfg_maxmemory_policy = POLICY_CODES[value]
        cfg_lfu_enabled = (cfg_maxmemory_policy & MAXMEMORY_FLAG_LFU) != 0
        cfg_lru_enabled = (cfg_maxmemory_policy & MAXMEMORY_FLAG_LRU) != 0
        update_new_object_lru()
    elif name == "maxmemory-samples":
        cfg_maxmemory_samples = value
    elif name == "replica-ignore-maxmemory":
        cfg_replica_ignore_maxmemory = value
    elif name == "maxmemory-eviction-tenacity":
        cfg_eviction_tenacity = value
    elif name == "lfu-log-factor":
        cfg_lfu_log_factor = value
    elif name == "lfu-decay-time":
        cfg_lfu_decay_time = value
    elif name == "lazyfree-lazy-eviction":
        cfg_lazyfree_lazy_eviction = value
    else:
        return 0
    return 1


def eviction_times():
    """(total, current) milliseconds spent over maxmemory (INFO stats)."""
    cdef long long current = ustime() - g_eviction_exceeded_start if g_eviction_exceeded_start else 0
    return (g_eviction_exceeded_total + current) // 1000, current // 1000
