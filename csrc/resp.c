/* resp.c -- incremental RESP request parser (multibulk and inline).
 *
 * Design
 *   The parser mirrors Redis 7.0's processMultibulkBuffer and
 *   processInlineBuffer, but keeps no copy of the input: the caller passes
 *   the bytes of the pending requests from the first unconsumed byte, and
 *   every position stored here is an offset from that first byte.
 *
 *   State machine (reqtype):
 *     NONE      -- at a request boundary; the next byte picks the type:
 *                  '*' -> MULTIBULK, anything else -> INLINE.
 *     MULTIBULK -- multibulklen == 0: reading the "*<count>" line;
 *                  then for each argument: bulklen == -1 reading the
 *                  "$<len>" line, bulklen >= 0 waiting for len+2 bytes.
 *     INLINE    -- waiting for '\n'; then the line is split with the
 *                  sdssplitargs grammar into inlinebuf.
 *   A multibulk count <= 0 or an inline line without arguments is an empty
 *   request: it is consumed (pos moves past it) and parsing continues with
 *   the next request in the same call, so RESP_REQ_OK always carries
 *   argc >= 1.  consumed then includes the skipped bytes.
 *
 *   Line ends follow Redis exactly: a count or bulk-length line ends at the
 *   first '\r' and the byte after it is skipped whatever it is; the two
 *   bytes after bulk data are skipped unchecked.  Redis searches with
 *   strchr, so a NUL byte hides every later line end; we reproduce that (a
 *   NUL before the line end means "no line end yet", and only the
 *   too-big limit can end the wait).
 *
 * Invariants
 *   - pos <= scan <= len of the last call; scan only moves forward within a
 *     request, so each byte is searched once: a bulk arriving in many small
 *     chunks costs O(total) and waiting for bulk data is an O(1) check.
 *   - 0 <= nargs <= argcap; argoff/argvlen/argv all have argcap entries.
 *   - error != 0 makes every call return RESP_REQ_ERROR until reset;
 *     errstr then points to a static string or to errbuf.
 *
 * Ownership
 *   argv points into the caller's buffer (multibulk) or into inlinebuf
 *   (inline); both stay valid until the next respParse/respParserReset.
 *   The parser owns argv, argvlen, argoff and inlinebuf.
 */
#include "resp.h"
#include "zmalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define RESP_TYPE_NONE 0
#define RESP_TYPE_INLINE 1
#define RESP_TYPE_MULTIBULK 2

#define RESP_DEFAULT_MAX_BULK (512LL * 1024 * 1024)
#define RESP_UNAUTH_MAX_MBULK 10
#define RESP_UNAUTH_MAX_BULK 16384

/* internal results besides the public ones */
#define RESP_SKIP 2

void respParserInit(respParser *p)
{
    memset(p, 0, sizeof(*p));
    p->max_bulk_len = RESP_DEFAULT_MAX_BULK;
    p->bulklen = -1;
}

void respParserFree(respParser *p)
{
    zfree(p->argv);
    zfree(p->argvlen);
    zfree(p->argoff);
    zfree(p->inlinebuf);
    p->argv = NULL;
    p->argvlen = NULL;
    p->argoff = NULL;
    p->inlinebuf = NULL;
    p->argcap = 0;
    p->inlinecap = 0;
}

static void resetRequest(respParser *p)
{
    p->reqtype = RESP_TYPE_NONE;
    p->multibulklen = 0;
    p->bulklen = -1;
    p->pos = 0;
    p->scan = 0;
    p->nargs = 0;
}

void respParserReset(respParser *p)
{
    resetRequest(p);
    p->argc = 0;
    p->consumed = 0;
    p->error = 0;
    p->errstr = NULL;
}

static int setError(respParser *p, const char *msg)
{
    p->error = 1;
    p->errstr = msg;
    return RESP_REQ_ERROR;
}

/* Make room for at least `need` arguments. 0 ok, -1 out of memory. */
static int growArgs(respParser *p, long need)
{
    long cap = p->argcap ? p->argcap : 8;
    const char **nargv;
    size_t *nlen, *noff;

    if (need <= p->argcap) return 0;
    while (cap < need) cap *= 2;
    if (cap > INT_MAX) return -1;
    nargv = zrealloc(p->argv, sizeof(*nargv) * (size_t)cap);
    if (!nargv) return -1;
    p->argv = nargv;
    nlen = zrealloc(p->argvlen, sizeof(*nlen) * (size_t)cap);
    if (!nlen) return -1;
    p->argvlen = nlen;
    noff = zrealloc(p->argoff, sizeof(*noff) * (size_t)cap);
    if (!noff) return -1;
    p->argoff = noff;
    p->argcap = (int)cap;
    return 0;
}

static int isSpaceC(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int isHex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hexVal(int c)
{
    if (c <= '9') return c - '0';
    if (c >= 'a') return c - 'a' + 10;
    return c - 'A' + 10;
}

/* The sdssplitargs grammar over line[0..len), the end being the first NUL
 * or len.  With p set, offsets and lengths go to p->argoff / p->argvlen,
 * grown as needed (-2 if that fails); otherwise offs/lens are big enough. */
static int splitArgs(const char *line, size_t len, char *out, size_t *offs,
                     size_t *lens, respParser *p)
{
    const unsigned char *s = (const unsigned char *)line;
    const unsigned char *nul = memchr(line, '\0', len);
    size_t n = nul ? (size_t)(nul - s) : len;
    size_t i = 0, o = 0;
    int argc = 0;

#define AT(k) ((k) < n ? (int)s[k] : 0)
    for (;;) {
        size_t start;
        int inq = 0, insq = 0, done = 0;

        while (i < n && isSpaceC(s[i])) i++;
        if (i >= n) return argc;
        start = o;
        while (!done) {
            int c = AT(i), c1 = AT(i + 1);
            if (inq) {
                if (c == '\\' && c1 == 'x' && isHex(AT(i + 2)) && isHex(AT(i + 3))) {
                    out[o++] = (char)(hexVal(AT(i + 2)) * 16 + hexVal(AT(i + 3)));
                    i += 3;
                } else if (c == '\\' && c1) {
                    i++;
                    switch (c1) {
                    case 'n': out[o++] = '\n'; break;
                    case 'r': out[o++] = '\r'; break;
                    case 't': out[o++] = '\t'; break;
                    case 'b': out[o++] = '\b'; break;
                    case 'a': out[o++] = '\a'; break;
                    default: out[o++] = (char)c1; break;
                    }
                } else if (c == '"') {
                    /* a closing quote must end the token */
                    if (c1 && !isSpaceC(c1)) return -1;
                    done = 1;
                } else if (!c) {
                    return -1;
                } else {
                    out[o++] = (char)c;
                }
            } else if (insq) {
                if (c == '\\' && c1 == '\'') {
                    i++;
                    out[o++] = '\'';
                } else if (c == '\'') {
                    if (c1 && !isSpaceC(c1)) return -1;
                    done = 1;
                } else if (!c) {
                    return -1;
                } else {
                    out[o++] = (char)c;
                }
            } else {
                switch (c) {
                case ' ': case '\n': case '\r': case '\t': case '\0':
                    done = 1;
                    break;
                case '"':
                    inq = 1;
                    break;
                case '\'':
                    insq = 1;
                    break;
                default:
                    out[o++] = (char)c;
                    break;
                }
            }
            if (i < n) i++;
        }
        if (p) {
            if (growArgs(p, (long)argc + 1) != 0) return -2;
            offs = p->argoff;
            lens = p->argvlen;
        }
        offs[argc] = start;
        lens[argc] = o - start;
        argc++;
    }
#undef AT
}

int respSplitArgs(const char *line, size_t len, char *out, size_t *offs, size_t *lens)
{
    return splitArgs(line, len, out, offs, lens, NULL);
}

/* Find the next byte `ch` from p->scan, stopping at a NUL as strchr does.
 * Returns its offset, or -1 (p->scan then remembers how far we looked). */
static long findByte(respParser *p, const char *buf, size_t len, char ch)
{
    size_t i = p->scan;
    const char *hit, *zero;

    if (i >= len) return -1;
    if (buf[i] == '\0') return -1;       /* stuck behind a NUL for good */
    hit = memchr(buf + i, ch, len - i);
    zero = memchr(buf + i, '\0', hit ? (size_t)(hit - (buf + i)) : len - i);
    if (zero) {
        p->scan = (size_t)(zero - buf);
        return -1;
    }
    if (!hit) {
        p->scan = len;
        return -1;
    }
    return (long)(hit - buf);
}

static int parseInline(respParser *p, const char *buf, size_t len)
{
    long nl = findByte(p, buf, len, '\n');
    size_t end, qlen;
    int argc;

    if (nl < 0) {
        if (len - p->pos > RESP_INLINE_MAX_SIZE)
            return setError(p, "Protocol error: too big inline request");
        return RESP_REQ_INCOMPLETE;
    }
    end = (size_t)nl;
    if (end != p->pos && buf[end - 1] == '\r') end--;
    qlen = end - p->pos;
    if (qlen > p->inlinecap) {
        size_t cap = p->inlinecap ? p->inlinecap : 64;
        char *nb;
        while (cap < qlen) cap *= 2;
        nb = zrealloc(p->inlinebuf, cap);
        if (!nb) return setError(p, "Protocol error: out of memory");
        p->inlinebuf = nb;
        p->inlinecap = cap;
    }
    argc = splitArgs(buf + p->pos, qlen, p->inlinebuf, NULL, NULL, p);
    if (argc == -1) return setError(p, "Protocol error: unbalanced quotes in request");
    if (argc < 0) return setError(p, "Protocol error: out of memory");
    p->pos = (size_t)nl + 1;
    if (argc == 0) return RESP_SKIP;
    for (int j = 0; j < argc; j++) p->argv[j] = p->inlinebuf + p->argoff[j];
    p->argc = argc;
    return RESP_REQ_OK;
}

/* Locate the end of a count/length line starting at p->pos.  1 with *cr
 * set, 0 to wait for more bytes, or RESP_REQ_ERROR (too long). */
static int findLine(respParser *p, const char *buf, size_t len, long *cr, const char *toobig)
{
    long at = findByte(p, buf, len, '\r');
    if (at < 0) {
        if (len - p->pos > RESP_INLINE_MAX_SIZE) return setError(p, toobig);
        return 0;
    }
    p->scan = (size_t)at;             /* resume here if the byte after is missing */
    if ((size_t)at + 1 >= len) return 0;
    *cr = at;
    return 1;
}

static int parseMultibulk(respParser *p, const char *buf, size_t len)
{
    long cr;
    long long ll;
    int r;

    if (p->multibulklen == 0) {
        r = findLine(p, buf, len, &cr, "Protocol error: too big mbulk count string");
        if (r != 1) return r;
        if (!string2ll(buf + p->pos + 1, (size_t)cr - p->pos - 1, &ll) || ll > INT_MAX)
            return setError(p, "Protocol error: invalid multibulk length");
        if (ll > RESP_UNAUTH_MAX_MBULK && p->unauthenticated)
            return setError(p, "Protocol error: unauthenticated multibulk length");
        p->pos = p->scan = (size_t)cr + 2;
        if (ll <= 0) return RESP_SKIP;
        if (growArgs(p, ll < 1024 ? (long)ll : 1024) != 0)
            return setError(p, "Protocol error: out of memory");
        p->multibulklen = (long)ll;
        p->nargs = 0;
        p->bulklen = -1;
    }
    while (p->multibulklen) {
        if (p->bulklen == -1) {
            char c;
            r = findLine(p, buf, len, &cr, "Protocol error: too big bulk count string");
            if (r != 1) return r;
            c = buf[p->pos];
            if (c != '$') {
                /* Redis's formatted errors turn CR/LF into spaces */
                if (c == '\r' || c == '\n') c = ' ';
                static const char prefix[] = "Protocol error: expected '$', got '";
                memcpy(p->errbuf, prefix, sizeof(prefix) - 1);
                p->errbuf[sizeof(prefix) - 1] = c;
                p->errbuf[sizeof(prefix)] = '\'';
                p->errbuf[sizeof(prefix) + 1] = '\0';
                return setError(p, p->errbuf);
            }
            if (!string2ll(buf + p->pos + 1, (size_t)cr - p->pos - 1, &ll) || ll < 0 ||
                ll > p->max_bulk_len)
                return setError(p, "Protocol error: invalid bulk length");
            if (ll > RESP_UNAUTH_MAX_BULK && p->unauthenticated)
                return setError(p, "Protocol error: unauthenticated bulk length");
            p->pos = (size_t)cr + 2;
            p->bulklen = ll;
        }
        if (len - p->pos < (size_t)p->bulklen + 2) {
            p->scan = p->pos;
            return RESP_REQ_INCOMPLETE;
        }
        if (p->nargs == p->argcap && growArgs(p, (long)p->nargs + 1) != 0)
            return setError(p, "Protocol error: out of memory");
        p->argoff[p->nargs] = p->pos;
        p->argvlen[p->nargs] = (size_t)p->bulklen;
        p->nargs++;
        p->pos += (size_t)p->bulklen + 2;
        p->scan = p->pos;
        p->bulklen = -1;
        p->multibulklen--;
    }
    for (int j = 0; j < p->nargs; j++) p->argv[j] = buf + p->argoff[j];
    p->argc = p->nargs;
    return RESP_REQ_OK;
}

/* Make every stored offset relative to `base` instead of the buffer start,
 * so the caller can drop the first `base` bytes. */
static void rebase(respParser *p, size_t base)
{
    p->pos -= base;
    p->scan -= base;
    for (int i = 0; i < p->nargs; i++) p->argoff[i] -= base;
}

int respParse(respParser *p, const char *buf, size_t len)
{
    /* first byte of the request being parsed: a request resumed from an
     * earlier call starts at the first byte the caller passes */
    size_t start = p->reqtype == RESP_TYPE_NONE ? p->pos : 0;
    if (p->error) return RESP_REQ_ERROR;
    for (;;) {
        int r;
        if (p->reqtype == RESP_TYPE_NONE) {
            start = p->pos;
            if (p->pos >= len) {
                p->consumed = start;
                rebase(p, start);
                return RESP_REQ_INCOMPLETE;
            }
            p->reqtype = buf[p->pos] == '*' ? RESP_TYPE_MULTIBULK : RESP_TYPE_INLINE;
            p->scan = p->pos;
        }
        r = p->reqtype == RESP_TYPE_INLINE ? parseInline(p, buf, len)
                                           : parseMultibulk(p, buf, len);
        if (r == RESP_SKIP) {
            p->reqtype = RESP_TYPE_NONE;
            continue;
        }
        if (r == RESP_REQ_OK) {
            p->consumed = p->pos;
            resetRequest(p);
        } else if (r == RESP_REQ_INCOMPLETE) {
            /* empty requests before a partial one are done with: let the
             * caller drop them rather than keep them buffered */
            p->consumed = start;
            rebase(p, start);
        }
        return r;
    }
}
