/* rio.h -- buffered byte streams for RDB and DUMP payloads: a growable
 * memory buffer or a file descriptor, written or read, with an optional
 * running CRC-64 over every byte that passes.
 *
 * Return conventions: rioWrite/rioRead/rioFlush return 1 on success and 0
 * on failure (I/O error, short read, allocation failure).  The first
 * failure sticks in r->error: every later call fails too, so a caller may
 * check once at the end.  rioRead fills all n bytes or fails.
 *
 * The checksum covers bytes in stream order: for a writer what was handed
 * to rioWrite, for a reader what rioRead returned.  It can be switched on
 * (r->checksum = 1, r->cksum = 0) at any point. */
#ifndef PYREDIS_RIO_H
#define PYREDIS_RIO_H

#include <stddef.h>
#include <stdint.h>

#define RIO_MEM_WRITER 1
#define RIO_MEM_READER 2
#define RIO_FILE_WRITER 3
#define RIO_FILE_READER 4

#define RIO_FILE_BUFSIZE (64 * 1024)

typedef struct rio rio;
/* Called every r->progress_step bytes processed (0 = never). */
typedef void (*rioProgressFn)(rio *r, size_t processed);

struct rio {
    int kind;
    int error;               /* sticky: set by the first failure */
    int checksum;            /* update cksum with every byte */
    uint64_t cksum;
    /* memory: the data (writer: owned, grows; reader: borrowed);
     * file: the I/O buffer (owned) */
    unsigned char *buf;
    size_t len;              /* bytes in buf */
    size_t cap;              /* capacity of an owned buf */
    size_t pos;              /* readers: next byte of buf to return */
    int fd;
    size_t processed;        /* bytes written or read so far */
    /* file writer: fsync every autosync bytes (0 = never) */
    size_t autosync, synced;
    /* file reader: bytes left in the file when known (regular files),
     * else SIZE_MAX */
    size_t file_remaining;
    rioProgressFn progress;
    size_t progress_step, progress_next;
    void *privdata;
};

void rioInitMemWriter(rio *r);
void rioInitMemReader(rio *r, const void *p, size_t len);
void rioInitFileWriter(rio *r, int fd, size_t autosync_bytes);
void rioInitFileReader(rio *r, int fd);

int rioWrite(rio *r, const void *p, size_t n);
int rioRead(rio *r, void *p, size_t n);
/* Writers: hands buffered bytes to the fd (no fsync).  Others: no-op. */
int rioFlush(rio *r);
/* Writers: flush, then fsync(2) a file. */
int rioSync(rio *r);
size_t rioTell(rio *r);
/* Readers: an upper bound of the bytes still readable (exact for memory
 * and regular files, SIZE_MAX when unknown); lets loaders refuse lengths
 * no input could satisfy before allocating for them. */
size_t rioRemaining(rio *r);
/* Memory writer: takes the buffer (zmalloc'd, *len bytes; NULL when
 * empty) and leaves the writer empty. */
unsigned char *rioDetach(rio *r, size_t *len);
/* Releases owned buffers (a file writer is not flushed: flush first). */
void rioFree(rio *r);
void rioSetProgress(rio *r, rioProgressFn fn, size_t step, void *privdata);

#endif
