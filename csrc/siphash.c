/* siphash.c -- SipHash-1-2, written from the published description
 * (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012).
 *
 * State: four 64-bit words v0..v3 initialised from the two little-endian
 * halves k0, k1 of the key xor four fixed constants.  The input is read as
 * little-endian 64-bit words m; each is absorbed as
 *     v3 ^= m;  c x SIPROUND;  v0 ^= m;
 * The final word holds the 0..7 trailing bytes in its low bytes and
 * (inlen mod 256) in its top byte, so every input length is a distinct
 * message.  Finalisation: v2 ^= 0xff; d x SIPROUND; out = v0^v1^v2^v3.
 *
 * Invariants / conventions:
 *  - c = 1, d = 2 here (SIPHASH_C_ROUNDS / SIPHASH_D_ROUNDS); the variant is
 *    chosen for speed on short keys, the keyed output still hides bucket
 *    positions from clients.
 *  - Byte order is fixed (little-endian loads done byte by byte), so the
 *    result is the same on any host and matches the reference vectors for
 *    the same c/d.
 *  - Reads never go past in[inlen-1]; in may be unaligned.
 */
#include "siphash.h"

#define SIPHASH_C_ROUNDS 1
#define SIPHASH_D_ROUNDS 2

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND()                                                             \
    do {                                                                       \
        v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32);          \
        v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;                               \
        v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;                               \
        v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32);          \
    } while (0)

static inline uint64_t load64le(const uint8_t *p) {
    return (uint64_t)p[0] | ((uint64_t)p[1] << 8) | ((uint64_t)p[2] << 16) |
           ((uint64_t)p[3] << 24) | ((uint64_t)p[4] << 32) |
           ((uint64_t)p[5] << 40) | ((uint64_t)p[6] << 48) |
           ((uint64_t)p[7] << 56);
}

uint64_t siphash(const uint8_t *in, size_t inlen, const uint8_t k[16]) {
    uint64_t k0 = load64le(k), k1 = load64le(k + 8);
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = k1 ^ 0x7465646279746573ULL;
    const uint8_t *end = in + (inlen & ~(size_t)7);
    uint64_t m;
    int i;

    for (; in != end; in += 8) {
        m = load64le(in);
        v3 ^= m;
        for (i = 0; i < SIPHASH_C_ROUNDS; i++) SIPROUND();
        v0 ^= m;
    }

    m = (uint64_t)(inlen & 0xff) << 56;
    switch (inlen & 7) {
    case 7: m |= (uint64_t)in[6] << 48; /* fall through */
    case 6: m |= (uint64_t)in[5] << 40; /* fall through */
    case 5: m |= (uint64_t)in[4] << 32; /* fall through */
    case 4: m |= (uint64_t)in[3] << 24; /* fall through */
    case 3: m |= (uint64_t)in[2] << 16; /* fall through */
    case 2: m |= (uint64_t)in[1] << 8;  /* fall through */
    case 1: m |= (uint64_t)in[0];       break;
    case 0: break;
    }
    v3 ^= m;
    for (i = 0; i < SIPHASH_C_ROUNDS; i++) SIPROUND();
    v0 ^= m;

    v2 ^= 0xff;
    for (i = 0; i < SIPHASH_D_ROUNDS; i++) SIPROUND();
    return v0 ^ v1 ^ v2 ^ v3;
}
