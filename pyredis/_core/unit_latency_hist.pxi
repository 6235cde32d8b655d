# Test wrappers over csrc/latency_hist.c.
from libc.stdint cimport int64_t


cdef extern from "latency_hist.h" nogil:
    ctypedef struct latencyHist:
        int64_t total
    latencyHist *lhistCreate()
    void lhistFree(latencyHist *h)
    void lhistRecord(latencyHist *h, int64_t ns)
    int64_t lhistValueAtPercentile(const latencyHist *h, double p)
    int lhistLogNext(const latencyHist *h, int64_t *level, int64_t *value, int64_t *cumulative)


def lhist_summary(list values, list percentiles):
    """Record values (ns); (total, [value at each percentile], [(level's
    highest equivalent value, cumulative count) of the log iteration])."""
    cdef latencyHist *h = lhistCreate()
    cdef int64_t level = 0, value = 0, cumulative = 0
    if h == NULL:
        raise MemoryError()
    try:
        for v in values:
            lhistRecord(h, v)
        pct = [lhistValueAtPercentile(h, p) for p in percentiles]
        steps = []
        while lhistLogNext(h, &level, &value, &cumulative):
            steps.append((value, cumulative))
        return h.total, pct, steps
    finally:
        lhistFree(h)
