/* aof.c -- append buffer, write and fsync policy of the append-only file.
 *
 * Design.  Commands reach aofFeed() already encoded (RESP arrays, built by
 * the propagation layer); the writer only prefixes SELECT when the database
 * differs from the last one written and a "#TS:<unix>" annotation when
 * timestamps are on and the second changed.  Everything accumulates in one
 * growable buffer that aofFlush() writes to the incr file once per
 * event-loop iteration, before the replies of those commands are sent, so
 * a client never sees an acknowledgement for a write the file does not
 * hold (with `always`, one the disk does not hold).
 *
 * Fsync policies (Redis's flushAppendOnlyFile):
 *   always    fdatasync on the caller's thread after each write; a failure
 *             cannot be recovered (the reply would lie): AOF_FLUSH_FATAL.
 *   everysec  at most once a second a job is queued to the fsync thread.
 *             While a fsync is still running the write is postponed (the
 *             kernel would block write() behind it) for up to 2 seconds,
 *             then done anyway and counted in delayed_fsync.
 *   no        the kernel decides.
 * A failed or short write keeps the unwritten bytes (a partial write is
 * truncated away when possible, so the file never ends mid-command) and
 * is retried on the next flush; last_write_ok reports it.
 *
 * With no-appendfsync-on-rewrite, no fsync is started while a child
 * process (BGSAVE, AOF rewrite) writes to the disk.
 *
 * When a rewrite starts, writing moves to a new incr file: the old file is
 * fsynced and closed on the same thread (aofCloseInBackground), so the
 * event loop never waits for a disk flush there.  The same thread closes
 * the unlinked history files, whose last close frees their blocks.
 *
 * Invariants: buf holds only whole commands; written bytes are counted in
 * current_size and last_incr_size; `pending` counts fsync jobs queued or
 * running and is read without the lock only as a hint (as Redis does);
 * close jobs are counted apart (`closing`): they do not postpone writes.
 */
#include "aof.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zmalloc.h"

static struct {
    char *buf;
    size_t len, cap;
    int fd;
    int selected_db;
    int policy;
    int timestamps;
    int no_fsync_on_rewrite;
    int child_active;
    long long cur_timestamp;
    long long current_size, base_size, last_incr_size;
    long long fsync_offset;          /* current_size at the last fsync */
    long long last_fsync;            /* unix seconds */
    long long flush_postponed_start; /* unix seconds, 0 = not postponed */
    long long delayed_fsync;
    int last_write_ok;
    int last_write_errno;
    /* background fsync thread */
    pthread_t thread;
    int thread_started;
    pthread_mutex_t lock;
    pthread_cond_t cond, done;
    int job_fd;                      /* -1: no job queued */
    volatile long long pending;
    struct { int fd, fsync; } close_jobs[AOF_MAX_CLOSE_JOBS];  /* in order */
    int nclose;
    volatile int closing;            /* close jobs queued or running */
} A;

void aofInit(void) {
    memset(&A, 0, sizeof(A));
    A.fd = -1;
    A.selected_db = -1;
    A.policy = AOF_FSYNC_EVERYSEC;
    A.last_write_ok = 1;
    A.job_fd = -1;
    pthread_mutex_init(&A.lock, NULL);
    pthread_cond_init(&A.cond, NULL);
    pthread_cond_init(&A.done, NULL);
}

static void *fsyncThread(void *arg) {
    (void)arg;
    pthread_mutex_lock(&A.lock);
    for (;;) {
        while (A.job_fd == -1 && A.nclose == 0) pthread_cond_wait(&A.cond, &A.lock);
        if (A.job_fd != -1) {
            int fd = A.job_fd;
            pthread_mutex_unlock(&A.lock);
            fdatasync(fd);
            pthread_mutex_lock(&A.lock);
            A.job_fd = -1;
            A.pending = 0;
        } else {
            int fd = A.close_jobs[0].fd, need_fsync = A.close_jobs[0].fsync;
            A.nclose--;
            memmove(A.close_jobs, A.close_jobs + 1, sizeof(A.close_jobs[0]) * A.nclose);
            pthread_mutex_unlock(&A.lock);
            if (need_fsync) fdatasync(fd);
            close(fd);
            pthread_mutex_lock(&A.lock);
            A.closing--;
        }
        pthread_cond_broadcast(&A.done);
    }
    return NULL;
}

/* Start the thread if needed; called with the lock held.  0 when there
 * is no thread (the caller then does the job itself). */
static int ensureThread(void) {
    if (!A.thread_started) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 256 * 1024);
        if (pthread_create(&A.thread, &attr, fsyncThread, NULL) == 0) {
            pthread_detach(A.thread);
            A.thread_started = 1;
        }
        pthread_attr_destroy(&attr);
    }
    return A.thread_started;
}

void aofCloseInBackground(int fd, int need_fsync) {
    if (fd == -1) return;
    pthread_mutex_lock(&A.lock);
    if (!ensureThread() || A.nclose == AOF_MAX_CLOSE_JOBS) {
        pthread_mutex_unlock(&A.lock);
        if (need_fsync) fdatasync(fd);
        close(fd);
        return;
    }
    A.close_jobs[A.nclose].fd = fd;
    A.close_jobs[A.nclose].fsync = need_fsync;
    A.nclose++;
    A.closing++;
    pthread_cond_signal(&A.cond);
    pthread_mutex_unlock(&A.lock);
}

static void backgroundFsync(int fd) {
    pthread_mutex_lock(&A.lock);
    if (!ensureThread()) {           /* no thread: fsync here rather than never */
        pthread_mutex_unlock(&A.lock);
        fdatasync(fd);
        return;
    }
    A.job_fd = fd;
    A.pending = 1;
    pthread_cond_signal(&A.cond);
    pthread_mutex_unlock(&A.lock);
}

void aofWaitFsync(void) {
    pthread_mutex_lock(&A.lock);
    while (A.pending || A.closing) pthread_cond_wait(&A.done, &A.lock);
    pthread_mutex_unlock(&A.lock);
}

int aofSetFd(int fd, long long incr_size) {
    int old = A.fd;
    A.fd = fd;
    A.last_incr_size = incr_size;
    A.selected_db = -1;
    return old;
}

void aofSetSizes(long long current_size, long long base_size) {
    A.current_size = current_size;
    A.base_size = base_size;
    A.fsync_offset = current_size;
}

void aofSetPolicy(int fsync_policy, int timestamps, int no_fsync_on_rewrite) {
    A.policy = fsync_policy;
    A.timestamps = timestamps;
    A.no_fsync_on_rewrite = no_fsync_on_rewrite;
}

void aofSetChildActive(int active) { A.child_active = active; }

void aofClearWriteError(void) { A.last_write_ok = 1; }

void aofResetSelectedDb(void) { A.selected_db = -1; }

static void append(const char *p, size_t n) {
    if (A.len + n > A.cap) {
        size_t cap = A.cap ? A.cap * 2 : 16384;
        while (cap < A.len + n) cap *= 2;
        char *nb = zrealloc(A.buf, cap);
        if (nb == NULL) return;      /* the command is lost; zmalloc aborts first */
        A.buf = nb;
        A.cap = cap;
    }
    memcpy(A.buf + A.len, p, n);
    A.len += n;
}

void aofFeed(int dbid, const char *cmd, size_t len, long long unixtime) {
    char tmp[64];
    int n;
    if (A.timestamps && unixtime > A.cur_timestamp) {
        n = snprintf(tmp, sizeof(tmp), "#TS:%lld\r\n", unixtime);
        append(tmp, n);
        A.cur_timestamp = unixtime;
    }
    if (dbid >= 0 && dbid != A.selected_db) {
        char num[24];
        int nl = snprintf(num, sizeof(num), "%d", dbid);
        n = snprintf(tmp, sizeof(tmp), "*2\r\n$6\r\nSELECT\r\n$%d\r\n%s\r\n", nl, num);
        append(tmp, n);
        A.selected_db = dbid;
    }
    append(cmd, len);
}

void aofDiscardBuffer(void) {
    A.len = 0;
    A.flush_postponed_start = 0;
}

int aofFsyncNow(void) {
    if (A.fd == -1) return 0;
    if (fdatasync(A.fd) == -1) return -1;
    A.fsync_offset = A.current_size;
    return 0;
}

static ssize_t writeAll(int fd, const char *p, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w == -1) {
            if (errno == EINTR) continue;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

int aofFlush(int force, long long unixtime) {
    int result = AOF_FLUSH_OK;
    int in_progress = 0;
    if (A.fd == -1) return AOF_FLUSH_OK;
    if (A.len == 0) {
        /* everysec fsyncs only after writes: catch up on the bytes written
         * in the second when the last fsync was still running */
        if (A.policy == AOF_FSYNC_EVERYSEC && A.fsync_offset != A.current_size &&
            unixtime > A.last_fsync && !A.pending)
            goto try_fsync;
        return AOF_FLUSH_OK;
    }
    if (A.policy == AOF_FSYNC_EVERYSEC) in_progress = A.pending != 0;
    if (A.policy == AOF_FSYNC_EVERYSEC && !force && in_progress) {
        if (A.flush_postponed_start == 0) {
            A.flush_postponed_start = unixtime;
            return AOF_FLUSH_POSTPONED;
        } else if (unixtime - A.flush_postponed_start < 2) {
            return AOF_FLUSH_POSTPONED;
        }
        A.delayed_fsync++;
        result = AOF_FLUSH_DELAYED;
    }
    ssize_t w = writeAll(A.fd, A.buf, A.len);
    A.flush_postponed_start = 0;
    if (w != (ssize_t)A.len) {
        A.last_write_errno = w == -1 ? errno : ENOSPC;
        if (w > 0) {
            /* never leave half a command in the file */
            if (ftruncate(A.fd, A.last_incr_size) == -1) {
                A.current_size += w;
                A.last_incr_size += w;
                memmove(A.buf, A.buf + w, A.len - w);
                A.len -= w;
            } else {
                lseek(A.fd, A.last_incr_size, SEEK_SET);
            }
        }
        A.last_write_ok = 0;
        return A.policy == AOF_FSYNC_ALWAYS ? AOF_FLUSH_FATAL : AOF_FLUSH_WRITE_ERROR;
    }
    if (!A.last_write_ok) {
        A.last_write_ok = 1;
        result = AOF_FLUSH_RECOVERED;
    }
    A.current_size += w;
    A.last_incr_size += w;
    A.len = 0;
    if (A.cap > 4 * 1024 * 1024) {   /* do not keep a burst's buffer */
        zfree(A.buf);
        A.buf = NULL;
        A.cap = 0;
    }
try_fsync:
    if (A.no_fsync_on_rewrite && A.child_active) return result;
    if (A.policy == AOF_FSYNC_ALWAYS) {
        if (fdatasync(A.fd) == -1) {
            A.last_write_errno = errno;
            return AOF_FLUSH_FATAL;
        }
        A.fsync_offset = A.current_size;
        A.last_fsync = unixtime;
    } else if (A.policy == AOF_FSYNC_EVERYSEC && unixtime > A.last_fsync) {
        if (!in_progress && !A.pending) {
            backgroundFsync(A.fd);
            A.fsync_offset = A.current_size;
        }
        A.last_fsync = unixtime;
    }
    return result;
}

void aofGetInfo(aofInfo *info) {
    info->current_size = A.current_size;
    info->base_size = A.base_size;
    info->buffer_length = (long long)A.len;
    info->pending_fsync = A.pending;
    info->delayed_fsync = A.delayed_fsync;
    info->last_incr_size = A.last_incr_size;
    info->last_write_ok = A.last_write_ok;
    info->last_write_errno = A.last_write_errno;
    info->fd = A.fd;
}
