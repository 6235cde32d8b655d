/* zskiplist.c -- skiplist with spans; see zskiplist.h for the layout and
 * the span invariant every change below preserves.
 *
 * Nothing here allocates or frees element bytes: a node only points at the
 * bytes its creator owns (in a sorted set, the dict entry's key).  The one
 * place that touches the owner is deleteRun, which deletes the dict entry
 * only after the node that borrows from it is unlinked. */
#include <stdlib.h>
#include <string.h>
#include "zskiplist.h"
#include "zmalloc.h"

/* score, backward, ele, len + height: levels start at byte 32 */
_Static_assert(sizeof(zskiplistNode) == 32, "zskiplistNode header grew");

static zskiplistNode *newNode(int height, double score, const unsigned char *ele, uint32_t len) {
    zskiplistNode *n = zmalloc(sizeof(*n) + height * sizeof(struct zskiplistLevel));
    if (!n) return NULL;
    n->score = score;
    n->backward = NULL;
    n->height = (uint32_t)height;
    n->len = len;
    n->ele = ele;
    for (int i = 0; i < height; i++) {
        n->level[i].forward = NULL;
        n->level[i].span = 0;
    }
    return n;
}

void zslFreeNode(zskiplistNode *n) {
    zfree(n);
}

zskiplist *zslCreate(void) {
    zskiplist *zsl = zmalloc(sizeof(*zsl));
    if (!zsl) return NULL;
    zsl->header = newNode(ZSL_MAXLEVEL, 0, NULL, 0);
    if (!zsl->header) { zfree(zsl); return NULL; }
    zsl->tail = NULL;
    zsl->length = 0;
    zsl->level = 1;
    return zsl;
}

void zslFree(zskiplist *zsl) {
    zskiplistNode *n = zsl->header->level[0].forward;
    while (n) {
        zskiplistNode *next = n->level[0].forward;
        zslFreeNode(n);
        n = next;
    }
    zfree(zsl->header);
    zfree(zsl);
}

int zslRandomLevel(void) {
    int level = 1;
    while (level < ZSL_MAXLEVEL && (random() & 0xFFFF) < (long)(ZSL_P * 0xFFFF)) level++;
    return level;
}

int zslCmpEle(const char *a, size_t al, const char *b, size_t bl) {
    size_t m = al < bl ? al : bl;
    int c = m ? memcmp(a, b, m) : 0;
    if (c) return c;
    return al < bl ? -1 : (al > bl ? 1 : 0);
}

/* does node n sort before (score, ele)? */
static inline int before(const zskiplistNode *n, double score, const char *ele, size_t len) {
    return n->score < score || (n->score == score && zslCmpEle((const char *)n->ele, n->len, ele, len) < 0);
}

zskiplistNode *zslInsert(zskiplist *zsl, double score, const unsigned char *ele, uint32_t len) {
    zskiplistNode *update[ZSL_MAXLEVEL], *x = zsl->header;
    unsigned long rank[ZSL_MAXLEVEL];
    int i, height;
    for (i = zsl->level - 1; i >= 0; i--) {
        rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (x->level[i].forward && before(x->level[i].forward, score, (const char *)ele, len)) {
            rank[i] += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    height = zslRandomLevel();
    if (height > zsl->level) {
        for (i = zsl->level; i < height; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            update[i]->level[i].span = zsl->length;
        }
        zsl->level = height;
    }
    x = newNode(height, score, ele, len);
    if (!x) return NULL;
    for (i = 0; i < height; i++) {
        x->level[i].forward = update[i]->level[i].forward;
        update[i]->level[i].forward = x;
        /* update[i] is rank[i]; the new node is rank[0] + 1 */
        x->level[i].span = update[i]->level[i].span - (rank[0] - rank[i]);
        update[i]->level[i].span = (rank[0] - rank[i]) + 1;
    }
    for (i = height; i < zsl->level; i++) update[i]->level[i].span++;
    x->backward = update[0] == zsl->header ? NULL : update[0];
    if (x->level[0].forward)
        x->level[0].forward->backward = x;
    else
        zsl->tail = x;
    zsl->length++;
    return x;
}

static void unlinkNode(zskiplist *zsl, zskiplistNode *x, zskiplistNode **update) {
    for (int i = 0; i < zsl->level; i++) {
        if (update[i]->level[i].forward == x) {
            update[i]->level[i].span += x->level[i].span - 1;
            update[i]->level[i].forward = x->level[i].forward;
        } else {
            update[i]->level[i].span -= 1;
        }
    }
    if (x->level[0].forward)
        x->level[0].forward->backward = x->backward;
    else
        zsl->tail = x->backward;
    while (zsl->level > 1 && zsl->header->level[zsl->level - 1].forward == NULL) zsl->level--;
    zsl->length--;
}

int zslDelete(zskiplist *zsl, double score, const char *ele, size_t len, zskiplistNode **node) {
    zskiplistNode *update[ZSL_MAXLEVEL], *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && before(x->level[i].forward, score, ele, len))
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    if (x && x->score == score && zslCmpEle((const char *)x->ele, x->len, ele, len) == 0) {
        unlinkNode(zsl, x, update);
        if (node) *node = x;
        else zslFreeNode(x);
        return 1;
    }
    return 0;
}

zskiplistNode *zslUpdateScore(zskiplist *zsl, double curscore, const char *ele, size_t len, double newscore) {
    zskiplistNode *update[ZSL_MAXLEVEL], *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && before(x->level[i].forward, curscore, ele, len))
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    /* the position does not change: rewrite the score in place */
    if ((x->backward == NULL || x->backward->score < newscore) &&
        (x->level[0].forward == NULL || x->level[0].forward->score > newscore)) {
        x->score = newscore;
        return x;
    }
    unlinkNode(zsl, x, update);
    zskiplistNode *n = zslInsert(zsl, newscore, x->ele, x->len);
    zslFreeNode(x);
    return n;
}

unsigned long zslGetRank(zskiplist *zsl, double score, const char *ele, size_t len) {
    zskiplistNode *x = zsl->header;
    unsigned long rank = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward &&
               (x->level[i].forward->score < score ||
                (x->level[i].forward->score == score &&
                 zslCmpEle((const char *)x->level[i].forward->ele, x->level[i].forward->len, ele, len) <= 0))) {
            rank += x->level[i].span;
            x = x->level[i].forward;
        }
        if (x != zsl->header && x->score == score && zslCmpEle((const char *)x->ele, x->len, ele, len) == 0)
            return rank;
    }
    return 0;
}

zskiplistNode *zslGetElementByRank(zskiplist *zsl, unsigned long rank) {
    zskiplistNode *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span <= rank) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        if (traversed == rank) return x == zsl->header ? NULL : x;
    }
    return NULL;
}

int zslValueGteMin(double v, const zrangespec *r) { return r->minex ? v > r->min : v >= r->min; }
int zslValueLteMax(double v, const zrangespec *r) { return r->maxex ? v < r->max : v <= r->max; }

int zslRangeEmpty(const zrangespec *r) {
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

int zslLexGteMin(const char *e, size_t l, const zlexrangespec *r) {
    if (r->minkind == ZLEX_MINUS) return 1;
    if (r->minkind == ZLEX_PLUS) return 0;
    int c = zslCmpEle(e, l, r->min, r->minlen);
    return r->minex ? c > 0 : c >= 0;
}

int zslLexLteMax(const char *e, size_t l, const zlexrangespec *r) {
    if (r->maxkind == ZLEX_PLUS) return 1;
    if (r->maxkind == ZLEX_MINUS) return 0;
    int c = zslCmpEle(e, l, r->max, r->maxlen);
    return r->maxex ? c < 0 : c <= 0;
}

int zslLexRangeEmpty(const zlexrangespec *r) {
    if (r->minkind == ZLEX_PLUS || r->maxkind == ZLEX_MINUS) return 1;
    if (r->minkind == ZLEX_MINUS || r->maxkind == ZLEX_PLUS) return 0;
    int c = zslCmpEle(r->min, r->minlen, r->max, r->maxlen);
    return c > 0 || (c == 0 && (r->minex || r->maxex));
}

static int anyInRange(zskiplist *zsl, const zrangespec *r) {
    if (zslRangeEmpty(r) || !zsl->tail) return 0;
    return zslValueGteMin(zsl->tail->score, r) && zslValueLteMax(zsl->header->level[0].forward->score, r);
}

static int anyInLexRange(zskiplist *zsl, const zlexrangespec *r) {
    if (zslLexRangeEmpty(r) || !zsl->tail) return 0;
    zskiplistNode *h = zsl->header->level[0].forward;
    return zslLexGteMin((const char *)zsl->tail->ele, zsl->tail->len, r) && zslLexLteMax((const char *)h->ele, h->len, r);
}

zskiplistNode *zslFirstInRange(zskiplist *zsl, const zrangespec *r) {
    if (!anyInRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !zslValueGteMin(x->level[i].forward->score, r))
            x = x->level[i].forward;
    x = x->level[0].forward;
    return x && zslValueLteMax(x->score, r) ? x : NULL;
}

zskiplistNode *zslLastInRange(zskiplist *zsl, const zrangespec *r) {
    if (!anyInRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && zslValueLteMax(x->level[i].forward->score, r))
            x = x->level[i].forward;
    return x != zsl->header && zslValueGteMin(x->score, r) ? x : NULL;
}

zskiplistNode *zslFirstInLexRange(zskiplist *zsl, const zlexrangespec *r) {
    if (!anyInLexRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !zslLexGteMin((const char *)x->level[i].forward->ele, x->level[i].forward->len, r))
            x = x->level[i].forward;
    x = x->level[0].forward;
    return x && zslLexLteMax((const char *)x->ele, x->len, r) ? x : NULL;
}

zskiplistNode *zslLastInLexRange(zskiplist *zsl, const zlexrangespec *r) {
    if (!anyInLexRange(zsl, r)) return NULL;
    zskiplistNode *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && zslLexLteMax((const char *)x->level[i].forward->ele, x->level[i].forward->len, r))
            x = x->level[i].forward;
    return x != zsl->header && zslLexGteMin((const char *)x->ele, x->len, r) ? x : NULL;
}

/* remove nodes from x on while keep(x) holds; update[] is the path to x */
typedef int (*keepFn)(const zskiplistNode *x, const void *arg, unsigned long rank);

static unsigned long deleteRun(zskiplist *zsl, zskiplistNode **update, zskiplistNode *x,
                               unsigned long rank, keepFn keep, const void *arg, dict *d) {
    unsigned long removed = 0;
    while (x && keep(x, arg, rank)) {
        zskiplistNode *next = x->level[0].forward;
        const unsigned char *ele = x->ele;
        uint32_t len = x->len;
        unlinkNode(zsl, x, update);
        zslFreeNode(x);
        /* x is gone; its bytes live in the entry until this delete */
        if (d) dictDelete(d, ele, len);
        removed++;
        rank++;
        x = next;
    }
    return removed;
}

static int keepScore(const zskiplistNode *x, const void *arg, unsigned long rank) {
    (void)rank;
    return zslValueLteMax(x->score, arg);
}
static int keepLex(const zskiplistNode *x, const void *arg, unsigned long rank) {
    (void)rank;
    return zslLexLteMax((const char *)x->ele, x->len, arg);
}
static int keepRank(const zskiplistNode *x, const void *arg, unsigned long rank) {
    (void)x;
    return rank <= *(const unsigned long *)arg;
}

unsigned long zslDeleteRangeByScore(zskiplist *zsl, const zrangespec *r, dict *d) {
    zskiplistNode *update[ZSL_MAXLEVEL], *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && !zslValueGteMin(x->level[i].forward->score, r))
            x = x->level[i].forward;
        update[i] = x;
    }
    return deleteRun(zsl, update, x->level[0].forward, 0, keepScore, r, d);
}

unsigned long zslDeleteRangeByLex(zskiplist *zsl, const zlexrangespec *r, dict *d) {
    if (zslLexRangeEmpty(r)) return 0;
    zskiplistNode *update[ZSL_MAXLEVEL], *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && !zslLexGteMin((const char *)x->level[i].forward->ele, x->level[i].forward->len, r))
            x = x->level[i].forward;
        update[i] = x;
    }
    return deleteRun(zsl, update, x->level[0].forward, 0, keepLex, r, d);
}

unsigned long zslDeleteRangeByRank(zskiplist *zsl, unsigned long start, unsigned long end, dict *d) {
    zskiplistNode *update[ZSL_MAXLEVEL], *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span < start) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    return deleteRun(zsl, update, x->level[0].forward, traversed + 1, keepRank, &end, d);
}
