/* lzf.h -- the LZF compressed format RDB uses for long strings.
 *
 * A stream is a sequence of items:
 *     000LLLLL  <L+1 bytes>             literal run of 1..32 bytes
 *     LLLooooo oooooooo                 back reference, L in 1..6
 *     111ooooo LLLLLLLL oooooooo        back reference, length byte + 7
 * A back reference copies (L + 2) bytes (3..264) starting
 * (o + 1) bytes (1..8192) behind the output position; source and
 * destination may overlap (runs).
 */
#ifndef PYREDIS_LZF_H
#define PYREDIS_LZF_H

#include <stddef.h>

/* Compresses n bytes into out (outcap bytes).  Returns the compressed
 * length, or 0 when the result would not fit in outcap (or n == 0), with
 * the exact fit rule of the liblzf compressor built into Redis, whose
 * output this reproduces byte for byte. */
size_t lzfCompress(const void *in, size_t n, void *out, size_t outcap);

/* Decompresses a stream of n bytes into out (outcap bytes).  Returns the
 * decompressed length, or 0 when the stream is malformed (truncated item,
 * reference before the start of the output) or does not fit outcap.
 * Never reads or writes outside the two buffers. */
size_t lzfDecompress(const void *in, size_t n, void *out, size_t outcap);

#endif
