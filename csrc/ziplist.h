/* ziplist.h -- read-only access to ziplists and zipmaps, the compact
 * encodings of RDB files written before Redis 7.0 (types 9, 10, 12, 13,
 * 14).  The server never builds them: the loader validates a blob, walks
 * it, and rebuilds the value in today's encodings.
 *
 * Ziplist:  zlbytes:u32le zltail:u32le zllen:u16le entry... 0xFF
 *   entry:  prevlen (1 byte < 254, or 0xFE + u32le)  encoding  data
 *   encoding: 00llllll | 01llllll llllllll (BE) | 10?????? + u32be:
 *             string of that length;  0xC0 int16, 0xD0 int32, 0xE0 int64,
 *             0xF0 int24, 0xFE int8 (little endian), 0xF1..0xFD the
 *             immediate values 0..12.
 * Zipmap:   zmlen:u8 (254 = unknown) { len field len free value pad } 0xFF
 *   len:    1 byte < 254, or 254 + u32le (255 is the terminator). */
#ifndef PYREDIS_ZIPLIST_H
#define PYREDIS_ZIPLIST_H

#include <stddef.h>

/* The full check Redis applies before converting a ziplist (header,
 * every entry inside the blob, prevlen chain, tail offset, count).
 * 1 valid, 0 not.  Only a validated blob may be walked. */
int ziplistValidateIntegrity(const unsigned char *zl, size_t size);
/* Entries of a validated ziplist: NULL past the last one. */
const unsigned char *ziplistFirst(const unsigned char *zl);
const unsigned char *ziplistNext(const unsigned char *p);
/* Value of the entry: a string (*s, *slen) or an integer (*s = NULL, *ll). */
void ziplistGet(const unsigned char *p, const unsigned char **s, unsigned int *slen, long long *ll);

/* Redis's deep zipmap check: entries inside the blob, at least one
 * entry, count matching unless 254.  1 valid, 0 not. */
int zipmapValidateIntegrity(const unsigned char *zm, size_t size);
/* Walk a validated zipmap: *pos starts at 0; returns 0 at the end. */
int zipmapNext(const unsigned char *zm, size_t *pos, const unsigned char **f, unsigned int *flen,
               const unsigned char **v, unsigned int *vlen);

#endif
