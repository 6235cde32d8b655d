/* HyperLogLog in Redis's exact string format: the "HYLL" header, sparse
 * and dense register encodings, MurmurHash64A, the Ertl estimator.  The
 * caller owns the string buffers; these functions never allocate. */
#ifndef PYREDIS_HYPERLOGLOG_H
#define PYREDIS_HYPERLOGLOG_H

#include <stddef.h>
#include <stdint.h>

#define HLL_P 14
#define HLL_Q (64 - HLL_P)
#define HLL_REGISTERS (1 << HLL_P)
#define HLL_BITS 6
#define HLL_HDR_SIZE 16
#define HLL_DENSE_SIZE (HLL_HDR_SIZE + (HLL_REGISTERS * HLL_BITS + 7) / 8)
#define HLL_SPARSE_EMPTY_SIZE (HLL_HDR_SIZE + 2)
#define HLL_DENSE 0
#define HLL_SPARSE 1
#define HLL_RAW 255 /* internal only: one byte per register */

/* hllSparseSet result beside 0/1/-1: the sparse form cannot take the value
 * (too large, or longer than sparse_max): convert to dense and retry. */
#define HLL_PROMOTE 2

uint64_t hllMurmurHash64A(const void *key, size_t len, uint64_t seed);
int hllPatLen(const unsigned char *ele, size_t n, long *index);
int hllIsValid(const uint8_t *p, size_t len);
void hllInitSparse(uint8_t *p);
int hllValidCache(const uint8_t *p);
void hllInvalidateCache(uint8_t *p);
uint64_t hllGetCache(const uint8_t *p);
void hllSetCache(uint8_t *p, uint64_t card);
int hllDenseGet(const uint8_t *registers, long index);
int hllDenseSet(uint8_t *registers, long index, uint8_t count);
int hllSparseSet(uint8_t *p, size_t *len, long index, uint8_t count, size_t sparse_max);
int hllSparseToDense(const uint8_t *sparse, size_t len, uint8_t *dense);
int hllMerge(uint8_t *max, const uint8_t *p, size_t len);
uint64_t hllCount(const uint8_t *p, size_t len, int *invalid);
size_t hllSparseDecode(const uint8_t *p, size_t len, char *out, size_t outcap);

#endif
