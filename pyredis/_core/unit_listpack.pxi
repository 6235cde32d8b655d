# Test wrapper over csrc/listpack.c: a Listpack object owns one blob;
# entries are addressed by index (negative from the tail).
from libc.stdint cimport uint32_t
from libc.string cimport memcpy

cdef extern from "listpack.h" nogil:
    int LP_BEFORE, LP_AFTER, LP_REPLACE, LP_INTBUF_SIZE
    unsigned char *lpNew(size_t capacity)
    void lpFree(unsigned char *lp)
    unsigned char *lpDup(const unsigned char *lp)
    size_t lpBytes(const unsigned char *lp)
    unsigned long lpLength(unsigned char *lp)
    unsigned char *lpFirst(unsigned char *lp)
    unsigned char *lpLast(unsigned char *lp)
    unsigned char *lpNext(unsigned char *lp, unsigned char *p)
    unsigned char *lpPrev(unsigned char *lp, unsigned char *p)
    unsigned char *lpSeek(unsigned char *lp, long index)
    unsigned char *lpGetValue(unsigned char *p, uint32_t *slen, long long *ival)
    unsigned char *lpGet(unsigned char *p, uint32_t *slen, unsigned char *intbuf)
    uint32_t lpEntrySize(unsigned char *p)
    uint32_t lpEstimateEntrySize(const unsigned char *s, uint32_t len)
    unsigned char *lpInsertString(unsigned char *lp, const unsigned char *s, uint32_t len,
                                  unsigned char *p, int where, unsigned char **newp)
    unsigned char *lpInsertInteger(unsigned char *lp, long long v, unsigned char *p,
                                   int where, unsigned char **newp)
    unsigned char *lpAppend(unsigned char *lp, const unsigned char *s, uint32_t len)
    unsigned char *lpPrepend(unsigned char *lp, const unsigned char *s, uint32_t len)
    unsigned char *lpAppendInteger(unsigned char *lp, long long v)
    unsigned char *lpPrependInteger(unsigned char *lp, long long v)
    unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const unsigned char *s, uint32_t len)
    unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long v)
    unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp)
    unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num)
    unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num)
    int lpCompare(unsigned char *p, const unsigned char *s, uint32_t len)
    unsigned char *lpFind(unsigned char *lp, unsigned char *p, const unsigned char *s,
                          uint32_t len, unsigned int skip)
    int lpValidateIntegrity(const unsigned char *lp, size_t size, int deep)


cdef object _lp_value(unsigned char *p):
    cdef uint32_t sl = 0
    cdef long long v = 0
    cdef unsigned char *s = lpGetValue(p, &sl, &v)
    if s == NULL:
        return v
    return s[:sl]


cdef class Listpack:
    """One listpack blob.  Values come back as int (integer entries) or
    bytes (string entries); inputs may be int or bytes."""
    cdef unsigned char *lp

    def __cinit__(self, bytes blob=None):
        if blob is None:
            self.lp = lpNew(0)
        else:
            self.lp = lpNew(len(blob))
            memcpy(self.lp, <const char *>blob, len(blob))
        if self.lp == NULL:
            raise MemoryError()

    def __dealloc__(self):
        if self.lp != NULL:
            lpFree(self.lp)

    cdef unsigned char *_at(self, long index) except NULL:
        cdef unsigned char *p = lpSeek(self.lp, index)
        if p == NULL:
            raise IndexError(index)
        return p

    cdef _set(self, unsigned char *n):
        if n == NULL:
            raise MemoryError()
        self.lp = n

    def append(self, v):
        if isinstance(v, int):
            self._set(lpAppendInteger(self.lp, v))
        else:
            self._set(lpAppend(self.lp, <bytes>v, len(v)))

    def prepend(self, v):
        if isinstance(v, int):
            self._set(lpPrependInteger(self.lp, v))
        else:
            self._set(lpPrepend(self.lp, <bytes>v, len(v)))

    def _insert(self, long index, v, int where):
        cdef unsigned char *p = self._at(index)
        if isinstance(v, int):
            self._set(lpInsertInteger(self.lp, v, p, where, NULL))
        else:
            self._set(lpInsertString(self.lp, <bytes>v, len(v), p, where, NULL))

    def insert_before(self, long index, v):
        self._insert(index, v, LP_BEFORE)

    def insert_after(self, long index, v):
        self._insert(index, v, LP_AFTER)

    def replace(self, long index, v):
        cdef unsigned char *p = self._at(index)
        if isinstance(v, int):
            self._set(lpReplaceInteger(self.lp, &p, v))
        else:
            self._set(lpReplace(self.lp, &p, <bytes>v, len(v)))

    def delete(self, long index):
        self._set(lpDelete(self.lp, self._at(index), NULL))

    def delete_range(self, long index, unsigned long num):
        self._set(lpDeleteRange(self.lp, index, num))

    def get(self, long index):
        return _lp_value(self._at(index))

    def get_bytes(self, long index):
        cdef unsigned char buf[32]
        cdef uint32_t sl = 0
        cdef unsigned char *s = lpGet(self._at(index), &sl, buf)
        return s[:sl]

    def entry_size(self, long index):
        return lpEntrySize(self._at(index))

    def find(self, bytes v, unsigned int skip=0):
        """Index of the first entry equal to v, or -1."""
        cdef unsigned char *p = lpFind(self.lp, lpFirst(self.lp), v, len(v), skip)
        cdef long i = 0
        cdef unsigned char *q = lpFirst(self.lp)
        if p == NULL:
            return -1
        while q != p:
            q = lpNext(self.lp, q)
            i += 1
        return i

    def to_list(self):
        out = []
        cdef unsigned char *p = lpFirst(self.lp)
        while p != NULL:
            out.append(_lp_value(p))
            p = lpNext(self.lp, p)
        return out

    def to_list_reversed(self):
        out = []
        cdef unsigned char *p = lpLast(self.lp)
        while p != NULL:
            out.append(_lp_value(p))
            p = lpPrev(self.lp, p)
        return out

    def __len__(self):
        return lpLength(self.lp)

    def nbytes(self):
        return lpBytes(self.lp)

    def blob(self):
        return (<char *>self.lp)[:lpBytes(self.lp)]


def lp_validate(bytes blob, bint deep=True):
    return bool(lpValidateIntegrity(<const unsigned char *><const char *>blob, len(blob), deep))


def lp_estimate_entry_size(bytes s):
    return lpEstimateEntrySize(s, len(s))
