/* intset.c -- sorted integer set with adaptive element width.
 *
 * Layout (see intset.h): an 8-byte header then `length` elements of
 * `encoding` bytes, ascending, all little-endian whatever the host.  Every
 * element access goes through getAt/setAt, which convert from/to the
 * little-endian wire form; the header fields are converted by hdr32.
 *
 * Operations:
 *  - lookup is a binary search (with a fast exit for values outside
 *    [min, max]), so find is O(log n);
 *  - add/remove memmove the tail, so they are O(n) -- fine because a set
 *    only stays an intset up to set-max-intset-entries elements;
 *  - adding a value wider than the current encoding "upgrades": the blob is
 *    grown to the new width and the elements are re-spread from the last
 *    to the first (so nothing is overwritten before it is read).  The new
 *    value is then either below every element (it is negative) or above
 *    every one, so it goes to the first or last slot without a search.
 *
 * Invariants: encoding is 2, 4 or 8; elements strictly ascending; every
 * element fits the encoding; the allocation holds exactly intsetBlobLen().
 */
#include "intset.h"
#include "zmalloc.h"

#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define hdr32(v) __builtin_bswap32(v)
#define le16(v) __builtin_bswap16(v)
#define le32(v) __builtin_bswap32(v)
#define le64(v) __builtin_bswap64(v)
#else
#define hdr32(v) (v)
#define le16(v) (v)
#define le32(v) (v)
#define le64(v) (v)
#endif

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static inline uint64_t nextRandom(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint32_t intsetValueEncoding(int64_t v) {
    if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64;
    if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32;
    return INTSET_ENC_INT16;
}

static inline int64_t getAt(const int8_t *contents, uint32_t enc, uint32_t pos) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v;
        memcpy(&v, contents + (size_t)pos * 8, 8);
        return (int64_t)le64(v);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v;
        memcpy(&v, contents + (size_t)pos * 4, 4);
        return (int32_t)le32(v);
    } else {
        uint16_t v;
        memcpy(&v, contents + (size_t)pos * 2, 2);
        return (int16_t)le16(v);
    }
}

static inline void setAt(int8_t *contents, uint32_t enc, uint32_t pos, int64_t value) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v = le64((uint64_t)value);
        memcpy(contents + (size_t)pos * 8, &v, 8);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v = le32((uint32_t)(int32_t)value);
        memcpy(contents + (size_t)pos * 4, &v, 4);
    } else {
        uint16_t v = le16((uint16_t)(int16_t)value);
        memcpy(contents + (size_t)pos * 2, &v, 2);
    }
}

#define ENC(is) hdr32((is)->encoding)
#define LEN(is) hdr32((is)->length)

uint32_t intsetLen(const intset *is) { return LEN(is); }

size_t intsetBlobLen(const intset *is) {
    return sizeof(intset) + (size_t)LEN(is) * ENC(is);
}

intset *intsetNew(void) {
    intset *is = zmalloc(sizeof(intset));
    if (!is) return NULL;
    is->encoding = hdr32(INTSET_ENC_INT16);
    is->length = 0;
    return is;
}

intset *intsetDup(const intset *is) {
    size_t n = intsetBlobLen(is);
    intset *copy = zmalloc(n);
    if (copy) memcpy(copy, is, n);
    return copy;
}

void intsetFree(intset *is) { zfree(is); }

/* Position of value (1) or of where it would be inserted (0). */
static int search(const intset *is, int64_t value, uint32_t *pos) {
    uint32_t len = LEN(is), enc = ENC(is);
    if (len == 0) {
        *pos = 0;
        return 0;
    }
    if (value > getAt(is->contents, enc, len - 1)) {
        *pos = len;
        return 0;
    }
    if (value < getAt(is->contents, enc, 0)) {
        *pos = 0;
        return 0;
    }
    uint32_t lo = 0, hi = len;      /* answer in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = getAt(is->contents, enc, mid);
        if (cur == value) {
            *pos = mid;
            return 1;
        }
        if (cur < value) lo = mid + 1;
        else hi = mid;
    }
    *pos = lo;
    return 0;
}

static intset *resize(intset *is, uint32_t len, uint32_t enc) {
    return zrealloc(is, sizeof(intset) + (size_t)len * enc);
}

static intset *upgradeAndAdd(intset *is, int64_t value) {
    uint32_t oldenc = ENC(is), newenc = intsetValueEncoding(value);
    uint32_t len = LEN(is);
    int prepend = value < 0;
    intset *grown = resize(is, len + 1, newenc);
    if (!grown) return NULL;
    is = grown;
    /* back to front: a widened element only ever lands at or after the
     * bytes it was read from */
    for (uint32_t i = len; i-- > 0;)
        setAt(is->contents, newenc, i + prepend, getAt(is->contents, oldenc, i));
    setAt(is->contents, newenc, prepend ? 0 : len, value);
    is->encoding = hdr32(newenc);
    is->length = hdr32(len + 1);
    return is;
}

intset *intsetAdd(intset *is, int64_t value, int *success) {
    uint32_t pos, len = LEN(is), enc = ENC(is);
    if (success) *success = 0;
    if (intsetValueEncoding(value) > enc) {
        intset *n = upgradeAndAdd(is, value);
        if (n && success) *success = 1;
        return n;
    }
    if (search(is, value, &pos)) return is;
    intset *grown = resize(is, len + 1, enc);
    if (!grown) return NULL;
    is = grown;
    if (pos < len)
        memmove(is->contents + (size_t)(pos + 1) * enc, is->contents + (size_t)pos * enc,
                (size_t)(len - pos) * enc);
    setAt(is->contents, enc, pos, value);
    is->length = hdr32(len + 1);
    if (success) *success = 1;
    return is;
}

intset *intsetRemove(intset *is, int64_t value, int *success) {
    uint32_t pos, len = LEN(is), enc = ENC(is);
    if (success) *success = 0;
    if (intsetValueEncoding(value) > enc || !search(is, value, &pos)) return is;
    memmove(is->contents + (size_t)pos * enc, is->contents + (size_t)(pos + 1) * enc,
            (size_t)(len - pos - 1) * enc);
    is->length = hdr32(len - 1);
    /* a failed shrink keeps the larger block, which is still correct */
    intset *shrunk = resize(is, len - 1, enc);
    if (shrunk) is = shrunk;
    if (success) *success = 1;
    return is;
}

int intsetFind(const intset *is, int64_t value) {
    uint32_t pos;
    return intsetValueEncoding(value) <= ENC(is) && search(is, value, &pos);
}

int intsetGet(const intset *is, uint32_t pos, int64_t *value) {
    if (pos >= LEN(is)) return 0;
    *value = getAt(is->contents, ENC(is), pos);
    return 1;
}

int64_t intsetRandom(const intset *is) {
    return getAt(is->contents, ENC(is), (uint32_t)(nextRandom() % LEN(is)));
}

int64_t intsetMin(const intset *is) { return getAt(is->contents, ENC(is), 0); }

int64_t intsetMax(const intset *is) { return getAt(is->contents, ENC(is), LEN(is) - 1); }

int intsetValidateIntegrity(const unsigned char *blob, size_t size, int deep) {
    intset hdr;
    if (size < sizeof(intset)) return 0;
    memcpy(&hdr, blob, sizeof(intset));
    uint32_t enc = hdr32(hdr.encoding), len = hdr32(hdr.length);
    if (enc != INTSET_ENC_INT16 && enc != INTSET_ENC_INT32 && enc != INTSET_ENC_INT64)
        return 0;
    if ((size - sizeof(intset)) / enc < len || sizeof(intset) + (size_t)len * enc != size)
        return 0;
    if (len == 0) return 0;
    if (!deep) return 1;
    const int8_t *contents = (const int8_t *)blob + sizeof(intset);
    int64_t prev = getAt(contents, enc, 0);
    for (uint32_t i = 1; i < len; i++) {
        int64_t cur = getAt(contents, enc, i);
        if (cur <= prev) return 0;
        prev = cur;
    }
    return 1;
}
