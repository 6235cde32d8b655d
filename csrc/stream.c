/* stream.c -- the stream value.
 *
 * Entries live in listpack nodes laid out exactly as Redis 7.0 lays out
 * its stream nodes, so RDB and DUMP write the node blobs as they are and
 * load Redis's without conversion.  Redis keys the nodes by master ID in a
 * rax; here they sit in an array sorted by master ID, searched by
 * bisection.  Appends go to the last node (or a new one at the tail) and
 * trimming removes from the head, so the array only ever shifts on
 * trimming or when a node empties.
 *
 * Node format (every number a listpack integer entry):
 *
 *   master entry: count | deleted | num-fields | field_1 ... field_N | 0
 *   each entry:   flags | ms-diff | seq-diff | [num-fields | field_1 value_1 ...
 *                 | field_N value_N]  or, with SAMEFIELDS, value_1 ... value_N
 *                 | lp-count
 *
 * count is the node's live entries, deleted its entries flagged DELETED
 * (still present).  The master fields are the fields of the entry that
 * created the node; an entry with the very same fields in the same order
 * sets SAMEFIELDS and stores values only.  ms-diff/seq-diff are relative
 * to the master ID.  lp-count (the entry's listpack elements minus
 * itself) lets a reverse walk jump from an entry's end to its flags.
 *
 * Invariants:
 *   - nodes[i].master < every entry ID of node i < nodes[i+1].master;
 *   - a node with count 0 does not exist (it is removed when it empties);
 *   - length is the sum of the counts; first_id is the lowest live ID or
 *     0-0, last_id the highest ID ever added (XSETID may raise it);
 *   - a group's PEL owns its NACKs, each NACK is also in exactly one
 *     consumer's PEL (its `consumer`); both PELs are sorted by ID;
 *   - groups and consumers are sorted by name in byte order (shorter
 *     first on a common prefix), the order Redis's rax iterates them.
 */
#include "stream.h"

#include <string.h>

#include "listpack.h"
#include "zmalloc.h"

#define NODE_PREALLOC 4096

/* --- IDs ------------------------------------------------------------------ */

int streamCompareID(const streamID *a, const streamID *b) {
    if (a->ms != b->ms) return a->ms > b->ms ? 1 : -1;
    if (a->seq != b->seq) return a->seq > b->seq ? 1 : -1;
    return 0;
}

int streamIncrID(streamID *id) {
    if (id->seq == UINT64_MAX) {
        if (id->ms == UINT64_MAX) return -1;
        id->ms++;
        id->seq = 0;
    } else {
        id->seq++;
    }
    return 0;
}

int streamDecrID(streamID *id) {
    if (id->seq == 0) {
        if (id->ms == 0) return -1;
        id->ms--;
        id->seq = UINT64_MAX;
    } else {
        id->seq--;
    }
    return 0;
}

void streamEncodeID(unsigned char *b, const streamID *id) {
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(id->ms >> (56 - 8 * i));
        b[8 + i] = (unsigned char)(id->seq >> (56 - 8 * i));
    }
}

void streamDecodeID(const unsigned char *b, streamID *id) {
    id->ms = id->seq = 0;
    for (int i = 0; i < 8; i++) {
        id->ms = (id->ms << 8) | b[i];
        id->seq = (id->seq << 8) | b[8 + i];
    }
}

/* --- listpack helpers --------------------------------------------------------- */

static int64_t lpInt(unsigned char *p) {
    uint32_t slen;
    long long v = 0;
    unsigned char *s = lpGetValue(p, &slen, &v);
    if (s != NULL) {
        /* a number stored as text (never written by us; be lenient) */
        v = 0;
        for (uint32_t i = 0; i < slen && s[i] >= '0' && s[i] <= '9'; i++) v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The node's live and deleted counts, and where its entries start. */
static unsigned char *nodeFirstEntry(unsigned char *lp, unsigned char **master_fields,
                                     int64_t *nfields) {
    unsigned char *p = lpFirst(lp);     /* count */
    p = lpNext(lp, p);                  /* deleted */
    p = lpNext(lp, p);                  /* num-fields */
    int64_t n = lpInt(p);
    p = lpNext(lp, p);
    if (master_fields) *master_fields = p;
    if (nfields) *nfields = n;
    for (int64_t i = 0; i < n; i++) p = lpNext(lp, p);
    return lpNext(lp, p);               /* past the 0 terminator */
}

/* Read the ID at the flags entry p (node master m); returns the pointer past
 * seq-diff. */
static unsigned char *entryID(unsigned char *lp, unsigned char *p, const streamID *m,
                              int64_t *flags, streamID *id) {
    *flags = lpInt(p);
    p = lpNext(lp, p);
    id->ms = m->ms + (uint64_t)lpInt(p);
    p = lpNext(lp, p);
    id->seq = m->seq + (uint64_t)lpInt(p);
    return lpNext(lp, p);
}

/* The flags entry of the entry following the one at p (flags), or NULL. */
static unsigned char *entryNext(unsigned char *lp, unsigned char *p, int64_t master_nfields) {
    int64_t flags = lpInt(p);
    p = lpNext(lp, p);
    p = lpNext(lp, p);
    p = lpNext(lp, p);
    int64_t skip;
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
        skip = master_nfields;
    } else {
        skip = lpInt(p) * 2;
        p = lpNext(lp, p);
    }
    while (skip--) p = lpNext(lp, p);
    return lpNext(lp, p);               /* past lp-count */
}

/* Master counters: add dcount to count and ddel to deleted. */
static unsigned char *nodeAdjustCounts(unsigned char *lp, int64_t dcount, int64_t ddel) {
    unsigned char *p = lpFirst(lp);
    int64_t v = lpInt(p);
    if (dcount) {
        unsigned char *n = lpReplaceInteger(lp, &p, v + dcount);
        if (n == NULL) return NULL;
        lp = n;
    }
    p = lpNext(lp, p);
    v = lpInt(p);
    if (ddel) {
        unsigned char *n = lpReplaceInteger(lp, &p, v + ddel);
        if (n == NULL) return NULL;
        lp = n;
    }
    return lp;
}

/* --- node array ------------------------------------------------------------- */

/* Index of the last node whose master <= id, or -1 */
static long nodeFind(const stream *s, const streamID *id) {
    long lo = 0, hi = (long)s->nnodes - 1, ans = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (streamCompareID(&s->nodes[mid].master, id) <= 0) {
            ans = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return ans;
}

static int nodeInsertAt(stream *s, size_t at, const streamID *master, unsigned char *lp) {
    if (s->nnodes == s->capnodes) {
        size_t cap = s->capnodes ? s->capnodes * 2 : 4;
        streamNode *n = zrealloc(s->nodes, cap * sizeof(streamNode));
        if (n == NULL) return -1;
        s->nodes = n;
        s->capnodes = cap;
    }
    memmove(s->nodes + at + 1, s->nodes + at, (s->nnodes - at) * sizeof(streamNode));
    s->nodes[at].master = *master;
    s->nodes[at].lp = lp;
    s->nnodes++;
    return 0;
}

static void nodeRemoveAt(stream *s, size_t at) {
    lpFree(s->nodes[at].lp);
    memmove(s->nodes + at, s->nodes + at + 1, (s->nnodes - at - 1) * sizeof(streamNode));
    s->nnodes--;
}

int streamAppendNode(stream *s, const streamID *master, unsigned char *lp) {
    return nodeInsertAt(s, s->nnodes, master, lp);
}

size_t streamNodeCount(const stream *s) { return s->nnodes; }

/* --- streams ------------------------------------------------------------------ */

stream *streamNew(void) {
    return zcalloc(sizeof(stream));
}

static void freeConsumer(streamConsumer *c) {
    streamPELClear(&c->pel);
    zfree(c->name);
    zfree(c);
}

static void freeCG(streamCG *cg) {
    for (size_t i = 0; i < cg->pel.len; i++) zfree(cg->pel.items[i]);
    streamPELClear(&cg->pel);
    for (size_t i = 0; i < cg->nconsumers; i++) freeConsumer(cg->consumers[i]);
    zfree(cg->consumers);
    zfree(cg->name);
    zfree(cg);
}

void streamFree(stream *s) {
    if (s == NULL) return;
    for (size_t i = 0; i < s->nnodes; i++) lpFree(s->nodes[i].lp);
    zfree(s->nodes);
    for (size_t i = 0; i < s->ncgroups; i++) freeCG(s->cgroups[i]);
    zfree(s->cgroups);
    zfree(s);
}

stream *streamDup(const stream *s) {
    stream *d = streamNew();
    if (d == NULL) return NULL;
    d->length = s->length;
    d->last_id = s->last_id;
    d->first_id = s->first_id;
    d->max_deleted_entry_id = s->max_deleted_entry_id;
    d->entries_added = s->entries_added;
    for (size_t i = 0; i < s->nnodes; i++) {
        unsigned char *lp = lpDup(s->nodes[i].lp);
        if (lp == NULL || streamAppendNode(d, &s->nodes[i].master, lp) < 0) {
            lpFree(lp);
            goto oom;
        }
    }
    for (size_t g = 0; g < s->ncgroups; g++) {
        streamCG *src = s->cgroups[g];
        int oom = 0;
        streamCG *cg = streamCreateCG(d, src->name, src->namelen, &src->last_id,
                                      src->entries_read, &oom);
        if (cg == NULL) goto oom;
        for (size_t i = 0; i < src->pel.len; i++) {
            streamNACK *n = zmalloc(sizeof(*n));
            if (n == NULL) goto oom;
            *n = *src->pel.items[i];
            n->consumer = NULL;
            if (streamPELInsert(&cg->pel, n) < 0) {
                zfree(n);
                goto oom;
            }
        }
        for (size_t i = 0; i < src->nconsumers; i++) {
            streamConsumer *sc = src->consumers[i];
            streamConsumer *c = streamCreateConsumer(cg, sc->name, sc->namelen, sc->seen_time);
            if (c == NULL) goto oom;
            for (size_t j = 0; j < sc->pel.len; j++) {
                streamNACK *n = streamPELFind(&cg->pel, &sc->pel.items[j]->id);
                n->consumer = c;
                if (streamPELInsert(&c->pel, n) < 0) goto oom;
            }
        }
    }
    return d;
oom:
    streamFree(d);
    return NULL;
}

/* Do the fields fv[0], fv[2], ... equal the node's master fields? */
static int sameFields(unsigned char *lp, const unsigned char *const *fv, const size_t *fvlen,
                      int64_t nfields) {
    unsigned char *mf;
    int64_t mn;
    unsigned char *p = lpFirst(lp);
    p = lpNext(lp, p);
    p = lpNext(lp, p);
    mn = lpInt(p);
    if (mn != nfields) return 0;
    mf = lpNext(lp, p);
    for (int64_t i = 0; i < nfields; i++) {
        if (!lpCompare(mf, fv[2 * i], (uint32_t)fvlen[2 * i])) return 0;
        mf = lpNext(lp, mf);
    }
    return 1;
}

int streamAppendItem(stream *s, const unsigned char *const *fv, const size_t *fvlen,
                     int64_t nfields, streamID *added, const streamID *use_id, int seq_given,
                     uint64_t now_ms, size_t node_max_bytes, long long node_max_entries) {
    streamID id;
    if (use_id) {
        if (seq_given) {
            id = *use_id;
        } else if (s->last_id.ms == use_id->ms) {
            if (s->last_id.seq == UINT64_MAX) return -1;
            id = s->last_id;
            id.seq++;
        } else {
            id = *use_id;
        }
    } else {
        if (now_ms > s->last_id.ms) {
            id.ms = now_ms;
            id.seq = 0;
        } else {
            id = s->last_id;
            if (streamIncrID(&id) < 0) return -1;
        }
    }
    if (streamCompareID(&id, &s->last_id) <= 0) return -1;

    /* Refuse what a listpack cannot hold (Redis's 1 GB safety limit). */
    size_t totelelen = 0;
    for (int64_t i = 0; i < nfields * 2; i++) totelelen += fvlen[i];
    if (totelelen > STREAM_LISTPACK_MAX_SIZE) return -2;

    unsigned char *lp = NULL;
    streamID master = id;
    if (s->nnodes) {
        streamNode *last = &s->nodes[s->nnodes - 1];
        lp = last->lp;
        master = last->master;
        size_t maxb = node_max_bytes;
        if (maxb == 0 || maxb > STREAM_LISTPACK_MAX_SIZE) maxb = STREAM_LISTPACK_MAX_SIZE;
        int new_node = 0;
        if (lpBytes(lp) + totelelen >= maxb) {
            new_node = 1;
        } else if (node_max_entries) {
            unsigned char *p = lpFirst(lp);
            int64_t count = lpInt(p) + lpInt(lpNext(lp, p));
            if (count >= node_max_entries) new_node = 1;
        }
        if (new_node) {
            lp = NULL;
            master = id;
        }
    }

    int flags = STREAM_ITEM_FLAG_NONE;
    unsigned char *n;
    /* every element appended is counted, so a failure can take them back */
    long appended = 0;
    int counted = 0;
#define LPCHECK(expr) do { n = (expr); if (n == NULL) goto oom; lp = n; appended++; } while (0)
    int created = 0;
    if (lp == NULL) {
        size_t prealloc = NODE_PREALLOC;
        if (node_max_bytes > 0 && node_max_bytes < prealloc) prealloc = node_max_bytes;
        lp = lpNew(prealloc);
        if (lp == NULL) return -3;
        created = 1;
        LPCHECK(lpAppendInteger(lp, 1));
        LPCHECK(lpAppendInteger(lp, 0));
        LPCHECK(lpAppendInteger(lp, nfields));
        for (int64_t i = 0; i < nfields; i++)
            LPCHECK(lpAppend(lp, fv[2 * i], (uint32_t)fvlen[2 * i]));
        LPCHECK(lpAppendInteger(lp, 0));
        flags |= STREAM_ITEM_FLAG_SAMEFIELDS;
    } else {
        n = nodeAdjustCounts(lp, 1, 0);
        if (n == NULL) return -3;
        lp = n;
        s->nodes[s->nnodes - 1].lp = lp;
        counted = 1;
        if (sameFields(lp, fv, fvlen, nfields)) flags |= STREAM_ITEM_FLAG_SAMEFIELDS;
    }
    LPCHECK(lpAppendInteger(lp, flags));
    LPCHECK(lpAppendInteger(lp, (long long)(id.ms - master.ms)));
    LPCHECK(lpAppendInteger(lp, (long long)(id.seq - master.seq)));
    if (!(flags & STREAM_ITEM_FLAG_SAMEFIELDS)) LPCHECK(lpAppendInteger(lp, nfields));
    for (int64_t i = 0; i < nfields; i++) {
        if (!(flags & STREAM_ITEM_FLAG_SAMEFIELDS))
            LPCHECK(lpAppend(lp, fv[2 * i], (uint32_t)fvlen[2 * i]));
        LPCHECK(lpAppend(lp, fv[2 * i + 1], (uint32_t)fvlen[2 * i + 1]));
    }
    int64_t lp_count = nfields + 3;
    if (!(flags & STREAM_ITEM_FLAG_SAMEFIELDS)) lp_count += nfields + 1;
    LPCHECK(lpAppendInteger(lp, lp_count));
#undef LPCHECK
    if (created) {
        if (nodeInsertAt(s, s->nnodes, &master, lp) < 0) {
            lpFree(lp);
            return -3;
        }
    } else {
        s->nodes[s->nnodes - 1].lp = lp;
    }
    s->length++;
    s->entries_added++;
    s->last_id = id;
    if (s->length == 1) s->first_id = id;
    if (added) *added = id;
    return 0;
oom:
    /* The listpack functions keep the old buffer when they fail: take back
     * the elements of the half-written entry and the count it added. */
    if (created) {
        lpFree(lp);
    } else {
        if (appended) lp = lpDeleteRange(lp, -appended, (unsigned long)appended);
        if (counted && (n = nodeAdjustCounts(lp, -1, 0)) != NULL) lp = n;
        s->nodes[s->nnodes - 1].lp = lp;
    }
    return -3;
}

/* Find the flags entry of id inside node ni; NULL if absent or deleted. */
static unsigned char *nodeFindEntry(stream *s, long ni, const streamID *id) {
    unsigned char *lp = s->nodes[ni].lp;
    int64_t mnf;
    unsigned char *p = nodeFirstEntry(lp, NULL, &mnf);
    while (p != NULL && *p != LP_EOF) {
        int64_t flags;
        streamID cur;
        entryID(lp, p, &s->nodes[ni].master, &flags, &cur);
        int cmp = streamCompareID(&cur, id);
        if (cmp == 0) return (flags & STREAM_ITEM_FLAG_DELETED) ? NULL : p;
        if (cmp > 0) return NULL;
        p = entryNext(lp, p, mnf);
    }
    return NULL;
}

int streamEntryExists(stream *s, const streamID *id) {
    long ni = nodeFind(s, id);
    return ni >= 0 && nodeFindEntry(s, ni, id) != NULL;
}

int streamDeleteItem(stream *s, const streamID *id) {
    long ni = nodeFind(s, id);
    if (ni < 0) return 0;
    unsigned char *p = nodeFindEntry(s, ni, id);
    if (p == NULL) return 0;
    unsigned char *lp = s->nodes[ni].lp;
    int64_t count = lpInt(lpFirst(lp));
    if (count == 1) {
        nodeRemoveAt(s, (size_t)ni);
    } else {
        int64_t flags = lpInt(p) | STREAM_ITEM_FLAG_DELETED;
        unsigned char *n = lpReplaceInteger(lp, &p, flags);
        if (n == NULL) return 0;
        n = nodeAdjustCounts(n, -1, 1);
        if (n == NULL) return 0;
        s->nodes[ni].lp = n;
    }
    s->length--;
    return 1;
}

int streamGetEdgeID(stream *s, int first, int skip_tombstones, streamID *id) {
    streamIterator si;
    int64_t nf;
    streamIteratorStart(&si, s, NULL, NULL, !first);
    si.skip_tombstones = skip_tombstones;
    int found = streamIteratorGetID(&si, id, &nf);
    if (!found) id->ms = id->seq = first ? UINT64_MAX : 0;
    return found;
}

/* Rax nodes Redis would use for the node keys: a rax over fixed 16-byte
 * keys is a compressed trie, one node per shared run of bytes (compressed
 * node), per branching point and per leaf (XINFO STREAM radix-tree-nodes). */
static uint64_t raxCount(const streamNode *nodes, size_t lo, size_t hi, int depth) {
    unsigned char a[16], b[16];
    if (depth == 16) return 1;
    streamEncodeID(a, &nodes[lo].master);
    streamEncodeID(b, &nodes[hi - 1].master);
    int d = depth;
    while (d < 16 && a[d] == b[d]) d++;
    if (d > depth) return 1 + raxCount(nodes, lo, hi, d);
    uint64_t total = 1;
    size_t i = lo;
    while (i < hi) {
        unsigned char ci[16], cj[16];
        streamEncodeID(ci, &nodes[i].master);
        size_t j = i + 1;
        while (j < hi) {
            streamEncodeID(cj, &nodes[j].master);
            if (cj[depth] != ci[depth]) break;
            j++;
        }
        total += raxCount(nodes, i, j, depth + 1);
        i = j;
    }
    return total;
}

uint64_t streamRaxNodes(const stream *s) {
    if (s->nnodes == 0) return 1;
    return raxCount(s->nodes, 0, s->nnodes, 0);
}

/* Last ID (live or not) stored in a node */
static void nodeLastID(streamNode *nd, streamID *id) {
    unsigned char *lp = nd->lp;
    unsigned char *p = lpLast(lp);      /* lp-count of the last entry */
    int64_t cnt = lpInt(p);
    for (int64_t i = 0; i < cnt; i++) p = lpPrev(lp, p);
    int64_t flags;
    entryID(lp, p, &nd->master, &flags, id);
}

int64_t streamTrim(stream *s, int strategy, uint64_t maxlen, const streamID *minid,
                   int approx, int64_t limit) {
    int64_t deleted = 0;
    while (s->nnodes) {
        if (strategy == 1 && s->length <= maxlen) break;
        streamNode *nd = &s->nodes[0];
        unsigned char *lp = nd->lp;
        int64_t entries = lpInt(lpFirst(lp));
        if (limit && deleted + entries > limit) break;
        int remove_node;
        if (strategy == 1) {
            remove_node = s->length - (uint64_t)entries >= maxlen;
        } else {
            streamID last;
            nodeLastID(nd, &last);
            remove_node = streamCompareID(&last, minid) < 0;
        }
        if (remove_node) {
            nodeRemoveAt(s, 0);
            s->length -= (uint64_t)entries;
            deleted += entries;
            continue;
        }
        if (approx) break;
        /* Mark entries deleted inside the node. */
        int64_t mnf, from_lp = 0;
        unsigned char *p = nodeFirstEntry(lp, NULL, &mnf);
        while (p != NULL && *p != LP_EOF) {
            int64_t flags;
            streamID cur;
            entryID(lp, p, &nd->master, &flags, &cur);
            int stop = strategy == 1 ? s->length <= maxlen : streamCompareID(&cur, minid) >= 0;
            if (stop) break;
            unsigned char *next = entryNext(lp, p, mnf);
            if (!(flags & STREAM_ITEM_FLAG_DELETED)) {
                size_t off = next ? (size_t)(next - lp) : 0;
                unsigned char *n = lpReplaceInteger(lp, &p, flags | STREAM_ITEM_FLAG_DELETED);
                if (n == NULL) break;
                lp = n;
                next = off ? lp + off : NULL;
                from_lp++;
                s->length--;
            }
            p = next;
        }
        deleted += from_lp;
        if (from_lp) {
            unsigned char *n = nodeAdjustCounts(lp, -from_lp, from_lp);
            if (n) lp = n;
        }
        nd->lp = lp;
        break;
    }
    if (deleted) {
        if (s->length) streamGetEdgeID(s, 1, 1, &s->first_id);
        else s->first_id.ms = s->first_id.seq = 0;
    }
    return deleted;
}

/* --- iteration --------------------------------------------------------------- */

void streamIteratorStart(streamIterator *si, stream *s, const streamID *start,
                         const streamID *end, int rev) {
    memset(si, 0, sizeof(*si));
    si->s = s;
    if (start) si->start = *start;
    else si->start.ms = si->start.seq = 0;
    if (end) si->end = *end;
    else si->end.ms = si->end.seq = UINT64_MAX;
    si->rev = rev;
    si->skip_tombstones = 1;
    if (s->nnodes == 0) {
        si->node = -1;
        return;
    }
    if (!rev) {
        long ni = nodeFind(s, &si->start);
        si->node = ni < 0 ? 0 : ni;
    } else {
        si->node = nodeFind(s, &si->end);   /* -1: everything is after end */
    }
    si->in_node = 0;
}

static void enterNode(streamIterator *si) {
    streamNode *nd = &si->s->nodes[si->node];
    si->lp = nd->lp;
    si->master = nd->master;
    si->first_entry = nodeFirstEntry(si->lp, &si->master_fields, &si->master_nfields);
    if (!si->rev) {
        si->p = si->first_entry;
    } else {
        si->p = lpLast(si->lp);
    }
    si->in_node = 1;
}

int streamIteratorGetID(streamIterator *si, streamID *id, int64_t *numfields) {
    while (si->node >= 0 && (size_t)si->node < si->s->nnodes) {
        if (!si->in_node) enterNode(si);
        unsigned char *lp = si->lp;
        while (si->p != NULL && *si->p != LP_EOF) {
            unsigned char *flagsp;
            if (!si->rev) {
                flagsp = si->p;
                si->p = entryNext(lp, flagsp, si->master_nfields);
            } else {
                /* p is an entry's lp-count; step back to its flags */
                if (si->p < si->first_entry) {
                    si->p = NULL;
                    break;
                }
                int64_t cnt = lpInt(si->p);
                flagsp = si->p;
                for (int64_t i = 0; i < cnt; i++) flagsp = lpPrev(lp, flagsp);
                si->p = flagsp == si->first_entry ? NULL : lpPrev(lp, flagsp);
            }
            int64_t flags;
            unsigned char *q = entryID(lp, flagsp, &si->master, &flags, id);
            if ((flags & STREAM_ITEM_FLAG_DELETED) && si->skip_tombstones) continue;
            if (!si->rev) {
                if (streamCompareID(id, &si->end) > 0) {
                    si->node = -1;
                    return 0;
                }
                if (streamCompareID(id, &si->start) < 0) continue;
            } else {
                if (streamCompareID(id, &si->start) < 0) {
                    si->node = -1;
                    return 0;
                }
                if (streamCompareID(id, &si->end) > 0) continue;
            }
            si->flags = flags;
            if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
                *numfields = si->master_nfields;
                si->fp = si->master_fields;
                si->vp = q;
            } else {
                *numfields = lpInt(q);
                si->fp = lpNext(lp, q);
                si->vp = NULL;
            }
            return 1;
        }
        si->in_node = 0;
        si->node += si->rev ? -1 : 1;
    }
    si->node = -1;
    return 0;
}

void streamIteratorGetField(streamIterator *si, const unsigned char **f, uint32_t *flen,
                            const unsigned char **v, uint32_t *vlen) {
    unsigned char *lp = si->lp;
    if (si->flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
        *f = lpGet(si->fp, flen, si->fbuf);
        *v = lpGet(si->vp, vlen, si->vbuf);
        si->fp = lpNext(lp, si->fp);
        si->vp = lpNext(lp, si->vp);
    } else {
        *f = lpGet(si->fp, flen, si->fbuf);
        unsigned char *vp = lpNext(lp, si->fp);
        *v = lpGet(vp, vlen, si->vbuf);
        si->fp = lpNext(lp, vp);
    }
}

/* --- PELs ---------------------------------------------------------------------- */

size_t streamPELSeek(const streamPEL *pel, const streamID *id) {
    size_t lo = 0, hi = pel->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (streamCompareID(&pel->items[mid]->id, id) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

streamNACK *streamPELFind(const streamPEL *pel, const streamID *id) {
    size_t i = streamPELSeek(pel, id);
    if (i < pel->len && streamCompareID(&pel->items[i]->id, id) == 0) return pel->items[i];
    return NULL;
}

int streamPELInsert(streamPEL *pel, streamNACK *n) {
    size_t i = streamPELSeek(pel, &n->id);
    if (i < pel->len && streamCompareID(&pel->items[i]->id, &n->id) == 0) return -1;
    if (pel->len == pel->cap) {
        size_t cap = pel->cap ? pel->cap * 2 : 4;
        streamNACK **it = zrealloc(pel->items, cap * sizeof(*it));
        if (it == NULL) return -1;
        pel->items = it;
        pel->cap = cap;
    }
    memmove(pel->items + i + 1, pel->items + i, (pel->len - i) * sizeof(*pel->items));
    pel->items[i] = n;
    pel->len++;
    return 0;
}

int streamPELRemove(streamPEL *pel, const streamID *id) {
    size_t i = streamPELSeek(pel, id);
    if (i >= pel->len || streamCompareID(&pel->items[i]->id, id) != 0) return 0;
    memmove(pel->items + i, pel->items + i + 1, (pel->len - i - 1) * sizeof(*pel->items));
    pel->len--;
    return 1;
}

void streamPELClear(streamPEL *pel) {
    zfree(pel->items);
    pel->items = NULL;
    pel->len = pel->cap = 0;
}

streamNACK *streamCreateNACK(streamConsumer *c, const streamID *id, int64_t now_ms) {
    streamNACK *n = zmalloc(sizeof(*n));
    if (n == NULL) return NULL;
    n->id = *id;
    n->delivery_time = now_ms;
    n->delivery_count = 1;
    n->consumer = c;
    return n;
}

void streamFreeNACKFromGroup(streamCG *cg, streamNACK *n) {
    streamID id = n->id;
    if (n->consumer) streamPELRemove(&n->consumer->pel, &id);
    streamPELRemove(&cg->pel, &id);
    zfree(n);
}

/* --- groups and consumers --------------------------------------------------------- */

static int nameCmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl) {
    size_t m = al < bl ? al : bl;
    int c = m ? memcmp(a, b, m) : 0;
    if (c) return c;
    return al < bl ? -1 : (al > bl ? 1 : 0);
}

/* Bisection over an array of structs whose name/namelen come first. */
#define NAME_SEEK(arr, n, key_, keylen_, out_idx, out_found) do { \
    size_t lo_ = 0, hi_ = (n); \
    while (lo_ < hi_) { \
        size_t mid_ = lo_ + (hi_ - lo_) / 2; \
        if (nameCmp((arr)[mid_]->name, (arr)[mid_]->namelen, key_, keylen_) < 0) lo_ = mid_ + 1; \
        else hi_ = mid_; \
    } \
    out_idx = lo_; \
    out_found = lo_ < (n) && nameCmp((arr)[lo_]->name, (arr)[lo_]->namelen, key_, keylen_) == 0; \
} while (0)

streamCG *streamLookupCG(stream *s, const unsigned char *name, size_t len) {
    size_t i;
    int found;
    NAME_SEEK(s->cgroups, s->ncgroups, name, len, i, found);
    return found ? s->cgroups[i] : NULL;
}

static unsigned char *copyName(const unsigned char *name, size_t len) {
    unsigned char *p = zmalloc(len ? len : 1);
    if (p && len) memcpy(p, name, len);
    return p;
}

streamCG *streamCreateCG(stream *s, const unsigned char *name, size_t len,
                         const streamID *id, long long entries_read, int *oom) {
    size_t i;
    int found;
    *oom = 0;
    NAME_SEEK(s->cgroups, s->ncgroups, name, len, i, found);
    if (found) return NULL;
    if (s->ncgroups == s->capcgroups) {
        size_t cap = s->capcgroups ? s->capcgroups * 2 : 2;
        streamCG **g = zrealloc(s->cgroups, cap * sizeof(*g));
        if (g == NULL) goto oom;
        s->cgroups = g;
        s->capcgroups = cap;
    }
    streamCG *cg = zcalloc(sizeof(*cg));
    if (cg == NULL) goto oom;
    cg->name = copyName(name, len);
    if (cg->name == NULL) {
        zfree(cg);
        goto oom;
    }
    cg->namelen = len;
    cg->last_id = *id;
    cg->entries_read = entries_read;
    memmove(s->cgroups + i + 1, s->cgroups + i, (s->ncgroups - i) * sizeof(*s->cgroups));
    s->cgroups[i] = cg;
    s->ncgroups++;
    return cg;
oom:
    *oom = 1;
    return NULL;
}

int streamDestroyCG(stream *s, const unsigned char *name, size_t len) {
    size_t i;
    int found;
    NAME_SEEK(s->cgroups, s->ncgroups, name, len, i, found);
    if (!found) return 0;
    freeCG(s->cgroups[i]);
    memmove(s->cgroups + i, s->cgroups + i + 1, (s->ncgroups - i - 1) * sizeof(*s->cgroups));
    s->ncgroups--;
    return 1;
}

streamConsumer *streamLookupConsumer(streamCG *cg, const unsigned char *name, size_t len) {
    size_t i;
    int found;
    NAME_SEEK(cg->consumers, cg->nconsumers, name, len, i, found);
    return found ? cg->consumers[i] : NULL;
}

streamConsumer *streamCreateConsumer(streamCG *cg, const unsigned char *name, size_t len,
                                     int64_t now_ms) {
    size_t i;
    int found;
    NAME_SEEK(cg->consumers, cg->nconsumers, name, len, i, found);
    if (found) return NULL;
    if (cg->nconsumers == cg->capconsumers) {
        size_t cap = cg->capconsumers ? cg->capconsumers * 2 : 2;
        streamConsumer **a = zrealloc(cg->consumers, cap * sizeof(*a));
        if (a == NULL) return NULL;
        cg->consumers = a;
        cg->capconsumers = cap;
    }
    streamConsumer *c = zcalloc(sizeof(*c));
    if (c == NULL) return NULL;
    c->name = copyName(name, len);
    if (c->name == NULL) {
        zfree(c);
        return NULL;
    }
    c->namelen = len;
    c->seen_time = now_ms;
    memmove(cg->consumers + i + 1, cg->consumers + i, (cg->nconsumers - i) * sizeof(*cg->consumers));
    cg->consumers[i] = c;
    cg->nconsumers++;
    return c;
}

long long streamDelConsumer(streamCG *cg, streamConsumer *c) {
    long long pending = (long long)c->pel.len;
    for (size_t i = 0; i < c->pel.len; i++) {
        streamNACK *n = c->pel.items[i];
        streamPELRemove(&cg->pel, &n->id);
        zfree(n);
    }
    size_t i;
    int found;
    NAME_SEEK(cg->consumers, cg->nconsumers, c->name, c->namelen, i, found);
    if (found) {
        memmove(cg->consumers + i, cg->consumers + i + 1,
                (cg->nconsumers - i - 1) * sizeof(*cg->consumers));
        cg->nconsumers--;
    }
    freeConsumer(c);
    return pending;
}

/* --- logical read counters (lag) --------------------------------------------------- */

static int idIsZero(const streamID *id) { return id->ms == 0 && id->seq == 0; }

int streamRangeHasTombstones(stream *s, const streamID *start, const streamID *end) {
    streamID a = {0, 0}, b = {UINT64_MAX, UINT64_MAX};
    if (!s->length || idIsZero(&s->max_deleted_entry_id)) return 0;
    if (start) a = *start;
    if (end) b = *end;
    return streamCompareID(&a, &s->max_deleted_entry_id) <= 0 &&
           streamCompareID(&s->max_deleted_entry_id, &b) <= 0;
}

long long streamEstimateDistanceFromFirstEverEntry(stream *s, const streamID *id) {
    if (!s->entries_added) return 0;
    if (!s->length && streamCompareID(id, &s->last_id) < 1) return (long long)s->entries_added;
    int cmp_last = streamCompareID(id, &s->last_id);
    if (cmp_last == 0) return (long long)s->entries_added;
    if (cmp_last > 0) return SCG_INVALID_ENTRIES_READ;
    int cmp_id_first = streamCompareID(id, &s->first_id);
    int cmp_xdel_first = streamCompareID(&s->max_deleted_entry_id, &s->first_id);
    if (idIsZero(&s->max_deleted_entry_id) || cmp_xdel_first < 0) {
        if (cmp_id_first < 0) return (long long)(s->entries_added - s->length);
        if (cmp_id_first == 0) return (long long)(s->entries_added - s->length + 1);
    }
    return SCG_INVALID_ENTRIES_READ;
}

/* --- validation of loaded nodes ------------------------------------------------------ */

static int lpIntChecked(unsigned char *p, int64_t *v) {
    uint32_t slen;
    long long ll;
    if (p == NULL || lpGetValue(p, &slen, &ll) != NULL) return 0;
    *v = ll;
    return 1;
}

int streamValidateNode(unsigned char *lp, size_t size, const streamID *master,
                       streamID *last, int64_t *live) {
    int64_t count, deleted, nfields, v;
    if (!lpValidateIntegrity(lp, size, 1)) return 0;
    unsigned char *p = lpFirst(lp);
    if (!lpIntChecked(p, &count) || count <= 0) return 0;
    p = lpNext(lp, p);
    if (!lpIntChecked(p, &deleted) || deleted < 0) return 0;
    p = lpNext(lp, p);
    if (!lpIntChecked(p, &nfields) || nfields < 0) return 0;
    for (int64_t i = 0; i < nfields; i++) {
        p = lpNext(lp, p);
        if (p == NULL) return 0;
    }
    p = lpNext(lp, p);
    if (!lpIntChecked(p, &v) || v != 0) return 0;
    p = lpNext(lp, p);
    int64_t seen_live = 0, seen_deleted = 0;
    int have_prev = 0;
    streamID prev = {0, 0};
    if (p == NULL) return 0;
    while (p != NULL) {
        int64_t flags, msd, seqd, n, lpcount, expect;
        if (!lpIntChecked(p, &flags) || flags < 0 || flags > 3) return 0;
        p = lpNext(lp, p);
        if (!lpIntChecked(p, &msd)) return 0;
        p = lpNext(lp, p);
        if (!lpIntChecked(p, &seqd)) return 0;
        streamID id = {master->ms + (uint64_t)msd, master->seq + (uint64_t)seqd};
        if (streamCompareID(&id, master) < 0) return 0;
        if (have_prev && streamCompareID(&id, &prev) <= 0) return 0;
        prev = id;
        have_prev = 1;
        if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
            n = nfields;
            expect = nfields + 3;
        } else {
            p = lpNext(lp, p);
            if (!lpIntChecked(p, &n) || n < 0) return 0;
            n *= 2;
            expect = n + 4;
        }
        for (int64_t i = 0; i < n; i++) {
            p = lpNext(lp, p);
            if (p == NULL) return 0;
        }
        p = lpNext(lp, p);
        if (!lpIntChecked(p, &lpcount) || lpcount != expect) return 0;
        if (flags & STREAM_ITEM_FLAG_DELETED) seen_deleted++;
        else seen_live++;
        p = lpNext(lp, p);
    }
    if (seen_live != count || seen_deleted != deleted) return 0;
    *last = prev;
    *live = count;
    return 1;
}
