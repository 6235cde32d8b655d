/* stream.h -- the stream value: entries in Redis-format listpack nodes,
 * consumer groups, consumers and pending entries lists (see stream.c for
 * the design and the node format). */
#ifndef PYREDIS_STREAM_H
#define PYREDIS_STREAM_H

#include <stddef.h>
#include <stdint.h>

typedef struct streamID {
    uint64_t ms;
    uint64_t seq;
} streamID;

/* Entry flags stored in each node entry (Redis's values) */
#define STREAM_ITEM_FLAG_NONE 0
#define STREAM_ITEM_FLAG_DELETED (1 << 0)
#define STREAM_ITEM_FLAG_SAMEFIELDS (1 << 1)

/* A group whose entries-read counter is unknown */
#define SCG_INVALID_ENTRIES_READ -1
/* Largest listpack a node may grow to, whatever stream-node-max-bytes says */
#define STREAM_LISTPACK_MAX_SIZE (1 << 30)

typedef struct streamNode {
    streamID master;              /* the node's key: its first entry's ID */
    unsigned char *lp;
} streamNode;

struct streamConsumer;

typedef struct streamNACK {
    streamID id;
    int64_t delivery_time;        /* unix ms of the last delivery */
    uint64_t delivery_count;
    struct streamConsumer *consumer;
} streamNACK;

/* A sorted (by ID) array of NACK pointers */
typedef struct streamPEL {
    streamNACK **items;
    size_t len, cap;
} streamPEL;

typedef struct streamConsumer {
    unsigned char *name;
    size_t namelen;
    int64_t seen_time;            /* unix ms of the last interaction */
    streamPEL pel;                /* references; the group's PEL owns them */
} streamConsumer;

typedef struct streamCG {
    unsigned char *name;
    size_t namelen;
    streamID last_id;
    long long entries_read;
    streamPEL pel;                /* owns the NACKs */
    streamConsumer **consumers;   /* sorted by name (byte order) */
    size_t nconsumers, capconsumers;
} streamCG;

typedef struct stream {
    streamNode *nodes;            /* sorted by master ID */
    size_t nnodes, capnodes;
    uint64_t length;              /* live entries */
    streamID last_id;
    streamID first_id;            /* 0-0 when empty */
    streamID max_deleted_entry_id;
    uint64_t entries_added;
    streamCG **cgroups;           /* sorted by name; NULL when none ever */
    size_t ncgroups, capcgroups;
} stream;

typedef struct streamIterator {
    stream *s;
    streamID start, end;
    int rev;
    int skip_tombstones;          /* 1 unless the caller asks for deleted entries too */
    long node;                    /* index of the current node, -1: done */
    int in_node;                  /* positioned inside nodes[node] */
    streamID master;
    unsigned char *lp;
    unsigned char *first_entry;   /* flags of the node's first entry */
    unsigned char *master_fields; /* first master field */
    int64_t master_nfields;
    unsigned char *p;             /* forward: next flags; rev: current lp-count */
    /* the entry returned by the last GetID */
    int64_t flags;
    unsigned char *fp;            /* field cursor (or master field cursor) */
    unsigned char *vp;            /* value cursor */
    unsigned char fbuf[24], vbuf[24];
} streamIterator;

/* IDs */
int streamCompareID(const streamID *a, const streamID *b);
int streamIncrID(streamID *id);          /* 0 ok, -1 already the maximum */
int streamDecrID(streamID *id);          /* 0 ok, -1 already 0-0 */
void streamEncodeID(unsigned char *buf16, const streamID *id);  /* big endian */
void streamDecodeID(const unsigned char *buf16, streamID *id);

/* Streams */
stream *streamNew(void);
void streamFree(stream *s);
stream *streamDup(const stream *s);
/* Append an entry of nfields field,value pairs (fv[2i], fv[2i+1]).
 * use_id NULL: generate from now_ms; seq_given 0: use_id->ms with the next
 * free sequence.  Returns 0, -1 (ID not greater than the top item, EDOM in
 * Redis), -2 (too large for a node), -3 out of memory. */
int streamAppendItem(stream *s, const unsigned char *const *fv, const size_t *fvlen,
                     int64_t nfields, streamID *added, const streamID *use_id, int seq_given,
                     uint64_t now_ms, size_t node_max_bytes, long long node_max_entries);
/* Mark one entry deleted; 1 when it existed.  Updates length but not
 * first_id / max_deleted_entry_id (the caller's, as XDEL does). */
int streamDeleteItem(stream *s, const streamID *id);
int streamEntryExists(stream *s, const streamID *id);
/* The first (or last) entry's ID (live only when skip_tombstones); when
 * there is none, UINT64_MAX-UINT64_MAX for first and 0-0 for last, as
 * Redis answers. */
int streamGetEdgeID(stream *s, int first, int skip_tombstones, streamID *id);
uint64_t streamRaxNodes(const stream *s);
/* Trim by length (strategy 1, maxlen) or minimum ID (strategy 2, minid);
 * approx stops at node boundaries; limit 0 = unlimited entries.  Returns
 * the entries removed; when that is not 0, first_id is updated. */
int64_t streamTrim(stream *s, int strategy, uint64_t maxlen, const streamID *minid,
                   int approx, int64_t limit);
/* Append a copy of an already-built node (RDB/DUMP load): the caller then
 * sets length, ids and counters.  0 ok, -1 out of memory.  The listpack is
 * taken over. */
int streamAppendNode(stream *s, const streamID *master, unsigned char *lp);
/* Bytes of memory held (approximation for MEMORY USAGE, sampled nodes) */
size_t streamNodeCount(const stream *s);

/* Iteration over [start, end] (inclusive), forward or reverse */
void streamIteratorStart(streamIterator *si, stream *s, const streamID *start,
                         const streamID *end, int rev);
int streamIteratorGetID(streamIterator *si, streamID *id, int64_t *numfields);
void streamIteratorGetField(streamIterator *si, const unsigned char **f, uint32_t *flen,
                            const unsigned char **v, uint32_t *vlen);

/* Consumer groups */
streamCG *streamLookupCG(stream *s, const unsigned char *name, size_t len);
/* NULL when the name exists (or out of memory: *oom set) */
streamCG *streamCreateCG(stream *s, const unsigned char *name, size_t len,
                         const streamID *id, long long entries_read, int *oom);
int streamDestroyCG(stream *s, const unsigned char *name, size_t len);  /* 1 if existed */
streamConsumer *streamLookupConsumer(streamCG *cg, const unsigned char *name, size_t len);
streamConsumer *streamCreateConsumer(streamCG *cg, const unsigned char *name, size_t len,
                                     int64_t now_ms);  /* NULL if it exists or OOM */
/* Remove a consumer and its pending entries; returns how many were pending */
long long streamDelConsumer(streamCG *cg, streamConsumer *c);

/* PELs */
streamNACK *streamPELFind(const streamPEL *pel, const streamID *id);
/* Index of the first item with ID >= id */
size_t streamPELSeek(const streamPEL *pel, const streamID *id);
int streamPELInsert(streamPEL *pel, streamNACK *n);       /* 0 ok, -1 OOM or exists */
int streamPELRemove(streamPEL *pel, const streamID *id);  /* 1 if removed */
void streamPELClear(streamPEL *pel);                      /* frees the array only */
streamNACK *streamCreateNACK(streamConsumer *c, const streamID *id, int64_t now_ms);
/* Drop a NACK from both its group's and consumer's PELs and free it */
void streamFreeNACKFromGroup(streamCG *cg, streamNACK *n);

long long streamEstimateDistanceFromFirstEverEntry(stream *s, const streamID *id);
int streamRangeHasTombstones(stream *s, const streamID *start, const streamID *end);

/* Check a node loaded from RDB/DUMP (listpack structure, master entry,
 * entries, lp-counts, increasing IDs not below master, counts): 1 when
 * sound, with the last ID stored and the live entries. */
int streamValidateNode(unsigned char *lp, size_t size, const streamID *master,
                       streamID *last, int64_t *live);

#endif
