/* zmalloc.c -- size-class slabs for small blocks, libc malloc for the rest.
 *
 * Design
 * ------
 * A request of up to ZMALLOC_SLAB_MAX bytes is rounded up to a size class:
 *
 *     8, 16, 24, ... 128      8-byte steps (object headers, dict entries,
 *                             short listpacks: where most blocks are)
 *     144, 160, ... 256       16-byte steps
 *     288, 320, ... 512       32-byte steps
 *
 * Each class owns pages of SLAB_PAGE (64 KB) bytes, mapped with mmap and
 * aligned to their size.  A page starts with its header and then holds
 * objects of its class back to back, with no per-object header:
 *
 *     base (SLAB_PAGE-aligned)
 *     +-------------+-------+-------+-------+-----   ------+-------+------+
 *     | slabPage    | obj 0 | obj 1 | obj 2 |  ...         | obj n | tail |
 *     | (48 bytes)  |       |       |       |              |       |      |
 *     +-------------+-------+-------+-------+-----   ------+-------+------+
 *                                           ^bump                  ^limit
 *
 * Slots below `bump` have been handed out at least once; freed ones are
 * chained through their first word into the page's own free list.  Slots
 * from `bump` to `limit` were never used, so a new page costs no work per
 * slot and its memory is touched only as it fills.
 *
 * Each class keeps a doubly linked list of its pages that have a free slot
 * (`avail`); allocation takes a slot from the head page, so both allocation
 * and free are O(1).  A page that becomes completely free goes back to the
 * OS, unless it is the only page of its class with free space: keeping that
 * one avoids mapping and unmapping a page on every alloc/free pair at a page
 * boundary.  Hence at most one empty page per class is retained.
 *
 * Telling the two kinds of pointer apart: the base address of every slab
 * page sits in an open-addressing hash set (linear probing, Fibonacci
 * hashing, backward-shift deletion, kept at most half full).  A pointer is a
 * slab block iff ptr & ~(SLAB_PAGE-1) is in the set; no memory outside our
 * own pages and the set is read to decide.  A libc block can never lie in a
 * slab page because those pages are our private mappings.
 *
 * Invariants:
 *  - a page is linked in its class's avail list iff free != NULL or
 *    bump < limit;
 *  - page->live counts its handed-out objects; the class counts the sum;
 *  - used_memory is the sum of usable sizes of live blocks: the class size
 *    for slab blocks (like jemalloc's usable size), malloc_usable_size for
 *    libc blocks.  Page headers, tails and the registry are not counted.
 *    libc_memory is the libc part of it.
 *
 * Conventions: single-threaded by design -- the server calls the allocator
 * from one thread, so there are no locks and no per-thread caches.  Slab
 * objects are aligned to 8 bytes, and to 16 when the class size is a
 * multiple of 16 (as jemalloc does).
 */
#include "zmalloc.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <malloc.h>
#include <sys/mman.h>

#define SLAB_PAGE ((size_t)65536)
#define SLAB_HDR 48
#define SLAB_NCLASSES 32

typedef struct slabPage {
    struct slabPage *prev, *next; /* the class's pages with a free slot */
    void *free;                   /* freed slots, linked through word 0 */
    char *bump;                   /* first never-used slot */
    char *limit;                  /* end of the last whole slot */
    uint32_t live;
    uint32_t cls;
} slabPage;

static_assert(sizeof(slabPage) <= SLAB_HDR, "page header overflows its slot");
static_assert(SLAB_HDR % 16 == 0, "objects of 16-multiple classes must be 16-aligned");

typedef struct slabClass {
    slabPage *avail;
    size_t pages;
    size_t live;
} slabClass;

static const uint32_t classSize[SLAB_NCLASSES] = {
    8,   16,  24,  32,  40,  48,  56,  64,  72,  80,  88,
    96,  104, 112, 120, 128, 144, 160, 176, 192, 208, 224,
    240, 256, 288, 320, 352, 384, 416, 448, 480, 512,
};

static_assert(ZMALLOC_SLAB_MAX == 512, "class table ends at ZMALLOC_SLAB_MAX");

static slabClass classes[SLAB_NCLASSES];
static size_t used_memory = 0;
static size_t libc_memory = 0; /* the libc-backed part of used_memory */

/* Accounting of libc blocks, which count in both figures. */
static inline void libcAdd(void *p) {
    size_t n = malloc_usable_size(p);
    used_memory += n;
    libc_memory += n;
}

static inline void libcSub(size_t n) {
    used_memory -= n;
    libc_memory -= n;
}

static inline unsigned classOf(size_t size) {
    if (size <= 128) return size ? (unsigned)((size + 7) >> 3) - 1 : 0;
    if (size <= 256) return 16 + (unsigned)((size - 129) >> 4);
    return 24 + (unsigned)((size - 257) >> 5);
}

/* ---- registry of page base addresses ------------------------------------ */

static uintptr_t regEmpty[1];
static uintptr_t *reg = regEmpty; /* 0 marks an empty slot */
static size_t regMask = 0;
static size_t regUsed = 0;

static inline size_t regHome(uintptr_t base) {
    return (size_t)(((uint64_t)(base / SLAB_PAGE) * 0x9E3779B97F4A7C15ULL) >> 32) & regMask;
}

static inline slabPage *pageOf(const void *ptr) {
    uintptr_t base = (uintptr_t)ptr & ~(uintptr_t)(SLAB_PAGE - 1);
    size_t i = regHome(base);
    for (;;) {
        uintptr_t k = reg[i];
        if (k == base) return (slabPage *)base;
        if (k == 0) return NULL;
        i = (i + 1) & regMask;
    }
}

static void regPut(uintptr_t base) {
    size_t i = regHome(base);
    while (reg[i]) i = (i + 1) & regMask;
    reg[i] = base;
    regUsed++;
}

/* Keeps the set at most half full.  Returns 0 when out of memory. */
static int regReserve(void) {
    if ((regUsed + 1) * 2 <= regMask + 1) return 1;
    size_t newsize = (regMask + 1) < 64 ? 64 : (regMask + 1) * 2;
    uintptr_t *old = reg;
    size_t oldsize = regMask + 1;
    uintptr_t *t = calloc(newsize, sizeof(*t));
    if (!t) return 0;
    reg = t;
    regMask = newsize - 1;
    regUsed = 0;
    for (size_t i = 0; i < oldsize; i++)
        if (old[i]) regPut(old[i]);
    if (old != regEmpty) free(old);
    return 1;
}

static void regDel(uintptr_t base) {
    size_t i = regHome(base);
    while (reg[i] != base) i = (i + 1) & regMask;
    /* Backward shift: pull later entries of the probe run into the hole
     * unless that would move them before their home slot. */
    size_t j = i;
    for (;;) {
        j = (j + 1) & regMask;
        if (reg[j] == 0) break;
        size_t h = regHome(reg[j]);
        int stays = (i <= j) ? (i < h && h <= j) : (i < h || h <= j);
        if (!stays) {
            reg[i] = reg[j];
            i = j;
        }
    }
    reg[i] = 0;
    regUsed--;
}

/* ---- pages --------------------------------------------------------------- */

/* A fresh SLAB_PAGE-aligned mapping.  mmap places new mappings just below
 * the previous ones, so after the first over-map-and-trim the plain
 * attempt is usually aligned already. */
static void *mapAligned(void) {
    const int prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS;
    char *p = mmap(NULL, SLAB_PAGE, prot, flags, -1, 0);
    if (p == MAP_FAILED) return NULL;
    if (((uintptr_t)p & (SLAB_PAGE - 1)) == 0) return p;
    munmap(p, SLAB_PAGE);
    p = mmap(NULL, 2 * SLAB_PAGE, prot, flags, -1, 0);
    if (p == MAP_FAILED) return NULL;
    char *a = (char *)(((uintptr_t)p + SLAB_PAGE - 1) & ~(uintptr_t)(SLAB_PAGE - 1));
    size_t head = (size_t)(a - p);
    if (head) munmap(p, head);
    munmap(a + SLAB_PAGE, SLAB_PAGE - head);
    return a;
}

static inline void availPush(slabClass *c, slabPage *pg) {
    pg->prev = NULL;
    pg->next = c->avail;
    if (c->avail) c->avail->prev = pg;
    c->avail = pg;
}

static inline void availUnlink(slabClass *c, slabPage *pg) {
    if (pg->prev) pg->prev->next = pg->next;
    else c->avail = pg->next;
    if (pg->next) pg->next->prev = pg->prev;
    pg->prev = pg->next = NULL;
}

static inline void pageReset(slabPage *pg) {
    uint32_t size = classSize[pg->cls];
    pg->free = NULL;
    pg->bump = (char *)pg + SLAB_HDR;
    pg->limit = pg->bump + (SLAB_PAGE - SLAB_HDR) / size * size;
}

static slabPage *newPage(unsigned cls) {
    if (!regReserve()) return NULL;
    slabPage *pg = mapAligned();
    if (!pg) return NULL;
    regPut((uintptr_t)pg);
    pg->cls = cls;
    pg->live = 0;
    pageReset(pg);
    availPush(&classes[cls], pg);
    classes[cls].pages++;
    return pg;
}

static void dropPage(slabPage *pg) {
    slabClass *c = &classes[pg->cls];
    availUnlink(c, pg);
    regDel((uintptr_t)pg);
    c->pages--;
    munmap(pg, SLAB_PAGE);
}

static inline void *slabAlloc(unsigned cls) {
    slabClass *c = &classes[cls];
    slabPage *pg = c->avail;
    if (!pg && !(pg = newPage(cls))) return NULL;
    void *p;
    if (pg->free) {
        p = pg->free;
        pg->free = *(void **)p;
    } else {
        p = pg->bump;
        pg->bump += classSize[cls];
    }
    pg->live++;
    c->live++;
    if (!pg->free && pg->bump == pg->limit) availUnlink(c, pg); /* now full */
    used_memory += classSize[cls];
    return p;
}

static inline void slabFree(slabPage *pg, void *p) {
    slabClass *c = &classes[pg->cls];
    int wasFull = !pg->free && pg->bump == pg->limit;
    *(void **)p = pg->free;
    pg->free = p;
    pg->live--;
    c->live--;
    used_memory -= classSize[pg->cls];
    if (wasFull) availPush(c, pg);
    if (pg->live == 0) {
        if (pg->prev || pg->next) dropPage(pg);
        else pageReset(pg); /* the class's only page with room: keep it */
    }
}

/* ---- API ----------------------------------------------------------------- */

void *zmalloc(size_t size) {
    if (size <= ZMALLOC_SLAB_MAX) return slabAlloc(classOf(size));
    void *p = malloc(size);
    if (p) libcAdd(p);
    return p;
}

void *zcalloc(size_t size) {
    if (size <= ZMALLOC_SLAB_MAX) {
        void *p = slabAlloc(classOf(size));
        if (p) memset(p, 0, size);
        return p;
    }
    void *p = calloc(1, size);
    if (p) libcAdd(p);
    return p;
}

/* A size of 0 gives a block of the smallest class, as zmalloc(0) does. */
void *zrealloc(void *ptr, size_t size) {
    if (ptr == NULL) return zmalloc(size);
    slabPage *pg = pageOf(ptr);
    size_t old;
    if (pg) {
        if (size <= ZMALLOC_SLAB_MAX && classOf(size) == pg->cls) return ptr;
        old = classSize[pg->cls];
    } else {
        old = malloc_usable_size(ptr);
        if (size > ZMALLOC_SLAB_MAX) {
            void *p = realloc(ptr, size);
            if (p == NULL) return NULL;
            libcSub(old);
            libcAdd(p);
            return p;
        }
    }
    void *p = zmalloc(size);
    if (p == NULL) return NULL;
    memcpy(p, ptr, old < size ? old : size);
    if (pg) {
        slabFree(pg, ptr);
    } else {
        libcSub(old);
        free(ptr);
    }
    return p;
}

void zfree(void *ptr) {
    if (ptr == NULL) return;
    slabPage *pg = pageOf(ptr);
    if (pg) {
        slabFree(pg, ptr);
        return;
    }
    libcSub(malloc_usable_size(ptr));
    free(ptr);
}

size_t zmalloc_size(void *ptr) {
    slabPage *pg = pageOf(ptr);
    return pg ? classSize[pg->cls] : malloc_usable_size(ptr);
}

size_t zmalloc_used_memory(void) { return used_memory; }

size_t zmalloc_libc_memory(void) { return libc_memory; }

const char *zmalloc_lib(void) { return "slab+libc"; }

int zmalloc_slab_stats(int cls, size_t *objsize, size_t *pages, size_t *live) {
    if (cls < 0 || cls >= SLAB_NCLASSES) return 0;
    *objsize = classSize[cls];
    *pages = classes[cls].pages;
    *live = classes[cls].live;
    return 1;
}

void zmalloc_release_free_memory(void) { malloc_trim(0); }
