# client-output-buffer-limit: a client that does not read its replies is
# dropped once its pending output passes the hard limit of its class, or
# stays above the soft limit for longer than the soft seconds.
#
# Pending output is the reply buffer plus what the transport still holds.
# The callers (a PUBLISH delivery, the replication stream) ask only once the
# transport paused writing (it passed its high-water mark) or the reply
# buffer alone reached the smallest limit of the class, so a client that
# keeps up costs one integer test per message.  The normal class is not
# checked (its default is no limit).

cdef enum:
    OBUF_NORMAL = 0
    OBUF_REPLICA = 1
    OBUF_PUBSUB = 2

# <hard> <soft> <soft seconds> per class; 0 = none
cdef long long cfg_obuf_hard[3]
cdef long long cfg_obuf_soft[3]
cdef long long cfg_obuf_soft_seconds[3]
cdef long long g_obuf_check_min[3]      # smallest non-zero limit of the class
cfg_obuf_hard[:] = [0, 256 << 20, 32 << 20]
cfg_obuf_soft[:] = [0, 64 << 20, 8 << 20]
cfg_obuf_soft_seconds[:] = [0, 60, 60]
g_obuf_check_min[:] = [1 << 62, 64 << 20, 8 << 20]


cdef void set_obuf_limits(dict limits) noexcept:
    """From the directive's value: {"normal"|"slave"|"pubsub": (hard, soft, seconds)}."""
    cdef int k
    for k, name in enumerate(("normal", "slave", "pubsub")):
        hard, soft, seconds = limits[name]
        cfg_obuf_hard[k], cfg_obuf_soft[k], cfg_obuf_soft_seconds[k] = hard, soft, seconds
        g_obuf_check_min[k] = min(x for x in (hard, soft, 1 << 62) if x > 0)


cdef bint check_obuf_limit(Client s, int klass) noexcept:
    """Close s when its pending output broke the limits of klass; true
    when it was closed."""
    cdef long long used
    cdef long long now
    if s.flags & CLIENT_CLOSED:
        return False
    if not (cfg_obuf_hard[klass] or cfg_obuf_soft[klass]):
        return False
    used = s.reply.len
    try:
        if s.transport is not None:
            used += s.transport.get_write_buffer_size()
    except Exception:
        pass
    if cfg_obuf_hard[klass] and used >= cfg_obuf_hard[klass]:
        close_for_obuf_limit(s)
        return True
    if cfg_obuf_soft[klass] and used >= cfg_obuf_soft[klass]:
        now = mstime()
        if s.obuf_soft_since == 0:
            s.obuf_soft_since = now
        elif (now - s.obuf_soft_since) // 1000 > cfg_obuf_soft_seconds[klass]:
            close_for_obuf_limit(s)
            return True
    else:
        s.obuf_soft_since = 0
    return False


cdef void close_for_obuf_limit(Client s) noexcept:
    """Drop the client and what it has not read (Redis frees it ASAP)."""
    try:
        if g_ctl is not None:
            g_ctl.log_warning("Client %s scheduled to be closed ASAP for overcoming of "
                              "output buffer limits." % client_info_string(s))
        s.free_client()
        if s.transport is not None:
            s.transport.abort()
    except Exception:
        pass
