/* object.h -- the value object stored in the keyspace.
 *
 * Layout (16 bytes, or 8 + len + 1 for embedded strings):
 *   type:4 encoding:4 lru:24 | len (strings) | v (ll or ptr)
 *
 * Strings have three encodings, as in Redis:
 *   INT    v.ll holds the number; produced only for canonical integer text
 *   EMBSTR the bytes follow the 8-byte header (NUL-terminated), len <= 44
 *   RAW    v.ptr is a heap buffer of malloc_usable_size capacity
 * Every object is owned by exactly one key: there is no refcount, copies
 * are deep.  Collection types add their encodings in later modules; objFree
 * is the one place that knows how to release each of them.
 */
#ifndef PYREDIS_OBJECT_H
#define PYREDIS_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#define OBJ_STRING 0
#define OBJ_LIST 1
#define OBJ_SET 2
#define OBJ_ZSET 3
#define OBJ_HASH 4
#define OBJ_MODULE 5
#define OBJ_STREAM 6

#define OBJ_ENCODING_RAW 0
#define OBJ_ENCODING_INT 1
#define OBJ_ENCODING_HT 2
#define OBJ_ENCODING_INTSET 6
#define OBJ_ENCODING_SKIPLIST 7
#define OBJ_ENCODING_EMBSTR 8
#define OBJ_ENCODING_QUICKLIST 9
#define OBJ_ENCODING_STREAM 10
#define OBJ_ENCODING_LISTPACK 11

#define OBJ_EMBSTR_MAX 44
#define OBJ_STRING_MAX (512LL * 1024 * 1024)
#define LRU_CLOCK_MAX ((1 << 24) - 1)

typedef struct robj {
    unsigned type : 4;
    unsigned encoding : 4;
    unsigned lru : 24;
    uint32_t len;
    union {
        long long ll;
        void *ptr;
    } v;
} robj;

#define OBJ_EMB_PTR(o) ((char *)(o) + 8)

/* String constructors: return NULL on allocation failure. */
robj *objCreateString(const char *p, size_t len);     /* EMBSTR or RAW */
robj *objCreateRawString(const char *p, size_t len, size_t cap);
robj *objCreateInt(long long v);
/* A collection (or RAW string) header around ptr, accessed now; NULL when
 * the header cannot be allocated (ptr stays the caller's). */
robj *objCreate(int type, int encoding, void *ptr);
/* INT when the bytes are a canonical long long, else EMBSTR/RAW */
robj *objCreateStringTryInt(const char *p, size_t len);
robj *objDup(const robj *o);
void objFree(robj *o);

/* Bytes of a string object.  INT needs a 32-byte scratch buffer. */
const char *objStrPtr(const robj *o, char *scratch, size_t *len);
size_t objStrLen(const robj *o);
/* Make o a RAW string with capacity >= need; returns the (possibly moved)
 * object, NULL on allocation failure (o unchanged). */
robj *objMakeRawWithCap(robj *o, size_t need);
char *objRawPtr(robj *o);

/* Collection types register how to release and deep-copy their payload
 * (o->v.ptr); objFree/objDup dispatch on o->type.  free must release only
 * the payload, not the robj header. */
typedef struct objTypeOps {
    void (*freePayload)(robj *o);
    robj *(*dup)(const robj *o);
} objTypeOps;
void objRegisterType(int type, objTypeOps ops);

const char *objTypeName(int type);
const char *objEncodingName(int encoding);

/* LRU clock (seconds resolution, 24 bits) kept by the cron */
extern unsigned int objLruClock;
/* The lru field of a new object: the LRU clock, or under an LFU policy
 * the minutes clock << 8 | the initial counter (pyredis/_core/evict.pyx) */
extern unsigned int objNewLru;

#endif
