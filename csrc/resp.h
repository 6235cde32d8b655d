/* resp.h -- incremental RESP request parser (multibulk and inline).
 *
 * The parser does no I/O and allocates only for its own argument vector and
 * the unescaped bytes of inline requests.  The caller keeps the bytes of
 * the current request contiguous in one buffer and passes that buffer
 * starting at the first byte of the request; the parser remembers how far
 * it got (relative offsets), so a request split at any byte resumes where
 * it stopped without rescanning.
 *
 *   respParserInit(&p);
 *   for each read: append bytes to qbuf;
 *       while ((r = respParse(&p, qbuf + qpos, qlen - qpos)) == RESP_REQ_OK) {
 *           run p.argc / p.argv / p.argvlen;      valid until the next call
 *           qpos += p.consumed;
 *       }
 *       RESP_REQ_INCOMPLETE: qpos += p.consumed (empty requests skipped before
 *           the partial one); keep qbuf[qpos..], call again when more arrives
 *       RESP_REQ_ERROR: reply "-ERR " + p.errstr and close the connection
 *
 * Once an error is returned the parser stays in error until reset.
 */
#ifndef PYREDIS_RESP_H
#define PYREDIS_RESP_H

#include <stddef.h>

#define RESP_REQ_INCOMPLETE 0
#define RESP_REQ_OK 1
#define RESP_REQ_ERROR -1

#define RESP_INLINE_MAX_SIZE (1024 * 64)   /* Redis PROTO_INLINE_MAX_SIZE */

typedef struct respParser {
    /* limits, set by the caller (defaults from respParserInit) */
    long long max_bulk_len;     /* proto-max-bulk-len, default 512 MB */
    int unauthenticated;        /* 1: Redis's stricter limits before AUTH */

    /* result of the last RESP_REQ_OK */
    int argc;
    const char **argv;
    size_t *argvlen;
    size_t consumed;            /* OK: bytes that request used; INCOMPLETE: bytes
                                   of skipped empty requests the caller may drop */
    const char *errstr;         /* on RESP_REQ_ERROR, e.g. "Protocol error: invalid bulk length" */

    /* resume state, private */
    int reqtype;                /* 0 unknown, 1 inline, 2 multibulk */
    long multibulklen;          /* args still to read */
    long long bulklen;          /* -1: reading a $ header */
    size_t pos;                 /* offset of the next unread byte */
    size_t *argoff;             /* offsets of multibulk args, relative to the request start */
    int argcap;
    char *inlinebuf;            /* unescaped inline arguments */
    size_t inlinecap;
    int error;
    size_t scan;                /* next byte to search for a line end */
    int nargs;                  /* multibulk args read so far */
    char errbuf[48];            /* formatted error text (errstr may point here) */
} respParser;

void respParserInit(respParser *p);
void respParserFree(respParser *p);
/* Forget a partial request (after the caller drops its buffer). */
void respParserReset(respParser *p);
int respParse(respParser *p, const char *buf, size_t len);

/* Redis's sdssplitargs grammar: splits an inline line into args, handling
 * "double quotes" with \n \r \t \b \a \\ \" \xHH escapes and 'single
 * quotes' with \'.  Writes unescaped bytes to out (at least len bytes) and
 * the (offset, length) of each argument into offs/lens (at least len/2+1
 * entries).  Returns argc, or -1 on unbalanced quotes.  Also used by the
 * config file reader. */
int respSplitArgs(const char *line, size_t len, char *out, size_t *offs, size_t *lens);

#endif
