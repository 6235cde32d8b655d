/* dict.c -- chained hash table with incremental rehash, reverse-binary SCAN
 * cursor and random sampling.
 *
 * Entry layout (one malloc per entry, 64-bit host):
 *
 *     0        8            16      20                 20+klen
 *     +--------+------------+-------+--------------------+----+
 *     | next   | v (union:  | klen  | key bytes (binary) | \0 |
 *     |        | ptr/s64/   | u32   |                    |    |
 *     |        | u64/d)     |       |                    |    |
 *     +--------+------------+-------+--------------------+----+
 *
 * The key is copied in at offsetof(dictEntry, key); the allocation is
 * exactly header + klen + 1 (no struct tail padding).  The trailing NUL is
 * not part of the key; it only lets callers print a key without copying.
 *
 * Tables:
 *
 *     dict
 *      ht[0]  table -> [b0][b1][b2][b3] ...     (size = 2^n, mask = size-1)
 *                        |
 *                        v
 *                       entry -> entry -> NULL   (new entries at the head)
 *      ht[1]  only allocated while rehashing: the table being filled
 *      rehashidx  -1, or the next ht[0] bucket to move
 *
 * Rehash scheme: growing or shrinking allocates ht[1] at the new size and
 * sets rehashidx = 0.  Every dictAddRaw / dictFind / dictDelete / dictUnlink
 * / random-sampling call moves one bucket (dictRehash(d, 1)) unless rehash
 * is paused; the server cron calls dictRehashMilliseconds to make bulk
 * progress.  dictRehash(n) moves n non-empty buckets but gives up after
 * visiting n*10 empty ones, so one step has a bounded cost even when ht[0]
 * is sparse.  When ht[0] is drained its table is freed, ht[1] becomes ht[0]
 * and rehashidx goes back to -1.
 *
 * Growth: when an add finds ht[0].used >= ht[0].size (and resizing is
 * enabled), or ht[0].used / ht[0].size > 5 (forced, even while a child
 * process shares memory), the table is expanded to the next power of two
 * >= used+1.  A failed allocation just skips the growth: the table stays
 * correct, only chains get longer.  Shrinking is explicit (dictResize) to
 * the smallest power of two >= used, never below DICT_HT_INITIAL_SIZE.
 *
 * Invariants:
 *  - ht[i].size is 0 or a power of two, and sizemask == size - 1 (0 if 0).
 *  - Each ht[i].used equals the number of entries chained from ht[i];
 *    dictSize() is their sum, so an entry is in exactly one table.
 *  - Every entry of ht[i] sits in bucket siphash(key) & ht[i].sizemask.
 *  - Not rehashing: ht[1] is all zero (table NULL, size 0, used 0).
 *  - Rehashing: ht[0].table[j] == NULL for every j < rehashidx, and
 *    rehashidx < ht[0].size; entries are added only to ht[1], so ht[0]
 *    only ever shrinks and the rehash terminates.
 *  - A key appears at most once in the whole dict (adds look in both tables).
 *  - pauserehash > 0 (safe iterator or scan in progress): no entry moves
 *    between tables, so bucket walks stay valid while entries are deleted.
 *  - An unsafe iterator must see the dict unchanged: its release asserts
 *    the fingerprint (table pointers, sizes, used counts) taken at start.
 *
 * SCAN guarantee: an entry present from the first to the last dictScan call
 * of a full iteration (cursor 0 back to 0) is returned at least once, even
 * when the table grows, shrinks or rehashes between calls; entries may be
 * returned more than once.  Why it holds: the cursor is incremented on its
 * bit-reversed form, i.e. the high bits of the bucket index change fastest.
 * For a table of size 2^n the buckets that a key can reach in a table of
 * size 2^m (m > n) are exactly those whose low n bits equal its bucket in
 * the small table; they all share the same low-n-bit cursor prefix.  Since
 * the cursor advances by reversed increment, when it has passed bucket b of
 * a 2^n table it has also passed every expansion b + k*2^n of a 2^m table,
 * and a shrink merges only buckets that share their low bits, which were
 * either all visited or all not yet visited (except on the current cursor,
 * whose merged bucket may be visited again -> duplicates, never misses).
 * While rehashing, one call visits bucket v & m0 of the smaller table and
 * all its expansions in the larger one, so the entry is seen whichever of
 * the two tables it is in at the time.  Rehash is paused during the
 * callbacks so no entry jumps tables mid-call.
 *
 * Random numbers come from a splitmix64 generator private to this file,
 * seeded from the hash seed; the server is single-threaded so its global
 * state needs no locking.
 */
#include "dict.h"
#include "zmalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siphash.h"

#define DICT_FORCE_RESIZE_RATIO 5
#define DICT_MIN_FILL_PERCENT 10
#define DICT_EMPTY_CALLBACK_EVERY 65536
#define DICT_GETFAIR_NUM_ENTRIES 15
#define DICT_ENTRY_HEADER offsetof(dictEntry, key)

/* Always on, NDEBUG or not: a broken table or a misused iterator would
 * otherwise corrupt memory silently (the same policy as Redis's asserts). */
#define DICT_ASSERT(cond)                                                      \
    do {                                                                       \
        if (!(cond)) assertFailed(#cond, __LINE__);                            \
    } while (0)

static void assertFailed(const char *expr, int line) {
    fprintf(stderr, "dict.c:%d: assertion failed: %s\n", line, expr);
    abort();
}

static uint8_t hash_seed[16];
static int can_resize = 1;
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

/* ------------------------------------------------------------------ */
/* Hash, PRNG, helpers                                                 */

void dictSetHashSeed(const uint8_t seed[16]) {
    memcpy(hash_seed, seed, 16);
    rng_state ^= siphash((const uint8_t *)"dict-rng", 8, hash_seed);
}

uint64_t dictGenHash(const void *key, size_t len) {
    return siphash((const uint8_t *)key, len, hash_seed);
}

void dictEnableResize(void) { can_resize = 1; }
void dictDisableResize(void) { can_resize = 0; }

static inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* splitmix64: one add and a bijective mix per draw. */
static inline uint64_t randomU64(void) {
    rng_state += 0x9e3779b97f4a7c15ULL;
    return mix64(rng_state);
}

static inline int keyEquals(const dictEntry *de, const void *key, size_t klen) {
    return de->klen == klen && memcmp(de->key, key, klen) == 0;
}

static void htReset(dictht *ht) {
    ht->table = NULL;
    ht->size = 0;
    ht->sizemask = 0;
    ht->used = 0;
}

static void freeEntry(dict *d, dictEntry *de) {
    if (d->type && d->type->valDestructor) d->type->valDestructor(de);
    zfree(de);
}

/* Smallest power of two >= size, at least DICT_HT_INITIAL_SIZE; 0 when it
 * would not fit in an unsigned long. */
static unsigned long nextPower(unsigned long size) {
    unsigned long i = DICT_HT_INITIAL_SIZE;
    if (size > (ULONG_MAX >> 1) + 1) return 0;
    while (i < size) i <<= 1;
    return i;
}

/* Mixes the table shape into one value; an unsafe iterator compares it at
 * release to catch callers that modified the dict while iterating. */
static long long fingerprint(const dict *d) {
    uint64_t parts[6] = {
        (uint64_t)(uintptr_t)d->ht[0].table, d->ht[0].size, d->ht[0].used,
        (uint64_t)(uintptr_t)d->ht[1].table, d->ht[1].size, d->ht[1].used,
    };
    uint64_t h = 0;
    int i;
    for (i = 0; i < 6; i++) h = mix64(h + parts[i] + 0x9e3779b97f4a7c15ULL);
    return (long long)h;
}

/* ------------------------------------------------------------------ */
/* Create / destroy                                                    */

dict *dictCreate(dictType *type) {
    dict *d = zmalloc(sizeof(*d));
    if (d == NULL) return NULL;
    d->type = type;
    htReset(&d->ht[0]);
    htReset(&d->ht[1]);
    d->rehashidx = -1;
    d->pauserehash = 0;
    return d;
}

static void clearTable(dict *d, dictht *ht, void (*callback)(dict *)) {
    unsigned long i;
    for (i = 0; i < ht->size && ht->used > 0; i++) {
        dictEntry *de, *next;
        if (callback && (i & (DICT_EMPTY_CALLBACK_EVERY - 1)) == 0) callback(d);
        for (de = ht->table[i]; de != NULL; de = next) {
            next = de->next;
            freeEntry(d, de);
            ht->used--;
        }
        ht->table[i] = NULL;
    }
    zfree(ht->table);
    htReset(ht);
}

void dictEmpty(dict *d, void (*callback)(dict *)) {
    clearTable(d, &d->ht[0], callback);
    clearTable(d, &d->ht[1], callback);
    d->rehashidx = -1;
    d->pauserehash = 0;
}

void dictRelease(dict *d) {
    if (d == NULL) return;
    clearTable(d, &d->ht[0], NULL);
    clearTable(d, &d->ht[1], NULL);
    zfree(d);
}

/* ------------------------------------------------------------------ */
/* Resizing and rehash                                                 */

int dictExpand(dict *d, unsigned long size) {
    unsigned long realsize;
    dictEntry **table;

    if (dictIsRehashing(d) || d->ht[0].used > size) return DICT_ERR;
    realsize = nextPower(size);
    if (realsize == 0 || realsize == d->ht[0].size) return DICT_ERR;
    if (realsize > SIZE_MAX / sizeof(dictEntry *)) return DICT_ERR;
    table = zcalloc(realsize * sizeof(dictEntry *));
    if (table == NULL) return DICT_ERR;

    if (d->ht[0].table == NULL) {
        /* First allocation: nothing to move. */
        d->ht[0].table = table;
        d->ht[0].size = realsize;
        d->ht[0].sizemask = realsize - 1;
        d->ht[0].used = 0;
        return DICT_OK;
    }
    d->ht[1].table = table;
    d->ht[1].size = realsize;
    d->ht[1].sizemask = realsize - 1;
    d->ht[1].used = 0;
    d->rehashidx = 0;
    return DICT_OK;
}

int dictResize(dict *d) {
    unsigned long minimal;
    if (!can_resize || dictIsRehashing(d)) return DICT_ERR;
    minimal = d->ht[0].used;
    if (minimal < DICT_HT_INITIAL_SIZE) minimal = DICT_HT_INITIAL_SIZE;
    return dictExpand(d, minimal);
}

int dictNeedsShrink(const dict *d) {
    unsigned long size = dictSlots(d), used = dictSize(d);
    return size > DICT_HT_INITIAL_SIZE &&
           (used * 100 / size < DICT_MIN_FILL_PERCENT);
}

int dictRehash(dict *d, int n) {
    int empty_visits = n * 10;
    dictht *from = &d->ht[0], *to = &d->ht[1];

    if (!dictIsRehashing(d)) return 0;
    while (n-- > 0 && from->used != 0) {
        dictEntry *de, *next;
        DICT_ASSERT((unsigned long)d->rehashidx < from->size);
        while (from->table[d->rehashidx] == NULL) {
            d->rehashidx++;
            if (--empty_visits == 0) return 1;
        }
        for (de = from->table[d->rehashidx]; de != NULL; de = next) {
            unsigned long idx = dictGenHash(de->key, de->klen) & to->sizemask;
            next = de->next;
            de->next = to->table[idx];
            to->table[idx] = de;
            from->used--;
            to->used++;
        }
        from->table[d->rehashidx] = NULL;
        d->rehashidx++;
    }
    if (from->used == 0) {
        zfree(from->table);
        *from = *to;
        htReset(to);
        d->rehashidx = -1;
        return 0;
    }
    return 1;
}

static long long monotonicMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int dictRehashMilliseconds(dict *d, int ms) {
    long long start;
    int moved = 0;
    if (d->pauserehash > 0) return 0;
    start = monotonicMs();
    while (dictRehash(d, 100)) {
        moved += 100;
        if (monotonicMs() - start > ms) break;
    }
    return moved;
}

/* The per-operation share of the rehash work.  While a child process
 * shares memory (resizing disabled) rehashing waits, since every moved
 * entry would copy its page, unless the new table is more than
 * DICT_FORCE_RESIZE_RATIO times the old one (a table that must grow). */
static inline void rehashStep(dict *d) {
    if (d->pauserehash != 0) return;
    if (!can_resize && d->ht[1].size < d->ht[0].size * DICT_FORCE_RESIZE_RATIO) return;
    dictRehash(d, 1);
}

static void expandIfNeeded(dict *d) {
    dictht *ht = &d->ht[0];
    if (dictIsRehashing(d)) return;
    if (ht->size == 0) {
        dictExpand(d, DICT_HT_INITIAL_SIZE);
        return;
    }
    if (ht->used >= ht->size &&
        (can_resize || ht->used / ht->size > DICT_FORCE_RESIZE_RATIO))
        dictExpand(d, ht->used + 1); /* failure: keep the current size */
}

/* ------------------------------------------------------------------ */
/* Add / find / delete                                                 */

dictEntry *dictAddRaw(dict *d, const void *key, size_t klen, dictEntry **existing) {
    uint64_t hash;
    unsigned long idx = 0;
    dictEntry *de;
    dictht *ht;
    int t;

    if (existing) *existing = NULL;
    if (klen > UINT32_MAX) return NULL;
    if (dictIsRehashing(d)) rehashStep(d);
    expandIfNeeded(d);
    if (d->ht[0].size == 0) return NULL; /* first table allocation failed */

    hash = dictGenHash(key, klen);
    for (t = 0; t <= 1; t++) {
        idx = hash & d->ht[t].sizemask;
        for (de = d->ht[t].table[idx]; de != NULL; de = de->next) {
            if (keyEquals(de, key, klen)) {
                if (existing) *existing = de;
                return NULL;
            }
        }
        if (!dictIsRehashing(d)) break;
    }
    /* idx is now the bucket in ht[1] when rehashing, else in ht[0]. */
    ht = dictIsRehashing(d) ? &d->ht[1] : &d->ht[0];

    de = zmalloc(DICT_ENTRY_HEADER + klen + 1);
    if (de == NULL) return NULL;
    de->v.u64 = 0;
    de->klen = (uint32_t)klen;
    memcpy(de->key, key, klen);
    de->key[klen] = '\0';
    de->next = ht->table[idx];
    ht->table[idx] = de;
    ht->used++;
    return de;
}

dictEntry *dictFind(dict *d, const void *key, size_t klen) {
    uint64_t hash;
    int t;

    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) rehashStep(d);
    hash = dictGenHash(key, klen);
    for (t = 0; t <= 1; t++) {
        dictEntry *de = d->ht[t].table[hash & d->ht[t].sizemask];
        for (; de != NULL; de = de->next)
            if (keyEquals(de, key, klen)) return de;
        if (!dictIsRehashing(d)) break;
    }
    return NULL;
}

dictEntry *dictUnlink(dict *d, const void *key, size_t klen) {
    uint64_t hash;
    int t;

    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) rehashStep(d);
    hash = dictGenHash(key, klen);
    for (t = 0; t <= 1; t++) {
        dictht *ht = &d->ht[t];
        dictEntry **link = &ht->table[hash & ht->sizemask];
        for (; *link != NULL; link = &(*link)->next) {
            dictEntry *de = *link;
            if (keyEquals(de, key, klen)) {
                *link = de->next;
                de->next = NULL;
                ht->used--;
                return de;
            }
        }
        if (!dictIsRehashing(d)) break;
    }
    return NULL;
}

int dictDelete(dict *d, const void *key, size_t klen) {
    dictEntry *de = dictUnlink(d, key, klen);
    if (de == NULL) return DICT_ERR;
    freeEntry(d, de);
    return DICT_OK;
}

void dictFreeUnlinkedEntry(dict *d, dictEntry *de) {
    if (de == NULL) return;
    freeEntry(d, de);
}

/* ------------------------------------------------------------------ */
/* Iterators                                                           */

static dictIterator *newIterator(dict *d, int safe) {
    dictIterator *it = zmalloc(sizeof(*it));
    if (it == NULL) return NULL;
    it->d = d;
    it->table = 0;
    it->index = -1;
    it->safe = safe;
    it->entry = NULL;
    it->nextEntry = NULL;
    it->fingerprint = 0;
    return it;
}

dictIterator *dictGetIterator(dict *d) { return newIterator(d, 0); }
dictIterator *dictGetSafeIterator(dict *d) { return newIterator(d, 1); }

dictEntry *dictNext(dictIterator *it) {
    dict *d = it->d;
    for (;;) {
        if (it->entry == NULL) {
            if (it->index == -1 && it->table == 0) {
                if (it->safe)
                    d->pauserehash++;
                else
                    it->fingerprint = fingerprint(d);
            }
            it->index++;
            if ((unsigned long)it->index >= d->ht[it->table].size) {
                if (dictIsRehashing(d) && it->table == 0) {
                    it->table = 1;
                    it->index = 0;
                } else {
                    return NULL;
                }
            }
            it->entry = d->ht[it->table].table[it->index];
        } else {
            it->entry = it->nextEntry;
        }
        if (it->entry != NULL) {
            /* Saved now: a safe iterator's caller may free the entry. */
            it->nextEntry = it->entry->next;
            return it->entry;
        }
    }
}

void dictReleaseIterator(dictIterator *it) {
    if (it == NULL) return;
    if (!(it->index == -1 && it->table == 0)) {
        if (it->safe)
            it->d->pauserehash--;
        else
            DICT_ASSERT(it->fingerprint == fingerprint(it->d));
    }
    zfree(it);
}

/* ------------------------------------------------------------------ */
/* Random sampling                                                     */

dictEntry *dictGetRandomKey(dict *d) {
    dictEntry *de, *orig;
    unsigned long len, pick;

    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) rehashStep(d);
    if (dictIsRehashing(d)) {
        /* Buckets below rehashidx in ht[0] are empty: draw from the rest
         * of ht[0] followed by all of ht[1]. */
        unsigned long lo = (unsigned long)d->rehashidx;
        unsigned long span = dictSlots(d) - lo;
        do {
            unsigned long h = lo + randomU64() % span;
            de = h >= d->ht[0].size ? d->ht[1].table[h - d->ht[0].size]
                                    : d->ht[0].table[h];
        } while (de == NULL);
    } else {
        do {
            de = d->ht[0].table[randomU64() & d->ht[0].sizemask];
        } while (de == NULL);
    }
    /* Uniform within the chosen chain (so entries in long chains are
     * under-sampled; dictGetFairRandomKey compensates). */
    orig = de;
    for (len = 0; de != NULL; de = de->next) len++;
    pick = randomU64() % len;
    for (de = orig; pick-- > 0;) de = de->next;
    return de;
}

unsigned int dictGetSomeKeys(dict *d, dictEntry **des, unsigned int count) {
    unsigned long maxmask, i, emptylen = 0, maxsteps;
    unsigned int stored = 0, j;
    int tables, t;

    if (dictSize(d) < count) count = (unsigned int)dictSize(d);
    if (count == 0) return 0;
    maxsteps = (unsigned long)count * 10;

    /* Do rehash work proportional to the number of entries requested. */
    for (j = 0; j < count && dictIsRehashing(d); j++) rehashStep(d);

    tables = dictIsRehashing(d) ? 2 : 1;
    maxmask = d->ht[0].sizemask;
    if (tables == 2 && d->ht[1].sizemask > maxmask) maxmask = d->ht[1].sizemask;

    i = randomU64() & maxmask;
    while (stored < count && maxsteps-- > 0) {
        for (t = 0; t < tables; t++) {
            dictEntry *de;
            if (tables == 2 && t == 0 && i < (unsigned long)d->rehashidx) {
                /* ht[0] buckets below rehashidx are empty.  If i is also
                 * past the end of ht[1] (shrinking), neither table has
                 * bucket i: jump to the first live ht[0] bucket. */
                if (i >= d->ht[1].size)
                    i = (unsigned long)d->rehashidx;
                else
                    continue;
            }
            if (i >= d->ht[t].size) continue;
            de = d->ht[t].table[i];
            if (de == NULL) {
                /* A run of empty buckets longer than both 5 and count
                 * means a sparse region: restart somewhere else. */
                emptylen++;
                if (emptylen >= 5 && emptylen > count) {
                    i = randomU64() & maxmask;
                    emptylen = 0;
                }
            } else {
                emptylen = 0;
                for (; de != NULL; de = de->next) {
                    des[stored++] = de;
                    if (stored == count) return stored;
                }
            }
        }
        i = (i + 1) & maxmask;
    }
    return stored;
}

dictEntry *dictGetFairRandomKey(dict *d) {
    dictEntry *entries[DICT_GETFAIR_NUM_ENTRIES];
    unsigned int n = dictGetSomeKeys(d, entries, DICT_GETFAIR_NUM_ENTRIES);
    /* Sampling can come back empty on a sparse table even though entries
     * exist; fall back to the (chain-biased) single draw. */
    if (n == 0) return dictGetRandomKey(d);
    return entries[randomU64() % n];
}

/* ------------------------------------------------------------------ */
/* SCAN                                                                */

static unsigned long reverseBits(unsigned long v) {
    unsigned int s = CHAR_BIT * sizeof(v);
    unsigned long mask = ~0UL;
    while ((s >>= 1) > 0) {
        mask ^= (mask << s);
        v = ((v >> s) & mask) | ((v << s) & ~mask);
    }
    return v;
}

static void scanBucket(const dictht *ht, unsigned long idx,
                       dictScanFunction *fn, void *privdata) {
    dictEntry *de = ht->table[idx & ht->sizemask], *next;
    for (; de != NULL; de = next) {
        next = de->next; /* fn may delete de */
        fn(privdata, de);
    }
}

/* Increment v on its reversed bits, counting only bits under mask. */
static inline unsigned long cursorNext(unsigned long v, unsigned long mask) {
    v |= ~mask;
    v = reverseBits(v);
    v++;
    return reverseBits(v);
}

unsigned long dictScan(dict *d, unsigned long v, dictScanFunction *fn, void *privdata) {
    const dictht *small, *large;
    unsigned long m0, m1;

    if (dictSize(d) == 0) return 0;
    d->pauserehash++;
    if (!dictIsRehashing(d)) {
        scanBucket(&d->ht[0], v, fn, privdata);
        v = cursorNext(v, d->ht[0].sizemask);
    } else {
        small = &d->ht[0];
        large = &d->ht[1];
        if (small->size > large->size) {
            small = &d->ht[1];
            large = &d->ht[0];
        }
        m0 = small->sizemask;
        m1 = large->sizemask;
        scanBucket(small, v & m0, fn, privdata);
        /* All buckets of the larger table that fold onto v & m0: they
         * differ from it only in the bits m1 has beyond m0. */
        do {
            scanBucket(large, v & m1, fn, privdata);
            v = cursorNext(v, m1);
        } while (v & (m0 ^ m1));
    }
    d->pauserehash--;
    return v;
}
