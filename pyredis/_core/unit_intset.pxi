# Test wrapper over csrc/intset.c: values are Python ints, blob() gives
# the exact serialized bytes.
from libc.stdint cimport int64_t, uint32_t


cdef extern from "intset.h" nogil:
    ctypedef struct intset:
        pass
    intset *intsetNew()
    intset *intsetDup(const intset *s)
    void intsetFree(intset *s)
    intset *intsetAdd(intset *s, int64_t value, int *success)
    intset *intsetRemove(intset *s, int64_t value, int *success)
    int intsetFind(const intset *s, int64_t value)
    int intsetGet(const intset *s, uint32_t pos, int64_t *value)
    int64_t intsetRandom(const intset *s)
    int64_t intsetMin(const intset *s)
    int64_t intsetMax(const intset *s)
    uint32_t intsetLen(const intset *s)
    size_t intsetBlobLen(const intset *s)
    uint32_t intsetValueEncoding(int64_t v)
    int intsetValidateIntegrity(const unsigned char *blob, size_t size, int deep)


cdef class IntSet:
    cdef intset *s

    def __cinit__(self):
        self.s = intsetNew()
        if self.s == NULL:
            raise MemoryError()

    def __dealloc__(self):
        intsetFree(self.s)

    def add(self, int64_t v):
        cdef int ok
        cdef intset *n = intsetAdd(self.s, v, &ok)
        if n == NULL:
            raise MemoryError()
        self.s = n
        return bool(ok)

    def remove(self, int64_t v):
        cdef int ok
        self.s = intsetRemove(self.s, v, &ok)
        return bool(ok)

    def find(self, int64_t v):
        return bool(intsetFind(self.s, v))

    def get(self, uint32_t pos):
        cdef int64_t v
        return v if intsetGet(self.s, pos, &v) else None

    def random(self):
        return intsetRandom(self.s)

    def min(self):
        return intsetMin(self.s)

    def max(self):
        return intsetMax(self.s)

    def __len__(self):
        return intsetLen(self.s)

    def tolist(self):
        cdef int64_t v
        return [v for i in range(intsetLen(self.s)) if intsetGet(self.s, i, &v)]

    def blob(self):
        return (<const char *>self.s)[:intsetBlobLen(self.s)]

    def copy(self):
        cdef IntSet o = IntSet.__new__(IntSet)
        intsetFree(o.s)
        o.s = intsetDup(self.s)
        return o


def intset_value_encoding(int64_t v):
    return intsetValueEncoding(v)


def intset_validate(bytes blob, bint deep=True):
    return bool(intsetValidateIntegrity(<const unsigned char *><const char *>blob, len(blob), deep))
