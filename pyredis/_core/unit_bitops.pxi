# Test wrappers over csrc/bitops.c: bitmaps are bytes, results Python ints.
from libc.stdint cimport uint64_t, uint8_t, int64_t
from libc.stdlib cimport malloc, free


cdef extern from "bitops.h" nogil:
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


def bitops_popcount(bytes data, size_t offset=0):
    """Population count of data[offset:] (offset tests unaligned heads)."""
    return bitopsPopcount(<const uint8_t *><char *>data + offset, len(data) - offset)


def bitops_bitpos(bytes data, int bit):
    return bitopsBitpos(<const uint8_t *><char *>data, len(data), bit)


def bitops_combine(int op, list sources):
    cdef int n = len(sources)
    cdef size_t maxlen = max([len(s) for s in sources])
    cdef const uint8_t **src = <const uint8_t **>malloc(n * sizeof(uint8_t *))
    cdef size_t *lens = <size_t *>malloc(n * sizeof(size_t))
    out = bytearray(maxlen)
    cdef unsigned char[:] view = out
    try:
        for j in range(n):
            src[j] = <const uint8_t *><char *>sources[j]
            lens[j] = len(sources[j])
        if maxlen:
            bitopsCombine(op, &view[0], src, lens, n, maxlen)
    finally:
        free(src)
        free(lens)
    return bytes(out)


def bitops_get(bytes data, uint64_t offset, int bits, bint signed):
    if signed:
        return bitopsGetSigned(<const uint8_t *><char *>data, offset, bits)
    return bitopsGetUnsigned(<const uint8_t *><char *>data, offset, bits)


def bitops_set(bytes data, uint64_t offset, int bits, uint64_t value):
    out = bytearray(data)
    cdef unsigned char[:] view = out
    bitopsSetUnsigned(&view[0], offset, bits, value)
    return bytes(out)


def bitops_overflow(bint signed, value, int64_t incr, int bits, int owtype):
    """(overflow direction, value to write or None)."""
    cdef uint64_t ul = 0
    cdef int64_t sl = 0
    cdef int r
    if signed:
        r = bitopsSignedOverflow(value, incr, bits, owtype, &sl)
        return r, (sl if r and owtype != 2 else None)
    r = bitopsUnsignedOverflow(value, incr, bits, owtype, &ul)
    return r, (ul if r and owtype != 2 else None)
