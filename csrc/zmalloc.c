/* zmalloc.c -- see zmalloc.h.  The counter is a plain size_t: the server
 * touches it from one thread only. */
#include "zmalloc.h"

#include <stdlib.h>
#include <string.h>

#include <malloc.h>

#define ALLOC(n) malloc(n)
#define REALLOC(p, n) realloc((p), (n))
#define FREE(p) free(p)
#define USABLE(p) malloc_usable_size(p)

static size_t used_memory = 0;

void *zmalloc(size_t size) {
    void *p = ALLOC(size);
    if (p) used_memory += USABLE(p);
    return p;
}

void *zcalloc(size_t size) {
    void *p = zmalloc(size);
    if (p) memset(p, 0, size);
    return p;
}

void *zrealloc(void *ptr, size_t size) {
    if (ptr == NULL) return zmalloc(size);
    size_t old = USABLE(ptr);
    void *p = REALLOC(ptr, size);
    if (p == NULL) return NULL;
    used_memory += USABLE(p);
    used_memory -= old;
    return p;
}

void zfree(void *ptr) {
    if (ptr == NULL) return;
    used_memory -= USABLE(ptr);
    FREE(ptr);
}

size_t zmalloc_size(void *ptr) { return USABLE(ptr); }

size_t zmalloc_used_memory(void) { return used_memory; }

const char *zmalloc_lib(void) { return "libc"; }
