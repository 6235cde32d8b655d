/* crc64.h -- CRC-64 as RDB files and DUMP payloads use it (the "Jones"
 * polynomial, reflected input and output, initial value 0, no final xor).
 *
 *     crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca
 *
 * Incremental: crc64(crc64(0, a, n), b, m) == crc64(0, a || b, n + m). */
#ifndef PYREDIS_CRC64_H
#define PYREDIS_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* Builds the lookup tables; crc64() calls it on first use, so calling it
 * is optional (it lets a forked child avoid the one-time cost). */
void crc64Init(void);
uint64_t crc64(uint64_t crc, const void *p, size_t n);

#endif
