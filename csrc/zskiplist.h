/* zskiplist.h -- ordered index of a sorted set: a skiplist with spans.
 *
 * Layout.  Every node holds (score, element) and a tower of 1..ZSL_MAXLEVEL
 * levels; level i links to the next node whose tower reaches level i.  The
 * header is a sentinel with the full tower and no element.  Level 0 is the
 * complete list in (score, element) order, elements compared as bytes
 * (memcmp, then the shorter first); `backward` links level 0 in reverse so
 * reverse walks are O(1) per step.
 *
 * Spans.  level[i].span of a node is the number of level-0 steps its
 * level-i forward link jumps over (1 for adjacent nodes).  Invariant: the
 * spans met while walking from the header to node x sum to rank(x), the
 * 1-based position of x; a NULL forward link's span counts the nodes up to
 * the end of the list.  Insert and delete keep the invariant by fixing the
 * spans of the rightmost node visited on each level (the `update` array).
 *
 * Ownership.  A node does not own its element: `ele` borrows bytes that
 * the caller keeps alive and in place for as long as the node is linked.
 * In a sorted set those bytes are the key of the member's entry in the
 * companion dict (member -> score), stored once: dict entries never move
 * (rehash relinks them, it does not reallocate), so the pointer stays
 * valid.  Hence the order of operations: add the dict entry, then insert
 * the node with its key; unlink the node, then delete the dict entry.
 */
#ifndef PYREDIS_ZSKIPLIST_H
#define PYREDIS_ZSKIPLIST_H

#include <stddef.h>
#include <stdint.h>
#include "dict.h"

#define ZSL_MAXLEVEL 32
#define ZSL_P 0.25

typedef struct zskiplistNode {
    double score;
    struct zskiplistNode *backward;
    const unsigned char *ele;   /* borrowed, see Ownership */
    uint32_t len;
    uint32_t height;
    struct zskiplistLevel {
        struct zskiplistNode *forward;
        unsigned long span;
    } level[];
} zskiplistNode;

typedef struct zskiplist {
    zskiplistNode *header, *tail;
    unsigned long length;
    int level;
} zskiplist;

/* score interval; minex/maxex make the bound exclusive */
typedef struct zrangespec {
    double min, max;
    int minex, maxex;
} zrangespec;

/* lex interval; a bound is "-" (ZLEX_MINUS), "+" (ZLEX_PLUS) or bytes */
#define ZLEX_BYTES 0
#define ZLEX_MINUS 1
#define ZLEX_PLUS 2
typedef struct zlexrangespec {
    const char *min, *max;
    size_t minlen, maxlen;
    int minkind, maxkind;
    int minex, maxex;
} zlexrangespec;

zskiplist *zslCreate(void);
void zslFree(zskiplist *zsl);
int zslRandomLevel(void);
/* the caller guarantees (score, ele) is absent; the node borrows ele (it
 * must outlive the node); NULL when out of memory */
zskiplistNode *zslInsert(zskiplist *zsl, double score, const unsigned char *ele, uint32_t len);
/* 1 if found and removed; *node receives the unlinked node when not NULL
 * (free it with zslFreeNode), else it is freed */
int zslDelete(zskiplist *zsl, double score, const char *ele, size_t len, zskiplistNode **node);
void zslFreeNode(zskiplistNode *n);
/* (curscore, ele) must be present; the node keeps its borrowed bytes, ele
 * only locates it */
zskiplistNode *zslUpdateScore(zskiplist *zsl, double curscore, const char *ele, size_t len, double newscore);
/* 1-based rank, 0 when absent */
unsigned long zslGetRank(zskiplist *zsl, double score, const char *ele, size_t len);
/* 1-based */
zskiplistNode *zslGetElementByRank(zskiplist *zsl, unsigned long rank);

int zslCmpEle(const char *a, size_t al, const char *b, size_t bl);
int zslValueGteMin(double v, const zrangespec *r);
int zslValueLteMax(double v, const zrangespec *r);
int zslLexGteMin(const char *e, size_t l, const zlexrangespec *r);
int zslLexLteMax(const char *e, size_t l, const zlexrangespec *r);
/* 1 when the interval itself is empty */
int zslRangeEmpty(const zrangespec *r);
int zslLexRangeEmpty(const zlexrangespec *r);

zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *r);
zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *r);
zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *r);
zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *r);

/* delete ranges, also removing each element from dict (may be NULL): each
 * node is unlinked and freed before the dict entry holding its bytes is
 * deleted.  Return the number removed.  Ranks are 1-based and inclusive. */
unsigned long zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *r, dict *d);
unsigned long zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *r, dict *d);
unsigned long zslDeleteRangeByRank(zskiplist *zsl, unsigned long start, unsigned long end, dict *d);

#endif
