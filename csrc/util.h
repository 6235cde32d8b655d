/* util.h -- string <-> number conversions and glob matching with Redis's
 * exact acceptance rules, since replies and errors depend on them. */
#ifndef PYREDIS_UTIL_H
#define PYREDIS_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Strict: no spaces, no '+', no leading zeros ("0" alone ok), fits in a
 * long long.  1 on success. (Redis string2ll) */
int string2ll(const char *s, size_t slen, long long *value);
/* Redis string2ld: strtold with no spaces, rejects nan; 1 on success */
int string2ld(const char *s, size_t slen, long double *dp);
/* Redis string2d: strtod, no spaces, rejects nan; 1 on success */
int string2d(const char *s, size_t slen, double *dp);
/* Glob match as Redis's stringmatchlen: * ? [abc] [^a] [a-z] \x, nocase. */
int stringmatchlen(const char *pattern, int patternLen, const char *string, int stringLen, int nocase);

/* Wall clock */
long long ustime(void);
long long mstime(void);
/* Monotonic clock in microseconds */
uint64_t monotonicUs(void);

#endif
