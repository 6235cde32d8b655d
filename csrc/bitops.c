/* Bitmap primitives.
 *
 * Design: a bitmap is the byte string of a string value; bit 0 is the
 * MSB of byte 0.  Population count and search work a 64-bit word at a
 * time once the pointer is aligned (popcount via the compiler builtin,
 * search by skipping words that are all 0s or all 1s), with byte loops
 * for the unaligned head and the tail.  Bitfields of 1..64 bits are read
 * and written one bit at a time: they are short, and this keeps the
 * byte-order reasoning trivial.
 *
 * Overflow rules (BITFIELD OVERFLOW WRAP|SAT|FAIL) follow Redis: the
 * check functions return 1 on overflow (2's complement wrap for WRAP,
 * the violated bound for SAT; FAIL makes the caller skip the write) and
 * store the value to write in *limit.
 */
#include <string.h>
#include "bitops.h"

size_t bitopsPopcount(const uint8_t *p, size_t n) {
    size_t count = 0;
    while (n && ((uintptr_t)p & 7)) {
        count += (size_t)__builtin_popcount(*p++);
        n--;
    }
    while (n >= 32) {
        uint64_t w[4];
        memcpy(w, p, 32);
        count += (size_t)(__builtin_popcountll(w[0]) + __builtin_popcountll(w[1]) +
                          __builtin_popcountll(w[2]) + __builtin_popcountll(w[3]));
        p += 32;
        n -= 32;
    }
    while (n--) count += (size_t)__builtin_popcount(*p++);
    return count;
}

/* Position of the first bit equal to `bit` in p[0..n).  Not found: -1 for
 * bit 1; for bit 0 the first bit past the end (n*8), as if the string were
 * padded with zeros, which is what Redis's redisBitpos answers. */
long long bitopsBitpos(const uint8_t *p, size_t n, int bit) {
    const uint8_t skip = bit ? 0 : 0xff;
    size_t i = 0;
    while (i < n && ((uintptr_t)(p + i) & 7) && p[i] == skip) i++;
    if (i < n && !((uintptr_t)(p + i) & 7)) {
        const uint64_t wskip = bit ? 0 : UINT64_MAX;
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w != wskip) break;
            i += 8;
        }
    }
    while (i < n && p[i] == skip) i++;
    if (i == n) return bit ? -1 : (long long)n * 8;
    uint8_t b = p[i];
    for (int j = 0; j < 8; j++) {
        int v = (b >> (7 - j)) & 1;
        if (v == bit) return (long long)i * 8 + j;
    }
    return -1; /* unreachable: b != skip */
}

/* dst[0..maxlen) = op over the sources, missing bytes reading as 0. */
void bitopsCombine(int op, uint8_t *dst, const uint8_t **src, const size_t *len,
                   int nsrc, size_t maxlen) {
    for (size_t i = 0; i < maxlen; i++) {
        uint8_t out = i < len[0] ? src[0][i] : 0;
        if (op == BITOP_NOT) {
            out = (uint8_t)~out;
        } else {
            for (int j = 1; j < nsrc; j++) {
                uint8_t b = i < len[j] ? src[j][i] : 0;
                if (op == BITOP_AND) out &= b;
                else if (op == BITOP_OR) out |= b;
                else out ^= b;
            }
        }
        dst[i] = out;
    }
}

uint64_t bitopsGetUnsigned(const uint8_t *p, uint64_t offset, int bits) {
    uint64_t value = 0;
    for (int j = 0; j < bits; j++, offset++) {
        uint64_t bit = (p[offset >> 3] >> (7 - (offset & 7))) & 1;
        value = (value << 1) | bit;
    }
    return value;
}

int64_t bitopsGetSigned(const uint8_t *p, uint64_t offset, int bits) {
    uint64_t value = bitopsGetUnsigned(p, offset, bits);
    if (bits < 64 && (value & ((uint64_t)1 << (bits - 1))))
        value |= UINT64_MAX << bits;
    return (int64_t)value;
}

void bitopsSetUnsigned(uint8_t *p, uint64_t offset, int bits, uint64_t value) {
    for (int j = 0; j < bits; j++, offset++) {
        uint64_t bit = (value >> (bits - 1 - j)) & 1;
        uint8_t mask = (uint8_t)(1 << (7 - (offset & 7)));
        if (bit) p[offset >> 3] |= mask;
        else p[offset >> 3] &= (uint8_t)~mask;
    }
}

int bitopsUnsignedOverflow(uint64_t value, int64_t incr, int bits, int owtype,
                           uint64_t *limit) {
    uint64_t max = bits == 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
    int64_t maxincr = (int64_t)(max - value);
    int64_t minincr = -(int64_t)value;
    if (value > max || (incr > 0 && incr > maxincr)) {
        if (owtype == BFOVERFLOW_WRAP) goto wrap;
        if (owtype == BFOVERFLOW_SAT) *limit = max;
        return 1;
    } else if (incr < 0 && incr < minincr) {
        if (owtype == BFOVERFLOW_WRAP) goto wrap;
        if (owtype == BFOVERFLOW_SAT) *limit = 0;
        return -1;
    }
    return 0;
wrap: {
        uint64_t mask = bits == 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
        *limit = (value + (uint64_t)incr) & mask;
        return 1;
    }
}

int bitopsSignedOverflow(int64_t value, int64_t incr, int bits, int owtype,
                         int64_t *limit) {
    int64_t max = bits == 64 ? INT64_MAX : (((int64_t)1 << (bits - 1)) - 1);
    int64_t min = -max - 1;
    /* Sum computed in unsigned arithmetic: overflow of int64 is undefined. */
    int64_t maxincr = (int64_t)((uint64_t)max - (uint64_t)value);
    int64_t minincr = (int64_t)((uint64_t)min - (uint64_t)value);
    if (value > max || (bits != 64 && incr > maxincr) ||
        (value >= 0 && incr > 0 && incr > maxincr)) {
        if (owtype == BFOVERFLOW_WRAP) goto wrap;
        if (owtype == BFOVERFLOW_SAT) *limit = max;
        return 1;
    } else if (value < min || (bits != 64 && incr < minincr) ||
               (value < 0 && incr < 0 && incr < minincr)) {
        if (owtype == BFOVERFLOW_WRAP) goto wrap;
        if (owtype == BFOVERFLOW_SAT) *limit = min;
        return -1;
    }
    return 0;
wrap: {
        uint64_t msb = (uint64_t)1 << (bits - 1);
        uint64_t c = (uint64_t)value + (uint64_t)incr;
        if (bits < 64) {
            uint64_t mask = UINT64_MAX << bits;
            if (c & msb) c |= mask;
            else c &= ~mask;
        }
        *limit = (int64_t)c;
        return 1;
    }
}
