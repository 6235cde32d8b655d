/* HyperLogLog with Redis's representation, so values interchange with
 * Redis byte for byte (GET, DUMP/RESTORE, RDB).
 *
 * Layout: a 16-byte header {"HYLL", encoding, 3 unused bytes, 8-byte
 * little-endian cached cardinality whose top bit marks it stale} then the
 * registers: 16384 registers of 6 bits each.
 *  - dense: registers packed LSB first, 12288 bytes; register i lives in
 *    bits 6i..6i+5 counted from bit 0 of byte 0.  Reading the last
 *    register touches the byte after the array: Redis strings always have
 *    a terminating NUL there, and so do ours.
 *  - sparse: run-length opcodes covering the 16384 registers exactly:
 *      00xxxxxx           ZERO  run of 1..64 zero registers
 *      01xxxxxx yyyyyyyy  XZERO run of 1..16384 zero registers
 *      1vvvvvxx           VAL   run of 1..4 registers of value 1..32
 *    An empty HLL is one XZERO:16384.  A write splits the opcode that
 *    covers the register (at most 3 bytes longer), then merges adjacent
 *    VAL runs of equal value near the write, as Redis does, so the bytes
 *    come out identical.  A value above 32, or a string longer than
 *    hll-sparse-max-bytes, means promotion to dense.
 *
 * Hash: MurmurHash64A, seed 0xadc83b19; the low 14 bits pick the register,
 * the position of the first 1 among the remaining 50 bits (1-based, 51 if
 * none) is the value.  Estimator: Ertl's improved raw estimator
 * (arXiv:1702.01284) over the register histogram, as Redis 7.0.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "hyperloglog.h"

#define REGMAX ((1 << HLL_BITS) - 1)
#define ALPHA_INF 0.721347520444481703680 /* 0.5/ln(2) */
#define SEED 0xadc83b19ULL

#define IS_ZERO(p) (((*(p)) & 0xc0) == 0)
#define IS_XZERO(p) (((*(p)) & 0xc0) == 0x40)
#define IS_VAL(p) ((*(p)) & 0x80)
#define ZERO_LEN(p) (((*(p)) & 0x3f) + 1)
#define XZERO_LEN(p) (((((*(p)) & 0x3f) << 8) | (*((p) + 1))) + 1)
#define VAL_VALUE(p) ((((*(p)) >> 2) & 0x1f) + 1)
#define VAL_LEN(p) (((*(p)) & 0x3) + 1)
#define VAL_MAX_VALUE 32
#define VAL_MAX_LEN 4
#define ZERO_MAX_LEN 64
#define XZERO_MAX_LEN 16384

static void setVal(uint8_t *p, int val, int len) {
    *p = (uint8_t)((((val) - 1) << 2) | ((len) - 1) | 0x80);
}

/* ZERO or XZERO, whichever fits; returns the bytes written. */
static int setZeros(uint8_t *p, int len) {
    if (len > ZERO_MAX_LEN) {
        int l = len - 1;
        p[0] = (uint8_t)((l >> 8) | 0x40);
        p[1] = (uint8_t)(l & 0xff);
        return 2;
    }
    p[0] = (uint8_t)(len - 1);
    return 1;
}

uint64_t hllMurmurHash64A(const void *key, size_t len, uint64_t seed) {
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    const int r = 47;
    uint64_t h = seed ^ ((uint64_t)len * m);
    const uint8_t *data = key;
    const uint8_t *end = data + (len - (len & 7));
    while (data != end) {
        uint64_t k = 0;
        for (int i = 7; i >= 0; i--) k = (k << 8) | data[i]; /* little endian */
        k *= m;
        k ^= k >> r;
        k *= m;
        h ^= k;
        h *= m;
        data += 8;
    }
    switch (len & 7) {
    case 7: h ^= (uint64_t)data[6] << 48; /* fall through */
    case 6: h ^= (uint64_t)data[5] << 40; /* fall through */
    case 5: h ^= (uint64_t)data[4] << 32; /* fall through */
    case 4: h ^= (uint64_t)data[3] << 24; /* fall through */
    case 3: h ^= (uint64_t)data[2] << 16; /* fall through */
    case 2: h ^= (uint64_t)data[1] << 8; /* fall through */
    case 1: h ^= (uint64_t)data[0]; h *= m;
    }
    h ^= h >> r;
    h *= m;
    h ^= h >> r;
    return h;
}

int hllPatLen(const unsigned char *ele, size_t n, long *index) {
    uint64_t hash = hllMurmurHash64A(ele, n, SEED);
    *index = (long)(hash & (HLL_REGISTERS - 1));
    hash >>= HLL_P;
    hash |= (uint64_t)1 << HLL_Q;
    int count = 1;
    uint64_t bit = 1;
    while ((hash & bit) == 0) {
        count++;
        bit <<= 1;
    }
    return count;
}

int hllIsValid(const uint8_t *p, size_t len) {
    if (len < HLL_HDR_SIZE) return 0;
    if (memcmp(p, "HYLL", 4) != 0) return 0;
    if (p[4] > HLL_SPARSE) return 0;
    if (p[4] == HLL_DENSE && len != HLL_DENSE_SIZE) return 0;
    return 1;
}

void hllInitSparse(uint8_t *p) {
    memset(p, 0, HLL_SPARSE_EMPTY_SIZE);
    memcpy(p, "HYLL", 4);
    p[4] = HLL_SPARSE;
    setZeros(p + HLL_HDR_SIZE, HLL_REGISTERS);
}

int hllValidCache(const uint8_t *p) { return (p[15] & 0x80) == 0; }
void hllInvalidateCache(uint8_t *p) { p[15] |= 0x80; }

uint64_t hllGetCache(const uint8_t *p) {
    uint64_t card = 0;
    for (int i = 7; i >= 0; i--) card = (card << 8) | p[8 + i];
    return card;
}

void hllSetCache(uint8_t *p, uint64_t card) {
    for (int i = 0; i < 8; i++) p[8 + i] = (uint8_t)(card >> (8 * i));
}

/* Four 6-bit registers fill three bytes: whole-array passes (merge,
 * histogram) decode them a group at a time. */
static inline void denseGroup(const uint8_t *r, uint8_t v[4]) {
    v[0] = r[0] & REGMAX;
    v[1] = (uint8_t)((r[0] >> 6) | (r[1] << 2)) & REGMAX;
    v[2] = (uint8_t)((r[1] >> 4) | (r[2] << 4)) & REGMAX;
    v[3] = r[2] >> 2;
}

int hllDenseGet(const uint8_t *registers, long index) {
    unsigned long byte = (unsigned long)index * HLL_BITS / 8;
    unsigned long fb = ((unsigned long)index * HLL_BITS) & 7;
    unsigned long b0 = registers[byte], b1 = registers[byte + 1];
    return (int)(((b0 >> fb) | (b1 << (8 - fb))) & REGMAX);
}

static void denseWrite(uint8_t *registers, long index, unsigned long v) {
    unsigned long byte = (unsigned long)index * HLL_BITS / 8;
    unsigned long fb = ((unsigned long)index * HLL_BITS) & 7;
    unsigned long fb8 = 8 - fb;
    registers[byte] &= (uint8_t)~(REGMAX << fb);
    registers[byte] |= (uint8_t)(v << fb);
    registers[byte + 1] &= (uint8_t)~(REGMAX >> fb8);
    registers[byte + 1] |= (uint8_t)(v >> fb8);
}

int hllDenseSet(uint8_t *registers, long index, uint8_t count) {
    if (count <= hllDenseGet(registers, index)) return 0;
    denseWrite(registers, index, count);
    return 1;
}

/* Set register `index` to `count` if larger.  The buffer must have room
 * for *len + 3 bytes.  1 changed, 0 not, -1 corrupt, HLL_PROMOTE. */
int hllSparseSet(uint8_t *hll, size_t *len, long index, uint8_t count, size_t sparse_max) {
    if (count > VAL_MAX_VALUE) return HLL_PROMOTE;
    uint8_t *sparse = hll + HLL_HDR_SIZE, *p = sparse, *end = hll + *len;
    uint8_t *prev = NULL, *next;
    long first = 0, span = 0;
    while (p < end) {
        int oplen = 1;
        if (IS_ZERO(p)) span = ZERO_LEN(p);
        else if (IS_VAL(p)) span = VAL_LEN(p);
        else {
            span = XZERO_LEN(p);
            oplen = 2;
        }
        if (index <= first + span - 1) break;
        prev = p;
        p += oplen;
        first += span;
    }
    if (span == 0 || p >= end) return -1;
    int is_xzero = IS_XZERO(p), is_val = IS_VAL(p) != 0;
    long runlen = is_val ? VAL_LEN(p) : (is_xzero ? XZERO_LEN(p) : ZERO_LEN(p));
    next = is_xzero ? p + 2 : p + 1;
    if (next >= end) next = NULL;

    if (is_val) {
        if (VAL_VALUE(p) >= count) return 0;
        if (runlen == 1) {
            setVal(p, count, 1);
            goto updated;
        }
    } else if (!is_xzero && runlen == 1) {
        setVal(p, count, 1);
        goto updated;
    }

    /* Split the run into (before, the new value, after). */
    uint8_t seq[5], *n = seq;
    long last = first + span - 1;
    if (!is_val) {
        if (index != first) n += setZeros(n, (int)(index - first));
        setVal(n++, count, 1);
        if (index != last) n += setZeros(n, (int)(last - index));
    } else {
        int curval = VAL_VALUE(p);
        if (index != first) setVal(n++, curval, (int)(index - first));
        setVal(n++, count, 1);
        if (index != last) setVal(n++, curval, (int)(last - index));
    }
    int seqlen = (int)(n - seq);
    int deltalen = seqlen - (is_xzero ? 2 : 1);
    if (deltalen > 0 && *len + deltalen > sparse_max) return HLL_PROMOTE;
    if (deltalen && next) memmove(next + deltalen, next, (size_t)(end - next));
    *len += deltalen;
    memcpy(p, seq, (size_t)seqlen);
    end += deltalen;

updated:
    /* Merge equal adjacent VAL runs, scanning up to 5 opcodes from prev. */
    p = prev ? prev : sparse;
    int scanlen = 5;
    while (p < end && scanlen--) {
        if (IS_XZERO(p)) {
            p += 2;
            continue;
        } else if (IS_ZERO(p)) {
            p++;
            continue;
        }
        if (p + 1 < end && IS_VAL(p + 1)) {
            int v1 = VAL_VALUE(p), v2 = VAL_VALUE(p + 1);
            if (v1 == v2) {
                int l = VAL_LEN(p) + VAL_LEN(p + 1);
                if (l <= VAL_MAX_LEN) {
                    setVal(p + 1, v1, l);
                    memmove(p, p + 1, (size_t)(end - p - 1));
                    *len -= 1;
                    end--;
                    continue;
                }
            }
        }
        p++;
    }
    hll[*len] = 0;
    hllInvalidateCache(hll);
    return 1;
}

/* dense: HLL_DENSE_SIZE + 1 zeroed bytes.  Header (magic, cache) is
 * copied.  0 ok, -1 when the runs do not cover the registers exactly. */
int hllSparseToDense(const uint8_t *sparse, size_t len, uint8_t *dense) {
    const uint8_t *p = sparse + HLL_HDR_SIZE, *end = sparse + len;
    long idx = 0;
    memcpy(dense, sparse, HLL_HDR_SIZE);
    dense[4] = HLL_DENSE;
    while (p < end) {
        if (IS_ZERO(p)) {
            idx += ZERO_LEN(p);
            p++;
        } else if (IS_XZERO(p)) {
            idx += XZERO_LEN(p);
            p += 2;
        } else {
            long runlen = VAL_LEN(p);
            int regval = VAL_VALUE(p);
            if (runlen + idx > HLL_REGISTERS) break;
            while (runlen--) denseWrite(dense + HLL_HDR_SIZE, idx++, (unsigned long)regval);
            p++;
        }
    }
    return idx == HLL_REGISTERS ? 0 : -1;
}

/* max[i] = MAX(max[i], register i) for a valid dense or sparse HLL. */
int hllMerge(uint8_t *max, const uint8_t *hll, size_t len) {
    if (hll[4] == HLL_DENSE) {
        const uint8_t *r = hll + HLL_HDR_SIZE;
        uint8_t v[4];
        for (long i = 0; i < HLL_REGISTERS; i += 4, r += 3) {
            denseGroup(r, v);
            for (int k = 0; k < 4; k++) /* branch-free: random data */
                max[i + k] = v[k] > max[i + k] ? v[k] : max[i + k];
        }
        return 0;
    }
    const uint8_t *p = hll + HLL_HDR_SIZE, *end = hll + len;
    long i = 0;
    while (p < end) {
        if (IS_ZERO(p)) {
            i += ZERO_LEN(p);
            p++;
        } else if (IS_XZERO(p)) {
            i += XZERO_LEN(p);
            p += 2;
        } else {
            long runlen = VAL_LEN(p);
            uint8_t regval = (uint8_t)VAL_VALUE(p);
            if (runlen + i > HLL_REGISTERS) break;
            while (runlen--) {
                if (regval > max[i]) max[i] = regval;
                i++;
            }
            p++;
        }
    }
    return i == HLL_REGISTERS ? 0 : -1;
}

static double sigma(double x) {
    if (x == 1.) return INFINITY;
    double zPrime, y = 1, z = x;
    do {
        x *= x;
        zPrime = z;
        z += x * y;
        y += y;
    } while (zPrime != z);
    return z;
}

static double tau(double x) {
    if (x == 0. || x == 1.) return 0.;
    double zPrime, y = 1.0, z = 1 - x;
    do {
        x = sqrt(x);
        zPrime = z;
        y *= 0.5;
        z -= pow(1 - x, 2) * y;
    } while (zPrime != z);
    return z / 3;
}

/* Cardinality of a dense, sparse or raw (HLL_RAW, one byte per register
 * after the header) HLL.  *invalid (may be NULL) set for corrupt sparse. */
uint64_t hllCount(const uint8_t *hll, size_t len, int *invalid) {
    double m = HLL_REGISTERS;
    int reghisto[64] = {0};
    const uint8_t *regs = hll + HLL_HDR_SIZE;
    if (hll[4] == HLL_DENSE) {
        uint8_t v[4];
        for (long i = 0; i < HLL_REGISTERS; i += 4) {
            denseGroup(regs + i / 4 * 3, v);
            reghisto[v[0]]++;
            reghisto[v[1]]++;
            reghisto[v[2]]++;
            reghisto[v[3]]++;
        }
    } else if (hll[4] == HLL_RAW) {
        for (long i = 0; i < HLL_REGISTERS; i++) reghisto[regs[i] & 63]++;
    } else {
        const uint8_t *p = regs, *end = hll + len;
        long idx = 0;
        while (p < end) {
            long runlen;
            if (IS_ZERO(p)) {
                runlen = ZERO_LEN(p);
                reghisto[0] += (int)runlen;
                p++;
            } else if (IS_XZERO(p)) {
                runlen = XZERO_LEN(p);
                reghisto[0] += (int)runlen;
                p += 2;
            } else {
                runlen = VAL_LEN(p);
                reghisto[VAL_VALUE(p)] += (int)runlen;
                p++;
            }
            idx += runlen;
        }
        if (idx != HLL_REGISTERS && invalid) *invalid = 1;
    }
    double z = m * tau((m - reghisto[HLL_Q + 1]) / m);
    for (int j = HLL_Q; j >= 1; --j) {
        z += reghisto[j];
        z *= 0.5;
    }
    z += m * sigma(reghisto[0] / m);
    return (uint64_t)llroundl(ALPHA_INF * m * m / z);
}

/* PFDEBUG DECODE text ("z:n", "Z:n", "v:value,n" separated by spaces)
 * into out; returns its length, or the length needed when too small. */
size_t hllSparseDecode(const uint8_t *hll, size_t len, char *out, size_t outcap) {
    const uint8_t *p = hll + HLL_HDR_SIZE, *end = hll + len;
    size_t n = 0;
    char item[32];
    while (p < end) {
        int k;
        if (IS_ZERO(p)) {
            k = snprintf(item, sizeof(item), "z:%d ", ZERO_LEN(p));
            p++;
        } else if (IS_XZERO(p)) {
            k = snprintf(item, sizeof(item), "Z:%d ", XZERO_LEN(p));
            p += 2;
        } else {
            k = snprintf(item, sizeof(item), "v:%d,%d ", VAL_VALUE(p), VAL_LEN(p));
            p++;
        }
        if (n + (size_t)k <= outcap) memcpy(out + n, item, (size_t)k);
        n += (size_t)k;
    }
    return n ? n - 1 : 0; /* without the trailing space */
}
