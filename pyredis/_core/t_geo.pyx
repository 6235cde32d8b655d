# Geo commands (on top of sorted sets).


cdef int cmd_geoadd(Client c) except -1:
    return not_implemented(c)


cdef int cmd_geodist(Client c) except -1:
    return not_implemented(c)


cdef int cmd_geohash(Client c) except -1:
    return not_implemented(c)


cdef int cmd_geopos(Client c) except -1:
    return not_implemented(c)


cdef int cmd_geosearch(Client c) except -1:
    return not_implemented(c)


cdef int cmd_geosearchstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_georadius(Client c) except -1:
    return not_implemented(c)


cdef int cmd_georadiusbymember(Client c) except -1:
    return not_implemented(c)


cdef int cmd_georadius_ro(Client c) except -1:
    return not_implemented(c)


cdef int cmd_georadiusbymember_ro(Client c) except -1:
    return not_implemented(c)
