# Test wrapper over csrc/dict.c: keys are bytes, values are int64 stored
# in v.s64.  check_invariants() re-derives the table invariants listed at
# the top of dict.c from the raw structures.
from csrc cimport *
from libc.stdint cimport uint8_t, uint64_t, int64_t


cdef extern from "siphash.h" nogil:
    uint64_t siphash(const uint8_t *inp, size_t inlen, const uint8_t *k)


cdef long long _dict_destructor_calls = 0


cdef void _dict_count_destructor(dictEntry *de) noexcept nogil:
    global _dict_destructor_calls
    _dict_destructor_calls += 1


cdef dictType _dict_counting_type
_dict_counting_type.valDestructor = _dict_count_destructor


cdef void _dict_scan_collect(void *privdata, const dictEntry *de) noexcept nogil:
    with gil:
        (<list>privdata).append((<const char *>de.key)[:de.klen])


cdef long long _dict_empty_callback_calls = 0


cdef void _dict_scan_count(void *privdata, const dictEntry *de) noexcept nogil:
    (<unsigned long *>privdata)[0] += 1


cdef void _dict_empty_callback(dict_t *d) noexcept nogil:
    global _dict_empty_callback_calls
    _dict_empty_callback_calls += 1


cdef inline bytes _entry_key(const dictEntry *de):
    return (<const char *>de.key)[:de.klen]


def set_hash_seed(bytes seed):
    if len(seed) != 16:
        raise ValueError("seed must be 16 bytes")
    dictSetHashSeed(<const uint8_t *><const char *>seed)


def siphash12(bytes data, bytes key):
    if len(key) != 16:
        raise ValueError("key must be 16 bytes")
    return siphash(<const uint8_t *><const char *>data, len(data),
                   <const uint8_t *><const char *>key)


def gen_hash(bytes data):
    return dictGenHash(<const char *>data, len(data))


def enable_resize():
    dictEnableResize()


def disable_resize():
    dictDisableResize()


def destructor_calls():
    return _dict_destructor_calls


def empty_callback_calls():
    return _dict_empty_callback_calls


cdef class Dict:
    cdef dict_t *d

    def __cinit__(self, bint count_destructor=False):
        self.d = dictCreate(&_dict_counting_type if count_destructor else NULL)
        if self.d == NULL:
            raise MemoryError()

    def __dealloc__(self):
        if self.d != NULL:
            dictRelease(self.d)
            self.d = NULL

    def release(self):
        """Free the table now (runs the value destructor on every entry)."""
        if self.d != NULL:
            dictRelease(self.d)
            self.d = NULL

    def add(self, bytes key, int64_t val=0):
        cdef dictEntry *existing
        cdef dictEntry *de = dictAddRaw(self.d, <const char *>key, len(key), &existing)
        if de == NULL:
            if existing == NULL:
                raise MemoryError()
            return False
        de.v.s64 = val
        return True

    def find(self, bytes key):
        cdef dictEntry *de = dictFind(self.d, <const char *>key, len(key))
        if de == NULL:
            return None
        return de.v.s64

    def delete(self, bytes key):
        return dictDelete(self.d, <const char *>key, len(key)) == DICT_OK

    def unlink(self, bytes key):
        """Unlink then free separately; returns the value or None."""
        cdef dictEntry *de = dictUnlink(self.d, <const char *>key, len(key))
        if de == NULL:
            return None
        val = de.v.s64
        dictFreeUnlinkedEntry(self.d, de)
        return val

    def empty(self, bint with_callback=False):
        if with_callback:
            dictEmpty(self.d, _dict_empty_callback)
        else:
            dictEmpty(self.d, NULL)

    @property
    def size(self):
        return dictSize(self.d)

    @property
    def slots(self):
        return dictSlots(self.d)

    @property
    def is_rehashing(self):
        return dictIsRehashing(self.d)

    @property
    def rehashidx(self):
        return self.d.rehashidx

    @property
    def table_sizes(self):
        return (self.d.ht[0].size, self.d.ht[1].size)

    @property
    def paused(self):
        return self.d.pauserehash

    def rehash(self, int n):
        return dictRehash(self.d, n)

    def rehash_ms(self, int ms):
        return dictRehashMilliseconds(self.d, ms)

    def resize(self):
        return dictResize(self.d) == DICT_OK

    def needs_shrink(self):
        return bool(dictNeedsShrink(self.d))

    def expand(self, unsigned long n):
        return dictExpand(self.d, n) == DICT_OK

    def random_key(self):
        cdef dictEntry *de = dictGetRandomKey(self.d)
        return None if de == NULL else _entry_key(de)

    def fair_random_key(self):
        cdef dictEntry *de = dictGetFairRandomKey(self.d)
        return None if de == NULL else _entry_key(de)

    def some_keys(self, unsigned int count):
        cdef dictEntry **des = <dictEntry **>zmalloc(sizeof(dictEntry *) * (count + 1))
        cdef unsigned int n, i
        if des == NULL:
            raise MemoryError()
        try:
            n = dictGetSomeKeys(self.d, des, count)
            return [_entry_key(des[i]) for i in range(n)]
        finally:
            zfree(des)

    def scan(self, unsigned long cursor):
        cdef list out = []
        cursor = dictScan(self.d, cursor, _dict_scan_collect, <void *>out)
        return cursor, out

    # Bulk forms loop in C so benchmarks time the table, not the wrapper.
    def add_many(self, list keys):
        cdef bytes k
        cdef long added = 0
        cdef dictEntry *de
        for k in keys:
            de = dictAddRaw(self.d, <const char *>k, len(k), NULL)
            if de != NULL:
                added += 1
        return added

    def find_many(self, list keys):
        cdef bytes k
        cdef long found = 0
        for k in keys:
            if dictFind(self.d, <const char *>k, len(k)) != NULL:
                found += 1
        return found

    def scan_count(self):
        """A full SCAN iteration counting entries, without building lists."""
        cdef unsigned long cursor = 0, n = 0
        while True:
            cursor = dictScan(self.d, cursor, _dict_scan_count, &n)
            if cursor == 0:
                return n

    def keys(self):
        """All keys through a safe iterator (rehash paused meanwhile)."""
        cdef dictIterator *it = dictGetSafeIterator(self.d)
        cdef dictEntry *de
        cdef list out = []
        if it == NULL:
            raise MemoryError()
        try:
            de = dictNext(it)
            while de != NULL:
                out.append(_entry_key(de))
                de = dictNext(it)
        finally:
            dictReleaseIterator(it)
        return out

    def keys_deleting(self, step=1):
        """Safe iteration that deletes every step-th key it yields."""
        cdef dictIterator *it = dictGetSafeIterator(self.d)
        cdef dictEntry *de
        cdef list out = []
        cdef long i = 0
        if it == NULL:
            raise MemoryError()
        try:
            de = dictNext(it)
            while de != NULL:
                k = _entry_key(de)
                out.append(k)
                if i % step == 0:
                    dictDelete(self.d, <const char *>k, len(k))
                i += 1
                de = dictNext(it)
        finally:
            dictReleaseIterator(it)
        return out

    def keys_unsafe(self):
        cdef dictIterator *it = dictGetIterator(self.d)
        cdef dictEntry *de
        cdef list out = []
        if it == NULL:
            raise MemoryError()
        de = dictNext(it)
        while de != NULL:
            out.append(_entry_key(de))
            de = dictNext(it)
        dictReleaseIterator(it)
        return out

    def table_keys(self, int t):
        """Keys chained from ht[t] (0 or 1), in bucket order."""
        cdef dictht *ht = &self.d.ht[t & 1]
        cdef unsigned long i
        cdef dictEntry *de
        out = []
        for i in range(ht.size):
            de = ht.table[i]
            while de != NULL:
                out.append(_entry_key(de))
                de = de.next
        return out

    def misuse_unsafe_iterator(self):
        """Add a key in the middle of an unsafe iteration: the release must
        abort the process (fingerprint mismatch)."""
        cdef dictIterator *it = dictGetIterator(self.d)
        dictNext(it)
        dictAddRaw(self.d, b"misuse", 6, NULL)
        dictReleaseIterator(it)

    def check_invariants(self):
        """Raise AssertionError if the raw tables break an invariant."""
        cdef dict_t *d = self.d
        cdef int t
        cdef unsigned long i, count, total = 0
        cdef dictEntry *de
        cdef dictht *ht
        seen = set()
        rehashing = d.rehashidx != -1
        if not rehashing:
            assert d.ht[1].table == NULL and d.ht[1].size == 0 and d.ht[1].used == 0, "ht[1] not clear"
        else:
            assert 0 <= d.rehashidx < <long>d.ht[0].size, "rehashidx out of range"
            assert d.ht[1].table != NULL, "rehashing without ht[1]"
        for t in range(2):
            ht = &d.ht[t]
            if ht.size == 0:
                assert ht.table == NULL and ht.used == 0 and ht.sizemask == 0, "empty table with data"
                continue
            assert ht.size & (ht.size - 1) == 0, "size not a power of two"
            assert ht.sizemask == ht.size - 1, "bad sizemask"
            count = 0
            for i in range(ht.size):
                de = ht.table[i]
                if t == 0 and rehashing and <long>i < d.rehashidx:
                    assert de == NULL, "bucket below rehashidx not empty"
                while de != NULL:
                    assert (dictGenHash(de.key, de.klen) & ht.sizemask) == i, "entry in wrong bucket"
                    k = _entry_key(de)
                    assert k not in seen, "duplicate key"
                    seen.add(k)
                    count += 1
                    de = de.next
            assert count == ht.used, "used count mismatch in ht[%d]" % t
            total += count
        assert total == dictSize(d)
        return True
