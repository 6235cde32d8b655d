# unit wrappers for csrc/zskiplist: a skiplist of (score, member) alone, with
# a walk that checks the span invariant of every level.  Nodes borrow their
# member bytes, so the wrapper keeps each member's bytes object alive (the
# role the dict plays in a sorted set); members are unique, as in a zset.

cdef extern from "zskiplist.h" nogil:
    ctypedef struct uzslLevel "struct zskiplistLevel":
        uzslNode *forward
        unsigned long span
    ctypedef struct uzslNode "zskiplistNode":
        double score
        uzslNode *backward
        const unsigned char *ele
        uint32_t len
        uint32_t height
        uzslLevel *level
    ctypedef struct uzsl "zskiplist":
        uzslNode *header
        uzslNode *tail
        unsigned long length
        int level
    uzsl *zslCreate()
    void zslFree(uzsl *zsl)
    uzslNode *zslInsert(uzsl *zsl, double score, const unsigned char *ele, uint32_t len)
    int zslDelete(uzsl *zsl, double score, const char *ele, size_t len, uzslNode **node)
    uzslNode *zslUpdateScore(uzsl *zsl, double curscore, const char *ele, size_t len, double newscore)
    unsigned long zslGetRank(uzsl *zsl, double score, const char *ele, size_t len)
    uzslNode *zslGetElementByRank(uzsl *zsl, unsigned long rank)


cdef class Skiplist:
    cdef uzsl *zsl
    cdef dict owned     # member -> the bytes object its node points into

    def __cinit__(self):
        self.zsl = zslCreate()
        self.owned = {}

    def __dealloc__(self):
        if self.zsl != NULL:
            zslFree(self.zsl)

    def __len__(self):
        return self.zsl.length

    def insert(self, double score, bytes ele):
        ele = self.owned.setdefault(ele, ele)
        zslInsert(self.zsl, score, <const unsigned char *><const char *>ele, <uint32_t>len(ele))

    def delete(self, double score, bytes ele):
        # the node is unlinked and freed before its bytes may be released
        if not zslDelete(self.zsl, score, ele, len(ele), NULL):
            return False
        del self.owned[ele]
        return True

    def update(self, double cur, bytes ele, double new):
        zslUpdateScore(self.zsl, cur, ele, len(ele), new)

    def rank(self, double score, bytes ele):
        return zslGetRank(self.zsl, score, ele, len(ele))

    def by_rank(self, unsigned long rank):
        cdef uzslNode *x = zslGetElementByRank(self.zsl, rank)
        return None if x == NULL else (x.score, (<const char *>x.ele)[:x.len])

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
            assert (<const char *>x.ele) == <const char *>self.owned[(<const char *>x.ele)[:x.len]]
            out.append((x.score, (<const char *>x.ele)[:x.len]))
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
