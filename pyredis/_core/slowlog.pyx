# What the server tells about the commands it runs: the slow log (SLOWLOG),
# MONITOR and the latency monitor (LATENCY), fed by call() after every
# command (call.pyx: log_command).
#
# latency-tracking keeps a histogram per command (csrc/latency_hist.c: the
# bucket layout of Redis's HDR histograms, so INFO latencystats and LATENCY
# HISTOGRAM print the same values for the same durations).
#
# MONITOR shows a command once it ran (so SELECT shows its new database,
# EXEC follows the commands it ran), but a script command before the
# commands its script runs, as Redis 7.0 does.
#
# The cost when none is wanted is two integer tests per command: the
# duration against slowlog-log-slower-than (and latency-monitor-threshold,
# 0 = off) and g_nmonitors.  Entries copy what they show, so nothing points
# into a request buffer.  Secrets are never shown: AUTH's arguments and
# HELLO's AUTH pair read "(redacted)", as in Redis.
from cpython.bytes cimport PyBytes_FromStringAndSize
from posix.time cimport timeval, gettimeofday
import collections as _collections

cdef enum:
    SLOWLOG_ENTRY_MAX_ARGC = 32
    SLOWLOG_ENTRY_MAX_STRING = 128
    LATENCY_TS_LEN = 160           # samples kept per event

cdef long long cfg_slowlog_slower_than = 10000   # us; negative: off
cdef long long cfg_slowlog_max_len = 128
cdef long long cfg_latency_threshold = 0         # ms; 0: off
cdef object g_slowlog = _collections.deque()     # newest first
cdef long long g_slowlog_next_id = 0
cdef list g_monitors = []
cdef int g_nmonitors = 0
cdef dict g_latency = {}        # event -> [deque of (unix s, ms), max ms]

cdef bytes REDACTED = b"(redacted)"


cdef list shown_args(Client c, Command cmd):
    """The arguments as the slow log and MONITOR show them."""
    cdef int i
    args = [c.argv[i][:c.argvlen[i]] for i in range(c.argc)]
    if cmd.proc == cmd_auth:
        for i in range(1, len(args)):
            args[i] = REDACTED
    elif cmd.proc == cmd_hello:
        i = 2
        while i < len(args):
            if args[i].lower() == b"auth" and i + 2 < len(args):
                args[i + 1] = args[i + 2] = REDACTED
                i += 3
            elif args[i].lower() == b"setname" and i + 1 < len(args):
                i += 2
            else:
                i += 1
    return args


cdef int log_command(Client c, Command cmd, long long dur) except -1:
    """After a command ran (call.pyx), when one of the three wants it."""
    if cfg_slowlog_slower_than >= 0 and dur >= cfg_slowlog_slower_than and \
            not (cmd.flags & CMD_SKIP_SLOWLOG) and not (c.flags & CLIENT_BLOCKED):
        slowlog_push(c, cmd, dur)
    if g_nmonitors and monitored(c, cmd) and not cmd.script_like:
        feed_monitors(c, cmd)
    if cfg_latency_threshold and dur // 1000 >= cfg_latency_threshold:
        latency_add_sample("fast-command" if cmd.flags & CMD_FAST else "command", dur // 1000)
    return 0


# --- SLOWLOG --------------------------------------------------------------------

cdef int slowlog_push(Client c, Command cmd, long long dur) except -1:
    global g_slowlog_next_id
    args = shown_args(c, cmd)
    n = len(args)
    if n > SLOWLOG_ENTRY_MAX_ARGC:
        args = args[:SLOWLOG_ENTRY_MAX_ARGC - 1] + [
            b"... (%d more arguments)" % (n - SLOWLOG_ENTRY_MAX_ARGC + 1)]
    args = [a if len(a) <= SLOWLOG_ENTRY_MAX_STRING else
            a[:SLOWLOG_ENTRY_MAX_STRING] + b"... (%d more bytes)" % (len(a) - SLOWLOG_ENTRY_MAX_STRING)
            for a in args]
    g_slowlog.appendleft((g_slowlog_next_id, mstime() // 1000, dur, args,
                          peer_id(c).encode(), c.name if c.name is not None else b""))
    g_slowlog_next_id += 1
    while len(g_slowlog) > cfg_slowlog_max_len:
        g_slowlog.pop()
    return 0


def slowlog_trim():
    while len(g_slowlog) > cfg_slowlog_max_len:
        g_slowlog.pop()


cdef int cmd_slowlog_get(Client c) except -1:
    cdef long long count = 10
    if c.argc > 3:
        reply_error_fmt(c, "ERR unknown subcommand or wrong number of arguments for '%s'. "
                        "Try SLOWLOG HELP." % arg_str(c, 1))
        return 0
    if c.argc == 3:
        if not arg_ll_msg(c, 2, &count, "ERR count should be greater than or equal to -1"):
            return 0
        if count < -1:
            replyErrorC(&c.reply, "ERR count should be greater than or equal to -1")
            return 0
        if count == -1:
            count = len(g_slowlog)
    entries = list(g_slowlog)[:count]
    replyArrayLen(&c.reply, len(entries))
    for eid, ts, dur, args, addr, name in entries:
        replyArrayLen(&c.reply, 6)
        replyLongLong(&c.reply, eid)
        replyLongLong(&c.reply, ts)
        replyLongLong(&c.reply, dur)
        replyArrayLen(&c.reply, len(args))
        for a in args:
            replyBulk(&c.reply, <const char *><bytes>a, len(<bytes>a))
        replyBulk(&c.reply, <const char *><bytes>addr, len(<bytes>addr))
        replyBulk(&c.reply, <const char *><bytes>name, len(<bytes>name))
    return 0


cdef int cmd_slowlog_len(Client c) except -1:
    replyLongLong(&c.reply, len(g_slowlog))
    return 0


cdef int cmd_slowlog_reset(Client c) except -1:
    g_slowlog.clear()
    replyOk(&c.reply)
    return 0


cdef int cmd_slowlog_help(Client c) except -1:
    return reply_help(c, "slowlog")


# --- MONITOR --------------------------------------------------------------------

cdef str peer_id(Client c):
    """The client as the slow log and MONITOR name it."""
    if c is g_script_client:
        return "lua"
    if c.flags & CLIENT_UNIX_SOCKET:
        return "unix:" + c.addr[:len(c.addr) - 2]
    return c.addr


cdef bytes repr_arg(bytes a):
    """A quoted, escaped argument (Redis's sdscatrepr)."""
    out = bytearray(b'"')
    for ch in a:
        if ch == 0x5c or ch == 0x22:
            out += b"\\" + bytes((ch,))
        elif ch == 0x0a:
            out += b"\\n"
        elif ch == 0x0d:
            out += b"\\r"
        elif ch == 0x09:
            out += b"\\t"
        elif ch == 0x07:
            out += b"\\a"
        elif ch == 0x08:
            out += b"\\b"
        elif 0x20 <= ch < 0x7f:
            out.append(ch)
        else:
            out += b"\\x%02x" % ch
    out += b'"'
    return bytes(out)


cdef inline bint monitored(Client c, Command cmd) noexcept:
    return not (c.flags & CLIENT_REPROCESSING) and \
        not (cmd.flags & (CMD_SKIP_MONITOR | CMD_ADMIN))


cdef int feed_monitors(Client c, Command cmd) except -1:
    cdef timeval tv
    cdef Client m
    gettimeofday(&tv, NULL)
    line = b"+%ld.%06ld [%d %s] %s\r\n" % (
        tv.tv_sec, tv.tv_usec, c.db.id, peer_id(c).encode(),
        b" ".join([repr_arg(a) for a in shown_args(c, cmd)]))
    for m in g_monitors:
        if m.flags & CLIENT_CLOSED:
            continue
        replyAppend(&m.reply, <const char *>line, len(line))
        m.queue_reply()
    return 0


cdef int cmd_monitor(Client c) except -1:
    global g_nmonitors
    if c.flags & CLIENT_DENY_BLOCKING:
        replyErrorC(&c.reply, "ERR MONITOR isn't allowed for DENY BLOCKING client")
        return 0
    if c.flags & (CLIENT_SLAVE | CLIENT_MONITOR):
        return 0
    c.flags |= CLIENT_MONITOR
    g_monitors.append(c)
    g_nmonitors = len(g_monitors)
    replyOk(&c.reply)
    return 0


cdef void monitor_forget(Client c) noexcept:
    global g_nmonitors
    try:
        g_monitors.remove(c)
    except ValueError:
        pass
    g_nmonitors = len(g_monitors)


# --- LATENCY --------------------------------------------------------------------

cdef void latency_add_sample(str event, long long ms) noexcept:
    cdef long long now = mstime() // 1000
    rec = g_latency.get(event)
    if rec is None:
        rec = g_latency[event] = [_collections.deque(maxlen=LATENCY_TS_LEN), 0]
    samples = rec[0]
    last = len(samples) - 1
    # one sample a second: a second event in the same second keeps the larger
    if last >= 0 and samples[last][0] == now:
        if samples[last][1] < ms:
            samples[last] = (now, ms)
    else:
        samples.append((now, ms))
    if ms > rec[1]:
        rec[1] = ms


def latency_event(str event, long long ms):
    """For the control layer (fork, AOF fsync, ...): above the threshold,
    a sample of event."""
    if cfg_latency_threshold and ms >= cfg_latency_threshold:
        latency_add_sample(event, ms)


cdef int cmd_latency_latest(Client c) except -1:
    replyArrayLen(&c.reply, len(g_latency))
    for event, (samples, worst) in g_latency.items():
        ts, ms = samples[len(samples) - 1]
        e = (<str>event).encode()
        replyArrayLen(&c.reply, 4)
        replyBulk(&c.reply, <const char *>e, len(e))
        replyLongLong(&c.reply, ts)
        replyLongLong(&c.reply, ms)
        replyLongLong(&c.reply, worst)
    return 0


cdef int cmd_latency_history(Client c) except -1:
    rec = g_latency.get(arg_str(c, 2))
    if rec is None:
        replyArrayLen(&c.reply, 0)
        return 0
    replyArrayLen(&c.reply, len(rec[0]))
    for ts, ms in rec[0]:
        replyArrayLen(&c.reply, 2)
        replyLongLong(&c.reply, ts)
        replyLongLong(&c.reply, ms)
    return 0


cdef int cmd_latency_reset(Client c) except -1:
    cdef int i
    cdef long long n = 0
    if c.argc == 2:
        n = len(g_latency)
        g_latency.clear()
    else:
        for i in range(2, c.argc):
            if g_latency.pop(arg_str(c, i), None) is not None:
                n += 1
    replyLongLong(&c.reply, n)
    return 0


cdef int cmd_latency_help(Client c) except -1:
    return reply_help(c, "latency")


# --- per-command latency histograms --------------------------------------------

cdef bint cfg_latency_tracking = True


cdef void track_latency(Command cmd, long long dur_us) noexcept:
    if cmd.latency_hist == NULL:
        cmd.latency_hist = lhistCreate()
        if cmd.latency_hist == NULL:
            return
    lhistRecord(cmd.latency_hist, dur_us * 1000)


cdef list all_commands_and_subcommands():
    out = []
    for c in g_commands.values():
        out.append(c)
        if (<Command>c).subcommands:
            out.extend((<Command>c).subcommands.values())
    return out


def latency_percentiles(list percentiles):
    """INFO latencystats: (command name, [value in us per percentile])."""
    cdef Command cmd
    out = []
    for x in all_commands_and_subcommands():
        cmd = <Command>x
        if cmd.latency_hist != NULL:
            out.append((cmd.name, [lhistValueAtPercentile(cmd.latency_hist, p) / 1000.0
                                   for p in percentiles]))
    return out


cdef void reply_command_histogram(Client c, Command cmd) noexcept:
    cdef int64_t level = 0, value = 0, cumulative = 0, previous = 0
    buckets = []
    while lhistLogNext(cmd.latency_hist, &level, &value, &cumulative):
        if cumulative > previous:
            buckets.append((value // 1000, cumulative))
        previous = cumulative
    name = cmd.name.encode()
    replyBulk(&c.reply, <const char *>name, len(name))
    replyMapLen(&c.reply, c.resp, 2)
    replyBulkC(&c.reply, "calls")
    replyLongLong(&c.reply, cmd.latency_hist.total)
    replyBulkC(&c.reply, "histogram_usec")
    replyMapLen(&c.reply, c.resp, len(buckets))
    for us, n in buckets:
        replyLongLong(&c.reply, us)
        replyLongLong(&c.reply, n)


cdef int cmd_latency_histogram(Client c) except -1:
    cdef Command cmd
    cdef int j
    chosen = []
    if c.argc == 2:
        chosen = [x for x in all_commands_and_subcommands()
                  if (<Command>x).latency_hist != NULL]
    else:
        for j in range(2, c.argc):
            found = lookup_command(c.argv[j], c.argvlen[j])
            if found is None:
                continue
            for x in [found] + (list((<Command>found).subcommands.values())
                                if (<Command>found).subcommands else []):
                if (<Command>x).latency_hist != NULL and x not in chosen:
                    chosen.append(x)
    replyMapLen(&c.reply, c.resp, len(chosen))
    for x in chosen:
        reply_command_histogram(c, <Command>x)
    return 0
