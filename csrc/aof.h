/* aof.h -- the append-only file writer: the append buffer, its write to the
 * current incr file, and the fsync policy (always / everysec / no).
 *
 * One process-wide writer.  aofFeed() appends an encoded command (adding
 * SELECT and #TS annotations as needed); aofFlush() writes the buffer once
 * per event-loop iteration before any reply leaves, and fsyncs as the
 * policy says (everysec: on a background thread).  File naming, the
 * manifest and rewrites are the control layer's; it hands this writer a
 * file descriptor with aofSetFd().
 */
#ifndef PYREDIS_AOF_H
#define PYREDIS_AOF_H
#include <stddef.h>

#define AOF_FSYNC_NO 0
#define AOF_FSYNC_ALWAYS 1
#define AOF_FSYNC_EVERYSEC 2

#define AOF_MAX_CLOSE_JOBS 16        /* more pending closes: done in place */

/* aofFlush() results the caller logs */
#define AOF_FLUSH_OK 0               /* nothing to do, or written */
#define AOF_FLUSH_POSTPONED 1        /* everysec: a fsync is running, retry */
#define AOF_FLUSH_DELAYED 2          /* written without waiting for a slow fsync */
#define AOF_FLUSH_WRITE_ERROR 3      /* aofLastError() says why; data kept */
#define AOF_FLUSH_RECOVERED 4        /* a previous write error is solved */
#define AOF_FLUSH_FATAL 5            /* always-policy write or fsync failed: exit */

typedef struct aofInfo {
    long long current_size;    /* bytes of base + incr files */
    long long base_size;       /* size at the last rewrite or start */
    long long buffer_length;   /* bytes not yet written */
    long long pending_fsync;   /* background fsync jobs queued or running */
    long long delayed_fsync;   /* writes done without waiting for a fsync */
    long long last_incr_size;  /* bytes written to the current incr file */
    int last_write_ok;
    int last_write_errno;
    int fd;
} aofInfo;

void aofInit(void);
/* Start writing to fd (the current incr file, positioned at its end);
 * incr_size is its current length.  The previous fd, if any, is returned
 * (the caller closes it once any fsync on it is done: aofWaitFsync). */
int aofSetFd(int fd, long long incr_size);
void aofSetSizes(long long current_size, long long base_size);
void aofSetPolicy(int fsync_policy, int timestamps, int no_fsync_on_rewrite);
/* A child process is writing to the disk (no-appendfsync-on-rewrite). */
void aofSetChildActive(int active);
/* AOF turned on again: forget the last write error. */
void aofClearWriteError(void);
/* Close fd on the fsync thread, after a fsync if need_fsync (the incr file
 * a rewrite left; an unlinked history file, whose close frees it). */
void aofCloseInBackground(int fd, int need_fsync);
/* Append one command of database dbid, encoded as a RESP array. */
/* dbid -1: in whatever database is selected (the EXEC closing a unit) */
void aofFeed(int dbid, const char *cmd, size_t len, long long unixtime);
/* Forget the selected database: the next command starts with SELECT
 * (a new incr file after a rewrite; AOF turned on). */
void aofResetSelectedDb(void);
int aofFlush(int force, long long unixtime);
/* Block until queued background fsyncs and closes are done. */
void aofWaitFsync(void);
/* fsync now on this thread; 0 ok, -1 error (errno set). */
int aofFsyncNow(void);
void aofGetInfo(aofInfo *info);
/* Drop the buffer (AOF turned off). */
void aofDiscardBuffer(void);
#endif
