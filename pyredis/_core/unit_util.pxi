# Test wrappers over csrc/util.c.  Named apart from the C functions, which
# unit_dict.pxi's `from csrc cimport *` puts in the same module scope.
cimport csrc as _cu


def to_ll(s):
    """string2ll: int, or None when Redis would reject the text."""
    cdef bytes b = bytes(s)
    cdef long long v
    if _cu.string2ll(b, len(b), &v):
        return v
    return None


def to_ld(s):
    """string2ld: float (rounded from the long double), or None."""
    cdef bytes b = bytes(s)
    cdef long double v
    if _cu.string2ld(b, len(b), &v):
        return <double>v
    return None


def to_d(s):
    """string2d: float, or None."""
    cdef bytes b = bytes(s)
    cdef double v
    if _cu.string2d(b, len(b), &v):
        return v
    return None


def stringmatch(pattern, s, nocase=False):
    cdef bytes p = bytes(pattern)
    cdef bytes b = bytes(s)
    return bool(_cu.stringmatchlen(p, len(p), b, len(b), 1 if nocase else 0))


def wall_us():
    return _cu.ustime()


def wall_ms():
    return _cu.mstime()


def monotonic_us():
    return _cu.monotonicUs()
