# ZUNION ZINTER ZDIFF, their STORE forms and ZINTERCARD.


cdef int cmd_zunion(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zinter(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zdiff(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zunionstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zinterstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zdiffstore(Client c) except -1:
    return not_implemented(c)


cdef int cmd_zintercard(Client c) except -1:
    return not_implemented(c)
