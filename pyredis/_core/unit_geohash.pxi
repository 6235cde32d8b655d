# Test wrappers over csrc/geohash.c: scores are Python ints, coordinates
# floats.
from libc.stdint cimport uint64_t, uint8_t


cdef extern from "geohash.h" nogil:
    ctypedef struct geoHash:
        uint64_t bits
        uint8_t step
    ctypedef struct geoRange:
        double min
        double max
    ctypedef struct geoArea:
        geoHash hash
        geoRange lon
        geoRange lat
    ctypedef struct geoCover:
        geoHash cells[9]
        int nsteps
    ctypedef enum geoShapeType:
        GEO_SHAPE_RADIUS
        GEO_SHAPE_BOX
    ctypedef struct geoShape:
        geoShapeType type
        double lon, lat, conversion, radius, width, height
        double bounds[4]
    int geohashEncode(double lon, double lat, uint8_t step, geoHash *out)
    int geohashDecode(geoHash h, geoArea *out)
    int geohashDecodeScore(double score, double *lon, double *lat)
    uint64_t geohashAlign52(geoHash h)
    int geohashString(double score, char *buf)
    void geohashNeighbours(const geoHash *h, geoHash *out)
    double geohashDistance(double lon1, double lat1, double lon2, double lat2)
    uint8_t geohashStepsForRadius(double meters, double lat)
    void geoAreasByShape(geoShape *s, geoCover *out)
    int geoShapeContains(const geoShape *s, double lon, double lat, double *dist)


def geo_encode(double lon, double lat, int step=26):
    """(bits, step) of the cell holding the point, None when out of range."""
    cdef geoHash h
    if not geohashEncode(lon, lat, step, &h):
        return None
    return h.bits


def geo_score(double lon, double lat):
    """The 52-bit score GEOADD stores, None when out of range."""
    cdef geoHash h
    if not geohashEncode(lon, lat, 26, &h):
        return None
    return geohashAlign52(h)


def geo_decode_cell(uint64_t bits, int step):
    """(lon_min, lon_max, lat_min, lat_max) of a cell."""
    cdef geoHash h
    cdef geoArea a
    h.bits = bits
    h.step = step
    if not geohashDecode(h, &a):
        return None
    return (a.lon.min, a.lon.max, a.lat.min, a.lat.max)


def geo_decode(double score):
    """(lon, lat) of a score: the cell centre GEOPOS reports."""
    cdef double lon, lat
    if not geohashDecodeScore(score, &lon, &lat):
        return None
    return (lon, lat)


def geo_hash_string(double score):
    cdef char buf[12]
    if not geohashString(score, buf):
        return None
    return buf[:11]


def geo_neighbours(uint64_t bits, int step):
    """[N, S, E, W, NE, NW, SE, SW] cell bits."""
    cdef geoHash h
    cdef geoHash out[8]
    h.bits = bits
    h.step = step
    geohashNeighbours(&h, out)
    return [out[i].bits for i in range(8)]


def geo_distance(double lon1, double lat1, double lon2, double lat2):
    return geohashDistance(lon1, lat1, lon2, lat2)


def geo_steps_for_radius(double meters, double lat):
    return geohashStepsForRadius(meters, lat)


cdef geoShape _shape(double lon, double lat, radius, width, height, double conversion):
    cdef geoShape s
    s.lon = lon
    s.lat = lat
    s.conversion = conversion
    s.radius = s.width = s.height = 0
    if radius is not None:
        s.type = GEO_SHAPE_RADIUS
        s.radius = radius
    else:
        s.type = GEO_SHAPE_BOX
        s.width = width
        s.height = height
    return s


def geo_cover(double lon, double lat, radius=None, width=None, height=None,
              double conversion=1.0):
    """(step, [(bits, step) x 9]) of the cells a search scans, centre first."""
    cdef geoShape s = _shape(lon, lat, radius, width, height, conversion)
    cdef geoCover cv
    geoAreasByShape(&s, &cv)
    return cv.nsteps, [(cv.cells[i].bits, cv.cells[i].step) for i in range(9)]


def geo_contains(double lon, double lat, double plon, double plat, radius=None,
                 width=None, height=None, double conversion=1.0):
    """The distance in metres when (plon, plat) is inside the shape, else None."""
    cdef geoShape s = _shape(lon, lat, radius, width, height, conversion)
    cdef double d
    if not geoShapeContains(&s, plon, plat, &d):
        return None
    return d
