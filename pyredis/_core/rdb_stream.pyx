# Streams in RDB (RDB_TYPE_STREAM_LISTPACKS_2, as Redis 7.0 writes them;
# RDB_TYPE_STREAM_LISTPACKS from older files loads too):
#
#   nodes: len, then per node the 16-byte big-endian master ID and the
#          listpack, both as strings (the node blobs are Redis's own format,
#          so they are written and read as they are)
#   length, last_id.ms, last_id.seq
#   [v2] first_id.ms, first_id.seq, max_deleted.ms, max_deleted.seq, entries_added
#   groups: len, then per group its name, last_id.ms, last_id.seq,
#          [v2] entries_read, the PEL (len; per entry the 16-byte raw ID,
#          delivery time as 8-byte LE ms, delivery count), the consumers
#          (len; per consumer name, seen time (8 bytes), its PEL as raw IDs)
# Every loaded node is checked (csrc/stream.c streamValidateNode) before
# use: the iterators trust the node format.


cdef int rdb_save_stream(rio *r, stream *s) noexcept:
    cdef size_t i, g, k
    cdef unsigned char key[16]
    cdef streamCG *cg
    cdef streamConsumer *cons
    cdef streamNACK *nk
    if rdb_save_len(r, s.nnodes) < 0:
        return -1
    for i in range(s.nnodes):
        streamEncodeID(key, &s.nodes[i].master)
        if rdb_save_string(r, <const char *>key, 16) < 0 or \
           rdb_save_string(r, <const char *>s.nodes[i].lp, lpBytes(s.nodes[i].lp)) < 0:
            return -1
    if rdb_save_len(r, s.length) < 0 or rdb_save_len(r, s.last_id.ms) < 0 or \
       rdb_save_len(r, s.last_id.seq) < 0 or rdb_save_len(r, s.first_id.ms) < 0 or \
       rdb_save_len(r, s.first_id.seq) < 0 or rdb_save_len(r, s.max_deleted_entry_id.ms) < 0 or \
       rdb_save_len(r, s.max_deleted_entry_id.seq) < 0 or rdb_save_len(r, s.entries_added) < 0:
        return -1
    if rdb_save_len(r, s.ncgroups) < 0:
        return -1
    for g in range(s.ncgroups):
        cg = s.cgroups[g]
        if rdb_save_string(r, <const char *>cg.name, cg.namelen) < 0 or \
           rdb_save_len(r, cg.last_id.ms) < 0 or rdb_save_len(r, cg.last_id.seq) < 0 or \
           rdb_save_len(r, <uint64_t>cg.entries_read) < 0:
            return -1
        if rdb_save_len(r, cg.pel.len) < 0:
            return -1
        for k in range(cg.pel.len):
            nk = cg.pel.items[k]
            streamEncodeID(key, &nk.id)
            if rdb_write(r, key, 16) < 0 or rdb_save_millis(r, nk.delivery_time) < 0 or \
               rdb_save_len(r, nk.delivery_count) < 0:
                return -1
        if rdb_save_len(r, cg.nconsumers) < 0:
            return -1
        for i in range(cg.nconsumers):
            cons = cg.consumers[i]
            if rdb_save_string(r, <const char *>cons.name, cons.namelen) < 0 or \
               rdb_save_millis(r, cons.seen_time) < 0 or rdb_save_len(r, cons.pel.len) < 0:
                return -1
            for k in range(cons.pel.len):
                streamEncodeID(key, &cons.pel.items[k].id)
                if rdb_write(r, key, 16) < 0:
                    return -1
    return 0


cdef int _load_id(rio *r, streamID *id) noexcept:
    if rdb_load_len(r, &id.ms, NULL) < 0 or rdb_load_len(r, &id.seq, NULL) < 0:
        return -1
    return 0


cdef robj *rdb_load_stream(int rdbtype, rio *r, bint deep, int *error) noexcept:
    cdef uint64_t nnodes, n, ncg, npel, ncons, dcount, er
    cdef RdbStr key, blob
    cdef streamID master, last, prev_last, cgid, rawid
    cdef int64_t live, total = 0
    cdef bint have_prev = False
    cdef robj *o
    cdef stream *s
    cdef streamCG *cg
    cdef streamConsumer *cons
    cdef streamNACK *nk
    cdef unsigned char raw[16]
    cdef long long ms
    cdef int oom
    cdef size_t k
    s = streamNew()
    if s == NULL:
        return NULL
    o = _new_obj(OBJ_STREAM, OBJ_ENCODING_STREAM, s)
    if o == NULL:
        streamFree(s)
        return NULL
    if rdb_load_len(r, &nnodes, NULL) < 0 or nnodes > _remaining(r):
        objFree(o)
        return NULL
    while nnodes:
        nnodes -= 1
        if rdb_load_str(r, &key, False) < 0:
            objFree(o)
            return NULL
        if key.n != 16:
            rdb_str_free(&key)
            objFree(o)
            return NULL
        streamDecodeID(key.p, &master)
        rdb_str_free(&key)
        if rdb_load_str(r, &blob, True) < 0:
            objFree(o)
            return NULL
        _count_sanitization(deep)
        if blob.n == 0 or not streamValidateNode(blob.heap, blob.n, &master, &last, &live) or \
           (have_prev and streamCompareID(&master, &prev_last) <= 0):
            rdb_str_free(&blob)
            objFree(o)
            return NULL
        if streamAppendNode(s, &master, blob.heap) < 0:
            rdb_str_free(&blob)
            objFree(o)
            return NULL
        blob.heap = NULL
        prev_last = last
        have_prev = True
        total += live
    if rdb_load_len(r, &s.length, NULL) < 0 or _load_id(r, &s.last_id) < 0 or \
       s.length != <uint64_t>total or (have_prev and streamCompareID(&prev_last, &s.last_id) > 0):
        objFree(o)
        return NULL
    if rdbtype >= RDB_TYPE_STREAM_LISTPACKS_2:
        if _load_id(r, &s.first_id) < 0 or _load_id(r, &s.max_deleted_entry_id) < 0 or \
           rdb_load_len(r, &s.entries_added, NULL) < 0:
            objFree(o)
            return NULL
    else:
        s.entries_added = s.length
        streamGetEdgeID(s, 1, 1, &s.first_id)
        if s.length == 0:
            s.first_id.ms = s.first_id.seq = 0
    if rdb_load_len(r, &ncg, NULL) < 0 or ncg > _remaining(r):
        objFree(o)
        return NULL
    while ncg:
        ncg -= 1
        if rdb_load_str(r, &key, False) < 0:
            objFree(o)
            return NULL
        if _load_id(r, &cgid) < 0:
            rdb_str_free(&key)
            objFree(o)
            return NULL
        if rdbtype >= RDB_TYPE_STREAM_LISTPACKS_2:
            if rdb_load_len(r, &er, NULL) < 0:
                rdb_str_free(&key)
                objFree(o)
                return NULL
        else:
            er = <uint64_t>streamEstimateDistanceFromFirstEverEntry(s, &cgid)
        cg = streamCreateCG(s, key.p, key.n, &cgid, <long long>er, &oom)
        rdb_str_free(&key)
        if cg == NULL:
            objFree(o)
            return NULL
        if rdb_load_len(r, &npel, NULL) < 0 or npel > _remaining(r):
            objFree(o)
            return NULL
        while npel:
            npel -= 1
            if not rioRead(r, raw, 16):
                objFree(o)
                return NULL
            streamDecodeID(raw, &rawid)
            nk = streamCreateNACK(NULL, &rawid, 0)
            if nk == NULL or rdb_load_millis(r, &ms) < 0 or \
               rdb_load_len(r, &dcount, NULL) < 0 or streamPELInsert(&cg.pel, nk) < 0:
                zfree(nk)
                objFree(o)
                return NULL
            nk.delivery_time = ms
            nk.delivery_count = dcount
        if rdb_load_len(r, &ncons, NULL) < 0 or ncons > _remaining(r):
            objFree(o)
            return NULL
        while ncons:
            ncons -= 1
            if rdb_load_str(r, &key, False) < 0:
                objFree(o)
                return NULL
            cons = streamCreateConsumer(cg, key.p, key.n, 0)
            rdb_str_free(&key)
            if cons == NULL or rdb_load_millis(r, &ms) < 0 or \
               rdb_load_len(r, &npel, NULL) < 0 or npel > _remaining(r):
                objFree(o)
                return NULL
            cons.seen_time = ms
            while npel:
                npel -= 1
                if not rioRead(r, raw, 16):
                    objFree(o)
                    return NULL
                streamDecodeID(raw, &rawid)
                nk = streamPELFind(&cg.pel, &rawid)
                if nk == NULL or nk.consumer != NULL or streamPELInsert(&cons.pel, nk) < 0:
                    objFree(o)
                    return NULL
                nk.consumer = cons
        # every pending entry must belong to a consumer
        for k in range(cg.pel.len):
            if cg.pel.items[k].consumer == NULL:
                objFree(o)
                return NULL
    return o
