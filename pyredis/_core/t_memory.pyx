# MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP.
#
# MEMORY USAGE sizes a value from the allocator's own block sizes
# (zmalloc_size), so it is what the value really costs here, not Redis's
# figure.  Like Redis it samples: a collection with many elements is
# sized from the first `samples` elements (0: all) and scaled to its
# length; tables add their bucket arrays.  STATS and DOCTOR are built by
# the control layer (pyredis/memory.py) from INFO's figures.

cdef enum:
    MEMORY_USAGE_DEFAULT_SAMPLES = 5


cdef size_t dict_compute_size(dict_t *d, long long samples, bint value_blobs) noexcept:
    """The table, its buckets and its entries, sized from the first
    `samples` entries (each with its value blob when value_blobs)."""
    cdef size_t size = zmalloc_size(d) + dictSlots(d) * sizeof(void *)
    cdef size_t elesize = 0
    cdef long long n = 0
    cdef dictIterator *it
    cdef dictEntry *de
    if dictSize(d) == 0:
        return size
    it = dictGetIterator(d)
    de = dictNext(it)
    while de != NULL and n < samples:
        elesize += zmalloc_size(de)
        if value_blobs and de.v.ptr != NULL:
            elesize += zmalloc_size(de.v.ptr)
        n += 1
        de = dictNext(it)
    dictReleaseIterator(it)
    return size + <size_t>(<double>elesize / n * dictSize(d))


cdef size_t skiplist_compute_size(zskiplist *zsl, long long samples) noexcept:
    cdef size_t size = zmalloc_size(zsl) + zmalloc_size(zsl.header)
    cdef size_t elesize = 0
    cdef long long n = 0
    cdef zskiplistNode *x = zsl.header.level[0].forward
    while x != NULL and n < samples:
        elesize += zmalloc_size(x)
        n += 1
        x = x.level[0].forward
    if n:
        size += <size_t>(<double>elesize / n * zsl.length)
    return size


cdef size_t stream_compute_size(stream *s, long long samples) noexcept:
    """The stream, its node array, its listpacks (the first `samples`
    nodes scaled to all of them), and its groups with PELs and consumers."""
    cdef size_t size = zmalloc_size(s)
    cdef size_t lpsize = 0, i, j
    cdef long long n = 0
    cdef streamCG *cg
    cdef streamConsumer *cons
    if s.nodes != NULL:
        size += zmalloc_size(s.nodes)
    while <size_t>n < s.nnodes and (samples == 0 or n < samples):
        lpsize += zmalloc_size(s.nodes[n].lp)
        n += 1
    if n:
        size += <size_t>(<double>lpsize / n * s.nnodes)
    if s.cgroups != NULL:
        size += zmalloc_size(s.cgroups)
    for i in range(s.ncgroups):
        cg = s.cgroups[i]
        size += zmalloc_size(cg) + zmalloc_size(cg.name)
        if cg.pel.items != NULL:
            size += zmalloc_size(cg.pel.items) + cg.pel.len * sizeof(streamNACK)
        if cg.consumers != NULL:
            size += zmalloc_size(cg.consumers)
        for j in range(cg.nconsumers):
            cons = cg.consumers[j]
            size += zmalloc_size(cons) + zmalloc_size(cons.name)
            if cons.pel.items != NULL:
                size += zmalloc_size(cons.pel.items)
    return size


cdef size_t object_compute_size(robj *o, long long samples) noexcept:
    """Bytes held by the value o (Redis's objectComputeSize)."""
    cdef size_t size = zmalloc_size(o)
    cdef ZSet *zs
    if o.type == OBJ_STRING:
        if o.encoding == OBJ_ENCODING_RAW:
            size += zmalloc_size(o.v.ptr)
    elif o.encoding == OBJ_ENCODING_QUICKLIST:
        size += quicklistAllocSize(<quicklist *>o.v.ptr)
    elif o.encoding == OBJ_ENCODING_LISTPACK or o.encoding == OBJ_ENCODING_INTSET:
        size += zmalloc_size(o.v.ptr)
    elif o.encoding == OBJ_ENCODING_HT:
        size += dict_compute_size(<dict_t *>o.v.ptr, samples, o.type == OBJ_HASH)
    elif o.encoding == OBJ_ENCODING_STREAM:
        size += stream_compute_size(<stream *>o.v.ptr, samples)
    elif o.encoding == OBJ_ENCODING_SKIPLIST:
        zs = <ZSet *>o.v.ptr
        size += zmalloc_size(zs) + dict_compute_size(zs.d, samples, False) + \
            skiplist_compute_size(zs.zsl, samples)
    return size


cdef int cmd_memory_usage(Client c) except -1:
    cdef long long samples = MEMORY_USAGE_DEFAULT_SAMPLES
    cdef int j = 3
    cdef dictEntry *de
    while j < c.argc:
        if arg_is(c, j, "samples") and j + 1 < c.argc:
            if not arg_ll(c, j + 1, &samples):
                return 0
            if samples < 0:
                replyErrorC(&c.reply, "ERR syntax error")
                return 0
            if samples == 0:
                samples = 0x7FFFFFFFFFFFFFFFLL
            j += 2
        else:
            replyErrorC(&c.reply, "ERR syntax error")
            return 0
    # as in Redis: no expiry check and no access-time update
    de = dictFind(c.db.dict, c.argv[2], c.argvlen[2])
    if de == NULL:
        replyNull(&c.reply, c.resp)
        return 0
    replyLongLong(&c.reply, <long long>(object_compute_size(<robj *>de.v.ptr, samples) +
                                        zmalloc_size(de)))
    return 0


cdef int cmd_memory_stats(Client c) except -1:
    cdef bytes name
    stats = g_ctl.memory_stats()
    replyMapLen(&c.reply, c.resp, len(stats))
    for k, v in stats:
        name = k.encode()
        replyBulk(&c.reply, <const char *>name, len(name))
        if isinstance(v, float):
            replyDouble(&c.reply, c.resp, v)
        elif isinstance(v, list):
            replyMapLen(&c.reply, c.resp, len(v))
            for k2, v2 in v:
                name = k2.encode()
                replyBulk(&c.reply, <const char *>name, len(name))
                replyLongLong(&c.reply, v2)
        else:
            replyLongLong(&c.reply, v)
    return 0


def db_tables():
    """[(dbid, keys, expires, main slots, expires slots)] of non-empty
    databases (MEMORY STATS, INFO used_memory_overhead)."""
    return [(i, dictSize(g_dbs[i].dict), dictSize(g_dbs[i].expires), dictSlots(g_dbs[i].dict),
             dictSlots(g_dbs[i].expires)) for i in range(g_ndbs) if dictSize(g_dbs[i].dict)]


cdef int cmd_memory_doctor(Client c) except -1:
    return reply_text(c, g_ctl.memory_doctor())


cdef int cmd_memory_malloc_stats(Client c) except -1:
    cdef bytes b = g_ctl.malloc_stats().encode()
    replyBulk(&c.reply, <const char *>b, len(b))
    return 0


cdef int cmd_memory_purge(Client c) except -1:
    zmalloc_release_free_memory()
    replyOk(&c.reply)
    return 0


cdef int cmd_memory_help(Client c) except -1:
    return reply_help(c, "memory")
