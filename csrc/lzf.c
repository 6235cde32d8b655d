/* lzf.c -- LZF compression, bit-compatible with Redis's bundled liblzf.
 *
 * Compressor.  A greedy single pass.  At every input position i the
 * three bytes in[i..i+2] are hashed into a 65536-slot table that remembers
 * the last position with that hash; the slot is overwritten with i, and
 * if the remembered position r holds the same three bytes, is at most
 * 8192 bytes back and is not position 0, the match is extended as far as
 * it goes (at most 264 bytes) and emitted as a back reference.  Otherwise in[i] joins the
 * current literal run (runs are cut at 32 bytes).  After a match only its
 * last two positions are entered into the table, then scanning continues
 * at its end.  The last two bytes of the input are always literals.
 *
 * Matching Redis's output byte for byte is what lets DUMP payloads be
 * compared directly, so every decision above follows liblzf as configured
 * in Redis (liblzf 3.6, hash of 16 bits, "very fast" mode), including its
 * quirks:
 * - the hash is ((v >> 8) - v * 5) & 0xffff where v accumulates the input
 *   bytes (v = v << 8 | next byte; only the last three bytes matter);
 * - a match is extended 16 bytes at a time without a length check when
 *   more than 16 bytes remain, so it may end up to two bytes longer than
 *   the nominal limit near the end of the input (still inside it);
 * - "does it fit" is tested before each literal byte (position < cap),
 *   before each back reference (position + 4 < cap) and once before the
 *   final literals (position + 3 <= cap); a result that would need the
 *   last few bytes of the output buffer is refused even if it would fit.
 * liblzf keeps the table on the stack uninitialised, so a slot this call
 * has not written yet may hold a stale offset that happens to point at a
 * real earlier match; Redis then emits a back reference where a clean
 * table gives literals.  That depends on the history of Redis's stack and
 * cannot be reproduced: it is rare (the stale position must fall inside
 * an earlier match of this input and hold the same three bytes) and only
 * changes the bytes, never the decompressed value.  Here the table is
 * static and its entries carry the number of the call that wrote them, so
 * stale entries are never used and the table is never cleared.
 *
 * Decompressor.  Checks every item against both buffer ends before
 * copying, so any byte string is safe to feed it.
 */
#include "lzf.h"

#include <stdint.h>
#include <string.h>

#define HASH_BITS 16
#define HASH_SLOTS (1u << HASH_BITS)
#define MAX_LITERAL 32
#define MAX_OFFSET 8192
#define MAX_MATCH 264 /* (1 << 8) + (1 << 3) */

/* slot -> (call stamp << 32) | position */
static uint64_t table[HASH_SLOTS];
static uint32_t stamp = 0;

static inline uint32_t slot_of(uint32_t v) {
    return ((v >> 8) - v * 5) & (HASH_SLOTS - 1);
}

size_t lzfCompress(const void *inp, size_t n, void *outp, size_t outcap) {
    const unsigned char *in = inp;
    unsigned char *out = outp;
    if (n == 0 || outcap == 0) return 0;
    if (++stamp == 0) {
        /* wrapped after 2^32 calls: entries of call 0 must not look fresh */
        memset(table, 0, sizeof(table));
        stamp = 1;
    }
    const uint64_t tag = (uint64_t)stamp << 32;
    /* the header byte of the literal run being collected sits at out[hdr];
     * `lit` bytes of the run follow it */
    size_t hdr = 0, op = 1, i = 0;
    unsigned lit = 0;
    uint32_t v = 0;

    if (n >= 3) v = ((uint32_t)in[0] << 8) | in[1];
    while (n >= 3 && i < n - 2) {
        v = (v << 8) | in[i + 2];
        uint32_t s = slot_of(v);
        uint64_t e = table[s];
        table[s] = tag | i;
        size_t r = (size_t)(e & 0xffffffffu);
        if ((e & ~0xffffffffULL) == tag && i - r - 1 < MAX_OFFSET && r > 0 &&
            in[r] == in[i] && in[r + 1] == in[i + 1] && in[r + 2] == in[i + 2]) {
            size_t off = i - r - 1;
            size_t limit = n - i - 2;
            if (limit > MAX_MATCH) limit = MAX_MATCH;
            /* close the literal run, or take back its unused header */
            if (lit)
                out[hdr] = (unsigned char)(lit - 1);
            else
                op = hdr;
            if (op + 4 >= outcap) return 0;
            /* m counts matching bytes; the first three are known equal */
            size_t m = 2;
            int done = 0;
            if (limit > 16) {
                for (int k = 0; k < 16; k++) {
                    m++;
                    if (in[r + m] != in[i + m]) {
                        done = 1;
                        break;
                    }
                }
            }
            if (!done) {
                do m++;
                while (m < limit && in[r + m] == in[i + m]);
            }
            size_t code = m - 2;
            if (code < 7) {
                out[op++] = (unsigned char)((off >> 8) + (code << 5));
            } else {
                out[op++] = (unsigned char)((off >> 8) + (7 << 5));
                out[op++] = (unsigned char)(code - 7);
            }
            out[op++] = (unsigned char)off;
            hdr = op++;
            lit = 0;
            i += m;
            if (i >= n - 2) break;
            /* enter the last two positions of the match */
            i -= 2;
            v = ((uint32_t)in[i] << 8) | in[i + 1];
            v = (v << 8) | in[i + 2];
            table[slot_of(v)] = tag | i;
            i++;
            v = (v << 8) | in[i + 2];
            table[slot_of(v)] = tag | i;
            i++;
        } else {
            if (op >= outcap) return 0;
            out[op++] = in[i++];
            if (++lit == MAX_LITERAL) {
                out[hdr] = MAX_LITERAL - 1;
                hdr = op++;
                lit = 0;
            }
        }
    }
    if (op + 3 > outcap) return 0;
    while (i < n) {
        out[op++] = in[i++];
        if (++lit == MAX_LITERAL) {
            out[hdr] = MAX_LITERAL - 1;
            hdr = op++;
            lit = 0;
        }
    }
    if (lit)
        out[hdr] = (unsigned char)(lit - 1);
    else
        op = hdr;
    return op;
}

size_t lzfDecompress(const void *inp, size_t n, void *outp, size_t outcap) {
    const unsigned char *in = inp;
    unsigned char *out = outp;
    size_t ip = 0, op = 0;
    while (ip < n) {
        unsigned ctrl = in[ip++];
        if (ctrl < 32) {
            size_t len = (size_t)ctrl + 1;
            if (len > n - ip || len > outcap - op) return 0;
            memcpy(out + op, in + ip, len);
            ip += len;
            op += len;
        } else {
            size_t len = ctrl >> 5;
            if (len == 7) {
                if (ip >= n) return 0;
                len += in[ip++];
            }
            if (ip >= n) return 0;
            size_t back = ((size_t)(ctrl & 0x1f) << 8) + in[ip++] + 1;
            len += 2;
            if (back > op || len > outcap - op) return 0;
            unsigned char *d = out + op;
            const unsigned char *s = d - back;
            if (back >= len) {
                memcpy(d, s, len);
            } else {
                for (size_t k = 0; k < len; k++) d[k] = s[k];
            }
            op += len;
        }
    }
    return op;
}
