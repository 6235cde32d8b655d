/* zmalloc.h -- the allocator every C piece of the server uses.
 *
 * One place decides how the data set is allocated, so the allocator can be
 * swapped without touching the data structures.  (Linking jemalloc as a
 * shared library was tried: dlopen'ing it into a running interpreter can
 * fail with "cannot allocate memory in static TLS block".)
 *
 * The data set is mostly tiny blocks: 16-byte object headers, dict entries,
 * short listpacks and intsets.  glibc malloc puts an 8-byte header on each
 * block, rounds to 16 and never hands out less than 32 bytes, which costs up
 * to twice what jemalloc's size classes do.  So requests up to
 * ZMALLOC_SLAB_MAX bytes come from size-class slabs (64 KB pages, one class
 * per page, no per-object header; see zmalloc.c), and larger ones from libc
 * malloc.
 *
 * used memory is counted incrementally: every allocation adds its usable
 * size (the class size for a slab block, malloc_usable_size otherwise),
 * every free subtracts it (INFO used_memory, maxmemory).
 * Pointers from zmalloc must be released with zfree and never with free().
 *
 * Single-threaded: the server calls it from one thread only; there are no
 * locks.
 */
#ifndef PYREDIS_ZMALLOC_H
#define PYREDIS_ZMALLOC_H

#include <stddef.h>

#define ZMALLOC_SLAB_MAX 512          /* largest request served by a slab */

void *zmalloc(size_t size);            /* NULL on failure; zmalloc(0) is a
                                          valid, unique pointer */
void *zcalloc(size_t size);
void *zrealloc(void *ptr, size_t size);
void zfree(void *ptr);
size_t zmalloc_size(void *ptr);        /* usable size of a live block */
size_t zmalloc_used_memory(void);
/* The part of used memory held in libc malloc blocks.  mallinfo counts
 * those too, so whoever adds mallinfo's figures subtracts this. */
size_t zmalloc_libc_memory(void);
/* Hand freed libc heap memory back to the OS (after FLUSHALL/FLUSHDB,
 * so RSS follows the data set down as it does under Redis's jemalloc). */
void zmalloc_release_free_memory(void);
const char *zmalloc_lib(void);         /* name of the backend, for INFO */

/* Slab class `cls` (0, 1, ...): its object size, the pages it holds and
 * its live objects.  Returns 0 when cls is past the last class. */
int zmalloc_slab_stats(int cls, size_t *objsize, size_t *pages, size_t *live);

#endif
