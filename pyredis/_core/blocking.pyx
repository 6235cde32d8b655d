# Blocking commands (BLPOP and friends): clients waiting on keys.
#
# API used by the type modules (t_list.pyx, later t_zset.pyx, streams):
#
#   block_client(c, keys, timeout_ms)
#       Called by a blocking handler that found nothing to serve.  Parks c
#       on `keys` (list of bytes) of c.db until one of them is signalled
#       ready or the absolute unix time timeout_ms passes (0 = forever).
#       The handler writes no reply.  While parked the client's further
#       input stays buffered.  When a key is ready the client's command is
#       run again from its saved arguments with c.flags & CLIENT_REPROCESSING
#       set; a handler that still finds nothing calls block_client again,
#       which then just keeps the client parked in its place in the queue.
#       On timeout the client gets a null array (RESP2 *-1, RESP3 _).
#   signal_key_as_ready(db, key, keylen)
#       Called whenever a key that blocked clients may wait for is created
#       or grows (push, RENAME/MOVE/SWAPDB targets, ...).  Cheap when nobody
#       waits.
#   handle_clients_blocked_on_keys()
#       Called by call.pyx after every command: serves the ready keys'
#       waiters in FIFO order.
#
# A blocking command inside MULTI (or a script) never blocks: handlers
# check can_block(c) and answer as on timeout instead.


cdef bint can_block(Client c):
    return False


cdef int block_client(Client c, list keys, long long timeout_ms) except -1:
    replyNullArray(&c.reply, c.resp)
    return 0


cdef void signal_key_as_ready(redisDb *db, const char *k, size_t kl) noexcept:
    pass


cdef int handle_clients_blocked_on_keys() except -1:
    return 0
