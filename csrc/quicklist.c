/* quicklist.c -- list values as a doubly linked list of listpacks.
 *
 *     quicklist { head, tail, count, len, fill }
 *        |
 *        v
 *     [node: lp, sz, count] <-> [node] <-> ... <-> [node]
 *
 * Each node owns one listpack (csrc/listpack.c) holding a run of the
 * list's elements.  A small list is one node, i.e. one allocation plus the
 * two headers; a long one costs a node header per few KB of elements, and
 * pushes and pops at either end touch only the end node: O(1) apart from
 * the memmove inside that node's listpack.
 *
 * Node capacity follows list-max-listpack-size (`fill`), as in Redis 7.0:
 *   fill < 0  (-1..-5): a node's listpack stays within 4, 8, 16, 32 or
 *             64 KB, estimated as current bytes + new element length + 8;
 *   fill > 0: at most `fill` entries per node, and still at most 8 KB.
 * A node always accepts its first element, so an element larger than the
 * limit gets a node of its own.  Node entry counts stay below 65536.
 *
 * Inserting into a full node in the middle splits it at the insertion
 * point.  Deletions drop nodes that become empty; adjacent half-empty nodes
 * are not merged (Redis merges on insert only; the small waste is bounded
 * by the number of nodes touched).
 *
 * list-compress-depth is stored but not applied: nodes are never LZF
 * compressed, so deep lists use more memory than Redis's with compression
 * enabled (it is off by default in both).
 *
 * Invariants: no node is empty; ql->count is the sum of node counts and
 * ql->len the number of nodes; node->sz == lpBytes(node->lp) and
 * node->count == lpLength(node->lp).
 */
#include "quicklist.h"
#include "zmalloc.h"

#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "util.h"

#define SIZE_SAFETY_LIMIT 8192
#define SIZE_ESTIMATE_OVERHEAD 8
#define NODE_COUNT_MAX 65535

static const size_t size_classes[] = {4096, 8192, 16384, 32768, 65536};

static int exceeds_limit(int fill, size_t new_sz, unsigned long new_count) {
    size_t size_limit;
    unsigned long count_limit;
    if (fill >= 0) {
        size_limit = SIZE_SAFETY_LIMIT;
        count_limit = fill == 0 ? 1 : (unsigned long)fill;
    } else {
        int idx = -fill - 1;
        if (idx > 4) idx = 4;
        size_limit = size_classes[idx];
        count_limit = NODE_COUNT_MAX;
    }
    if (count_limit > NODE_COUNT_MAX) count_limit = NODE_COUNT_MAX;
    return new_sz > size_limit || new_count > count_limit;
}

static int node_allows(const quicklist *ql, const quicklistNode *n, size_t len) {
    if (!n) return 0;
    return !exceeds_limit(ql->fill, (size_t)n->sz + len + SIZE_ESTIMATE_OVERHEAD, (unsigned long)n->count + 1);
}

static quicklistNode *node_new(void) {
    quicklistNode *n = zcalloc(1 * sizeof(*n));
    if (!n) return NULL;
    n->lp = lpNew(0);
    if (!n->lp) {
        zfree(n);
        return NULL;
    }
    n->sz = (uint32_t)lpBytes(n->lp);
    return n;
}

static void node_free(quicklistNode *n) {
    lpFree(n->lp);
    zfree(n);
}

static inline void node_update(quicklistNode *n) {
    n->sz = (uint32_t)lpBytes(n->lp);
}

/* Links n after `at` (at == NULL: as the new head). */
static void link_after(quicklist *ql, quicklistNode *at, quicklistNode *n) {
    n->prev = at;
    if (at) {
        n->next = at->next;
        if (at->next) at->next->prev = n;
        at->next = n;
        if (ql->tail == at) ql->tail = n;
    } else {
        n->next = ql->head;
        if (ql->head) ql->head->prev = n;
        ql->head = n;
        if (!ql->tail) ql->tail = n;
    }
    ql->len++;
}

static void link_before(quicklist *ql, quicklistNode *at, quicklistNode *n) {
    if (at && at->prev) link_after(ql, at->prev, n);
    else link_after(ql, NULL, n);
}

static void unlink_node(quicklist *ql, quicklistNode *n) {
    if (n->prev) n->prev->next = n->next;
    else ql->head = n->next;
    if (n->next) n->next->prev = n->prev;
    else ql->tail = n->prev;
    ql->len--;
    ql->count -= n->count;
    node_free(n);
}

quicklist *quicklistCreate(int fill, int compress) {
    quicklist *ql = zcalloc(1 * sizeof(*ql));
    if (!ql) return NULL;
    ql->fill = fill;
    ql->compress = compress;
    return ql;
}

void quicklistRelease(quicklist *ql) {
    quicklistNode *n = ql->head;
    while (n) {
        quicklistNode *next = n->next;
        node_free(n);
        n = next;
    }
    zfree(ql);
}

quicklist *quicklistDup(const quicklist *ql) {
    quicklist *c = quicklistCreate(ql->fill, ql->compress);
    if (!c) return NULL;
    for (quicklistNode *n = ql->head; n; n = n->next) {
        quicklistNode *d = zmalloc(sizeof(*d));
        unsigned char *lp = d ? lpDup(n->lp) : NULL;
        if (!lp) {
            zfree(d);
            quicklistRelease(c);
            return NULL;
        }
        d->lp = lp;
        d->sz = n->sz;
        d->count = n->count;
        link_after(c, c->tail, d);
        c->count += n->count;
    }
    return c;
}

size_t quicklistAllocSize(const quicklist *ql) {
    size_t total = sizeof(*ql);
    for (quicklistNode *n = ql->head; n; n = n->next) total += sizeof(*n) + n->sz;
    return total;
}

int quicklistAppendListpack(quicklist *ql, unsigned char *lp) {
    quicklistNode *n = zcalloc(1 * sizeof(*n));
    if (!n) return 0;
    n->lp = lp;
    n->count = (uint32_t)lpLength(lp);
    node_update(n);
    link_after(ql, ql->tail, n);
    ql->count += n->count;
    return 1;
}

static int node_add(quicklistNode *n, const void *s, size_t len, int tail) {
    unsigned char *lp = tail ? lpAppend(n->lp, s, (uint32_t)len) : lpPrepend(n->lp, s, (uint32_t)len);
    if (!lp) return 0;
    n->lp = lp;
    n->count++;
    node_update(n);
    return 1;
}

int quicklistPush(quicklist *ql, const void *s, size_t len, int where) {
    quicklistNode *n = where == QUICKLIST_HEAD ? ql->head : ql->tail;
    if (!node_allows(ql, n, len)) {
        quicklistNode *fresh = node_new();
        if (!fresh) return 0;
        if (!node_add(fresh, s, len, 1)) {
            node_free(fresh);
            return 0;
        }
        if (where == QUICKLIST_HEAD) link_after(ql, NULL, fresh);
        else link_after(ql, ql->tail, fresh);
        ql->count++;
        return 1;
    }
    if (!node_add(n, s, len, where == QUICKLIST_TAIL)) return 0;
    ql->count++;
    return 1;
}

static void fill_value(quicklistEntry *e) {
    uint32_t sl = 0;
    long long v = 0;
    e->s = lpGetValue(e->p, &sl, &v);
    e->sz = sl;
    e->lval = v;
}

int quicklistPeek(quicklist *ql, int where, quicklistEntry *e) {
    quicklistNode *n = where == QUICKLIST_HEAD ? ql->head : ql->tail;
    if (!n) return 0;
    e->node = n;
    e->p = where == QUICKLIST_HEAD ? lpFirst(n->lp) : lpLast(n->lp);
    fill_value(e);
    return 1;
}

/* Deletes the entry at p of node n, dropping the node if it empties.
 * Returns 1 if the node was dropped. */
static int node_delete(quicklist *ql, quicklistNode *n, unsigned char *p) {
    if (n->count == 1) {
        unlink_node(ql, n);
        return 1;
    }
    n->lp = lpDelete(n->lp, p, NULL);
    n->count--;
    node_update(n);
    ql->count--;
    return 0;
}

void quicklistPopDiscard(quicklist *ql, int where) {
    quicklistNode *n = where == QUICKLIST_HEAD ? ql->head : ql->tail;
    if (!n) return;
    node_delete(ql, n, where == QUICKLIST_HEAD ? lpFirst(n->lp) : lpLast(n->lp));
}

/* Finds the node holding index (already normalised to 0..count-1) and the
 * offset inside it, walking from the nearer end. */
static quicklistNode *locate(quicklist *ql, unsigned long index, unsigned long *offset) {
    quicklistNode *n;
    if (index < ql->count / 2) {
        unsigned long acc = 0;
        for (n = ql->head; n; n = n->next) {
            if (index < acc + n->count) {
                *offset = index - acc;
                return n;
            }
            acc += n->count;
        }
    } else {
        unsigned long from_tail = ql->count - 1 - index, acc = 0;
        for (n = ql->tail; n; n = n->prev) {
            if (from_tail < acc + n->count) {
                *offset = n->count - 1 - (from_tail - acc);
                return n;
            }
            acc += n->count;
        }
    }
    return NULL;
}

static int normalise(const quicklist *ql, long index, unsigned long *out) {
    if (index < 0) index += (long)ql->count;
    if (index < 0 || (unsigned long)index >= ql->count) return 0;
    *out = (unsigned long)index;
    return 1;
}

int quicklistIndex(quicklist *ql, long index, quicklistEntry *e) {
    unsigned long i, off;
    if (!normalise(ql, index, &i)) return 0;
    quicklistNode *n = locate(ql, i, &off);
    e->node = n;
    e->p = lpSeek(n->lp, (long)off);
    fill_value(e);
    return 1;
}

int quicklistReplaceEntry(quicklist *ql, quicklistEntry *e, const void *s, size_t len) {
    (void)ql;
    unsigned char *p = e->p;
    unsigned char *lp = lpReplace(e->node->lp, &p, s, (uint32_t)len);
    if (!lp) return 0;
    e->node->lp = lp;
    e->p = p;
    node_update(e->node);
    fill_value(e);
    return 1;
}

/* Moves the entries of n from byte position p onwards into a new node
 * linked right after n. */
static quicklistNode *split_at(quicklist *ql, quicklistNode *n, unsigned char *p) {
    quicklistNode *tailn = node_new();
    if (!tailn) return NULL;
    size_t off = p - n->lp;
    unsigned long moved = 0;
    for (unsigned char *q = p; q; q = lpNext(n->lp, q)) {
        uint32_t sl;
        unsigned char buf[LP_INTBUF_SIZE];
        unsigned char *s = lpGet(q, &sl, buf);
        unsigned char *lp = lpAppend(tailn->lp, s, sl);
        if (!lp) {
            node_free(tailn);
            return NULL;
        }
        tailn->lp = lp;
        moved++;
    }
    unsigned char *first = n->lp + off;
    n->lp = lpDeleteRangeWithEntry(n->lp, &first, moved);
    n->count -= (uint32_t)moved;
    node_update(n);
    tailn->count = (uint32_t)moved;
    node_update(tailn);
    link_after(ql, n, tailn);
    return tailn;
}

static int insert_generic(quicklist *ql, quicklistEntry *e, const void *s, size_t len, int after) {
    quicklistNode *n = e->node;
    if (node_allows(ql, n, len)) {
        unsigned char *lp = lpInsertString(n->lp, s, (uint32_t)len, e->p, after ? LP_AFTER : LP_BEFORE, NULL);
        if (!lp) return 0;
        n->lp = lp;
        n->count++;
        node_update(n);
        ql->count++;
        return 1;
    }
    int at_tail = after && lpNext(n->lp, e->p) == NULL;
    int at_head = !after && lpPrev(n->lp, e->p) == NULL;
    if (at_tail && node_allows(ql, n->next, len)) {
        if (!node_add(n->next, s, len, 0)) return 0;
        ql->count++;
        return 1;
    }
    if (at_head && node_allows(ql, n->prev, len)) {
        if (!node_add(n->prev, s, len, 1)) return 0;
        ql->count++;
        return 1;
    }
    if (!at_tail && !at_head) {
        unsigned char *cut = after ? lpNext(n->lp, e->p) : e->p;
        if (!split_at(ql, n, cut)) return 0;
        if (node_allows(ql, n, len)) {
            if (!node_add(n, s, len, 1)) return 0;
            ql->count++;
            return 1;
        }
        at_tail = 1; /* goes into a node of its own between the halves */
        after = 1;
    }
    quicklistNode *fresh = node_new();
    if (!fresh) return 0;
    if (!node_add(fresh, s, len, 1)) {
        node_free(fresh);
        return 0;
    }
    if (after) link_after(ql, n, fresh);
    else link_before(ql, n, fresh);
    ql->count++;
    return 1;
}

int quicklistInsertBefore(quicklist *ql, quicklistEntry *e, const void *s, size_t len) {
    return insert_generic(ql, e, s, len, 0);
}

int quicklistInsertAfter(quicklist *ql, quicklistEntry *e, const void *s, size_t len) {
    return insert_generic(ql, e, s, len, 1);
}

unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count) {
    unsigned long i, off;
    if (count == 0 || !normalise(ql, start, &i)) return 0;
    if (count > ql->count - i) count = ql->count - i;
    unsigned long left = count;
    quicklistNode *n = locate(ql, i, &off);
    while (left && n) {
        quicklistNode *next = n->next;
        unsigned long take = n->count - off;
        if (take > left) take = left;
        if (take == n->count) {
            unlink_node(ql, n);
        } else {
            n->lp = lpDeleteRange(n->lp, (long)off, take);
            n->count -= (uint32_t)take;
            node_update(n);
            ql->count -= take;
        }
        left -= take;
        off = 0;
        n = next;
    }
    return count;
}

void quicklistIterAt(quicklist *ql, long index, int direction, quicklistIter *it) {
    unsigned long i, off;
    it->ql = ql;
    it->direction = direction;
    it->node = NULL;
    it->p = NULL;
    if (!normalise(ql, index, &i)) return;
    it->node = locate(ql, i, &off);
    it->p = lpSeek(it->node->lp, (long)off);
}

int quicklistNext(quicklistIter *it, quicklistEntry *e) {
    if (!it->node) return 0;
    e->node = it->node;
    e->p = it->p;
    fill_value(e);
    if (it->direction == QL_FORWARD) {
        it->p = lpNext(it->node->lp, it->p);
        if (!it->p) {
            it->node = it->node->next;
            if (it->node) it->p = lpFirst(it->node->lp);
        }
    } else {
        it->p = lpPrev(it->node->lp, it->p);
        if (!it->p) {
            it->node = it->node->prev;
            if (it->node) it->p = lpLast(it->node->lp);
        }
    }
    return 1;
}

void quicklistDelEntry(quicklistIter *it, quicklistEntry *e) {
    quicklistNode *n = e->node;
    quicklistNode *prev = n->prev, *next = n->next;
    size_t off = e->p - n->lp;
    int first_in_node = off == LP_HDR_SIZE;
    if (node_delete(it->ql, n, e->p)) {
        if (it->direction == QL_FORWARD) {
            it->node = next;
            it->p = next ? lpFirst(next->lp) : NULL;
        } else {
            it->node = prev;
            it->p = prev ? lpLast(prev->lp) : NULL;
        }
        return;
    }
    unsigned char *at = n->lp + off; /* the entry that followed, or EOF */
    if (it->direction == QL_FORWARD) {
        if (*at != LP_EOF) {
            it->node = n;
            it->p = at;
        } else {
            it->node = next;
            it->p = next ? lpFirst(next->lp) : NULL;
        }
    } else {
        if (!first_in_node) {
            it->node = n;
            it->p = lpPrev(n->lp, at);
        } else {
            it->node = prev;
            it->p = prev ? lpLast(prev->lp) : NULL;
        }
    }
}

int quicklistEntryEquals(const quicklistEntry *e, const void *s, size_t len) {
    if (e->s) return e->sz == len && (len == 0 || memcmp(e->s, s, len) == 0);
    long long v;
    return len > 0 && len <= 20 && string2ll(s, len, &v) && v == e->lval;
}
