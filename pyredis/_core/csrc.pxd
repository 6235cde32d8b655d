# Extern declarations of csrc/ (plain C, no Python.h).  Only declarations.
from libc.stdint cimport int64_t, uint64_t, uint8_t, uint32_t, int16_t


cdef extern from "dict.h" nogil:
    int DICT_OK, DICT_ERR
    ctypedef union dictEntryVal:
        void *ptr
        int64_t s64
        uint64_t u64
        double d
    ctypedef struct dictEntry:
        dictEntry *next
        dictEntryVal v
        uint32_t klen
        unsigned char key[1]
    ctypedef struct dictType:
        void (*valDestructor)(dictEntry *de) noexcept
    ctypedef struct dictht:
        dictEntry **table
        unsigned long size
        unsigned long sizemask
        unsigned long used
    # `dict` would shadow the Python builtin in Cython: call it dict_t here.
    ctypedef struct dict_t "dict":
        dictType *type
        dictht ht[2]
        long rehashidx
        int16_t pauserehash
    ctypedef struct dictIterator:
        pass
    ctypedef void dictScanFunction(void *privdata, const dictEntry *de) noexcept

    size_t dictSize(dict_t *d)
    size_t dictSlots(dict_t *d)
    bint dictIsRehashing(dict_t *d)
    void dictSetHashSeed(const uint8_t *seed)
    uint64_t dictGenHash(const void *key, size_t len)
    void dictEnableResize()
    void dictDisableResize()
    dict_t *dictCreate(dictType *type)
    void dictRelease(dict_t *d)
    void dictEmpty(dict_t *d, void (*callback)(dict_t *) noexcept)
    int dictExpand(dict_t *d, unsigned long size)
    int dictResize(dict_t *d)
    int dictNeedsShrink(const dict_t *d)
    dictEntry *dictAddRaw(dict_t *d, const void *key, size_t klen, dictEntry **existing)
    dictEntry *dictFind(dict_t *d, const void *key, size_t klen)
    int dictDelete(dict_t *d, const void *key, size_t klen)
    dictEntry *dictUnlink(dict_t *d, const void *key, size_t klen)
    void dictFreeUnlinkedEntry(dict_t *d, dictEntry *de)
    int dictRehash(dict_t *d, int n)
    int dictRehashMilliseconds(dict_t *d, int ms)
    dictIterator *dictGetIterator(dict_t *d)
    dictIterator *dictGetSafeIterator(dict_t *d)
    dictEntry *dictNext(dictIterator *it)
    void dictReleaseIterator(dictIterator *it)
    dictEntry *dictGetRandomKey(dict_t *d)
    dictEntry *dictGetFairRandomKey(dict_t *d)
    unsigned int dictGetSomeKeys(dict_t *d, dictEntry **des, unsigned int count)
    unsigned long dictScan(dict_t *d, unsigned long v, void (*fn)(void *, const dictEntry *) noexcept, void *privdata)


cdef extern from "resp.h" nogil:
    int RESP_REQ_INCOMPLETE, RESP_REQ_OK, RESP_REQ_ERROR
    int RESP_INLINE_MAX_SIZE
    ctypedef struct respParser:
        long long max_bulk_len
        int unauthenticated
        int argc
        const char **argv
        size_t *argvlen
        size_t consumed
        const char *errstr
        int reqtype
        size_t pos
    void respParserInit(respParser *p)
    void respParserFree(respParser *p)
    void respParserReset(respParser *p)
    int respParse(respParser *p, const char *buf, size_t len)
    int respSplitArgs(const char *line, size_t len, char *out, size_t *offs, size_t *lens)


cdef extern from "reply.h" nogil:
    ctypedef struct replyBuf:
        char *buf
        size_t len
        size_t cap
        int oom
    void replyInit(replyBuf *r)
    void replyFree(replyBuf *r)
    void replyClear(replyBuf *r)
    int replyReserve(replyBuf *r, size_t extra)
    void replyAppend(replyBuf *r, const void *p, size_t len)
    void replyStatus(replyBuf *r, const char *s, size_t len)
    void replyStatusC(replyBuf *r, const char *s)
    void replyOk(replyBuf *r)
    void replyError(replyBuf *r, const char *s, size_t len)
    void replyErrorC(replyBuf *r, const char *s)
    void replyLongLong(replyBuf *r, long long v)
    void replyBulk(replyBuf *r, const void *p, size_t len)
    void replyBulkC(replyBuf *r, const char *s)
    void replyBulkLongLong(replyBuf *r, long long v)
    void replyDouble(replyBuf *r, int resp, double d)
    void replyHumanLongDouble(replyBuf *r, long double d)
    void replyNull(replyBuf *r, int resp)
    void replyNullArray(replyBuf *r, int resp)
    void replyArrayLen(replyBuf *r, long n)
    void replyMapLen(replyBuf *r, int resp, long n)
    void replySetLen(replyBuf *r, int resp, long n)
    void replyAttributeLen(replyBuf *r, long n)
    void replyPushLen(replyBuf *r, int resp, long n)
    void replyBool(replyBuf *r, int resp, int b)
    void replyVerbatim(replyBuf *r, int resp, const char *s, size_t len, const char *fmt)
    void replyBigNum(replyBuf *r, int resp, const char *s, size_t len)
    int fmtLongLong(char *buf, long long v)
    int fmtDouble(char *buf, double d)
    int fmtHumanLongDouble(char *buf, size_t size, long double d)


cdef extern from "util.h" nogil:
    int string2ll(const char *s, size_t slen, long long *value)
    int string2ld(const char *s, size_t slen, long double *dp)
    int string2d(const char *s, size_t slen, double *dp)
    int stringmatchlen(const char *pattern, int patternLen, const char *string, int stringLen, int nocase)
    long long ustime()
    long long mstime()
    uint64_t monotonicUs()


cdef extern from "object.h" nogil:
    int OBJ_STRING, OBJ_LIST, OBJ_SET, OBJ_ZSET, OBJ_HASH, OBJ_MODULE, OBJ_STREAM
    int OBJ_ENCODING_RAW, OBJ_ENCODING_INT, OBJ_ENCODING_EMBSTR
    int OBJ_EMBSTR_MAX
    long long OBJ_STRING_MAX
    ctypedef union robjVal:
        long long ll
        void *ptr
    ctypedef struct robj:
        unsigned type
        unsigned encoding
        unsigned lru
        uint32_t len
        robjVal v
    ctypedef struct objTypeOps:
        void (*freePayload)(robj *o) noexcept
        robj *(*dup)(const robj *o) noexcept
    void objRegisterType(int type, objTypeOps ops)
    int OBJ_ENCODING_HT, OBJ_ENCODING_INTSET, OBJ_ENCODING_SKIPLIST, OBJ_ENCODING_QUICKLIST, OBJ_ENCODING_LISTPACK
    int OBJ_ENCODING_STREAM
    robj *objCreateString(const char *p, size_t len)
    robj *objCreateRawString(const char *p, size_t len, size_t cap)
    robj *objCreateInt(long long v)
    robj *objCreate(int type, int encoding, void *ptr)
    robj *objCreateStringTryInt(const char *p, size_t len)
    robj *objDup(const robj *o)
    void objFree(robj *o)
    const char *objStrPtr(const robj *o, char *scratch, size_t *len)
    size_t objStrLen(const robj *o)
    robj *objMakeRawWithCap(robj *o, size_t need)
    char *objRawPtr(robj *o)
    const char *objTypeName(int type)
    const char *objEncodingName(int encoding)
    unsigned int objLruClock


cdef extern from "zmalloc.h" nogil:
    void *zmalloc(size_t size)
    void *zcalloc(size_t size)
    void *zrealloc(void *ptr, size_t size)
    void zfree(void *ptr)
    size_t zmalloc_size(void *ptr)
    size_t zmalloc_used_memory()
    const char *zmalloc_lib()
    void zmalloc_release_free_memory()


cdef extern from "crc64.h" nogil:
    void crc64Init()
    uint64_t crc64(uint64_t crc, const void *p, size_t n)


cdef extern from "lzf.h" nogil:
    size_t lzfCompress(const void *inp, size_t n, void *out, size_t outcap)
    size_t lzfDecompress(const void *inp, size_t n, void *out, size_t outcap)


cdef extern from "rio.h" nogil:
    int RIO_MEM_WRITER, RIO_MEM_READER, RIO_FILE_WRITER, RIO_FILE_READER
    ctypedef struct rio:
        int kind
        int error
        int checksum
        uint64_t cksum
        unsigned char *buf
        size_t len
        size_t cap
        size_t pos
        int fd
        size_t processed
        size_t autosync
        void *progress
        size_t progress_step
        void *privdata
    void rioInitMemWriter(rio *r)
    void rioInitMemReader(rio *r, const void *p, size_t len)
    void rioInitFileWriter(rio *r, int fd, size_t autosync_bytes)
    void rioInitFileReader(rio *r, int fd)
    int rioWrite(rio *r, const void *p, size_t n)
    int rioRead(rio *r, void *p, size_t n)
    int rioFlush(rio *r)
    int rioSync(rio *r)
    size_t rioTell(rio *r)
    size_t rioRemaining(rio *r)
    unsigned char *rioDetach(rio *r, size_t *len)
    void rioFree(rio *r)
    ctypedef void (*rioProgressFn)(rio *r, size_t processed) noexcept
    void rioSetProgress(rio *r, rioProgressFn fn, size_t step, void *privdata)


cdef extern from "ziplist.h" nogil:
    int ziplistValidateIntegrity(const unsigned char *zl, size_t size)
    const unsigned char *ziplistFirst(const unsigned char *zl)
    const unsigned char *ziplistNext(const unsigned char *p)
    void ziplistGet(const unsigned char *p, const unsigned char **s, unsigned int *slen, long long *ll)
    int zipmapValidateIntegrity(const unsigned char *zm, size_t size)
    int zipmapNext(const unsigned char *zm, size_t *pos, const unsigned char **f, unsigned int *flen,
                   const unsigned char **v, unsigned int *vlen)

cdef extern from "aof.h" nogil:
    int AOF_FSYNC_NO, AOF_FSYNC_ALWAYS, AOF_FSYNC_EVERYSEC
    int AOF_FLUSH_OK, AOF_FLUSH_POSTPONED, AOF_FLUSH_DELAYED
    int AOF_FLUSH_WRITE_ERROR, AOF_FLUSH_RECOVERED, AOF_FLUSH_FATAL
    ctypedef struct aofInfo:
        long long current_size
        long long base_size
        long long buffer_length
        long long pending_fsync
        long long delayed_fsync
        long long last_incr_size
        int last_write_ok
        int last_write_errno
        int fd
    void aofInit()
    int aofSetFd(int fd, long long incr_size)
    void aofSetSizes(long long current_size, long long base_size)
    void aofSetPolicy(int fsync_policy, int timestamps, int no_fsync_on_rewrite)
    void aofSetChildActive(int active)
    void aofClearWriteError()
    void aofCloseInBackground(int fd, int need_fsync)
    void aofFeed(int dbid, const char *cmd, size_t len, long long unixtime)
    void aofResetSelectedDb()
    int aofFlush(int force, long long unixtime)
    void aofWaitFsync()
    int aofFsyncNow()
    void aofGetInfo(aofInfo *info)
    void aofDiscardBuffer()

cdef extern from "bitops.h" nogil:
    enum:
        BITOP_AND
        BITOP_OR
        BITOP_XOR
        BITOP_NOT
        BFOVERFLOW_WRAP
        BFOVERFLOW_SAT
        BFOVERFLOW_FAIL
    size_t bitopsPopcount(const uint8_t *p, size_t n)
    long long bitopsBitpos(const uint8_t *p, size_t n, int bit)
    void bitopsCombine(int op, uint8_t *dst, const uint8_t **src, const size_t *len,
                       int nsrc, size_t maxlen)
    uint64_t bitopsGetUnsigned(const uint8_t *p, uint64_t offset, int bits)
    int64_t bitopsGetSigned(const uint8_t *p, uint64_t offset, int bits)
    void bitopsSetUnsigned(uint8_t *p, uint64_t offset, int bits, uint64_t value)
    int bitopsUnsignedOverflow(uint64_t value, int64_t incr, int bits, int owtype,
                               uint64_t *limit)
    int bitopsSignedOverflow(int64_t value, int64_t incr, int bits, int owtype,
                             int64_t *limit)

cdef extern from "hyperloglog.h" nogil:
    enum:
        HLL_REGISTERS
        HLL_HDR_SIZE
        HLL_DENSE_SIZE
        HLL_SPARSE_EMPTY_SIZE
        HLL_DENSE
        HLL_SPARSE
        HLL_RAW
        HLL_PROMOTE
    uint64_t hllMurmurHash64A(const void *key, size_t len, uint64_t seed)
    int hllPatLen(const unsigned char *ele, size_t n, long *index)
    int hllIsValid(const uint8_t *p, size_t len)
    void hllInitSparse(uint8_t *p)
    int hllValidCache(const uint8_t *p)
    void hllInvalidateCache(uint8_t *p)
    uint64_t hllGetCache(const uint8_t *p)
    void hllSetCache(uint8_t *p, uint64_t card)
    int hllDenseGet(const uint8_t *registers, long index)
    int hllDenseSet(uint8_t *registers, long index, uint8_t count)
    int hllSparseSet(uint8_t *p, size_t *len, long index, uint8_t count, size_t sparse_max)
    int hllSparseToDense(const uint8_t *sparse, size_t len, uint8_t *dense)
    int hllMerge(uint8_t *max, const uint8_t *p, size_t len)
    uint64_t hllCount(const uint8_t *p, size_t len, int *invalid)
    size_t hllSparseDecode(const uint8_t *p, size_t len, char *out, size_t outcap)


cdef extern from "latency_hist.h" nogil:
    ctypedef struct latencyHist:
        int64_t total
    latencyHist *lhistCreate()
    void lhistFree(latencyHist *h)
    void lhistRecord(latencyHist *h, int64_t ns)
    int64_t lhistValueAtPercentile(const latencyHist *h, double p)
    int lhistLogNext(const latencyHist *h, int64_t *level, int64_t *value, int64_t *cumulative)


cdef extern from "stream.h" nogil:
    int STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS
    long long SCG_INVALID_ENTRIES_READ
    ctypedef struct streamID:
        uint64_t ms
        uint64_t seq
    ctypedef struct streamNode:
        streamID master
        unsigned char *lp
    ctypedef struct streamConsumer
    ctypedef struct streamNACK:
        streamID id
        int64_t delivery_time
        uint64_t delivery_count
        streamConsumer *consumer
    ctypedef struct streamPEL:
        streamNACK **items
        size_t len
    ctypedef struct streamConsumer:
        unsigned char *name
        size_t namelen
        int64_t seen_time
        streamPEL pel
    ctypedef struct streamCG:
        unsigned char *name
        size_t namelen
        streamID last_id
        long long entries_read
        streamPEL pel
        streamConsumer **consumers
        size_t nconsumers
    ctypedef struct stream:
        streamNode *nodes
        size_t nnodes
        uint64_t length
        streamID last_id
        streamID first_id
        streamID max_deleted_entry_id
        uint64_t entries_added
        streamCG **cgroups
        size_t ncgroups
    ctypedef struct streamIterator:
        int skip_tombstones
    int streamCompareID(const streamID *a, const streamID *b)
    int streamIncrID(streamID *id)
    int streamDecrID(streamID *id)
    void streamEncodeID(unsigned char *buf16, const streamID *id)
    void streamDecodeID(const unsigned char *buf16, streamID *id)
    stream *streamNew()
    void streamFree(stream *s)
    stream *streamDup(const stream *s)
    int streamAppendItem(stream *s, const unsigned char *const *fv, const size_t *fvlen,
                         int64_t nfields, streamID *added, const streamID *use_id, int seq_given,
                         uint64_t now_ms, size_t node_max_bytes, long long node_max_entries)
    int streamDeleteItem(stream *s, const streamID *id)
    int streamEntryExists(stream *s, const streamID *id)
    int streamGetEdgeID(stream *s, int first, int skip_tombstones, streamID *id)
    uint64_t streamRaxNodes(const stream *s)
    int64_t streamTrim(stream *s, int strategy, uint64_t maxlen, const streamID *minid,
                       int approx, int64_t limit)
    int streamAppendNode(stream *s, const streamID *master, unsigned char *lp)
    void streamIteratorStart(streamIterator *si, stream *s, const streamID *start,
                             const streamID *end, int rev)
    int streamIteratorGetID(streamIterator *si, streamID *id, int64_t *numfields)
    void streamIteratorGetField(streamIterator *si, const unsigned char **f, uint32_t *flen,
                                const unsigned char **v, uint32_t *vlen)
    streamCG *streamLookupCG(stream *s, const unsigned char *name, size_t len)
    streamCG *streamCreateCG(stream *s, const unsigned char *name, size_t len,
                             const streamID *id, long long entries_read, int *oom)
    int streamDestroyCG(stream *s, const unsigned char *name, size_t len)
    streamConsumer *streamLookupConsumer(streamCG *cg, const unsigned char *name, size_t len)
    streamConsumer *streamCreateConsumer(streamCG *cg, const unsigned char *name, size_t len,
                                         int64_t now_ms)
    long long streamDelConsumer(streamCG *cg, streamConsumer *c)
    streamNACK *streamPELFind(const streamPEL *pel, const streamID *id)
    size_t streamPELSeek(const streamPEL *pel, const streamID *id)
    int streamPELInsert(streamPEL *pel, streamNACK *n)
    int streamPELRemove(streamPEL *pel, const streamID *id)
    streamNACK *streamCreateNACK(streamConsumer *c, const streamID *id, int64_t now_ms)
    void streamFreeNACKFromGroup(streamCG *cg, streamNACK *n)
    long long streamEstimateDistanceFromFirstEverEntry(stream *s, const streamID *id)
    int streamRangeHasTombstones(stream *s, const streamID *start, const streamID *end)
    int streamValidateNode(unsigned char *lp, size_t size, const streamID *master,
                           streamID *last, int64_t *live)
