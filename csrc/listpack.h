/* listpack.h -- compact serialized list of strings and integers, in the
 * exact byte format of Redis 7.0 (see the design comment in listpack.c).
 *
 * Entry pointers: an entry is addressed by a pointer to its first byte
 * (the encoding byte).  Iteration functions return NULL past either end.
 * Any function that modifies the listpack may move it: it returns the new
 * listpack pointer (NULL only on allocation failure, with the original
 * left untouched) and, where asked, a valid entry pointer via *newp. */
#ifndef PYREDIS_LISTPACK_H
#define PYREDIS_LISTPACK_H

#include <stddef.h>
#include <stdint.h>

#define LP_HDR_SIZE 6
#define LP_EOF 0xFF
/* Count field value meaning "count too large, walk the entries". */
#define LP_HDR_NUMELE_UNKNOWN 65535
/* Buffer size that holds any integer entry formatted as text */
#define LP_INTBUF_SIZE 21

/* where for lpInsert */
#define LP_BEFORE 0
#define LP_AFTER 1
#define LP_REPLACE 2

unsigned char *lpNew(size_t capacity);
void lpFree(unsigned char *lp);
unsigned char *lpDup(const unsigned char *lp);

size_t lpBytes(const unsigned char *lp);
unsigned long lpLength(unsigned char *lp);

unsigned char *lpFirst(unsigned char *lp);
unsigned char *lpLast(unsigned char *lp);
unsigned char *lpNext(unsigned char *lp, unsigned char *p);
unsigned char *lpPrev(unsigned char *lp, unsigned char *p);
/* index counts from 0 at the head, or from -1 at the tail */
unsigned char *lpSeek(unsigned char *lp, long index);

/* Entry value: a string (returned pointer, *slen set) or an integer
 * (returns NULL, *ival set). */
unsigned char *lpGetValue(unsigned char *p, uint32_t *slen, long long *ival);
/* Entry as bytes: integers are formatted into intbuf (LP_INTBUF_SIZE). */
unsigned char *lpGet(unsigned char *p, uint32_t *slen, unsigned char *intbuf);
/* Bytes the entry occupies, encoding + data + backlen */
uint32_t lpEntrySize(unsigned char *p);
/* Bytes an element would take once stored (for size-limit decisions) */
uint32_t lpEstimateEntrySize(const unsigned char *s, uint32_t len);
uint32_t lpEstimateIntEntrySize(long long v);

/* Strings that are canonical integers are stored as integers, as Redis
 * does.  p == NULL with LP_BEFORE/LP_AFTER is invalid; use Append/Prepend. */
unsigned char *lpInsertString(unsigned char *lp, const unsigned char *s, uint32_t len,
                              unsigned char *p, int where, unsigned char **newp);
unsigned char *lpInsertInteger(unsigned char *lp, long long v, unsigned char *p,
                               int where, unsigned char **newp);
unsigned char *lpAppend(unsigned char *lp, const unsigned char *s, uint32_t len);
unsigned char *lpPrepend(unsigned char *lp, const unsigned char *s, uint32_t len);
unsigned char *lpAppendInteger(unsigned char *lp, long long v);
unsigned char *lpPrependInteger(unsigned char *lp, long long v);
unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const unsigned char *s, uint32_t len);
unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long v);
/* Deletes the entry at p; *newp (if given) is the entry that followed it,
 * or NULL when it was the last one. */
unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp);
/* Deletes num entries starting at index (negative allowed). */
unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num);
/* Deletes num entries starting at the entry *p; *p becomes the entry that
 * followed the range (or NULL). */
unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num);

/* Is the entry equal to the bytes s (integers compare by value when s is a
 * canonical integer)? */
int lpCompare(unsigned char *p, const unsigned char *s, uint32_t len);
/* First entry equal to s at or after p, looking at every (skip+1)th entry
 * (skip = 1 walks the fields of field,value pairs); NULL if none. */
unsigned char *lpFind(unsigned char *lp, unsigned char *p, const unsigned char *s,
                      uint32_t len, unsigned int skip);

/* Checks an untrusted blob of `size` bytes: header, every entry's encoding
 * and backlen, terminator, and count.  deep = 0 checks only the header.
 * Returns 1 when valid. */
int lpValidateIntegrity(const unsigned char *lp, size_t size, int deep);

#endif
