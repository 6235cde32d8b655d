/* intset.h -- a sorted set of integers in one contiguous blob.
 *
 * The blob is byte-for-byte Redis's intset serialization, so RDB can write
 * it as is and read one back after intsetValidateIntegrity():
 *
 *     uint32 LE encoding   bytes per element: 2, 4 or 8
 *     uint32 LE length     number of elements
 *     length * encoding    signed little-endian integers, strictly ascending
 *
 * All elements share the width of the widest one; adding a value that does
 * not fit upgrades every element (the set never downgrades).
 */
#ifndef PYREDIS_INTSET_H
#define PYREDIS_INTSET_H

#include <stddef.h>
#include <stdint.h>

#define INTSET_ENC_INT16 2
#define INTSET_ENC_INT32 4
#define INTSET_ENC_INT64 8

typedef struct intset {
    uint32_t encoding;      /* little-endian on the wire and in memory */
    uint32_t length;
    int8_t contents[];
} intset;

/* NULL on allocation failure. */
intset *intsetNew(void);
intset *intsetDup(const intset *is);
void intsetFree(intset *is);

/* Both return the (possibly moved) set and set *success to 1 when the set
 * changed, 0 when the value was already there / absent.  intsetAdd returns
 * NULL on allocation failure, leaving `is` untouched and valid. */
intset *intsetAdd(intset *is, int64_t value, int *success);
intset *intsetRemove(intset *is, int64_t value, int *success);

int intsetFind(const intset *is, int64_t value);
/* 1 and *value when pos < length, else 0 */
int intsetGet(const intset *is, uint32_t pos, int64_t *value);
int64_t intsetRandom(const intset *is);          /* length must be > 0 */
int64_t intsetMin(const intset *is);
int64_t intsetMax(const intset *is);
uint32_t intsetLen(const intset *is);
size_t intsetBlobLen(const intset *is);
/* Encoding (2, 4 or 8) needed to hold v */
uint32_t intsetValueEncoding(int64_t v);

/* Check an untrusted blob of `size` bytes: a known encoding, a length that
 * matches the size exactly, at least one element, and (when deep) elements
 * strictly ascending.  A wider encoding than the values need is accepted,
 * as Redis accepts it.  1 valid, 0 not. */
int intsetValidateIntegrity(const unsigned char *blob, size_t size, int deep);

#endif
