# Transactions: MULTI/EXEC/DISCARD and optimistic locking with WATCH.


cdef void signal_modified_key(redisDb *db, const char *key, size_t klen) noexcept:
    """Key `key` of db was changed (by a command, expiry or eviction):
    transactions WATCHing it will fail (Redis's signalModifiedKey)."""
    pass


cdef void signal_flushed_db(int dbid) noexcept:
    """Every key of database dbid (-1: of all databases) is gone."""
    pass
