# Test wrapper over csrc/zmalloc.c.  ZHeap owns the blocks it hands out
# (as integer handles) and frees what is left when it goes away, so a
# failing test cannot leak or double-free through it.
from libc.stdint cimport uintptr_t
cimport csrc as _cz


cdef extern from "zmalloc.h" nogil:
    enum: ZMALLOC_SLAB_MAX
    int zmalloc_slab_stats(int cls, size_t *objsize, size_t *pages, size_t *live)
    size_t zmalloc_libc_memory()


SLAB_MAX = ZMALLOC_SLAB_MAX


def zm_used_memory():
    return _cz.zmalloc_used_memory()


def zm_libc_memory():
    return zmalloc_libc_memory()


def zm_lib():
    return _cz.zmalloc_lib().decode()


def zm_slab_stats():
    """One (object size, pages, live objects) tuple per slab class."""
    cdef size_t objsize, pages, live
    cdef int cls = 0
    out = []
    while zmalloc_slab_stats(cls, &objsize, &pages, &live):
        out.append((objsize, pages, live))
        cls += 1
    return out


cdef inline unsigned char _pattern(unsigned int seed, size_t i):
    return <unsigned char>(seed + i * 31)


cdef class ZHeap:
    cdef dict blocks      # handle -> address
    cdef Py_ssize_t next_handle

    def __cinit__(self):
        self.blocks = {}
        self.next_handle = 0

    def __dealloc__(self):
        for addr in self.blocks.values():
            _cz.zfree(<void *><uintptr_t>addr)

    cdef void *ptr(self, Py_ssize_t h) except NULL:
        return <void *><uintptr_t>self.blocks[h]

    def alloc(self, size_t size, bint zero=False):
        cdef void *p = _cz.zcalloc(size) if zero else _cz.zmalloc(size)
        if p == NULL:
            raise MemoryError()
        h = self.next_handle
        self.next_handle += 1
        self.blocks[h] = <uintptr_t>p
        return h

    def realloc(self, Py_ssize_t h, size_t size):
        cdef void *p = _cz.zrealloc(self.ptr(h), size)
        if p == NULL:
            raise MemoryError()
        self.blocks[h] = <uintptr_t>p

    def free(self, Py_ssize_t h):
        _cz.zfree(self.ptr(h))
        del self.blocks[h]

    def free_all(self):
        for h in list(self.blocks):
            self.free(h)

    def address(self, Py_ssize_t h):
        return self.blocks[h]

    def usable(self, Py_ssize_t h):
        return _cz.zmalloc_size(self.ptr(h))

    def fill(self, Py_ssize_t h, size_t n, unsigned int seed):
        cdef unsigned char *p = <unsigned char *>self.ptr(h)
        cdef size_t i
        for i in range(n):
            p[i] = _pattern(seed, i)

    def check(self, Py_ssize_t h, size_t n, unsigned int seed):
        """True when the first n bytes still hold fill()'s pattern."""
        cdef unsigned char *p = <unsigned char *>self.ptr(h)
        cdef size_t i
        for i in range(n):
            if p[i] != _pattern(seed, i):
                return False
        return True

    def read(self, Py_ssize_t h, size_t n):
        return (<char *>self.ptr(h))[:n]

    def __len__(self):
        return len(self.blocks)
