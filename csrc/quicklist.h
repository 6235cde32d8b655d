/* quicklist.h -- the list value: a doubly linked list of listpack nodes
 * (design comment in quicklist.c). */
#ifndef PYREDIS_QUICKLIST_H
#define PYREDIS_QUICKLIST_H

#include <stddef.h>
#include <stdint.h>

#define QUICKLIST_HEAD 0
#define QUICKLIST_TAIL 1
/* iteration directions */
#define QL_FORWARD 0
#define QL_BACKWARD 1

typedef struct quicklistNode {
    struct quicklistNode *prev, *next;
    unsigned char *lp;
    uint32_t sz;    /* lpBytes(lp) */
    uint32_t count; /* entries in lp */
} quicklistNode;

typedef struct quicklist {
    quicklistNode *head, *tail;
    unsigned long count; /* entries in all nodes */
    unsigned long len;   /* nodes */
    int fill;            /* list-max-listpack-size */
    int compress;        /* list-compress-depth: kept, not applied */
} quicklist;

/* A position in the list and, once read, its value: s/sz for a string
 * entry, or s == NULL and lval for an integer entry. */
typedef struct quicklistEntry {
    quicklistNode *node;
    unsigned char *p;
    const unsigned char *s;
    uint32_t sz;
    long long lval;
} quicklistEntry;

typedef struct quicklistIter {
    quicklist *ql;
    quicklistNode *node; /* next entry to return: node/p, NULL when done */
    unsigned char *p;
    int direction;
} quicklistIter;

quicklist *quicklistCreate(int fill, int compress);
void quicklistRelease(quicklist *ql);
quicklist *quicklistDup(const quicklist *ql);
/* Total bytes of the listpacks plus node headers (for MEMORY USAGE) */
size_t quicklistAllocSize(const quicklist *ql);

/* Appends a node that takes ownership of the listpack lp (non-empty,
 * validated; RDB loading keeps the saved node layout).  1 ok, 0 on OOM
 * (lp is then still the caller's). */
int quicklistAppendListpack(quicklist *ql, unsigned char *lp);
/* 1 on success, 0 on allocation failure */
int quicklistPush(quicklist *ql, const void *s, size_t len, int where);
/* Reads the head or tail entry into *e; 0 when the list is empty. */
int quicklistPeek(quicklist *ql, int where, quicklistEntry *e);
/* Removes the head or tail entry (after a Peek, whose value is then gone). */
void quicklistPopDiscard(quicklist *ql, int where);

/* Position of entry index (negative counts from the tail) with its value;
 * 0 when out of range. */
int quicklistIndex(quicklist *ql, long index, quicklistEntry *e);
/* Replaces the entry e (from quicklistIndex) with s. 1 ok, 0 on OOM. */
int quicklistReplaceEntry(quicklist *ql, quicklistEntry *e, const void *s, size_t len);
/* Inserts s next to the entry e (from an iterator or Index); e is stale
 * afterwards.  1 ok, 0 on OOM. */
int quicklistInsertBefore(quicklist *ql, quicklistEntry *e, const void *s, size_t len);
int quicklistInsertAfter(quicklist *ql, quicklistEntry *e, const void *s, size_t len);
/* Removes count entries starting at index start (negative allowed);
 * returns how many were removed. */
unsigned long quicklistDelRange(quicklist *ql, long start, unsigned long count);

/* Iteration from entry index (negative allowed) in a direction; an out of
 * range index gives an iterator that yields nothing. */
void quicklistIterAt(quicklist *ql, long index, int direction, quicklistIter *it);
/* Reads the next entry into *e; 0 when done. */
int quicklistNext(quicklistIter *it, quicklistEntry *e);
/* Deletes e, the entry the last quicklistNext returned; the iterator then
 * continues with the entry that followed it in its direction. */
void quicklistDelEntry(quicklistIter *it, quicklistEntry *e);

/* Does the entry equal the bytes s? */
int quicklistEntryEquals(const quicklistEntry *e, const void *s, size_t len);

#endif
