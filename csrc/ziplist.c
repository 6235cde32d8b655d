/* ziplist.c -- validation and iteration of ziplist and zipmap blobs (see
 * ziplist.h for the layouts).  Validation works on offsets, never forms a
 * pointer outside the blob, and accepts exactly what Redis 7.0 accepts
 * when it converts these encodings while loading, so RESTORE of an old
 * payload has the same verdict on both servers. */
#include "ziplist.h"

#include <stdint.h>
#include <string.h>

#define ZL_HEADER 10
#define ZL_END 0xFF

static uint32_t u32le(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Size of the length/encoding field for encoding byte b, 0 if invalid. */
static unsigned enc_size(unsigned char b) {
    if (b < 0xC0) {
        switch (b >> 6) {
        case 0: return 1;
        case 1: return 2;
        default: return 5;
        }
    }
    if (b == 0xC0 || b == 0xD0 || b == 0xE0 || b == 0xF0 || b == 0xFE) return 1;
    if (b >= 0xF1 && b <= 0xFD) return 1;
    return 0;
}

/* Data bytes after the encoding field (enc points at the encoding). */
static uint64_t data_len(const unsigned char *enc) {
    unsigned char b = enc[0];
    if (b < 0xC0) {
        switch (b >> 6) {
        case 0: return b & 0x3F;
        case 1: return ((uint64_t)(b & 0x3F) << 8) | enc[1];
        default:
            return ((uint64_t)enc[1] << 24) | ((uint64_t)enc[2] << 16) | ((uint64_t)enc[3] << 8) | enc[4];
        }
    }
    switch (b) {
    case 0xC0: return 2;
    case 0xD0: return 4;
    case 0xE0: return 8;
    case 0xF0: return 3;
    case 0xFE: return 1;
    default: return 0; /* immediate */
    }
}

int ziplistValidateIntegrity(const unsigned char *zl, size_t size) {
    if (size < ZL_HEADER + 1) return 0;
    if (u32le(zl) != size) return 0;
    if (zl[size - 1] != ZL_END) return 0;
    size_t tail = u32le(zl + 4);
    if (tail > size - 1) return 0;
    unsigned header_count = (unsigned)zl[8] | ((unsigned)zl[9] << 8);
    size_t end = size - 1; /* offset of the terminator */
    size_t p = ZL_HEADER, prev = 0, prev_size = 0;
    int have_prev = 0;
    unsigned long count = 0;
    while (zl[p] != ZL_END) {
        /* every field must lie before the terminator */
        size_t plsize = zl[p] < 254 ? 1 : 5;
        if (p + plsize > end) return 0;
        uint64_t prevlen = plsize == 1 ? zl[p] : u32le(zl + p + 1);
        unsigned es = enc_size(zl[p + plsize]);
        if (es == 0) return 0;
        if (p + plsize + es > end) return 0;
        uint64_t dl = data_len(zl + p + plsize);
        uint64_t hs = plsize + es;
        if (dl > end - p - hs) return 0;
        if (prevlen > p - ZL_HEADER) return 0;
        if (prevlen != prev_size) return 0;
        prev = p;
        have_prev = 1;
        prev_size = hs + dl;
        p += prev_size;
        count++;
    }
    if (p != end) return 0;
    if (have_prev && prev != tail) return 0;
    if (header_count != 0xFFFF && count != header_count) return 0;
    return 1;
}

static size_t entry_size(const unsigned char *p) {
    size_t plsize = p[0] < 254 ? 1 : 5;
    return plsize + enc_size(p[plsize]) + data_len(p + plsize);
}

const unsigned char *ziplistFirst(const unsigned char *zl) {
    const unsigned char *p = zl + ZL_HEADER;
    return *p == ZL_END ? NULL : p;
}

const unsigned char *ziplistNext(const unsigned char *p) {
    p += entry_size(p);
    return *p == ZL_END ? NULL : p;
}

void ziplistGet(const unsigned char *p, const unsigned char **s, unsigned int *slen, long long *ll) {
    size_t plsize = p[0] < 254 ? 1 : 5;
    const unsigned char *enc = p + plsize;
    const unsigned char *d = enc + enc_size(enc[0]);
    unsigned char b = enc[0];
    if (b < 0xC0) {
        *s = d;
        *slen = (unsigned int)data_len(enc);
        return;
    }
    *s = NULL;
    switch (b) {
    case 0xC0: *ll = (int16_t)((uint16_t)d[0] | ((uint16_t)d[1] << 8)); break;
    case 0xD0: *ll = (int32_t)u32le(d); break;
    case 0xE0: *ll = (int64_t)((uint64_t)u32le(d) | ((uint64_t)u32le(d + 4) << 32)); break;
    case 0xF0: *ll = ((int32_t)(((uint32_t)d[0] << 8) | ((uint32_t)d[1] << 16) | ((uint32_t)d[2] << 24))) >> 8; break;
    case 0xFE: *ll = (int8_t)d[0]; break;
    default: *ll = (long long)(b & 0x0F) - 1; break;
    }
}

/* --- zipmap ----------------------------------------------------------- */

#define ZM_BIGLEN 254
#define ZM_END 255

static size_t zm_len_size(unsigned char b) { return b < ZM_BIGLEN ? 1 : 5; }

int zipmapValidateIntegrity(const unsigned char *zm, size_t size) {
    /* Redis's bound: a position is in range when 2 <= pos <= size - 1 */
    if (size < 2) return 0;
    if (zm[size - 1] != ZM_END) return 0;
    size_t last = size - 1, p = 1;
    unsigned long count = 0;
    while (zm[p] != ZM_END) {
        size_t s = zm_len_size(zm[p]);
        if (p + s < 2 || p + s > last) return 0;
        uint64_t l = s == 1 ? zm[p] : u32le(zm + p + 1);
        p += s;
        if (l > last - p) return 0;
        p += l;
        if (p < 2) return 0;
        s = zm_len_size(zm[p]);
        if (p + s > last) return 0;
        l = s == 1 ? zm[p] : u32le(zm + p + 1);
        p += s;
        uint64_t free_ = zm[p++];
        if (l + free_ > last - (p - 1) || p + l + free_ > last) return 0;
        p += l + free_;
        count++;
    }
    if (count == 0) return 0;
    if (zm[0] != ZM_BIGLEN && zm[0] != count) return 0;
    return 1;
}

int zipmapNext(const unsigned char *zm, size_t *pos, const unsigned char **f, unsigned int *flen,
               const unsigned char **v, unsigned int *vlen) {
    size_t p = *pos ? *pos : 1;
    if (zm[p] == ZM_END) return 0;
    size_t s = zm_len_size(zm[p]);
    *flen = s == 1 ? zm[p] : u32le(zm + p + 1);
    p += s;
    *f = zm + p;
    p += *flen;
    s = zm_len_size(zm[p]);
    *vlen = s == 1 ? zm[p] : u32le(zm + p + 1);
    p += s;
    unsigned free_ = zm[p++];
    *v = zm + p;
    p += *vlen + free_;
    *pos = p;
    return 1;
}
