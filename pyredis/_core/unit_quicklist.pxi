# Test wrapper over csrc/quicklist.c: values in, int/bytes out (integer
# entries come back as int, as in unit_listpack.pxi).

cdef extern from "quicklist.h" nogil:
    int QUICKLIST_HEAD, QUICKLIST_TAIL, QL_FORWARD, QL_BACKWARD
    ctypedef struct quicklistNode:
        quicklistNode *prev
        quicklistNode *next
        unsigned char *lp
        uint32_t sz
        uint32_t count
    ctypedef struct quicklist:
        quicklistNode *head
        quicklistNode *tail
        unsigned long count
        unsigned long len
        int fill
        int compress
    ctypedef struct quicklistEntry:
        quicklistNode *node
        unsigned char *p
        const unsigned char *s
        uint32_t sz
        long long lval
    ctypedef struct quicklistIter:
        pass
    quicklist *quicklistCreate(int fill, int compress)
    void quicklistRelease(quicklist *ql)
    quicklist *quicklistDup(const quicklist *ql)
    size_t quicklistAllocSize(const quicklist *ql)
    int quicklistPush(quicklist *ql, const void *s, size_t len, int where)
    int quicklistPeek(quicklist *ql, int where, quicklistEntry *e)
    void quicklistPopDiscard(quicklist *ql, int where)
    int quicklistIndex(quicklist *ql, long index, quicklistEntry *e)
    int quicklistReplaceEntry(quicklist *ql, quicklistEntry *e, const void *s, size_t len)
    int quicklistInsertBefore(quicklist *ql, quicklistEntry *e, const void *s, size_t len)
    int quicklistInsertAfter(quicklist *ql, quicklistEntry *e, const void *s, size_t len)
    unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count)
    void quicklistIterAt(quicklist *ql, long index, int direction, quicklistIter *it)
    int quicklistNext(quicklistIter *it, quicklistEntry *e)
    void quicklistDelEntry(quicklistIter *it, quicklistEntry *e)
    int quicklistEntryEquals(const quicklistEntry *e, const void *s, size_t len)


cdef object _ql_value(quicklistEntry *e):
    if e.s == NULL:
        return e.lval
    return e.s[:e.sz]


cdef class Quicklist:
    cdef quicklist *ql

    def __cinit__(self, int fill=-2, int compress=0):
        self.ql = quicklistCreate(fill, compress)

    def __dealloc__(self):
        if self.ql != NULL:
            quicklistRelease(self.ql)

    def push(self, bytes v, bint head=False):
        assert quicklistPush(self.ql, <const char *>v, len(v), QUICKLIST_HEAD if head else QUICKLIST_TAIL)

    def pop(self, bint head=False):
        cdef quicklistEntry e
        cdef int where = QUICKLIST_HEAD if head else QUICKLIST_TAIL
        if not quicklistPeek(self.ql, where, &e):
            return None
        v = _ql_value(&e)
        quicklistPopDiscard(self.ql, where)
        return v

    def index(self, long i):
        cdef quicklistEntry e
        if not quicklistIndex(self.ql, i, &e):
            raise IndexError(i)
        return _ql_value(&e)

    def replace(self, long i, bytes v):
        cdef quicklistEntry e
        if not quicklistIndex(self.ql, i, &e):
            raise IndexError(i)
        assert quicklistReplaceEntry(self.ql, &e, <const char *>v, len(v))

    def insert(self, long i, bytes v, bint after):
        cdef quicklistEntry e
        if not quicklistIndex(self.ql, i, &e):
            raise IndexError(i)
        if after:
            assert quicklistInsertAfter(self.ql, &e, <const char *>v, len(v))
        else:
            assert quicklistInsertBefore(self.ql, &e, <const char *>v, len(v))

    def del_range(self, long start, unsigned long count):
        return quicklistDelRange(self.ql, start, count)

    def remove(self, bytes v, long start, bint backward, long limit=0):
        """Deletes entries equal to v iterating from start; returns count."""
        cdef quicklistIter it
        cdef quicklistEntry e
        cdef long removed = 0
        quicklistIterAt(self.ql, start, QL_BACKWARD if backward else QL_FORWARD, &it)
        while quicklistNext(&it, &e):
            if quicklistEntryEquals(&e, <const char *>v, len(v)):
                quicklistDelEntry(&it, &e)
                removed += 1
                if limit and removed == limit:
                    break
        return removed

    def iterate(self, long start, bint backward=False):
        cdef quicklistIter it
        cdef quicklistEntry e
        out = []
        quicklistIterAt(self.ql, start, QL_BACKWARD if backward else QL_FORWARD, &it)
        while quicklistNext(&it, &e):
            out.append(_ql_value(&e))
        return out

    def to_list(self):
        return self.iterate(0)

    def dup(self):
        cdef Quicklist c = Quicklist(self.ql.fill)
        quicklistRelease(c.ql)
        c.ql = quicklistDup(self.ql)
        return c

    def nodes(self):
        """[(entry count, listpack bytes)] per node, checking the invariants."""
        cdef quicklistNode *n = self.ql.head
        cdef quicklistNode *prev = NULL
        cdef unsigned long total = 0, nodes = 0
        out = []
        while n != NULL:
            assert n.prev == prev
            assert n.count > 0
            assert n.count == lpLength(n.lp)
            assert n.sz == lpBytes(n.lp)
            assert lpValidateIntegrity(n.lp, n.sz, 1)
            out.append((n.count, n.sz))
            total += n.count
            nodes += 1
            prev = n
            n = n.next
        assert self.ql.tail == prev
        assert total == self.ql.count and nodes == self.ql.len
        return out

    def alloc_size(self):
        return quicklistAllocSize(self.ql)

    def __len__(self):
        return self.ql.count
