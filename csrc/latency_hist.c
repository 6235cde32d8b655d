/* latency_hist.c -- a latency histogram with the bucket layout of an HDR
 * histogram (lowest 1, highest 1e9, 2 significant digits), so percentiles
 * and log buckets come out as Redis 7.0 prints them.
 *
 * Layout: values below 256 are counted exactly (bucket 0 holds 0..255);
 * above, bucket b (b >= 1) holds [128 << b, 256 << b) in 128 sub-buckets of
 * width 1 << b.  counts[] is indexed ((b + 1) << 7) + (sub - 128) where
 * sub = value >> b, which for bucket 0 also covers 0..127.  Every value in a
 * sub-bucket is "equivalent"; a reported value is the sub-bucket's highest.
 *
 * Invariant: total equals the sum of counts[].
 */
#include "latency_hist.h"
#include "zmalloc.h"

#include <string.h>

static int bucketOf(int64_t v) {
    /* position of the highest set bit of (v | 255), minus 7 */
    return (64 - __builtin_clzll((uint64_t)v | (LHIST_SUB_BUCKETS - 1))) - 8;
}

static int indexOf(int64_t v) {
    int b = bucketOf(v);
    int sub = (int)(v >> b);
    return ((b + 1) << 7) + (sub - LHIST_HALF);
}

static int64_t valueOfIndex(int idx) {
    int b = (idx >> 7) - 1;
    int sub = (idx & (LHIST_HALF - 1)) + LHIST_HALF;
    if (b < 0) {
        sub -= LHIST_HALF;
        b = 0;
    }
    return (int64_t)sub << b;
}

static int64_t highestEquivalent(int64_t v) {
    int b = bucketOf(v);
    int64_t lowest = (v >> b) << b;
    return lowest + ((int64_t)1 << b) - 1;
}

latencyHist *lhistCreate(void) {
    latencyHist *h = zmalloc(sizeof(*h));
    if (h) memset(h, 0, sizeof(*h));
    return h;
}

void lhistFree(latencyHist *h) {
    zfree(h);
}

void lhistRecord(latencyHist *h, int64_t ns) {
    if (ns < 1) ns = 1;
    if (ns > LHIST_MAX_NS) ns = LHIST_MAX_NS;
    h->counts[indexOf(ns)]++;
    h->total++;
}

int64_t lhistValueAtPercentile(const latencyHist *h, double p) {
    double req = p < 100.0 ? p : 100.0;
    int64_t want = (int64_t)((req / 100.0) * (double)h->total + 0.5);
    int64_t seen = 0;
    int i;
    if (want < 1) want = 1;
    for (i = 0; i < LHIST_COUNTS; i++) {
        seen += h->counts[i];
        if (seen >= want) return highestEquivalent(valueOfIndex(i));
    }
    return 0;
}

int lhistLogNext(const latencyHist *h, int64_t *level, int64_t *value, int64_t *cumulative) {
    int64_t lvl = *level ? *level * 2 : 1024;
    int64_t upto, seen = 0;
    int i;
    /* the previous level reached the highest recorded value: done */
    int64_t top = 0;
    for (i = LHIST_COUNTS - 1; i >= 0; i--)
        if (h->counts[i]) { top = valueOfIndex(i); break; }
    if (h->total == 0 || (*level && *level >= top)) return 0;
    upto = highestEquivalent(lvl);
    for (i = 0; i < LHIST_COUNTS; i++) {
        if (valueOfIndex(i) > upto) break;
        seen += h->counts[i];
    }
    *level = lvl;
    *value = upto;
    *cumulative = seen;
    return 1;
}
