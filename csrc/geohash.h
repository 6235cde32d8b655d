/* geohash.h -- 52-bit interleaved geohashes of (longitude, latitude) and the
 * geometry the GEO commands search with.
 *
 * A point is quantised to `step` bits per axis (26 for stored points) over
 * the Web-Mercator-safe ranges: longitude [-180, 180], latitude
 * [-85.05112878, 85.05112878].  The two cell indexes are interleaved,
 * latitude on the even bits and longitude on the odd bits, so a cell's
 * hash is a prefix of every hash inside it and a box of the grid is one
 * contiguous score range of the sorted set.  The layout, ranges and the
 * floating point steps are the ones Redis uses, so scores are bit-identical
 * and a geo set means the same thing on either server.
 *
 * A search covers its shape with the cell holding the centre plus its 8
 * neighbours, at the coarsest step whose cells still cover the shape
 * (geoAreasByShape); candidates from those boxes are then filtered by the
 * exact haversine distance.
 */
#ifndef PYREDIS_GEOHASH_H
#define PYREDIS_GEOHASH_H

#include <stdint.h>

#define GEO_STEP_MAX 26
#define GEO_LAT_MIN -85.05112878
#define GEO_LAT_MAX 85.05112878
#define GEO_LONG_MIN -180.0
#define GEO_LONG_MAX 180.0
#define GEO_EARTH_RADIUS_M 6372797.560856

typedef struct geoHash {
    uint64_t bits;
    uint8_t step;
} geoHash;

typedef struct geoRange { double min, max; } geoRange;

typedef struct geoArea {
    geoHash hash;
    geoRange lon, lat;
} geoArea;

/* The centre cell first, then N S E W NE NW SE SW (the scan order). */
typedef struct geoCover {
    geoHash cells[9];
    int nsteps;
} geoCover;

typedef enum { GEO_SHAPE_RADIUS = 1, GEO_SHAPE_BOX = 2 } geoShapeType;

typedef struct geoShape {
    geoShapeType type;
    double lon, lat;        /* centre */
    double conversion;      /* metres per unit */
    double radius;          /* in units */
    double width, height;   /* in units */
    double bounds[4];       /* lon min, lat min, lon max, lat max */
} geoShape;

/* 0 when the point or the ranges are out of bounds. */
int geohashEncodeRange(geoRange lon_r, geoRange lat_r, double lon, double lat,
                       uint8_t step, geoHash *out);
int geohashEncode(double lon, double lat, uint8_t step, geoHash *out);
int geohashDecodeRange(geoRange lon_r, geoRange lat_r, geoHash h, geoArea *out);
int geohashDecode(geoHash h, geoArea *out);
/* The cell centre of a stored score, clamped to the valid ranges. */
int geohashDecodeScore(double score, double *lon, double *lat);
uint64_t geohashAlign52(geoHash h);
/* 11 base32 chars (+ NUL) of the standard geohash (latitude -90..90). */
int geohashString(double score, char *buf);
void geohashNeighbours(const geoHash *h, geoHash out[8]);  /* N S E W NE NW SE SW */

double geohashDistance(double lon1, double lat1, double lon2, double lat2);
uint8_t geohashStepsForRadius(double meters, double lat);
void geohashBoundingBox(geoShape *s, double *bounds);
void geoAreasByShape(geoShape *s, geoCover *out);
/* 1 and *dist (metres) when the point lies inside the shape. */
int geoShapeContains(const geoShape *s, double lon, double lat, double *dist);

#endif
