/* reply.c -- RESP2/RESP3 reply encoders into a growable buffer.
 *
 * Design
 *   One contiguous heap block per connection, grown by doubling so that
 *   appending n bytes costs amortised O(n).  Every encoder computes an
 *   upper bound of its output, reserves it once and then writes with plain
 *   stores; integers are formatted by a two-digits-at-a-time table, never
 *   by snprintf.  Doubles use "%.17g" like Redis 7.0's addReplyDouble, and
 *   infinities are spelled explicitly ("inf", "-inf").
 *
 * Invariants
 *   - len <= cap; buf is NULL exactly when cap == 0.
 *   - oom == 1 after a failed allocation: later appends are dropped (the
 *     reply stream is already broken, the owner closes the connection)
 *     until replyClear.
 *   - replyClear keeps blocks up to REPLY_KEEP_MAX bytes for reuse.
 *
 * Number formats (Redis 7.0.15)
 *   fmtLongLong        ll2string: plain decimal, '-' for negatives.
 *   fmtDouble          "%.17g"; inf -> "inf", -inf -> "-inf".
 *   fmtHumanLongDouble ld2string(LD_STR_HUMAN): "%.17Lf", then trailing
 *                      zeros and a trailing '.' dropped, "-0" -> "0";
 *                      inf -> "inf" / "-inf".
 */
#include "reply.h"
#include "zmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_KEEP_MAX (64 * 1024)
#define REPLY_MIN_CAP 256
#define REPLY_LL_MAX 21          /* "-9223372036854775808" */
#define REPLY_HUMAN_LD_CHARS (5 * 1024)   /* Redis MAX_LONG_DOUBLE_CHARS */

void replyInit(replyBuf *r)
{
    r->buf = NULL;
    r->len = 0;
    r->cap = 0;
    r->oom = 0;
}

void replyFree(replyBuf *r)
{
    zfree(r->buf);
    replyInit(r);
}

void replyClear(replyBuf *r)
{
    r->len = 0;
    r->oom = 0;
    if (r->cap > REPLY_KEEP_MAX) {
        zfree(r->buf);
        r->buf = NULL;
        r->cap = 0;
    }
}

static int grow(replyBuf *r, size_t need)
{
    size_t cap = r->cap ? r->cap : REPLY_MIN_CAP;
    char *nb;

    if (r->oom) return -1;
    while (cap < need) {
        if (cap > ((size_t)-1) / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    nb = zrealloc(r->buf, cap);
    if (!nb) {
        r->oom = 1;
        return -1;
    }
    r->buf = nb;
    r->cap = cap;
    return 0;
}

int replyReserve(replyBuf *r, size_t extra)
{
    if (r->oom) return -1;
    if (extra > r->cap - r->len) {
        if (extra > ((size_t)-1) - r->len) {
            r->oom = 1;
            return -1;
        }
        return grow(r, r->len + extra);
    }
    return 0;
}

/* Room for `extra` more bytes, or NULL (oom). */
static inline char *tail(replyBuf *r, size_t extra)
{
    if (extra > r->cap - r->len || r->oom) {
        if (replyReserve(r, extra) != 0) return NULL;
    }
    return r->buf + r->len;
}

void replyAppend(replyBuf *r, const void *p, size_t len)
{
    char *w = tail(r, len);
    if (!w) return;
    memcpy(w, p, len);
    r->len += len;
}

static const char digitPairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static int digitCount(unsigned long long v)
{
    int n = 1;
    for (;;) {
        if (v < 10) return n;
        if (v < 100) return n + 1;
        if (v < 1000) return n + 2;
        if (v < 10000) return n + 3;
        v /= 10000;
        n += 4;
    }
}

/* Writes v in decimal at buf (no NUL); returns the length. */
static int writeULL(char *buf, unsigned long long v)
{
    int n = digitCount(v), i = n - 1;
    while (v >= 100) {
        unsigned k = (unsigned)(v % 100) * 2;
        v /= 100;
        buf[i] = digitPairs[k + 1];
        buf[i - 1] = digitPairs[k];
        i -= 2;
    }
    if (v < 10) {
        buf[i] = (char)('0' + v);
    } else {
        unsigned k = (unsigned)v * 2;
        buf[i] = digitPairs[k + 1];
        buf[i - 1] = digitPairs[k];
    }
    return n;
}

static int writeLL(char *buf, long long v)
{
    if (v < 0) {
        buf[0] = '-';
        return 1 + writeULL(buf + 1, 0ULL - (unsigned long long)v);
    }
    return writeULL(buf, (unsigned long long)v);
}

int fmtLongLong(char *buf, long long v)
{
    int n = writeLL(buf, v);
    buf[n] = '\0';
    return n;
}

int fmtDouble(char *buf, double d)
{
    if (isinf(d)) {
        if (d > 0) {
            memcpy(buf, "inf", 4);
            return 3;
        }
        memcpy(buf, "-inf", 5);
        return 4;
    }
    return snprintf(buf, 128, "%.17g", d);
}

int fmtHumanLongDouble(char *buf, size_t size, long double d)
{
    size_t l;
    int n;

    if (isinf(d)) {
        if (size < 5) return 0;
        if (d > 0) {
            memcpy(buf, "inf", 4);
            return 3;
        }
        memcpy(buf, "-inf", 5);
        return 4;
    }
    n = snprintf(buf, size, "%.17Lf", d);
    if (n < 0 || (size_t)n + 1 > size) return 0;
    l = (size_t)n;
    if (memchr(buf, '.', l)) {
        while (l > 0 && buf[l - 1] == '0') l--;
        if (l > 0 && buf[l - 1] == '.') l--;
    }
    if (l == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        l = 1;
    }
    buf[l] = '\0';
    return (int)l;
}

/* <prefix><v>\r\n */
static void prefixedLL(replyBuf *r, char prefix, long long v)
{
    char *w = tail(r, 1 + REPLY_LL_MAX + 2);
    size_t n;
    if (!w) return;
    w[0] = prefix;
    n = 1 + (size_t)writeLL(w + 1, v);
    w[n] = '\r';
    w[n + 1] = '\n';
    r->len += n + 2;
}

/* <prefix><s>\r\n */
static void line(replyBuf *r, char prefix, const char *s, size_t len)
{
    char *w = tail(r, len + 3);
    if (!w) return;
    w[0] = prefix;
    memcpy(w + 1, s, len);
    w[len + 1] = '\r';
    w[len + 2] = '\n';
    r->len += len + 3;
}

void replyStatus(replyBuf *r, const char *s, size_t len)
{
    line(r, '+', s, len);
}

void replyStatusC(replyBuf *r, const char *s)
{
    line(r, '+', s, strlen(s));
}

void replyOk(replyBuf *r)
{
    replyAppend(r, "+OK\r\n", 5);
}

void replyError(replyBuf *r, const char *s, size_t len)
{
    char *w;
    size_t skip = (len && s[0] == '-') ? 1 : 0;   /* code already dashed */

    s += skip;
    len -= skip;
    w = tail(r, len + 3);
    if (!w) return;
    w[0] = '-';
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        w[i + 1] = (c == '\r' || c == '\n') ? ' ' : c;
    }
    w[len + 1] = '\r';
    w[len + 2] = '\n';
    r->len += len + 3;
}

void replyErrorC(replyBuf *r, const char *s)
{
    replyError(r, s, strlen(s));
}

void replyLongLong(replyBuf *r, long long v)
{
    /* the commonest replies, without formatting */
    if (v == 0) {
        replyAppend(r, ":0\r\n", 4);
    } else if (v == 1) {
        replyAppend(r, ":1\r\n", 4);
    } else {
        prefixedLL(r, ':', v);
    }
}

void replyBulk(replyBuf *r, const void *p, size_t len)
{
    char *w = tail(r, 1 + REPLY_LL_MAX + 2 + len + 2);
    size_t n;
    if (!w) return;
    w[0] = '$';
    n = 1 + (size_t)writeULL(w + 1, len);
    w[n] = '\r';
    w[n + 1] = '\n';
    n += 2;
    memcpy(w + n, p, len);
    n += len;
    w[n] = '\r';
    w[n + 1] = '\n';
    r->len += n + 2;
}

void replyBulkC(replyBuf *r, const char *s)
{
    replyBulk(r, s, strlen(s));
}

void replyBulkLongLong(replyBuf *r, long long v)
{
    char num[REPLY_LL_MAX + 1];
    int n = writeLL(num, v);
    replyBulk(r, num, (size_t)n);
}

void replyDouble(replyBuf *r, int resp, double d)
{
    char num[128];
    int n = fmtDouble(num, d);
    if (resp == 2)
        replyBulk(r, num, (size_t)n);
    else
        line(r, ',', num, (size_t)n);
}

void replyHumanLongDouble(replyBuf *r, long double d)
{
    char num[REPLY_HUMAN_LD_CHARS];
    int n = fmtHumanLongDouble(num, sizeof(num), d);
    replyBulk(r, num, (size_t)n);
}

void replyNull(replyBuf *r, int resp)
{
    if (resp == 2)
        replyAppend(r, "$-1\r\n", 5);
    else
        replyAppend(r, "_\r\n", 3);
}

void replyNullArray(replyBuf *r, int resp)
{
    if (resp == 2)
        replyAppend(r, "*-1\r\n", 5);
    else
        replyAppend(r, "_\r\n", 3);
}

void replyArrayLen(replyBuf *r, long n)
{
    prefixedLL(r, '*', n);
}

void replyMapLen(replyBuf *r, int resp, long n)
{
    if (resp == 2)
        prefixedLL(r, '*', (long long)n * 2);
    else
        prefixedLL(r, '%', n);
}

void replySetLen(replyBuf *r, int resp, long n)
{
    prefixedLL(r, resp == 2 ? '*' : '~', n);
}

void replyAttributeLen(replyBuf *r, long n)
{
    prefixedLL(r, '|', n);
}

void replyPushLen(replyBuf *r, int resp, long n)
{
    prefixedLL(r, resp == 2 ? '*' : '>', n);
}

void replyBool(replyBuf *r, int resp, int b)
{
    if (resp == 2)
        replyAppend(r, b ? ":1\r\n" : ":0\r\n", 4);
    else
        replyAppend(r, b ? "#t\r\n" : "#f\r\n", 4);
}

void replyVerbatim(replyBuf *r, int resp, const char *s, size_t len, const char *fmt)
{
    char *w;
    size_t n;

    if (resp == 2) {
        replyBulk(r, s, len);
        return;
    }
    w = tail(r, 1 + REPLY_LL_MAX + 2 + 4 + len + 2);
    if (!w) return;
    w[0] = '=';
    n = 1 + (size_t)writeULL(w + 1, len + 4);
    w[n++] = '\r';
    w[n++] = '\n';
    memcpy(w + n, fmt, 3);
    n += 3;
    w[n++] = ':';
    memcpy(w + n, s, len);
    n += len;
    w[n++] = '\r';
    w[n++] = '\n';
    r->len += n;
}

void replyBigNum(replyBuf *r, int resp, const char *s, size_t len)
{
    if (resp == 2)
        replyBulk(r, s, len);
    else
        line(r, '(', s, len);
}
