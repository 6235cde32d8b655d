/* latency_hist.h -- fixed-layout latency histogram (HDR histogram with two
 * significant digits over 1 ns .. 1 s), as Redis 7.0 keeps per command for
 * INFO latencystats and LATENCY HISTOGRAM. */
#ifndef PYREDIS_LATENCY_HIST_H
#define PYREDIS_LATENCY_HIST_H

#include <stdint.h>

#define LHIST_SUB_BUCKETS 256            /* 2 significant digits: 2^ceil(log2(200)) */
#define LHIST_HALF 128
#define LHIST_BUCKETS 23                 /* enough for 1e9 ns */
#define LHIST_COUNTS ((LHIST_BUCKETS + 1) * LHIST_HALF)
#define LHIST_MAX_NS 1000000000LL

typedef struct latencyHist {
    int64_t total;
    int64_t counts[LHIST_COUNTS];
} latencyHist;

latencyHist *lhistCreate(void);
void lhistFree(latencyHist *h);
/* Record one duration in ns (clamped to [1, LHIST_MAX_NS]). */
void lhistRecord(latencyHist *h, int64_t ns);
/* The value at percentile p (0..100): the highest value equivalent to the
 * recorded one reaching that rank, as hdr_value_at_percentile. */
int64_t lhistValueAtPercentile(const latencyHist *h, double p);
/* Log-scale iteration from 1024 ns doubling (hdr_iter_log_init(h, 1024, 2)):
 * call with *level = 0 to start; each call fills the reporting level's
 * highest equivalent value and the cumulative count up to it, and returns
 * 0 once every recorded value was passed. */
int lhistLogNext(const latencyHist *h, int64_t *level, int64_t *value, int64_t *cumulative);

#endif
