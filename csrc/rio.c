/* rio.c -- see rio.h.
 *
 * Memory writer: buf grows by doubling (zrealloc), so n appends cost
 * O(total).  File writer: bytes collect in a 64 KB buffer that goes out
 * with one write(2) when full (a write larger than the buffer bypasses
 * it); with autosync, the file is fsync'ed each time another autosync
 * bytes have reached it (rdb-save-incremental-fsync), which keeps the
 * kernel's dirty page backlog and the final fsync short.  File reader:
 * refills a 64 KB buffer with read(2); a request larger than the buffer
 * is read straight into the destination.
 *
 * The checksum and the processed counter are updated in rioWrite/rioRead
 * (caller order), not when the buffer is flushed or refilled.
 */
#include "rio.h"
#include "crc64.h"
#include "zmalloc.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void init(rio *r, int kind) {
    memset(r, 0, sizeof(*r));
    r->kind = kind;
    r->fd = -1;
    r->file_remaining = SIZE_MAX;
}

void rioInitMemWriter(rio *r) { init(r, RIO_MEM_WRITER); }

void rioInitMemReader(rio *r, const void *p, size_t len) {
    init(r, RIO_MEM_READER);
    r->buf = (unsigned char *)p;
    r->len = len;
}

void rioInitFileWriter(rio *r, int fd, size_t autosync_bytes) {
    init(r, RIO_FILE_WRITER);
    r->fd = fd;
    r->autosync = autosync_bytes;
}

void rioInitFileReader(rio *r, int fd) {
    init(r, RIO_FILE_READER);
    r->fd = fd;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t at = lseek(fd, 0, SEEK_CUR);
        if (at >= 0 && st.st_size >= at) r->file_remaining = (size_t)(st.st_size - at);
    }
}

void rioSetProgress(rio *r, rioProgressFn fn, size_t step, void *privdata) {
    r->progress = fn;
    r->progress_step = step;
    r->progress_next = r->processed + step;
    r->privdata = privdata;
}

static inline void account(rio *r, const void *p, size_t n) {
    if (r->checksum) r->cksum = crc64(r->cksum, p, n);
    r->processed += n;
    if (r->progress && r->progress_step && r->processed >= r->progress_next) {
        r->progress_next = r->processed + r->progress_step;
        r->progress(r, r->processed);
    }
}

static int write_all(rio *r, const unsigned char *p, size_t n) {
    while (n) {
        ssize_t w = write(r->fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return 0;
        }
        p += w;
        n -= (size_t)w;
    }
    return 1;
}

static int file_out(rio *r, const unsigned char *p, size_t n) {
    if (!write_all(r, p, n)) return 0;
    if (r->autosync) {
        r->synced += n;
        if (r->synced >= r->autosync) {
            if (fsync(r->fd) == -1) return 0;
            r->synced = 0;
        }
    }
    return 1;
}

static int mem_reserve(rio *r, size_t extra) {
    if (r->cap - r->len >= extra) return 1;
    size_t need = r->len + extra;
    if (need < r->len) return 0;
    size_t cap = r->cap ? r->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    unsigned char *nb = zrealloc(r->buf, cap);
    if (!nb) return 0;
    r->buf = nb;
    r->cap = cap;
    return 1;
}

int rioWrite(rio *r, const void *p, size_t n) {
    if (r->error) return 0;
    if (n == 0) return 1;
    switch (r->kind) {
    case RIO_MEM_WRITER:
        if (!mem_reserve(r, n)) goto fail;
        memcpy(r->buf + r->len, p, n);
        r->len += n;
        break;
    case RIO_FILE_WRITER:
        if (!r->buf) {
            r->buf = zmalloc(RIO_FILE_BUFSIZE);
            if (!r->buf) goto fail;
            r->cap = RIO_FILE_BUFSIZE;
        }
        if (r->len + n > r->cap) {
            if (r->len && !file_out(r, r->buf, r->len)) goto fail;
            r->len = 0;
            if (n >= r->cap) {
                if (!file_out(r, p, n)) goto fail;
                break;
            }
        }
        memcpy(r->buf + r->len, p, n);
        r->len += n;
        break;
    default:
        goto fail;
    }
    account(r, p, n);
    return 1;
fail:
    r->error = 1;
    return 0;
}

static ssize_t read_some(rio *r, unsigned char *p, size_t n) {
    for (;;) {
        ssize_t got = read(r->fd, p, n);
        if (got < 0 && errno == EINTR) continue;
        return got;
    }
}

int rioRead(rio *r, void *dst, size_t n) {
    unsigned char *d = dst;
    if (r->error) return 0;
    if (n == 0) return 1;
    switch (r->kind) {
    case RIO_MEM_READER:
        if (n > r->len - r->pos) goto fail;
        memcpy(d, r->buf + r->pos, n);
        r->pos += n;
        break;
    case RIO_FILE_READER: {
        size_t want = n;
        while (want) {
            size_t avail = r->len - r->pos;
            if (avail) {
                size_t take = avail < want ? avail : want;
                memcpy(d, r->buf + r->pos, take);
                r->pos += take;
                d += take;
                want -= take;
                continue;
            }
            if (want >= RIO_FILE_BUFSIZE) {
                ssize_t got = read_some(r, d, want);
                if (got <= 0) goto fail;
                d += got;
                want -= (size_t)got;
                continue;
            }
            if (!r->buf) {
                r->buf = zmalloc(RIO_FILE_BUFSIZE);
                if (!r->buf) goto fail;
                r->cap = RIO_FILE_BUFSIZE;
            }
            ssize_t got = read_some(r, r->buf, r->cap);
            if (got <= 0) goto fail;
            r->len = (size_t)got;
            r->pos = 0;
        }
        if (r->file_remaining != SIZE_MAX)
            r->file_remaining = r->file_remaining >= n ? r->file_remaining - n : 0;
        d = dst;
        break;
    }
    default:
        goto fail;
    }
    account(r, dst, n);
    return 1;
fail:
    r->error = 1;
    return 0;
}

int rioFlush(rio *r) {
    if (r->error) return 0;
    if (r->kind == RIO_FILE_WRITER && r->len) {
        if (!file_out(r, r->buf, r->len)) {
            r->error = 1;
            return 0;
        }
        r->len = 0;
    }
    return 1;
}

int rioSync(rio *r) {
    if (!rioFlush(r)) return 0;
    if (r->kind == RIO_FILE_WRITER && fsync(r->fd) == -1) {
        r->error = 1;
        return 0;
    }
    return 1;
}

size_t rioTell(rio *r) { return r->processed; }

size_t rioRemaining(rio *r) {
    if (r->kind == RIO_MEM_READER) return r->len - r->pos;
    if (r->kind == RIO_FILE_READER) {
        if (r->file_remaining == SIZE_MAX) return SIZE_MAX;
        return r->file_remaining;
    }
    return 0;
}

unsigned char *rioDetach(rio *r, size_t *len) {
    unsigned char *b = NULL;
    *len = 0;
    if (r->kind == RIO_MEM_WRITER) {
        b = r->buf;
        *len = r->len;
        r->buf = NULL;
        r->len = r->cap = 0;
    }
    return b;
}

void rioFree(rio *r) {
    if (r->kind != RIO_MEM_READER) zfree(r->buf);
    r->buf = NULL;
    r->len = r->cap = r->pos = 0;
}
