# Geo commands, on top of sorted sets.
#
# A geo set is a plain sorted set whose scores are 52-bit geohashes
# (csrc/geohash): GEOADD is ZADD with the coordinates encoded, and every
# other command decodes scores back to cell centres.  A search covers its
# shape with at most 9 grid cells (geoAreasByShape), reads each cell as
# one score range [min, max) of the sorted set, keeps the points the exact
# distance test accepts, then sorts by distance when asked.  Cells are
# scanned in Redis's order (centre, N, S, E, W, NE, NW, SE, SW, a cell
# equal to the previously scanned one skipped) so that COUNT ... ANY
# stops at the same points Redis does.
from libc.stdint cimport uint64_t, uint8_t
from libc.stdlib cimport qsort
from libc.string cimport memcpy


cdef extern from "geohash.h" nogil:
    ctypedef struct geoHash:
        uint64_t bits
        uint8_t step
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
    int geohashDecodeScore(double score, double *lon, double *lat)
    uint64_t geohashAlign52(geoHash h)
    int geohashString(double score, char *buf)
    double geohashDistance(double lon1, double lat1, double lon2, double lat2)
    void geoAreasByShape(geoShape *s, geoCover *out)
    int geoShapeContains(const geoShape *s, double lon, double lat, double *dist)
    double GEO_LAT_MIN, GEO_LAT_MAX, GEO_LONG_MIN, GEO_LONG_MAX
    int GEO_STEP_MAX


cdef enum:
    GEO_SORT_NONE = 0
    GEO_SORT_ASC = 1
    GEO_SORT_DESC = 2
    # georadius_generic flags (which command is parsing)
    GEO_FROM_COORDS = 1 << 0     # GEORADIUS[_RO]
    GEO_FROM_MEMBER = 1 << 1     # GEORADIUSBYMEMBER[_RO]
    GEO_NOSTORE = 1 << 2         # the _RO forms
    GEO_SEARCH = 1 << 3          # GEOSEARCH syntax
    GEO_SEARCHSTORE = 1 << 4     # GEOSEARCHSTORE


cdef const char *MSG_GEO_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI"
cdef const char *MSG_GEO_MEMBER = "ERR could not decode requested zset member"


# --- the points a search collects ------------------------------------------------

cdef struct GeoPoint:
    double lon, lat, dist, score
    size_t off, len        # member bytes in GeoArray.mem


cdef struct GeoArray:
    GeoPoint *pts
    size_t used, cap
    char *mem
    size_t mlen, mcap


cdef int geo_array_append(GeoArray *ga, double lon, double lat, double dist,
                          double score, const char *ele, size_t len) except -1:
    cdef void *p
    cdef size_t cap
    if ga.used == ga.cap:
        cap = 8 if ga.cap == 0 else ga.cap * 2
        p = zrealloc(ga.pts, cap * sizeof(GeoPoint))
        if p == NULL:
            raise MemoryError()
        ga.pts = <GeoPoint *>p
        ga.cap = cap
    if ga.mlen + len > ga.mcap:
        cap = ga.mcap * 2 if ga.mcap else 256
        while cap < ga.mlen + len:
            cap *= 2
        p = zrealloc(ga.mem, cap)
        if p == NULL:
            raise MemoryError()
        ga.mem = <char *>p
        ga.mcap = cap
    if len:
        memcpy(ga.mem + ga.mlen, ele, len)
    ga.pts[ga.used] = GeoPoint(lon, lat, dist, score, ga.mlen, len)
    ga.mlen += len
    ga.used += 1
    return 0


cdef void geo_array_free(GeoArray *ga) noexcept:
    zfree(ga.pts)
    zfree(ga.mem)


cdef int _cmp_dist_asc(const void *a, const void *b) noexcept nogil:
    cdef double x = (<const GeoPoint *>a).dist
    cdef double y = (<const GeoPoint *>b).dist
    return 1 if x > y else (0 if x == y else -1)


cdef int _cmp_dist_desc(const void *a, const void *b) noexcept nogil:
    return -_cmp_dist_asc(a, b)


cdef int geo_scan_cell(robj *zobj, geoHash cell, geoShape *shape, GeoArray *ga,
                       unsigned long limit) except -1:
    """Append the points of one cell that lie inside the shape."""
    cdef geoHash next_cell = cell
    cdef double lo = <double>geohashAlign52(cell)
    cdef double hi
    cdef ZIter it
    cdef const char *ele
    cdef size_t n
    cdef double score, lon, lat, dist
    next_cell.bits += 1
    hi = <double>geohashAlign52(next_cell)
    zset_iter_init(&it, zobj, False)
    zset_iter_seek_score(&it, lo, False)
    while zset_iter_next(&it, &ele, &n, &score):
        if score >= hi:
            break
        if geohashDecodeScore(score, &lon, &lat) and \
                geoShapeContains(shape, lon, lat, &dist):
            geo_array_append(ga, lon, lat, dist, score, ele, n)
        if ga.used and limit and ga.used >= limit:
            break
    return 0


cdef int geo_scan(robj *zobj, geoShape *shape, GeoArray *ga, unsigned long limit) except -1:
    cdef geoCover cover
    cdef int i, last = 0
    geoAreasByShape(shape, &cover)
    for i in range(9):
        if cover.cells[i].bits == 0 and cover.cells[i].step == 0:
            continue
        # Redis compares with the previous scanned cell only once that is
        # not the centre one (its `last_processed` starts at 0).
        if last and cover.cells[i].bits == cover.cells[last].bits and \
                cover.cells[i].step == cover.cells[last].step:
            continue
        if ga.used and limit and ga.used >= limit:
            break
        geo_scan_cell(zobj, cover.cells[i], shape, ga, limit)
        last = i
    return 0


# --- argument parsing ------------------------------------------------------------

cdef int geo_arg_lonlat(Client c, int i, double *lon, double *lat) except -1:
    """argv[i], argv[i+1] as a valid longitude, latitude pair (1), or an
    error reply (0)."""
    cdef bytes msg
    if not string2d(c.argv[i], c.argvlen[i], lon) or \
            not string2d(c.argv[i + 1], c.argvlen[i + 1], lat):
        replyErrorC(&c.reply, MSG_NOT_FLOAT)
        return 0
    if lon[0] < GEO_LONG_MIN or lon[0] > GEO_LONG_MAX or \
            lat[0] < GEO_LAT_MIN or lat[0] > GEO_LAT_MAX:
        msg = (b"ERR invalid longitude,latitude pair %s,%s"
               % (_c_fixed6(lon[0]), _c_fixed6(lat[0])))
        replyError(&c.reply, <const char *>msg, len(msg))
        return 0
    return 1


cdef bytes _c_fixed6(double v):
    """C's "%f" (Python's %f agrees except for the spelling of inf/nan)."""
    if v == float("inf"):
        return b"inf"
    if v == float("-inf"):
        return b"-inf"
    return (b"%f" % v)


cdef double geo_arg_unit(Client c, int i) noexcept:
    """Metres per unit, or -1 after an error reply."""
    if arg_is(c, i, "m"):
        return 1
    if arg_is(c, i, "km"):
        return 1000
    if arg_is(c, i, "ft"):
        return 0.3048
    if arg_is(c, i, "mi"):
        return 1609.34
    replyErrorC(&c.reply, MSG_GEO_UNIT)
    return -1


cdef int geo_arg_radius(Client c, int i, geoShape *s) except -1:
    cdef double r
    if not string2d(c.argv[i], c.argvlen[i], &r):
        replyErrorC(&c.reply, "ERR need numeric radius")
        return 0
    if r < 0:
        replyErrorC(&c.reply, "ERR radius cannot be negative")
        return 0
    s.radius = r
    s.conversion = geo_arg_unit(c, i + 1)
    return s.conversion >= 0


cdef int geo_arg_box(Client c, int i, geoShape *s) except -1:
    cdef double w, h
    if not string2d(c.argv[i], c.argvlen[i], &w):
        replyErrorC(&c.reply, "ERR need numeric width")
        return 0
    if not string2d(c.argv[i + 1], c.argvlen[i + 1], &h):
        replyErrorC(&c.reply, "ERR need numeric height")
        return 0
    if h < 0 or w < 0:
        replyErrorC(&c.reply, "ERR height or width cannot be negative")
        return 0
    s.width = w
    s.height = h
    s.conversion = geo_arg_unit(c, i + 2)
    return s.conversion >= 0


cdef inline int geo_check_zset(Client c, robj *o) noexcept:
    """1 when o is NULL or a sorted set; 0 after a WRONGTYPE reply."""
    return o == NULL or check_type(c, o, OBJ_ZSET)


cdef bint geo_member_pos(robj *zobj, const char *ele, size_t n, double *lon, double *lat) noexcept:
    cdef double score
    return zset_score(zobj, ele, n, &score) and geohashDecodeScore(score, lon, lat)


# --- replies ------------------------------------------------------------------------

cdef void reply_geo_coord(Client c, double v) noexcept:
    """Redis's human long double: a bulk string in RESP2, a double in RESP3."""
    cdef char buf[128]
    cdef int n
    if c.resp == 2:
        replyHumanLongDouble(&c.reply, v)
        return
    n = fmtHumanLongDouble(buf, sizeof(buf), v)
    replyAppend(&c.reply, ",", 1)
    replyAppend(&c.reply, buf, n)
    replyAppend(&c.reply, "\r\n", 2)


cdef void reply_geo_distance(Client c, double d) noexcept:
    """Four decimals, a bulk string in both protocols."""
    cdef bytes b = b"%.4f" % d
    replyBulk(&c.reply, <const char *>b, len(b))


# --- GEOADD ---------------------------------------------------------------------

cdef int cmd_geoadd(Client c) except -1:
    cdef bint nx = False, xx = False, ch = False
    cdef int first = 2, j, elements, out_flags
    cdef long long added = 0, changed = 0
    cdef double lon, lat, newscore
    cdef double *scores
    cdef geoHash h
    cdef size_t maxelelen = 0
    cdef robj *o
    cdef replyBuf *b
    while first < c.argc:
        if arg_is(c, first, "nx"):
            nx = True
        elif arg_is(c, first, "xx"):
            xx = True
        elif arg_is(c, first, "ch"):
            ch = True
        else:
            break
        first += 1
    if (c.argc - first) % 3 or (nx and xx):
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    elements = (c.argc - first) // 3
    scores = <double *>zmalloc((elements + 1) * sizeof(double))
    if scores == NULL:
        raise MemoryError()
    try:
        for j in range(elements):
            if not geo_arg_lonlat(c, first + 3 * j, &lon, &lat):
                return 0
            geohashEncode(lon, lat, GEO_STEP_MAX, &h)
            scores[j] = <double>geohashAlign52(h)
            if c.argvlen[first + 3 * j + 2] > maxelelen:
                maxelelen = c.argvlen[first + 3 * j + 2]
        o = lookup_write(c.db, c.argv[1], c.argvlen[1])
        if not geo_check_zset(c, o):
            return 0
        if o == NULL:
            if xx:
                replyLongLong(&c.reply, 0)
                return 0
            o = zset_new(elements, maxelelen)
            db_add(c.db, c.argv[1], c.argvlen[1], o)
        for j in range(elements):
            out_flags = 0
            zset_add(o, scores[j], c.argv[first + 3 * j + 2], c.argvlen[first + 3 * j + 2],
                     ZADD_IN_NX if nx else (ZADD_IN_XX if xx else ZADD_IN_NONE),
                     &out_flags, &newscore)
            if out_flags & ZADD_OUT_ADDED:
                added += 1
            elif out_flags & ZADD_OUT_UPDATED:
                changed += 1
        if added or changed:
            arg_event(c, NOTIFY_ZSET, "zadd", 1)
        if zset_length(o) == 0:
            db_delete(c.db, c.argv[1], c.argvlen[1])
        global g_dirty
        g_dirty += added + changed
        if g_prop_targets:
            # GEOADD travels as the ZADD it is: zadd key [flags] bits member ...
            b = prop_rewrite(2 + (first - 2) + 2 * elements)
            replyBulk(b, b"zadd", 4)
            for j in range(1, first):
                replyBulk(b, c.argv[j], c.argvlen[j])
            for j in range(elements):
                replyBulkLongLong(b, <long long>scores[j])
                replyBulk(b, c.argv[first + 3 * j + 2], c.argvlen[first + 3 * j + 2])
    finally:
        zfree(scores)
    replyLongLong(&c.reply, added + changed if ch else added)
    return 0


# --- GEODIST GEOHASH GEOPOS -------------------------------------------------------

cdef int cmd_geodist(Client c) except -1:
    cdef double to_meter = 1
    cdef double lon1, lat1, lon2, lat2
    cdef robj *o
    if c.argc == 5:
        to_meter = geo_arg_unit(c, 4)
        if to_meter < 0:
            return 0
    elif c.argc > 5:
        replyErrorC(&c.reply, MSG_SYNTAX)
        return 0
    o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    if o == NULL:
        replyNull(&c.reply, c.resp)
        return 0
    if not geo_check_zset(c, o):
        return 0
    if not geo_member_pos(o, c.argv[2], c.argvlen[2], &lon1, &lat1) or \
            not geo_member_pos(o, c.argv[3], c.argvlen[3], &lon2, &lat2):
        replyNull(&c.reply, c.resp)
        return 0
    reply_geo_distance(c, geohashDistance(lon1, lat1, lon2, lat2) / to_meter)
    return 0


cdef int cmd_geohash(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef int j
    cdef double score
    cdef char buf[12]
    if not geo_check_zset(c, o):
        return 0
    replyArrayLen(&c.reply, c.argc - 2)
    for j in range(2, c.argc):
        if o != NULL and zset_score(o, c.argv[j], c.argvlen[j], &score) and \
                geohashString(score, buf):
            replyBulk(&c.reply, buf, 11)
        else:
            replyNull(&c.reply, c.resp)
    return 0


cdef int cmd_geopos(Client c) except -1:
    cdef robj *o = lookup_read(c.db, c.argv[1], c.argvlen[1])
    cdef int j
    cdef double lon, lat
    if not geo_check_zset(c, o):
        return 0
    replyArrayLen(&c.reply, c.argc - 2)
    for j in range(2, c.argc):
        if o != NULL and geo_member_pos(o, c.argv[j], c.argvlen[j], &lon, &lat):
            replyArrayLen(&c.reply, 2)
            reply_geo_coord(c, lon)
            reply_geo_coord(c, lat)
        else:
            replyNullArray(&c.reply, c.resp)
    return 0


# --- GEORADIUS GEORADIUSBYMEMBER GEOSEARCH (and _RO / STORE forms) -------------------

cdef int georadius_generic(Client c, int src, int flags) except -1:
    cdef robj *zobj = lookup_read(c.db, c.argv[src], c.argvlen[src])
    cdef geoShape shape
    cdef int base, i, store = 0
    cdef bint storedist = False, withdist = False, withhash = False, withcoord = False
    cdef bint frommember = False, fromloc = False, byradius = False, bybox = False, any_ = False
    cdef int sort = GEO_SORT_NONE
    cdef long long count = 0
    cdef GeoArray ga
    cdef long returned, option_len
    cdef GeoPoint *gp
    cdef robj *dst
    cdef size_t maxelelen
    cdef int out_flags
    cdef double newscore
    cdef bytes msg
    cdef int left
    if not geo_check_zset(c, zobj):
        return 0
    shape.type = GEO_SHAPE_RADIUS
    shape.lon = shape.lat = shape.radius = shape.width = shape.height = 0
    shape.conversion = 1
    if flags & GEO_FROM_COORDS:
        base = 6
        if not geo_arg_lonlat(c, 2, &shape.lon, &shape.lat):
            return 0
        if not geo_arg_radius(c, 4, &shape):
            return 0
    elif flags & GEO_FROM_MEMBER:
        base = 5
        if zobj != NULL:
            if not geo_member_pos(zobj, c.argv[2], c.argvlen[2], &shape.lon, &shape.lat):
                replyErrorC(&c.reply, MSG_GEO_MEMBER)
                return 0
            if not geo_arg_radius(c, 3, &shape):
                return 0
    else:
        base = 2
        if flags & GEO_SEARCHSTORE:
            base = 3
            store = 1
    i = base
    while i < c.argc:
        left = c.argc - i - 1           # arguments after this one
        if arg_is(c, i, "withdist"):
            withdist = True
        elif arg_is(c, i, "withhash"):
            withhash = True
        elif arg_is(c, i, "withcoord"):
            withcoord = True
        elif arg_is(c, i, "any"):
            any_ = True
        elif arg_is(c, i, "asc"):
            sort = GEO_SORT_ASC
        elif arg_is(c, i, "desc"):
            sort = GEO_SORT_DESC
        elif arg_is(c, i, "count") and left >= 1:
            if not arg_ll(c, i + 1, &count):
                return 0
            if count <= 0:
                replyErrorC(&c.reply, "ERR COUNT must be > 0")
                return 0
            i += 1
        elif (arg_is(c, i, "store") or arg_is(c, i, "storedist")) and left >= 1 and \
                not (flags & GEO_NOSTORE) and not (flags & GEO_SEARCH):
            storedist = arg_is(c, i, "storedist")
            store = i + 1
            i += 1
        elif arg_is(c, i, "storedist") and (flags & GEO_SEARCH) and (flags & GEO_SEARCHSTORE):
            storedist = True
        elif arg_is(c, i, "frommember") and left >= 1 and (flags & GEO_SEARCH) and not fromloc:
            if zobj != NULL and not geo_member_pos(zobj, c.argv[i + 1], c.argvlen[i + 1],
                                                   &shape.lon, &shape.lat):
                replyErrorC(&c.reply, MSG_GEO_MEMBER)
                return 0
            frommember = True
            i += 1
        elif arg_is(c, i, "fromlonlat") and left >= 2 and (flags & GEO_SEARCH) and not frommember:
            if not geo_arg_lonlat(c, i + 1, &shape.lon, &shape.lat):
                return 0
            fromloc = True
            i += 2
        elif arg_is(c, i, "byradius") and left >= 2 and (flags & GEO_SEARCH) and not bybox:
            if not geo_arg_radius(c, i + 1, &shape):
                return 0
            shape.type = GEO_SHAPE_RADIUS
            byradius = True
            i += 2
        elif arg_is(c, i, "bybox") and left >= 3 and (flags & GEO_SEARCH) and not byradius:
            if not geo_arg_box(c, i + 1, &shape):
                return 0
            shape.type = GEO_SHAPE_BOX
            bybox = True
            i += 3
        else:
            replyErrorC(&c.reply, MSG_SYNTAX)
            return 0
        i += 1

    if store and (withdist or withhash or withcoord):
        msg = b"ERR %s is not compatible with WITHDIST, WITHHASH and WITHCOORD options" % (
            b"GEOSEARCHSTORE" if flags & GEO_SEARCHSTORE else b"STORE option in GEORADIUS")
        replyError(&c.reply, <const char *>msg, len(msg))
        return 0
    if (flags & GEO_SEARCH) and not (frommember or fromloc):
        msg = b"ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + arg_bytes(c, 0)
        replyError(&c.reply, <const char *>msg, len(msg))
        return 0
    if (flags & GEO_SEARCH) and not (byradius or bybox):
        msg = b"ERR exactly one of BYRADIUS and BYBOX can be specified for " + arg_bytes(c, 0)
        replyError(&c.reply, <const char *>msg, len(msg))
        return 0
    if any_ and not count:
        replyErrorC(&c.reply, "ERR the ANY argument requires COUNT argument")
        return 0

    global g_dirty
    if zobj == NULL:
        if store:
            delete_store_destination(c, store)
            replyLongLong(&c.reply, 0)
        else:
            replyArrayLen(&c.reply, 0)
        return 0

    if count and sort == GEO_SORT_NONE and not any_:
        sort = GEO_SORT_ASC
    ga.pts = NULL
    ga.mem = NULL
    ga.used = ga.cap = ga.mlen = ga.mcap = 0
    try:
        geo_scan(zobj, &shape, &ga, count if any_ else 0)
        if ga.used == 0 and not store:
            replyArrayLen(&c.reply, 0)
            return 0
        returned = ga.used if (count == 0 or <long long>ga.used < count) else <long>count
        if sort == GEO_SORT_ASC:
            qsort(ga.pts, ga.used, sizeof(GeoPoint), _cmp_dist_asc)
        elif sort == GEO_SORT_DESC:
            qsort(ga.pts, ga.used, sizeof(GeoPoint), _cmp_dist_desc)
        if not store:
            option_len = withdist + withhash + withcoord
            replyArrayLen(&c.reply, returned)
            for i in range(returned):
                gp = &ga.pts[i]
                if option_len:
                    replyArrayLen(&c.reply, option_len + 1)
                replyBulk(&c.reply, ga.mem + gp.off, gp.len)
                if withdist:
                    reply_geo_distance(c, gp.dist / shape.conversion)
                if withhash:
                    replyLongLong(&c.reply, <long long>gp.score)
                if withcoord:
                    replyArrayLen(&c.reply, 2)
                    reply_geo_coord(c, gp.lon)
                    reply_geo_coord(c, gp.lat)
            return 0
        if returned == 0:
            delete_store_destination(c, store)
            replyLongLong(&c.reply, 0)
            return 0
        maxelelen = 0
        for i in range(returned):
            if ga.pts[i].len > maxelelen:
                maxelelen = ga.pts[i].len
        dst = zset_new(returned, maxelelen)
        try:
            for i in range(returned):
                gp = &ga.pts[i]
                out_flags = 0
                zset_add(dst, gp.dist / shape.conversion if storedist else gp.score,
                         ga.mem + gp.off, gp.len, ZADD_IN_NONE, &out_flags, &newscore)
        except BaseException:
            objFree(dst)
            raise
        db_set(c.db, c.argv[store], c.argvlen[store], dst, False)
        arg_event(c, NOTIFY_ZSET, "geosearchstore" if flags & GEO_SEARCH else "georadiusstore",
                  store)
        g_dirty += returned
        replyLongLong(&c.reply, returned)
    finally:
        geo_array_free(&ga)
    return 0


cdef int cmd_geosearch(Client c) except -1:
    return georadius_generic(c, 1, GEO_SEARCH)


cdef int cmd_geosearchstore(Client c) except -1:
    return georadius_generic(c, 2, GEO_SEARCH | GEO_SEARCHSTORE)


cdef int cmd_georadius(Client c) except -1:
    return georadius_generic(c, 1, GEO_FROM_COORDS)


cdef int cmd_georadiusbymember(Client c) except -1:
    return georadius_generic(c, 1, GEO_FROM_MEMBER)


cdef int cmd_georadius_ro(Client c) except -1:
    return georadius_generic(c, 1, GEO_FROM_COORDS | GEO_NOSTORE)


cdef int cmd_georadiusbymember_ro(Client c) except -1:
    return georadius_generic(c, 1, GEO_FROM_MEMBER | GEO_NOSTORE)
