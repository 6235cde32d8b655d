/* siphash.h -- keyed SipHash-1-2 (one compression round per 8-byte block,
 * two finalization rounds), the hash of every dict in the server.  The
 * 16-byte key makes bucket positions unpredictable to clients, which is
 * what keeps crafted keys from degrading a table into one long chain. */
#ifndef PYREDIS_SIPHASH_H
#define PYREDIS_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t siphash(const uint8_t *in, size_t inlen, const uint8_t k[16]);

#endif
