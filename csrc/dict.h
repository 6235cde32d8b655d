/* dict.h -- chained hash table with binary-string keys stored inline.
 *
 * One table type serves every keyed structure of the server: the keyspace
 * (value = robj*), the expires table (value = int64 ms), and later hash
 * fields, set members and zset members.  Keys are arbitrary bytes copied
 * into the entry itself, so an entry is one allocation: next + value + klen
 * + key bytes.
 *
 * Rehash is incremental (two tables, rehashidx), see dict.c for the design
 * notes and invariants.  The hash is keyed SipHash-1-2; the seed is set once
 * at start-up with dictSetHashSeed().
 */
#ifndef PYREDIS_DICT_H
#define PYREDIS_DICT_H

#include <stddef.h>
#include <stdint.h>

#define DICT_OK 0
#define DICT_ERR 1

typedef struct dictEntry {
    struct dictEntry *next;
    union {
        void *ptr;
        int64_t s64;
        uint64_t u64;
        double d;
    } v;
    uint32_t klen;
    unsigned char key[];
} dictEntry;

typedef struct dictType {
    /* Called on the value of an entry that is freed (dictDelete, dictEmpty,
     * dictRelease).  NULL: values are not owned by the table. */
    void (*valDestructor)(dictEntry *de);
} dictType;

typedef struct dictht {
    dictEntry **table;
    unsigned long size;     /* 0 or a power of two */
    unsigned long sizemask;
    unsigned long used;
} dictht;

typedef struct dict {
    dictType *type;
    dictht ht[2];
    long rehashidx;         /* -1 when not rehashing */
    int16_t pauserehash;    /* >0: rehash paused (safe iterators, scans) */
} dict;

typedef struct dictIterator {
    dict *d;
    long index;
    int table, safe;
    dictEntry *entry, *nextEntry;
    long long fingerprint;  /* unsafe iterators: misuse detection */
} dictIterator;

typedef void dictScanFunction(void *privdata, const dictEntry *de);

#define DICT_HT_INITIAL_SIZE 4
#define dictSize(d) ((d)->ht[0].used + (d)->ht[1].used)
#define dictSlots(d) ((d)->ht[0].size + (d)->ht[1].size)
#define dictIsRehashing(d) ((d)->rehashidx != -1)

void dictSetHashSeed(const uint8_t seed[16]);
uint64_t dictGenHash(const void *key, size_t len);
/* Global switch (Redis's dict_can_resize): off while a child process
 * shares memory; the table still grows when it is 5x overfull. */
void dictEnableResize(void);
void dictDisableResize(void);

dict *dictCreate(dictType *type);
void dictRelease(dict *d);
/* Remove every entry; callback(privdata) is called every 65536 buckets so
 * a caller can keep serving while a large table is emptied. */
void dictEmpty(dict *d, void (*callback)(dict *));

int dictExpand(dict *d, unsigned long size);
/* Shrink to the smallest power of two holding all entries (min 4). */
int dictResize(dict *d);
/* True when the table is more than 10x too large (Redis's HASHTABLE_MIN_FILL). */
int dictNeedsShrink(const dict *d);

/* Returns the new entry, or NULL when the key exists (then *existing, if
 * given, is set to the entry).  The caller sets the value. */
dictEntry *dictAddRaw(dict *d, const void *key, size_t klen, dictEntry **existing);
dictEntry *dictFind(dict *d, const void *key, size_t klen);
/* Unlinks and frees the entry (valDestructor runs).  DICT_OK or DICT_ERR. */
int dictDelete(dict *d, const void *key, size_t klen);
/* Unlinks without freeing: the caller frees with dictFreeUnlinkedEntry. */
dictEntry *dictUnlink(dict *d, const void *key, size_t klen);
void dictFreeUnlinkedEntry(dict *d, dictEntry *de);

/* n bucket moves, visiting at most n*10 empty buckets; returns 1 if more
 * rehashing is left. */
int dictRehash(dict *d, int n);
/* Rehash in steps of 100 buckets for about ms milliseconds; returns the
 * number of buckets moved (in units of 100). */
int dictRehashMilliseconds(dict *d, int ms);

dictIterator *dictGetIterator(dict *d);
dictIterator *dictGetSafeIterator(dict *d);
dictEntry *dictNext(dictIterator *iter);
void dictReleaseIterator(dictIterator *iter);

dictEntry *dictGetRandomKey(dict *d);
dictEntry *dictGetFairRandomKey(dict *d);
/* Up to count entries sampled from random places; returns how many. */
unsigned int dictGetSomeKeys(dict *d, dictEntry **des, unsigned int count);

/* Reverse-binary cursor scan: every entry present for the whole scan is
 * returned at least once, across growth, shrink and rehash. */
unsigned long dictScan(dict *d, unsigned long v, dictScanFunction *fn, void *privdata);

#endif
