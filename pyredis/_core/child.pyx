# Child processes: a forked child that writes a snapshot (BGSAVE, an AOF
# rewrite) from the memory it shares, copy-on-write, with the server.
#
# At most one child runs at a time (g_child_pid, g_child_type), as in
# Redis.  The fork happens here, in compiled code, and the child never
# returns into Python or the event loop: it runs a C-level job, reports
# through a pipe and leaves with _exit().  So the pages the child touches
# are those the job reads; the parent keeps copy-on-write small by not
# resizing hash tables and not updating access times while a child lives
# (see g_child_pid checks in keyspace.pyx).
#
# The child reports progress and its copy-on-write size over a pipe as
# fixed-size ChildInfo records; the parent drains them from the cron
# (read_child_info) and reaps the child there too (check_child_done).
from posix.unistd cimport fork, _exit, pipe, close, read, write, getpid, usleep
from libc.stdlib cimport rand
from posix.fcntl cimport fcntl, F_GETFL, F_SETFL, O_NONBLOCK
from posix.types cimport pid_t
from posix.wait cimport waitpid, WNOHANG, WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG
from posix.signal cimport kill
from libc.signal cimport signal as c_signal, SIG_DFL, SIGTERM, SIGINT
from libc.stdio cimport FILE, fopen, fclose, fgets, sscanf
from libc.string cimport strncmp

cdef extern from "<signal.h>" nogil:
    int SIGUSR1

cdef extern from "<sched.h>" nogil:
    ctypedef struct cpu_set_t:
        pass
    void CPU_ZERO(cpu_set_t *s)
    void CPU_SET(int cpu, cpu_set_t *s)
    int CPU_SETSIZE
    int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask)

cdef enum:
    CHILD_TYPE_NONE = 0
    CHILD_TYPE_RDB = 1
    CHILD_TYPE_AOF = 2

cdef enum:
    CHILD_INFO_PROGRESS = 0    # keys processed so far, current cow
    CHILD_INFO_DONE = 1        # the job finished; final cow

cdef struct ChildInfo:
    int kind
    size_t keys
    size_t cow
    long long ms

# bgsave_cpulist / aof_rewrite_cpulist: the CPUs a child of each type is
# bound to (none: it inherits the server's)
cdef cpu_set_t g_child_cpus[3]
cdef bint g_child_cpus_set[3]
g_child_cpus_set[0] = g_child_cpus_set[1] = g_child_cpus_set[2] = False

cdef pid_t g_child_pid = -1
cdef int g_child_type = CHILD_TYPE_NONE
cdef long long g_child_start_ms = 0
cdef int g_child_info_pipe[2]
g_child_info_pipe[0] = g_child_info_pipe[1] = -1
cdef long long g_child_last_report_ms = 0
# what the parent learnt from the running (or last) child
cdef size_t g_child_keys = 0
cdef size_t g_child_cow = 0
cdef size_t g_child_cow_peak = 0
cdef long long g_child_cow_updated_ms = 0


cdef inline bint has_active_child() noexcept nogil:
    return g_child_pid != -1


cdef pid_t fork_child(int child_type) noexcept:
    """Fork a child of the given type.  Returns 0 in the child, the child's
    pid in the parent, -1 (errno set) when fork failed."""
    global g_child_pid, g_child_type, g_child_start_ms, g_child_keys, g_child_cow, \
        g_child_cow_peak, g_child_cow_updated_ms
    cdef int fds[2]
    if pipe(fds) == 0:
        fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
    else:
        fds[0] = fds[1] = -1
    cdef long long start = mstime()
    cdef pid_t pid = fork()
    if pid == 0:
        # The event loop's signal handlers would wake the parent's loop
        # through a shared descriptor: the child takes the defaults, so
        # SIGUSR1 (what the parent sends to cancel a job) ends it.
        c_signal(SIGTERM, SIG_DFL)
        c_signal(SIGINT, SIG_DFL)
        c_signal(SIGUSR1, SIG_DFL)
        if g_child_cpus_set[child_type]:
            sched_setaffinity(0, sizeof(cpu_set_t), &g_child_cpus[child_type])
        if fds[0] != -1:
            close(fds[0])
        g_child_info_pipe[0] = -1
        g_child_info_pipe[1] = fds[1]
        g_child_pid = -1
        g_child_type = child_type
        return 0
    if pid < 0:
        if fds[0] != -1:
            close(fds[0])
            close(fds[1])
        return -1
    if fds[1] != -1:
        close(fds[1])
    if g_child_cpus_set[child_type]:
        # also from here, so the binding holds before the caller answers
        sched_setaffinity(pid, sizeof(cpu_set_t), &g_child_cpus[child_type])
    g_child_info_pipe[0] = fds[0]
    g_child_info_pipe[1] = -1
    g_child_pid = pid
    g_child_type = child_type
    g_child_start_ms = start
    g_stats.fork_usec = (mstime() - start) * 1000
    g_stats.total_forks += 1
    g_child_keys = g_child_cow = g_child_cow_peak = 0
    g_child_cow_updated_ms = 0
    dictDisableResize()
    aofSetChildActive(1)
    return pid


cdef size_t process_private_dirty() noexcept nogil:
    """Bytes of this process's memory that are private and written: for a
    forked child, what copy-on-write has copied so far."""
    cdef FILE *f = fopen(b"/proc/self/smaps_rollup", b"r")
    cdef char line[256]
    cdef unsigned long kb
    cdef size_t total = 0
    if f == NULL:
        return 0
    while fgets(line, sizeof(line), f) != NULL:
        if strncmp(line, b"Private_Dirty:", 14) == 0:
            if sscanf(line + 14, b"%lu", &kb) == 1:
                total += kb * 1024
    fclose(f)
    return total


cdef void child_send_info(int kind, size_t keys) noexcept nogil:
    """In the child: report progress (at most once a second) or the end."""
    global g_child_last_report_ms
    cdef ChildInfo info
    cdef long long now
    if g_child_info_pipe[1] == -1:
        return
    now = mstime()
    if kind == CHILD_INFO_PROGRESS and now - g_child_last_report_ms < 1000:
        return
    g_child_last_report_ms = now
    info.kind = kind
    info.keys = keys
    info.cow = process_private_dirty()
    info.ms = now
    write(g_child_info_pipe[1], &info, sizeof(info))


cdef void exit_from_child(int status) noexcept nogil:
    _exit(status)


cdef int cfg_rdb_key_save_delay = 0    # rdb-key-save-delay (a testing aid)


cdef inline void key_save_delay() noexcept nogil:
    """rdb-key-save-delay after each key a snapshot writes: that many
    microseconds; negative -N sleeps 1us once in N keys on average."""
    cdef int usec = cfg_rdb_key_save_delay
    if usec == 0:
        return
    if usec < 0:
        usec = 1 if rand() % (-usec) == 0 else 0
    if usec:
        usleep(usec)


cdef void read_child_info() noexcept:
    """In the parent: take in whatever the child reported."""
    global g_child_keys, g_child_cow, g_child_cow_peak, g_child_cow_updated_ms
    cdef ChildInfo info
    if g_child_info_pipe[0] == -1:
        return
    while read(g_child_info_pipe[0], &info, sizeof(info)) == sizeof(info):
        g_child_keys = info.keys
        g_child_cow = info.cow
        g_child_cow_updated_ms = info.ms
        if info.cow > g_child_cow_peak:
            g_child_cow_peak = info.cow


cdef void child_ended() noexcept:
    global g_child_pid, g_child_type
    read_child_info()
    if g_child_info_pipe[0] != -1:
        close(g_child_info_pipe[0])
        g_child_info_pipe[0] = -1
    g_child_pid = -1
    g_child_type = CHILD_TYPE_NONE
    dictEnableResize()
    aofSetChildActive(0)


def check_child_done():
    """Reap the child if it has ended: returns (type, exitcode, signal,
    cow_bytes, duration_ms) or None while it runs (or when there is none)."""
    cdef int status = 0
    cdef pid_t pid
    cdef int ctype
    if g_child_pid == -1:
        return None
    read_child_info()
    pid = waitpid(g_child_pid, &status, WNOHANG)
    if pid == 0:
        return None
    ctype = g_child_type
    cdef long long took = mstime() - g_child_start_ms
    child_ended()
    if pid < 0:
        return (ctype, 1, 0, g_child_cow, took)
    if WIFSIGNALED(status):
        return (ctype, -1, WTERMSIG(status), g_child_cow, took)
    return (ctype, WEXITSTATUS(status) if WIFEXITED(status) else 1, 0, g_child_cow, took)


def kill_child():
    """Cancel the running child (FLUSHALL, SHUTDOWN, a failing config): it
    is sent SIGUSR1 and reaped.  Returns its type, or 0 when none ran."""
    cdef int status = 0
    cdef int ctype = g_child_type
    if g_child_pid == -1:
        return 0
    kill(g_child_pid, SIGUSR1)
    waitpid(g_child_pid, &status, 0)
    child_ended()
    return ctype


def child_state():
    """For INFO: (type, pid, started_ms, keys_processed, cow, cow_peak, cow_updated_ms)."""
    read_child_info()
    return (g_child_type, g_child_pid, g_child_start_ms, g_child_keys, g_child_cow,
            g_child_cow_peak, g_child_cow_updated_ms)


def set_child_cpus(int child_type, cpus):
    """Bind future children of child_type to these CPU numbers (None: no
    binding)."""
    if child_type < 1 or child_type > 2:
        raise ValueError(child_type)
    if not cpus:
        g_child_cpus_set[child_type] = False
        return
    CPU_ZERO(&g_child_cpus[child_type])
    for cpu in cpus:
        if 0 <= cpu < CPU_SETSIZE:
            CPU_SET(cpu, &g_child_cpus[child_type])
    g_child_cpus_set[child_type] = True
