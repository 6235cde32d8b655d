/* util.c -- number parsing, glob matching and clocks with Redis 7.0's exact
 * acceptance rules.
 *
 * Design
 *   Replies and error texts depend on which strings count as numbers, so
 *   every converter reproduces Redis's edge cases on purpose:
 *     - string2ll: digits only, optional '-', no '+', no spaces, no leading
 *       zeros ("0" alone is fine, "-0" is not), at most 20 characters,
 *       overflow detected digit by digit.
 *     - string2ld: strtold on a NUL-terminated copy (so, like Redis, bytes
 *       after an embedded NUL are ignored), rejects a leading space,
 *       trailing bytes, overflow to +-HUGE_VAL, underflow to zero, nan.
 *     - string2d: strtod over exactly slen bytes: same rejections, and an
 *       embedded NUL makes the string invalid.  "inf" / "-inf" / "infinity"
 *       and hex floats are accepted because strtod accepts them.
 *     - stringmatchlen: Redis glob.  Bytes compare as signed char (so
 *       ranges over high bytes behave as in Redis on x86), case folding is
 *       ASCII only, a range with reversed bounds is swapped, an unclosed
 *       '[' matches the set read so far.  A failed tail after '*' sets
 *       skipLonger, which stops every enclosing '*' from retrying: this
 *       bounds the work for patterns like "a*a*a*a*b" to polynomial time.
 *
 * Invariants
 *   - Input buffers are never read past their given length, so callers
 *     need not NUL-terminate them.
 */
#include "util.h"
#include "zmalloc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define UTIL_LONG_STR_SIZE 21            /* Redis LONG_STR_SIZE */
#define UTIL_MAX_LONG_DOUBLE_CHARS (5 * 1024)

static int isSpaceC(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int string2ll(const char *s, size_t slen, long long *value)
{
    const char *p = s;
    size_t plen = 0;
    int negative = 0;
    unsigned long long v;

    if (slen == 0 || slen >= UTIL_LONG_STR_SIZE) return 0;
    if (slen == 1 && p[0] == '0') {
        if (value) *value = 0;
        return 1;
    }
    if (p[0] == '-') {
        negative = 1;
        p++;
        plen++;
        if (plen == slen) return 0;
    }
    if (p[0] < '1' || p[0] > '9') return 0;
    v = (unsigned long long)(p[0] - '0');
    p++;
    plen++;
    while (plen < slen && p[0] >= '0' && p[0] <= '9') {
        unsigned d = (unsigned)(p[0] - '0');
        if (v > ULLONG_MAX / 10) return 0;
        v *= 10;
        if (v > ULLONG_MAX - d) return 0;
        v += d;
        p++;
        plen++;
    }
    if (plen < slen) return 0;
    if (negative) {
        if (v > (unsigned long long)LLONG_MAX + 1) return 0;
        if (value) *value = (long long)(0 - v);
    } else {
        if (v > (unsigned long long)LLONG_MAX) return 0;
        if (value) *value = (long long)v;
    }
    return 1;
}

int string2ld(const char *s, size_t slen, long double *dp)
{
    char buf[UTIL_MAX_LONG_DOUBLE_CHARS];
    char *eptr;
    long double v;

    if (slen == 0 || slen >= sizeof(buf)) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    errno = 0;
    v = strtold(buf, &eptr);
    if (isSpaceC((unsigned char)buf[0]) || eptr[0] != '\0' ||
        (errno == ERANGE && (isinf(v) || fpclassify(v) == FP_ZERO)) ||
        errno == EINVAL || isnan(v))
        return 0;
    if (dp) *dp = v;
    return 1;
}

int string2d(const char *s, size_t slen, double *dp)
{
    char small[128];
    char *buf = small, *eptr;
    double v;
    int ok;

    if (slen == 0 || isSpaceC((unsigned char)s[0])) return 0;
    if (slen >= sizeof(small)) {
        buf = zmalloc(slen + 1);
        if (!buf) return 0;
    }
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    errno = 0;
    v = strtod(buf, &eptr);
    ok = (size_t)(eptr - buf) == slen &&
         !(errno == ERANGE && (isinf(v) || fpclassify(v) == FP_ZERO)) &&
         !isnan(v);
    if (buf != small) zfree(buf);
    if (ok && dp) *dp = v;
    return ok;
}

static int lowerC(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int matchImpl(const char *pattern, int patternLen, const char *string,
                     int stringLen, int nocase, int *skipLonger)
{
    while (patternLen && stringLen) {
        switch (pattern[0]) {
        case '*':
            while (patternLen > 1 && pattern[1] == '*') {
                pattern++;
                patternLen--;
            }
            if (patternLen == 1) return 1;
            while (stringLen) {
                if (matchImpl(pattern + 1, patternLen - 1, string, stringLen, nocase, skipLonger))
                    return 1;
                if (*skipLonger) return 0;
                string++;
                stringLen--;
            }
            /* The rest of the pattern matches nowhere in the rest of the
             * string: no earlier '*' can help by eating more. */
            *skipLonger = 1;
            return 0;
        case '?':
            string++;
            stringLen--;
            break;
        case '[': {
            int negate, match = 0;
            pattern++;
            patternLen--;
            negate = patternLen > 0 && pattern[0] == '^';
            if (negate) {
                pattern++;
                patternLen--;
            }
            for (;;) {
                if (patternLen == 0) {
                    /* unclosed set: step back so the common advance below
                     * lands exactly on the end */
                    pattern--;
                    patternLen++;
                    break;
                } else if (pattern[0] == '\\' && patternLen >= 2) {
                    pattern++;
                    patternLen--;
                    if (pattern[0] == string[0]) match = 1;
                } else if (pattern[0] == ']') {
                    break;
                } else if (patternLen >= 3 && pattern[1] == '-') {
                    int start = (signed char)pattern[0];
                    int end = (signed char)pattern[2];
                    int c = (signed char)string[0];
                    if (start > end) {
                        int t = start;
                        start = end;
                        end = t;
                    }
                    if (nocase) {
                        start = lowerC(start);
                        end = lowerC(end);
                        c = lowerC(c);
                    }
                    pattern += 2;
                    patternLen -= 2;
                    if (c >= start && c <= end) match = 1;
                } else if (!nocase) {
                    if (pattern[0] == string[0]) match = 1;
                } else if (lowerC((signed char)pattern[0]) == lowerC((signed char)string[0])) {
                    match = 1;
                }
                pattern++;
                patternLen--;
            }
            if (negate) match = !match;
            if (!match) return 0;
            string++;
            stringLen--;
            break;
        }
        case '\\':
            if (patternLen >= 2) {
                pattern++;
                patternLen--;
            }
            /* fall through */
        default:
            if (!nocase) {
                if (pattern[0] != string[0]) return 0;
            } else if (lowerC((signed char)pattern[0]) != lowerC((signed char)string[0])) {
                return 0;
            }
            string++;
            stringLen--;
            break;
        }
        pattern++;
        patternLen--;
        if (stringLen == 0) {
            while (patternLen > 0 && *pattern == '*') {
                pattern++;
                patternLen--;
            }
            break;
        }
    }
    return patternLen == 0 && stringLen == 0;
}

int stringmatchlen(const char *pattern, int patternLen, const char *string, int stringLen, int nocase)
{
    int skipLonger = 0;
    return matchImpl(pattern, patternLen, string, stringLen, nocase, &skipLonger);
}

long long ustime(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

long long mstime(void)
{
    return ustime() / 1000;
}

uint64_t monotonicUs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
