"""Process memory figures for INFO: bytes the C allocator holds for the
data (mallinfo2) and the resident set size (/proc/self/statm)."""
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


def used_memory() -> int:
    """Bytes the compiled core allocated (counted by csrc/zmalloc) plus what
    libc malloc holds for the interpreter and its objects."""
    from ._core import core
    refresh_untracked_memory()
    return core.used_memory()


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
