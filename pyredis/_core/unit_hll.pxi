# Test wrappers over csrc/hyperloglog.c: HLLs are bytes in Redis's format.
from libc.stdint cimport uint64_t, uint8_t
from libc.string cimport memset


cdef extern from "hyperloglog.h" nogil:
    enum:
        HLL_REGISTERS
        HLL_HDR_SIZE
        HLL_DENSE_SIZE
        HLL_SPARSE_EMPTY_SIZE
        HLL_PROMOTE
    uint64_t hllMurmurHash64A(const void *key, size_t len, uint64_t seed)
    int hllPatLen(const unsigned char *ele, size_t n, long *index)
    void hllInitSparse(uint8_t *p)
    int hllDenseGet(const uint8_t *registers, long index)
    int hllDenseSet(uint8_t *registers, long index, uint8_t count)
    int hllSparseSet(uint8_t *p, size_t *len, long index, uint8_t count, size_t sparse_max)
    int hllSparseToDense(const uint8_t *sparse, size_t len, uint8_t *dense)
    uint64_t hllCount(const uint8_t *p, size_t len, int *invalid)


def hll_murmur64a(bytes data, uint64_t seed):
    return hllMurmurHash64A(<char *>data, len(data), seed)


def hll_patlen(bytes data):
    cdef long index
    cdef int count = hllPatLen(<const unsigned char *><char *>data, len(data), &index)
    return index, count


def hll_empty_sparse():
    cdef uint8_t buf[HLL_SPARSE_EMPTY_SIZE]
    hllInitSparse(buf)
    return bytes(buf[:HLL_SPARSE_EMPTY_SIZE])


def hll_sparse_set(bytes hll, long index, int count, size_t sparse_max=3000):
    """(result, new bytes)."""
    out = bytearray(hll) + bytearray(4)
    cdef unsigned char[:] view = out
    cdef size_t n = len(hll)
    cdef int r = hllSparseSet(&view[0], &n, index, <uint8_t>count, sparse_max)
    return r, bytes(out[:n])


def hll_to_dense(bytes sparse):
    out = bytearray(HLL_DENSE_SIZE + 1)
    cdef unsigned char[:] view = out
    if hllSparseToDense(<const uint8_t *><char *>sparse, len(sparse), &view[0]) != 0:
        return None
    return bytes(out[:HLL_DENSE_SIZE])


def hll_dense_registers(bytes dense):
    padded = dense + b"\0"
    cdef const uint8_t *p = <const uint8_t *><char *>padded
    return [hllDenseGet(p + HLL_HDR_SIZE, i) for i in range(HLL_REGISTERS)]


def hll_count(bytes hll):
    cdef int invalid = 0
    cdef uint64_t card = hllCount(<const uint8_t *><char *>hll, len(hll), &invalid)
    return card, bool(invalid)
