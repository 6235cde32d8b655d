/* crc64.c -- table-driven CRC-64/Jones, eight bytes per step.
 *
 * The polynomial 0xad93d23594c935a9 is used bit-reflected (the CRC shifts
 * right and consumes each byte least significant bit first), so the
 * tables hold the reflected polynomial.  T[0][b] is the CRC of the single
 * byte b; T[k][b] is the CRC of b followed by k zero bytes.  A 64-bit
 * little-endian word xored into the CRC can then be folded with eight
 * independent lookups instead of eight dependent ones ("slicing by 8"),
 * which is what makes checksumming a whole RDB file cheap.  The tail
 * shorter than a word goes byte by byte with T[0].
 *
 * The tables are built once, lazily; the server is single-threaded and a
 * forked child inherits them already built.
 */
#include "crc64.h"

#include <string.h>

#define CRC64_POLY 0xad93d23594c935a9ULL

static uint64_t T[8][256];
static int built = 0;

static uint64_t reflect64(uint64_t v) {
    uint64_t r = 0;
    for (int i = 0; i < 64; i++) {
        r = (r << 1) | (v & 1);
        v >>= 1;
    }
    return r;
}

void crc64Init(void) {
    if (built) return;
    uint64_t poly = reflect64(CRC64_POLY);
    for (int b = 0; b < 256; b++) {
        uint64_t c = (uint64_t)b;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
        T[0][b] = c;
    }
    for (int b = 0; b < 256; b++)
        for (int k = 1; k < 8; k++) T[k][b] = (T[k - 1][b] >> 8) ^ T[0][T[k - 1][b] & 0xff];
    built = 1;
}

static inline uint64_t load_le64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

uint64_t crc64(uint64_t crc, const void *p, size_t n) {
    const unsigned char *s = p;
    if (!built) crc64Init();
    while (n >= 8) {
        crc ^= load_le64(s);
        crc = T[7][crc & 0xff] ^ T[6][(crc >> 8) & 0xff] ^ T[5][(crc >> 16) & 0xff] ^
              T[4][(crc >> 24) & 0xff] ^ T[3][(crc >> 32) & 0xff] ^ T[2][(crc >> 40) & 0xff] ^
              T[1][(crc >> 48) & 0xff] ^ T[0][crc >> 56];
        s += 8;
        n -= 8;
    }
    while (n--) crc = T[0][(crc ^ *s++) & 0xff] ^ (crc >> 8);
    return crc;
}
