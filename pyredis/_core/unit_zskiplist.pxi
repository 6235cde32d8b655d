# unit wrappers for csrc/zskiplist: a skiplist of (score, member) alone, with
# a walk that checks the span invariant of every level.

cdef extern from "zskiplist.h" nogil:
    ctypedef struct uzslLevel "struct zskiplistLevel":
        uzslNode *forward
        unsigned long span
    ctypedef struct uzslNode "zskiplistNode":
        double score
        uzslNode *backward
        char *ele
        size_t len
        int height
        uzslLevel *level
    ctypedef struct uzsl "zskiplist":
        uzslNode *header
        uzslNode *tail
        unsigned long length
        int level
    uzsl *zslCreate()
    void zslFree(uzsl *zsl)
    uzslNode *zslInsert(uzsl *zsl, double score, const char *ele, size_t len)
    int zslDelete(uzsl *zsl, double score, const char *ele, size_t len, uzslNode **node)
    uzslNode *zslUpdateScore(uzsl *zsl, double curscore, const char *ele, size_t len, double newscore)
    unsigned long zslGetRank(uzsl *zsl, double score, const char *ele, size_t len)
    uzslNode *zslGetElementByRank(uzsl *zsl, unsigned long rank)


cdef class Skiplist:
    cdef uzsl *zsl

    def __cinit__(self):
        self.zsl = zslCreate()

    def __dealloc__(self):
        if self.zsl != NULL:
            zslFree(self.zsl)

    def __len__(self):
        return self.zsl.length

    def insert(self, double score, bytes ele):
        zslInsert(self.zsl, score, ele, len(ele))

    def delete(self, double score, bytes ele):
        return bool(zslDelete(self.zsl, score, ele, len(ele), NULL))

    def update(self, double cur, bytes ele, double new):
        zslUpdateScore(self.zsl, cur, ele, len(ele), new)

    def rank(self, double score, bytes ele):
        return zslGetRank(self.zsl, score, ele, len(ele))

    def by_rank(self, unsigned long rank):
        cdef uzslNode *x = zslGetElementByRank(self.zsl, rank)
        return None if x == NULL else (x.score, x.ele[:x.len])

    def items(self):
        """Level 0 in order; raises AssertionError when a span, backward
        link, tail or length disagrees with the positions."""
        cdef uzslNode *x
        cdef uzslNode *prev = NULL
        cdef list out = []
        cdef dict pos = {}
        cdef int i
        cdef unsigned long r
        x = self.zsl.header.level[0].forward
        while x != NULL:
            assert x.backward == prev
            out.append((x.score, x.ele[:x.len]))
            pos[<size_t>x] = len(out)
            prev = x
            x = x.level[0].forward
        assert self.zsl.tail == prev
        assert self.zsl.length == len(out)
        for i in range(self.zsl.level):
            x = self.zsl.header
            r = 0
            while True:
                if x.level[i].forward == NULL:
                    assert r + x.level[i].span == len(out) or x.level[i].span == 0 or i == 0
                    break
                r += x.level[i].span
                x = x.level[i].forward
                assert pos[<size_t>x] == r, (i, r)
        return out
