# unit wrappers for csrc/stream: one stream value alone (entries, trimming,
# node blobs) and its consumer groups / PELs, driven from Python.  The
# stream.h declarations come from unit_dict.pxi's `from csrc cimport *`.
from libc.stdint cimport uint64_t, int64_t, uint32_t


cdef class Stream:
    cdef stream *s

    def __cinit__(self):
        self.s = streamNew()

    def __dealloc__(self):
        if self.s != NULL:
            streamFree(self.s)

    def add(self, list fields, tuple id=None, bint seq_given=True, uint64_t now_ms=0,
            size_t max_bytes=4096, long long max_entries=100):
        """Append [(field, value), ...]; id (ms, seq) or None for the
        clock.  Returns the new ID, or the error code (-1, -2, -3)."""
        cdef int n = len(fields)
        cdef const unsigned char **fv = <const unsigned char **>zmalloc(sizeof(char *) * 2 * n + 1)
        cdef size_t *fvlen = <size_t *>zmalloc(sizeof(size_t) * 2 * n + 1)
        cdef streamID use, added
        cdef int i, rc
        keep = []
        for i in range(n):
            f, v = fields[i]
            keep += [f, v]
            fv[2 * i] = <const unsigned char *><const char *>f
            fvlen[2 * i] = len(f)
            fv[2 * i + 1] = <const unsigned char *><const char *>v
            fvlen[2 * i + 1] = len(v)
        if id is not None:
            use.ms, use.seq = id
        rc = streamAppendItem(self.s, fv, fvlen, n, &added, &use if id is not None else NULL,
                              seq_given, now_ms, max_bytes, max_entries)
        zfree(fv)
        zfree(fvlen)
        if rc:
            return rc
        return (added.ms, added.seq)

    def delete(self, tuple id):
        cdef streamID x
        x.ms, x.seq = id
        return bool(streamDeleteItem(self.s, &x))

    def exists(self, tuple id):
        cdef streamID x
        x.ms, x.seq = id
        return bool(streamEntryExists(self.s, &x))

    def range(self, tuple start=None, tuple end=None, bint rev=False, bint tombstones=False):
        cdef streamIterator si
        cdef streamID a, b, id
        cdef int64_t nf
        cdef const unsigned char *f
        cdef const unsigned char *v
        cdef uint32_t fl, vl
        if start is not None:
            a.ms, a.seq = start
        if end is not None:
            b.ms, b.seq = end
        streamIteratorStart(&si, self.s, &a if start is not None else NULL,
                            &b if end is not None else NULL, rev)
        si.skip_tombstones = not tombstones
        out = []
        while streamIteratorGetID(&si, &id, &nf):
            kv = []
            while nf > 0:
                streamIteratorGetField(&si, &f, &fl, &v, &vl)
                kv.append((f[:fl], v[:vl]))
                nf -= 1
            out.append(((id.ms, id.seq), kv))
        return out

    def trim(self, str strategy, uint64_t maxlen=0, tuple minid=(0, 0), bint approx=False,
             int64_t limit=0):
        cdef streamID m
        m.ms, m.seq = minid
        return streamTrim(self.s, 1 if strategy == "maxlen" else 2, maxlen, &m, approx, limit)

    def nodes(self):
        """[(master id, listpack bytes)] in order."""
        cdef size_t i
        return [((self.s.nodes[i].master.ms, self.s.nodes[i].master.seq),
                 (<char *>self.s.nodes[i].lp)[:lpBytes(self.s.nodes[i].lp)])
                for i in range(self.s.nnodes)]

    def valid_nodes(self):
        """Every node passes streamValidateNode, and the live counts add up."""
        cdef size_t i
        cdef streamID last
        cdef int64_t live, total = 0
        for i in range(self.s.nnodes):
            if not streamValidateNode(self.s.nodes[i].lp, lpBytes(self.s.nodes[i].lp),
                                      &self.s.nodes[i].master, &last, &live):
                return False
            total += live
        return <uint64_t>total == self.s.length

    def rax_nodes(self):
        return streamRaxNodes(self.s)

    @property
    def length(self):
        return self.s.length

    @property
    def first_id(self):
        return (self.s.first_id.ms, self.s.first_id.seq)

    @property
    def last_id(self):
        return (self.s.last_id.ms, self.s.last_id.seq)

    @property
    def entries_added(self):
        return self.s.entries_added

    def dup(self):
        cdef Stream d = Stream.__new__(Stream)
        streamFree(d.s)
        d.s = streamDup(self.s)
        return d

    # --- groups -------------------------------------------------------------

    def create_group(self, bytes name, tuple last=(0, 0), long long entries_read=-1):
        cdef streamID x
        cdef int oom
        x.ms, x.seq = last
        return streamCreateCG(self.s, name, len(name), &x, entries_read, &oom) != NULL

    def destroy_group(self, bytes name):
        return bool(streamDestroyCG(self.s, name, len(name)))

    def groups(self):
        cdef size_t i
        return [(<char *>self.s.cgroups[i].name)[:self.s.cgroups[i].namelen]
                for i in range(self.s.ncgroups)]

    def create_consumer(self, bytes group, bytes name, int64_t now=0):
        cdef streamCG *cg = streamLookupCG(self.s, group, len(group))
        return streamCreateConsumer(cg, name, len(name), now) != NULL

    def consumers(self, bytes group):
        cdef streamCG *cg = streamLookupCG(self.s, group, len(group))
        cdef size_t i
        return [((<char *>cg.consumers[i].name)[:cg.consumers[i].namelen],
                 [(cg.consumers[i].pel.items[j].id.ms, cg.consumers[i].pel.items[j].id.seq)
                  for j in range(cg.consumers[i].pel.len)])
                for i in range(cg.nconsumers)]

    def deliver(self, bytes group, bytes consumer, tuple id, int64_t now=0):
        """Add id to the group's and the consumer's PEL (no re-delivery)."""
        cdef streamCG *cg = streamLookupCG(self.s, group, len(group))
        cdef streamConsumer *c = streamLookupConsumer(cg, consumer, len(consumer))
        cdef streamID x
        cdef streamNACK *n
        x.ms, x.seq = id
        n = streamCreateNACK(c, &x, now)
        if streamPELInsert(&cg.pel, n) < 0:
            zfree(n)
            return False
        streamPELInsert(&c.pel, n)
        return True

    def ack(self, bytes group, tuple id):
        cdef streamCG *cg = streamLookupCG(self.s, group, len(group))
        cdef streamID x
        cdef streamNACK *n
        x.ms, x.seq = id
        n = streamPELFind(&cg.pel, &x)
        if n == NULL:
            return False
        streamFreeNACKFromGroup(cg, n)
        return True

    def pel(self, bytes group):
        cdef streamCG *cg = streamLookupCG(self.s, group, len(group))
        cdef size_t i
        return [((cg.pel.items[i].id.ms, cg.pel.items[i].id.seq),
                 (<char *>cg.pel.items[i].consumer.name)[:cg.pel.items[i].consumer.namelen])
                for i in range(cg.pel.len)]

    def del_consumer(self, bytes group, bytes name):
        cdef streamCG *cg = streamLookupCG(self.s, group, len(group))
        cdef streamConsumer *c = streamLookupConsumer(cg, name, len(name))
        return streamDelConsumer(cg, c)


def stream_id_encode(uint64_t ms, uint64_t seq):
    cdef unsigned char b[16]
    cdef streamID x
    x.ms = ms
    x.seq = seq
    streamEncodeID(b, &x)
    return (<char *>b)[:16]
