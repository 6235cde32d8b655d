/* listpack.c -- a list of strings and integers in one contiguous buffer,
 * byte-compatible with Redis 7.0's listpack, so that RDB can store these
 * blobs verbatim and load the ones Redis writes.
 *
 * Layout (all multi-byte numbers little endian):
 *
 *     +-----------+---------+---------+-----+---------+------+
 *     | total u32 | count   | entry 0 | ... | entry n | 0xFF |
 *     | bytes     | u16     |         |     |         |      |
 *     +-----------+---------+---------+-----+---------+------+
 *
 * total counts every byte including the header and the terminator.  count
 * saturates at 65535 (LP_HDR_NUMELE_UNKNOWN): past that, lpLength walks.
 *
 * Entry = encoding (+ data) followed by backlen:
 *
 *   first byte   meaning                               encoding+data size
 *   0xxxxxxx     uint 0..127 in the byte itself         1
 *   10LLLLLL     string, len < 64                       1 + len
 *   110hhhhh  l  int, 13 bits two's complement          2
 *   1110LLLL  l  string, len < 4096 (12 bits, high 4    2 + len
 *                 in the first byte, low 8 in the next)
 *   11110000     string, 32-bit length in 4 bytes       5 + len
 *   11110001     int16 in 2 bytes                       3
 *   11110010     int24 in 3 bytes                       4
 *   11110011     int32 in 4 bytes                       5
 *   11110100     int64 in 8 bytes                       9
 *   11111111     terminator (not an entry)
 *
 * backlen stores L = encoding+data size so the list can be walked from the
 * tail.  It is 1..5 bytes, 7 bits of L per byte, read right to left: the
 * byte right before the next entry holds the lowest 7 bits; every byte but
 * the leftmost has its high bit set to say "more bytes to the left".  The
 * byte count is 1 for L <= 127, 2 for L < 16383, 3 for L < 2097151,
 * 4 for L < 268435455, else 5.
 *
 * Writers always pick the smallest encoding.  A string argument that is a
 * canonical decimal integer (string2ll) is stored as an integer, like Redis
 * does: that keeps the bytes identical to what Redis would produce for the
 * same sequence of operations.
 *
 * Every modification reallocates the buffer to its exact size and shifts
 * the tail with memmove: O(size) per change, which is fine because callers
 * (quicklist, small hashes) bound the size to a few KB.
 */
#include "listpack.h"
#include "zmalloc.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ENC_7BIT_UINT 0x00
#define ENC_6BIT_STR 0x80
#define ENC_13BIT_INT 0xC0
#define ENC_12BIT_STR 0xE0
#define ENC_32BIT_STR 0xF0
#define ENC_16BIT_INT 0xF1
#define ENC_24BIT_INT 0xF2
#define ENC_32BIT_INT 0xF3
#define ENC_64BIT_INT 0xF4

static inline uint32_t rd_u32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void wr_u32(unsigned char *p, uint32_t v) {
    p[0] = v & 0xff;
    p[1] = (v >> 8) & 0xff;
    p[2] = (v >> 16) & 0xff;
    p[3] = (v >> 24) & 0xff;
}

static inline uint32_t get_total(const unsigned char *lp) { return rd_u32(lp); }
static inline void set_total(unsigned char *lp, uint32_t v) { wr_u32(lp, v); }
static inline unsigned get_count(const unsigned char *lp) { return lp[4] | (lp[5] << 8); }
static inline void set_count(unsigned char *lp, unsigned v) {
    lp[4] = v & 0xff;
    lp[5] = (v >> 8) & 0xff;
}

static inline unsigned backlen_size(uint64_t l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
}

/* Writes the backlen of l at buf (left to right as it sits in memory). */
static unsigned write_backlen(unsigned char *buf, uint64_t l) {
    unsigned n = backlen_size(l), i;
    for (i = 0; i < n; i++) {
        /* byte i (from the left) holds bits 7*(n-1-i) .. */
        unsigned char b = (l >> (7 * (n - 1 - i))) & 127;
        if (i > 0) b |= 128;
        buf[i] = b;
    }
    return n;
}

/* Reads the backlen that ends at p (its rightmost byte); *nbytes = size. */
static uint64_t read_backlen(const unsigned char *p, unsigned *nbytes) {
    uint64_t v = 0;
    unsigned shift = 0, n = 0;
    for (;;) {
        v |= (uint64_t)(p[0] & 127) << shift;
        n++;
        if (!(p[0] & 128) || n == 5) break;
        shift += 7;
        p--;
    }
    *nbytes = n;
    return v;
}

/* Size of encoding+data of the entry at p (p must be a valid entry). */
static inline uint32_t enc_data_size(const unsigned char *p) {
    unsigned char b = p[0];
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xC0) == ENC_6BIT_STR) return 1 + (b & 0x3f);
    if ((b & 0xE0) == ENC_13BIT_INT) return 2;
    if ((b & 0xF0) == ENC_12BIT_STR) return 2 + (((uint32_t)(b & 0x0f) << 8) | p[1]);
    switch (b) {
    case ENC_32BIT_STR: return 5 + rd_u32(p + 1);
    case ENC_16BIT_INT: return 3;
    case ENC_24BIT_INT: return 4;
    case ENC_32BIT_INT: return 5;
    case ENC_64BIT_INT: return 9;
    default: return 1; /* terminator */
    }
}

uint32_t lpEntrySize(unsigned char *p) {
    uint32_t l = enc_data_size(p);
    return l + backlen_size(l);
}

/* Encodes integer v into buf (up to 9 bytes); returns the size. */
static unsigned encode_int(unsigned char *buf, long long v) {
    if (v >= 0 && v <= 127) {
        buf[0] = (unsigned char)v;
        return 1;
    }
    if (v >= -4096 && v <= 4095) {
        uint64_t u = (uint64_t)v & 0x1fff;
        buf[0] = ENC_13BIT_INT | (u >> 8);
        buf[1] = u & 0xff;
        return 2;
    }
    uint64_t u = (uint64_t)v;
    unsigned nbytes;
    if (v >= -32768 && v <= 32767) {
        buf[0] = ENC_16BIT_INT;
        nbytes = 2;
    } else if (v >= -8388608 && v <= 8388607) {
        buf[0] = ENC_24BIT_INT;
        nbytes = 3;
    } else if (v >= -2147483648LL && v <= 2147483647LL) {
        buf[0] = ENC_32BIT_INT;
        nbytes = 4;
    } else {
        buf[0] = ENC_64BIT_INT;
        nbytes = 8;
    }
    for (unsigned i = 0; i < nbytes; i++) buf[1 + i] = (u >> (8 * i)) & 0xff;
    return 1 + nbytes;
}

/* Encodes the header of a string of length len; returns its size. */
static unsigned encode_str_header(unsigned char *buf, uint32_t len) {
    if (len < 64) {
        buf[0] = ENC_6BIT_STR | len;
        return 1;
    }
    if (len < 4096) {
        buf[0] = ENC_12BIT_STR | (len >> 8);
        buf[1] = len & 0xff;
        return 2;
    }
    buf[0] = ENC_32BIT_STR;
    wr_u32(buf + 1, len);
    return 5;
}

static inline unsigned str_header_size(uint32_t len) {
    return len < 64 ? 1 : (len < 4096 ? 2 : 5);
}

static inline int as_int(const unsigned char *s, uint32_t len, long long *v) {
    return len > 0 && len <= 20 && string2ll((const char *)s, len, v);
}

/* ------------------------------------------------------------------ */

unsigned char *lpNew(size_t capacity) {
    size_t sz = capacity > LP_HDR_SIZE + 1 ? capacity : LP_HDR_SIZE + 1;
    unsigned char *lp = zmalloc(sz);
    if (!lp) return NULL;
    set_total(lp, LP_HDR_SIZE + 1);
    set_count(lp, 0);
    lp[LP_HDR_SIZE] = LP_EOF;
    return lp;
}

void lpFree(unsigned char *lp) { zfree(lp); }

unsigned char *lpDup(const unsigned char *lp) {
    size_t n = get_total(lp);
    unsigned char *d = zmalloc(n);
    if (d) memcpy(d, lp, n);
    return d;
}

size_t lpBytes(const unsigned char *lp) { return get_total(lp); }

unsigned long lpLength(unsigned char *lp) {
    unsigned c = get_count(lp);
    if (c != LP_HDR_NUMELE_UNKNOWN) return c;
    unsigned long n = 0;
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p)) n++;
    if (n < LP_HDR_NUMELE_UNKNOWN) set_count(lp, (unsigned)n);
    return n;
}

unsigned char *lpFirst(unsigned char *lp) {
    unsigned char *p = lp + LP_HDR_SIZE;
    return *p == LP_EOF ? NULL : p;
}

unsigned char *lpNext(unsigned char *lp, unsigned char *p) {
    (void)lp;
    p += lpEntrySize(p);
    return *p == LP_EOF ? NULL : p;
}

unsigned char *lpPrev(unsigned char *lp, unsigned char *p) {
    if (p <= lp + LP_HDR_SIZE) return NULL;
    unsigned n;
    uint64_t l = read_backlen(p - 1, &n);
    return p - n - l;
}

unsigned char *lpLast(unsigned char *lp) {
    return lpPrev(lp, lp + get_total(lp) - 1);
}

unsigned char *lpSeek(unsigned char *lp, long index) {
    unsigned long n = lpLength(lp);
    if (index < 0) index += (long)n;
    if (index < 0 || (unsigned long)index >= n) return NULL;
    unsigned char *p;
    if ((unsigned long)index > n / 2) {
        p = lpLast(lp);
        for (unsigned long i = n - 1; i > (unsigned long)index; i--) p = lpPrev(lp, p);
    } else {
        p = lpFirst(lp);
        for (long i = 0; i < index; i++) p = lpNext(lp, p);
    }
    return p;
}

static inline long long sign_extend(uint64_t u, unsigned bits) {
    uint64_t m = 1ULL << (bits - 1);
    return (long long)((u ^ m) - m);
}

unsigned char *lpGetValue(unsigned char *p, uint32_t *slen, long long *ival) {
    unsigned char b = p[0];
    if ((b & 0x80) == 0) {
        *ival = b & 0x7f;
        return NULL;
    }
    if ((b & 0xC0) == ENC_6BIT_STR) {
        *slen = b & 0x3f;
        return p + 1;
    }
    if ((b & 0xE0) == ENC_13BIT_INT) {
        *ival = sign_extend(((uint64_t)(b & 0x1f) << 8) | p[1], 13);
        return NULL;
    }
    if ((b & 0xF0) == ENC_12BIT_STR) {
        *slen = ((uint32_t)(b & 0x0f) << 8) | p[1];
        return p + 2;
    }
    if (b == ENC_32BIT_STR) {
        *slen = rd_u32(p + 1);
        return p + 5;
    }
    unsigned nbytes = b == ENC_16BIT_INT ? 2 : b == ENC_24BIT_INT ? 3 : b == ENC_32BIT_INT ? 4 : 8;
    uint64_t u = 0;
    for (unsigned i = 0; i < nbytes; i++) u |= (uint64_t)p[1 + i] << (8 * i);
    *ival = nbytes == 8 ? (long long)u : sign_extend(u, nbytes * 8);
    return NULL;
}

static unsigned format_ll(unsigned char *buf, long long v) {
    char tmp[24];
    unsigned n = 0, i;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = '0' + (u % 10);
        u /= 10;
    } while (u);
    i = 0;
    if (v < 0) buf[i++] = '-';
    while (n) buf[i++] = tmp[--n];
    return i;
}

unsigned char *lpGet(unsigned char *p, uint32_t *slen, unsigned char *intbuf) {
    long long v;
    unsigned char *s = lpGetValue(p, slen, &v);
    if (s) return s;
    *slen = format_ll(intbuf, v);
    return intbuf;
}

uint32_t lpEstimateEntrySize(const unsigned char *s, uint32_t len) {
    long long v;
    if (as_int(s, len, &v)) return lpEstimateIntEntrySize(v);
    uint32_t l = str_header_size(len) + len;
    return l + backlen_size(l);
}

uint32_t lpEstimateIntEntrySize(long long v) {
    unsigned char buf[9];
    unsigned l = encode_int(buf, v);
    return l + backlen_size(l);
}

/* Core insertion: the new entry is hdr[0..hlen) followed by data[0..dlen). */
static unsigned char *insert_raw(unsigned char *lp, const unsigned char *hdr, unsigned hlen,
                                 const unsigned char *data, uint32_t dlen, unsigned char *p,
                                 int where, unsigned char **newp) {
    uint64_t l = (uint64_t)hlen + dlen;
    unsigned bl = backlen_size(l);
    uint64_t newsize = l + bl;
    uint32_t total = get_total(lp);
    uint32_t oldsize = 0;
    if (where == LP_AFTER) {
        p += lpEntrySize(p);
        where = LP_BEFORE;
    } else if (where == LP_REPLACE) {
        oldsize = lpEntrySize(p);
    }
    size_t off = p - lp;
    uint64_t newtotal = (uint64_t)total - oldsize + newsize;
    if (newtotal > UINT32_MAX) return NULL;
    size_t tail = total - off - oldsize; /* bytes after the replaced region */
    if (newsize > oldsize) {
        unsigned char *n = zrealloc(lp, newtotal);
        if (!n) return NULL;
        lp = n;
        memmove(lp + off + newsize, lp + off + oldsize, tail);
    } else if (newsize < oldsize) {
        memmove(lp + off + newsize, lp + off + oldsize, tail);
        unsigned char *n = zrealloc(lp, newtotal);
        if (n) lp = n;
    }
    unsigned char *dst = lp + off;
    memcpy(dst, hdr, hlen);
    if (dlen) memcpy(dst + hlen, data, dlen);
    write_backlen(dst + l, l);
    set_total(lp, (uint32_t)newtotal);
    if (where != LP_REPLACE) {
        unsigned c = get_count(lp);
        if (c != LP_HDR_NUMELE_UNKNOWN) set_count(lp, c + 1);
    }
    if (newp) *newp = dst;
    return lp;
}

unsigned char *lpInsertString(unsigned char *lp, const unsigned char *s, uint32_t len,
                              unsigned char *p, int where, unsigned char **newp) {
    long long v;
    if (as_int(s, len, &v)) return lpInsertInteger(lp, v, p, where, newp);
    unsigned char hdr[5];
    unsigned hlen = encode_str_header(hdr, len);
    return insert_raw(lp, hdr, hlen, s, len, p, where, newp);
}

unsigned char *lpInsertInteger(unsigned char *lp, long long v, unsigned char *p, int where,
                               unsigned char **newp) {
    unsigned char buf[9];
    unsigned n = encode_int(buf, v);
    return insert_raw(lp, buf, n, NULL, 0, p, where, newp);
}

unsigned char *lpAppend(unsigned char *lp, const unsigned char *s, uint32_t len) {
    return lpInsertString(lp, s, len, lp + get_total(lp) - 1, LP_BEFORE, NULL);
}

unsigned char *lpPrepend(unsigned char *lp, const unsigned char *s, uint32_t len) {
    return lpInsertString(lp, s, len, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

unsigned char *lpAppendInteger(unsigned char *lp, long long v) {
    return lpInsertInteger(lp, v, lp + get_total(lp) - 1, LP_BEFORE, NULL);
}

unsigned char *lpPrependInteger(unsigned char *lp, long long v) {
    return lpInsertInteger(lp, v, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const unsigned char *s, uint32_t len) {
    return lpInsertString(lp, s, len, *p, LP_REPLACE, p);
}

unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long v) {
    return lpInsertInteger(lp, v, *p, LP_REPLACE, p);
}

unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num) {
    unsigned char *start = *p, *end = start;
    unsigned long deleted = 0;
    while (deleted < num && *end != LP_EOF) {
        end += lpEntrySize(end);
        deleted++;
    }
    if (deleted == 0) return lp;
    uint32_t total = get_total(lp);
    size_t off = start - lp, gap = end - start;
    memmove(start, end, total - (end - lp));
    uint32_t newtotal = total - (uint32_t)gap;
    unsigned char *n = zrealloc(lp, newtotal);
    if (n) lp = n;
    set_total(lp, newtotal);
    unsigned c = get_count(lp);
    if (c != LP_HDR_NUMELE_UNKNOWN) set_count(lp, c - (unsigned)deleted);
    *p = lp[off] == LP_EOF ? NULL : lp + off;
    return lp;
}

unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp) {
    lp = lpDeleteRangeWithEntry(lp, &p, 1);
    if (newp) *newp = p;
    return lp;
}

unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num) {
    unsigned char *p = lpSeek(lp, index);
    if (!p || num == 0) return lp;
    return lpDeleteRangeWithEntry(lp, &p, num);
}

static inline int entry_equals(unsigned char *p, const unsigned char *s, uint32_t len,
                               int s_is_int, long long sv) {
    uint32_t el;
    long long ev;
    unsigned char *es = lpGetValue(p, &el, &ev);
    if (es) return el == len && (len == 0 || memcmp(es, s, len) == 0);
    return s_is_int && ev == sv;
}

int lpCompare(unsigned char *p, const unsigned char *s, uint32_t len) {
    long long sv = 0;
    int isint = as_int(s, len, &sv);
    return entry_equals(p, s, len, isint, sv);
}

unsigned char *lpFind(unsigned char *lp, unsigned char *p, const unsigned char *s, uint32_t len,
                      unsigned int skip) {
    long long sv = 0;
    int isint = as_int(s, len, &sv);
    while (p) {
        if (entry_equals(p, s, len, isint, sv)) return p;
        for (unsigned i = 0; i <= skip && p; i++) p = lpNext(lp, p);
    }
    return NULL;
}

/* Size of the encoding+data of the entry at p, checking that the whole
 * encoding header lies before `end`; 0 when malformed. */
static uint64_t safe_enc_data_size(const unsigned char *p, const unsigned char *end) {
    unsigned char b = p[0];
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xC0) == ENC_6BIT_STR) return 1 + (b & 0x3f);
    if ((b & 0xE0) == ENC_13BIT_INT) return 2;
    if ((b & 0xF0) == ENC_12BIT_STR) {
        if (p + 2 > end) return 0;
        return 2 + (((uint32_t)(b & 0x0f) << 8) | p[1]);
    }
    switch (b) {
    case ENC_32BIT_STR:
        if (p + 5 > end) return 0;
        return 5 + (uint64_t)rd_u32(p + 1);
    case ENC_16BIT_INT: return 3;
    case ENC_24BIT_INT: return 4;
    case ENC_32BIT_INT: return 5;
    case ENC_64BIT_INT: return 9;
    default: return 0;
    }
}

int lpValidateIntegrity(const unsigned char *lp, size_t size, int deep) {
    if (size < LP_HDR_SIZE + 1) return 0;
    if (get_total(lp) != size) return 0;
    if (lp[size - 1] != LP_EOF) return 0;
    if (!deep) return 1;
    const unsigned char *p = lp + LP_HDR_SIZE;
    const unsigned char *eof = lp + size - 1;
    unsigned long count = 0;
    while (p < eof) {
        uint64_t l = safe_enc_data_size(p, eof);
        if (l == 0) return 0;
        unsigned bl = backlen_size(l);
        if ((uint64_t)(eof - p) < l + bl) return 0;
        unsigned n;
        uint64_t back = read_backlen(p + l + bl - 1, &n);
        if (n != bl || back != l) return 0;
        p += l + bl;
        count++;
    }
    if (p != eof) return 0;
    unsigned c = get_count(lp);
    if (c != LP_HDR_NUMELE_UNKNOWN && c != count) return 0;
    return 1;
}
