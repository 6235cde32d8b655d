/* zmalloc.h -- the allocator every C piece of the server uses.
 *
 * One place decides how the data set is allocated, so the allocator can be
 * swapped without touching the data structures.  (Linking jemalloc as a
 * shared library was tried: dlopen'ing it into a running interpreter can
 * fail with "cannot allocate memory in static TLS block", so the backend
 * is libc malloc.)
 *
 * used memory is counted incrementally: every allocation adds its usable
 * size, every free subtracts it (INFO used_memory, maxmemory later).
 * Pointers from zmalloc must be released with zfree and never with free().
 */
#ifndef PYREDIS_ZMALLOC_H
#define PYREDIS_ZMALLOC_H

#include <stddef.h>

void *zmalloc(size_t size);            /* NULL on failure */
void *zcalloc(size_t size);
void *zrealloc(void *ptr, size_t size);
void zfree(void *ptr);
size_t zmalloc_size(void *ptr);        /* usable size of a live block */
size_t zmalloc_used_memory(void);
const char *zmalloc_lib(void);         /* name of the backend, for INFO */

#endif
