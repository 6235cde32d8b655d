/* geohash.c -- see geohash.h for the model.
 *
 * Conventions: "lon"/"lat" are degrees, distances are metres unless a
 * geoShape says otherwise (its radius/width/height are in its unit and
 * `conversion` turns them into metres).  Every floating point expression
 * that decides a bit of a score or a search boundary is evaluated in the
 * same order as Redis's, because changing the order changes the rounding.
 */
#include "geohash.h"

#include <math.h>
#include <stddef.h>

#define DEG2RAD (M_PI / 180.0)
#define MERCATOR_MAX 20037726.37

static const char BASE32[] = "0123456789bcdefghjkmnpqrstuvwxyz";

/* Spread the low 32 bits of v onto the even bit positions. */
static uint64_t spread(uint32_t v) {
    uint64_t x = v;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
    x = (x | (x << 2)) & 0x3333333333333333ULL;
    x = (x | (x << 1)) & 0x5555555555555555ULL;
    return x;
}

/* Inverse of spread: gather the even bits of v into 32 bits. */
static uint32_t gather(uint64_t v) {
    uint64_t x = v & 0x5555555555555555ULL;
    x = (x | (x >> 1)) & 0x3333333333333333ULL;
    x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
    x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
    x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
    return (uint32_t)x;
}

static inline uint64_t interleave(uint32_t lat_idx, uint32_t lon_idx) {
    return spread(lat_idx) | (spread(lon_idx) << 1);
}

static const geoRange LON_RANGE = {GEO_LONG_MIN, GEO_LONG_MAX};
static const geoRange LAT_RANGE = {GEO_LAT_MIN, GEO_LAT_MAX};

int geohashEncodeRange(geoRange lon_r, geoRange lat_r, double lon, double lat,
                       uint8_t step, geoHash *out) {
    double lat_off, lon_off;
    if (out == NULL || step > 32 || step == 0) return 0;
    if (lon_r.max - lon_r.min == 0 || lat_r.max - lat_r.min == 0) return 0;
    if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN)
        return 0;
    if (lat < lat_r.min || lat > lat_r.max || lon < lon_r.min || lon > lon_r.max)
        return 0;
    lat_off = (lat - lat_r.min) / (lat_r.max - lat_r.min);
    lon_off = (lon - lon_r.min) / (lon_r.max - lon_r.min);
    lat_off *= (double)(1ULL << step);
    lon_off *= (double)(1ULL << step);
    out->bits = interleave((uint32_t)lat_off, (uint32_t)lon_off);
    out->step = step;
    return 1;
}

int geohashEncode(double lon, double lat, uint8_t step, geoHash *out) {
    return geohashEncodeRange(LON_RANGE, LAT_RANGE, lon, lat, step, out);
}

int geohashDecodeRange(geoRange lon_r, geoRange lat_r, geoHash h, geoArea *out) {
    uint32_t ilat, ilon;
    double lat_scale, lon_scale, cells;
    if (out == NULL || (h.bits == 0 && h.step == 0)) return 0;
    ilat = gather(h.bits);
    ilon = gather(h.bits >> 1);
    lat_scale = lat_r.max - lat_r.min;
    lon_scale = lon_r.max - lon_r.min;
    cells = (double)(1ULL << h.step);
    out->hash = h;
    out->lat.min = lat_r.min + (ilat * 1.0 / cells) * lat_scale;
    out->lat.max = lat_r.min + ((ilat + 1) * 1.0 / cells) * lat_scale;
    out->lon.min = lon_r.min + (ilon * 1.0 / cells) * lon_scale;
    out->lon.max = lon_r.min + ((ilon + 1) * 1.0 / cells) * lon_scale;
    return 1;
}

int geohashDecode(geoHash h, geoArea *out) {
    return geohashDecodeRange(LON_RANGE, LAT_RANGE, h, out);
}

int geohashDecodeScore(double score, double *lon, double *lat) {
    geoHash h = {(uint64_t)score, GEO_STEP_MAX};
    geoArea a;
    double x, y;
    if (!geohashDecode(h, &a)) return 0;
    x = (a.lon.min + a.lon.max) / 2;
    if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
    if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
    y = (a.lat.min + a.lat.max) / 2;
    if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
    if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
    *lon = x;
    *lat = y;
    return 1;
}

uint64_t geohashAlign52(geoHash h) {
    return h.bits << (52 - h.step * 2);
}

int geohashString(double score, char *buf) {
    double lon, lat;
    geoHash h;
    geoRange lon_r = {-180, 180}, lat_r = {-90, 90};
    int i;
    if (!geohashDecodeScore(score, &lon, &lat)) return 0;
    if (!geohashEncodeRange(lon_r, lat_r, lon, lat, GEO_STEP_MAX, &h)) return 0;
    /* 52 bits make 10 full characters; the 11th is always '0'. */
    for (i = 0; i < 10; i++)
        buf[i] = BASE32[(h.bits >> (52 - (i + 1) * 5)) & 0x1f];
    buf[10] = '0';
    buf[11] = '\0';
    return 1;
}

/* Move a cell by dlon/dlat cells, wrapping around the grid. */
static geoHash shift(const geoHash *h, int dlon, int dlat) {
    uint32_t mask = (uint32_t)((1ULL << h->step) - 1);
    uint32_t ilat = (gather(h->bits) + (uint32_t)dlat) & mask;
    uint32_t ilon = (gather(h->bits >> 1) + (uint32_t)dlon) & mask;
    geoHash r = {interleave(ilat, ilon), h->step};
    return r;
}

void geohashNeighbours(const geoHash *h, geoHash out[8]) {
    out[0] = shift(h, 0, 1);    /* north */
    out[1] = shift(h, 0, -1);   /* south */
    out[2] = shift(h, 1, 0);    /* east */
    out[3] = shift(h, -1, 0);   /* west */
    out[4] = shift(h, 1, 1);    /* north east */
    out[5] = shift(h, -1, 1);   /* north west */
    out[6] = shift(h, 1, -1);   /* south east */
    out[7] = shift(h, -1, -1);  /* south west */
}

static inline double rad(double deg) { return deg * DEG2RAD; }
static inline double deg(double r) { return r / DEG2RAD; }

/* Haversine great-circle distance. */
double geohashDistance(double lon1, double lat1, double lon2, double lat2) {
    double la1 = rad(lat1), lo1 = rad(lon1), la2 = rad(lat2), lo2 = rad(lon2);
    double u = sin((la2 - la1) / 2);
    double v = sin((lo2 - lo1) / 2);
    return 2.0 * GEO_EARTH_RADIUS_M * asin(sqrt(u * u + cos(la1) * cos(la2) * v * v));
}

/* The step whose cells are about as large as the radius (a little larger
 * so the 3x3 block covers it), coarser near the poles where cells narrow. */
uint8_t geohashStepsForRadius(double meters, double lat) {
    int step = 1;
    if (meters == 0) return GEO_STEP_MAX;
    while (meters < MERCATOR_MAX) {
        meters *= 2;
        step++;
    }
    step -= 2;
    if (lat > 66 || lat < -66) {
        step--;
        if (lat > 80 || lat < -80) step--;
    }
    if (step < 1) step = 1;
    if (step > GEO_STEP_MAX) step = GEO_STEP_MAX;
    return (uint8_t)step;
}

/* The lon/lat box around the shape.  Longitude spans are taken at the
 * edge nearer the pole (the wider one in degrees). */
void geohashBoundingBox(geoShape *s, double *bounds) {
    int radius = s->type == GEO_SHAPE_RADIUS;
    double height = s->conversion * (radius ? s->radius : s->height / 2);
    double width = s->conversion * (radius ? s->radius : s->width / 2);
    double dlat = deg(height / GEO_EARTH_RADIUS_M);
    double dlon_top = deg(width / GEO_EARTH_RADIUS_M / cos(rad(s->lat + dlat)));
    double dlon_bottom = deg(width / GEO_EARTH_RADIUS_M / cos(rad(s->lat - dlat)));
    double dlon = s->lat < 0 ? dlon_bottom : dlon_top;
    bounds[0] = s->lon - dlon;
    bounds[2] = s->lon + dlon;
    bounds[1] = s->lat - dlat;
    bounds[3] = s->lat + dlat;
}

static void cover_at(const geoShape *s, int step, geoHash *centre, geoHash nb[8], geoArea *area) {
    geohashEncode(s->lon, s->lat, (uint8_t)step, centre);
    geohashNeighbours(centre, nb);
    geohashDecode(*centre, area);
}

void geoAreasByShape(geoShape *s, geoCover *out) {
    geoHash centre, nb[8];
    geoArea area, a;
    double *b = s->bounds;
    double meters;
    int step, coarser = 0, i;

    geohashBoundingBox(s, b);
    if (s->type == GEO_SHAPE_RADIUS)
        meters = s->radius;
    else
        meters = sqrt((s->width / 2) * (s->width / 2) + (s->height / 2) * (s->height / 2));
    meters *= s->conversion;
    step = geohashStepsForRadius(meters, s->lat);
    cover_at(s, step, &centre, nb, &area);

    /* The estimate can leave the shape poking out of the 3x3 block when
     * the centre sits near a cell edge: go one step coarser then. */
    geohashDecode(nb[0], &a);
    if (a.lat.max < b[3]) coarser = 1;
    geohashDecode(nb[1], &a);
    if (a.lat.min > b[1]) coarser = 1;
    geohashDecode(nb[2], &a);
    if (a.lon.max < b[2]) coarser = 1;
    geohashDecode(nb[3], &a);
    if (a.lon.min > b[0]) coarser = 1;
    if (step > 1 && coarser) {
        step--;
        cover_at(s, step, &centre, nb, &area);
    }

    /* Drop the neighbours on a side the shape does not reach. */
    if (step >= 2) {
        geoHash zero = {0, 0};
        if (area.lat.min < b[1]) nb[1] = nb[6] = nb[7] = zero;      /* S SE SW */
        if (area.lat.max > b[3]) nb[0] = nb[4] = nb[5] = zero;      /* N NE NW */
        if (area.lon.min < b[0]) nb[3] = nb[7] = nb[5] = zero;      /* W SW NW */
        if (area.lon.max > b[2]) nb[2] = nb[6] = nb[4] = zero;      /* E SE NE */
    }
    out->cells[0] = centre;
    for (i = 0; i < 8; i++) out->cells[i + 1] = nb[i];
    out->nsteps = step;
}

int geoShapeContains(const geoShape *s, double lon, double lat, double *dist) {
    if (s->type == GEO_SHAPE_RADIUS) {
        *dist = geohashDistance(s->lon, s->lat, lon, lat);
        return *dist <= s->radius * s->conversion;
    }
    /* box: the east-west and north-south legs from the point */
    if (geohashDistance(lon, lat, s->lon, lat) > s->width * s->conversion / 2 ||
        geohashDistance(lon, lat, lon, s->lat) > s->height * s->conversion / 2)
        return 0;
    *dist = geohashDistance(s->lon, s->lat, lon, lat);
    return 1;
}
