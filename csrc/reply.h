/* reply.h -- RESP2/RESP3 reply encoders writing into a growable buffer.
 *
 * A connection owns one replyBuf; every reply of one read chunk is appended
 * to it and the whole buffer leaves in a single write.  The buffer starts
 * inline-free (a heap block grown by doubling, shrunk back by the owner
 * when it gets large and idle).  Functions that differ between protocol
 * versions take `resp` (2 or 3).  On allocation failure the buffer marks
 * itself failed (oom = 1) and ignores further appends.
 */
#ifndef PYREDIS_REPLY_H
#define PYREDIS_REPLY_H

#include <stddef.h>

typedef struct replyBuf {
    char *buf;
    size_t len, cap;
    int oom;
} replyBuf;

void replyInit(replyBuf *r);
void replyFree(replyBuf *r);
void replyClear(replyBuf *r);          /* len = 0; releases a block > 64 KB */
int replyReserve(replyBuf *r, size_t extra);     /* 0 ok, -1 on OOM */
void replyAppend(replyBuf *r, const void *p, size_t len);   /* raw bytes */

void replyStatus(replyBuf *r, const char *s, size_t len);   /* +s\r\n */
void replyStatusC(replyBuf *r, const char *s);
void replyOk(replyBuf *r);
/* -s\r\n; s must carry its own code ("ERR ...", "WRONGTYPE ..."); any
 * \r or \n inside is replaced by a space as Redis does. */
void replyError(replyBuf *r, const char *s, size_t len);
void replyErrorC(replyBuf *r, const char *s);
void replyLongLong(replyBuf *r, long long v);                /* :v\r\n */
void replyBulk(replyBuf *r, const void *p, size_t len);      /* $len\r\n..\r\n */
void replyBulkC(replyBuf *r, const char *s);
void replyBulkLongLong(replyBuf *r, long long v);            /* integer as a bulk string */
/* RESP2 bulk "%.17g" (inf/-inf), RESP3 ",%.17g" (inf/-inf/nan) */
void replyDouble(replyBuf *r, int resp, double d);
/* INCRBYFLOAT-style human long double as a bulk string */
void replyHumanLongDouble(replyBuf *r, long double d);
void replyNull(replyBuf *r, int resp);          /* RESP2 $-1, RESP3 _ */
void replyNullArray(replyBuf *r, int resp);     /* RESP2 *-1, RESP3 _ */
void replyArrayLen(replyBuf *r, long n);        /* *n */
void replyMapLen(replyBuf *r, int resp, long n);    /* RESP3 %n, RESP2 *2n */
void replySetLen(replyBuf *r, int resp, long n);    /* RESP3 ~n, RESP2 *n */
void replyAttributeLen(replyBuf *r, long n);        /* RESP3 |n */
void replyPushLen(replyBuf *r, int resp, long n);   /* RESP3 >n, RESP2 *n */
void replyBool(replyBuf *r, int resp, int b);       /* RESP3 #t/#f, RESP2 :1/:0 */
/* RESP3 =len\r\nfmt:text\r\n (fmt is 3 chars, e.g. "txt"); RESP2 a bulk */
void replyVerbatim(replyBuf *r, int resp, const char *s, size_t len, const char *fmt);
void replyBigNum(replyBuf *r, int resp, const char *s, size_t len);

/* Number formatting shared with the commands (Redis's ll2string/d2string
 * rules).  Return the length written (without NUL); buf must hold 32
 * bytes for integers, 128 for doubles. */
int fmtLongLong(char *buf, long long v);
int fmtDouble(char *buf, double d);                 /* %.17g, "inf", "-inf", "nan" */
int fmtHumanLongDouble(char *buf, size_t size, long double d);

#endif
