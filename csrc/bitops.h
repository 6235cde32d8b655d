/* Bit-level primitives for the bitmap commands (SETBIT, BITCOUNT, BITPOS,
 * BITOP, BITFIELD).  Bits are numbered from the most significant bit of
 * byte 0, as Redis does, so a bitmap reads left to right.  No Python. */
#ifndef PYREDIS_BITOPS_H
#define PYREDIS_BITOPS_H

#include <stddef.h>
#include <stdint.h>

enum { BITOP_AND = 0, BITOP_OR = 1, BITOP_XOR = 2, BITOP_NOT = 3 };
enum { BFOVERFLOW_WRAP = 0, BFOVERFLOW_SAT = 1, BFOVERFLOW_FAIL = 2 };

size_t bitopsPopcount(const uint8_t *p, size_t n);
long long bitopsBitpos(const uint8_t *p, size_t n, int bit);
void bitopsCombine(int op, uint8_t *dst, const uint8_t **src, const size_t *len,
                   int nsrc, size_t maxlen);
uint64_t bitopsGetUnsigned(const uint8_t *p, uint64_t offset, int bits);
int64_t bitopsGetSigned(const uint8_t *p, uint64_t offset, int bits);
void bitopsSetUnsigned(uint8_t *p, uint64_t offset, int bits, uint64_t value);
int bitopsUnsignedOverflow(uint64_t value, int64_t incr, int bits, int owtype,
                           uint64_t *limit);
int bitopsSignedOverflow(int64_t value, int64_t incr, int bits, int owtype,
                         int64_t *limit);

#endif
