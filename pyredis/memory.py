"""Process memory figures: bytes the C allocator holds for the data
(csrc/zmalloc's counter plus what libc malloc holds outside it, mallinfo2),
the resident set size (/proc/self/statm), the peak, and the derived
figures of INFO memory, MEMORY STATS and MEMORY DOCTOR.  Slow path."""
import ctypes
import os


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
        "fsmblks", "uordblks", "fordblks", "keepcost")]


try:
    _libc = ctypes.CDLL(None)
    _mallinfo2 = _libc.mallinfo2
    _mallinfo2.restype = _MallInfo2
except (OSError, AttributeError):
    _mallinfo2 = None

_PAGE = os.sysconf("SC_PAGE_SIZE")


def refresh_untracked_memory() -> None:
    """Tell the core what libc malloc holds outside csrc/zmalloc (the
    interpreter and its objects), so its used memory -- what maxmemory is
    compared to -- covers the whole process heap.  The core's own large
    blocks live in libc malloc too, so mallinfo counts them: take them out
    once.  Called every cron tick and by used_memory()."""
    from ._core import core
    libc = 0
    if _mallinfo2 is not None:
        mi = _mallinfo2()
        libc = max(0, mi.uordblks + mi.hblkhd - core.libc_memory())
    core.set_untracked_memory(libc)
    peak_memory(core.used_memory())


def used_memory() -> int:
    """Bytes the compiled core allocated (counted by csrc/zmalloc) plus what
    libc malloc holds for the interpreter and its objects."""
    from ._core import core
    refresh_untracked_memory()
    used = core.used_memory()
    peak_memory(used)
    return used


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def human_bytes(n: int) -> str:
    """Redis's bytesToHuman."""
    if n < 1024:
        return "%dB" % n
    for unit, div in (("K", 1024), ("M", 1024 ** 2), ("G", 1024 ** 3),
                      ("T", 1024 ** 4), ("P", 1024 ** 5)):
        if n < div * 1024 or unit == "P":
            return "%.2f%s" % (n / div, unit)


# --- MEMORY STATS / DOCTOR and INFO memory's derived figures ------------------

_peak = 0
DICT_ENTRY_SIZE = 24      # csrc/dict.h entry header (the key bytes follow)


def peak_memory(used: int) -> int:
    """The highest used memory seen (INFO used_memory_peak)."""
    global _peak
    _peak = max(_peak, used)
    return _peak


def overhead(startup: int, dbs) -> tuple:
    """(total overhead, [(dbid, main table, expires table)]) as Redis's
    getMemoryOverheadData counts it: start-up memory plus the keyspace
    tables' buckets and entry headers.  dbs: [(dbid, keys, expires,
    main slots, expires slots)] for non-empty databases."""
    per_db = [(i, slots * 8 + keys * DICT_ENTRY_SIZE, eslots * 8 + expires * DICT_ENTRY_SIZE)
              for i, keys, expires, slots, eslots in dbs]
    return startup + sum(m + e for _, m, e in per_db), per_db


def memory_stats(startup: int, dbs) -> list:
    """MEMORY STATS as (name, value) pairs; a db's value is a pair list."""
    used = used_memory()
    peak = peak_memory(used)
    rss = rss_bytes()
    total_overhead, per_db = overhead(startup, dbs)
    keys = sum(d[1] for d in dbs)
    net = max(used - startup, 0)
    dataset = max(used - total_overhead, 0)
    out = [("peak.allocated", peak), ("total.allocated", used),
           ("startup.allocated", startup), ("replication.backlog", 0),
           ("clients.slaves", 0), ("clients.normal", 0), ("cluster.links", 0),
           ("aof.buffer", 0), ("lua.caches", 0), ("functions.caches", 0)]
    out += [("db.%d" % i, [("overhead.hashtable.main", m), ("overhead.hashtable.expires", e)])
            for i, m, e in per_db]
    out += [("overhead.total", total_overhead), ("keys.count", keys),
            ("keys.bytes-per-key", net // keys if keys else 0),
            ("dataset.bytes", dataset),
            ("dataset.percentage", dataset * 100.0 / net if net else 0.0),
            ("peak.percentage", used * 100.0 / peak if peak else 0.0),
            ("allocator.allocated", used), ("allocator.active", used),
            ("allocator.resident", rss),
            ("allocator-fragmentation.ratio", 1.0), ("allocator-fragmentation.bytes", 0),
            ("allocator-rss.ratio", 1.0), ("allocator-rss.bytes", 0),
            ("rss-overhead.ratio", 1.0), ("rss-overhead.bytes", 0),
            ("fragmentation", rss / used if used else 1.0),
            ("fragmentation.bytes", rss - used)]
    return out


_DOCTOR_PEAK = (
    " * Peak memory: In the past this instance used more than 150% the memory that is "
    "currently using. The allocator is normally not able to release memory after a peak, so "
    "you can expect to see a big fragmentation ratio, however this is actually harmless and is "
    "only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is "
    "currently bigger than expected, the memory will be used as soon as you fill the Redis "
    "instance with more data. If the memory peak was only occasional and you want to try to "
    "reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is "
    "to shutdown and restart the instance.\n\n")
_DOCTOR_FRAG = (
    " * High total RSS: This instance has a memory fragmentation and RSS overhead greater than "
    "1.4 (this means that the Resident Set Size of the Redis process is much larger than the "
    "sum of the logical allocations Redis performed). This problem is usually due either to a "
    "large peak memory (check if there is a peak memory entry above in the report) or may "
    "result from a workload that causes the allocator to fragment memory a lot. If the problem "
    "is a large peak memory, then there is no issue. Otherwise, make sure you are using the "
    "Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is "
    "\"%s\".\n\n")


def malloc_stats() -> str:
    return "Stats not supported for the current allocator"


def memory_doctor() -> str:
    """Redis's getMemoryDoctorReport over our figures (the allocator
    checks have nothing to report: we count allocator bytes ourselves)."""
    from ._core import core
    used = used_memory()
    peak = peak_memory(used)
    rss = rss_bytes()
    if used < 5 * 1024 * 1024:
        return ("Hi Sam, this instance is empty or is using very little memory, my issues "
                "detector can't be used in these conditions. Please, leave for your mission on "
                "Earth and fill it with some data. The new Sam and I will be back to our "
                "programming as soon as I finished rebooting.\n")
    reports = []
    if peak / used > 1.5:
        reports.append(_DOCTOR_PEAK)
    if rss / used > 1.4 and rss - used > 10 << 20:
        reports.append(_DOCTOR_FRAG % core.allocator())
    if not reports:
        return ("Hi Sam, I can't find any memory issue in your instance. I can only account "
                "for what occurs on this base.\n")
    return ("Sam, I detected a few issues in this Redis instance memory implants:\n\n"
            + "".join(reports) + "I'm here to keep you safe, Sam. I want to help you.\n")
