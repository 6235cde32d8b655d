# Test wrappers over csrc/crc64.c, csrc/lzf.c, csrc/rio.c and
# csrc/ziplist.c: bytes in, bytes out.
from libc.stdint cimport uint64_t
from csrc cimport (crc64, lzfCompress, lzfDecompress, rio, rioInitMemWriter, rioInitMemReader,
                   rioInitFileWriter, rioInitFileReader, rioWrite, rioRead, rioFlush, rioSync,
                   rioTell, rioRemaining, rioDetach, rioFree, ziplistValidateIntegrity,
                   zipmapValidateIntegrity, zmalloc, zfree)


def crc64_of(bytes data, uint64_t crc=0):
    return crc64(crc, <const char *>data, len(data))


def lzf_compress(bytes data, size_t outcap):
    """Compressed bytes, or None when they do not fit outcap."""
    cdef unsigned char *out = <unsigned char *>zmalloc(outcap + 1)
    cdef size_t n
    if out == NULL:
        raise MemoryError()
    try:
        n = lzfCompress(<const char *>data, len(data), out, outcap)
        return None if n == 0 else (<char *>out)[:n]
    finally:
        zfree(out)


def lzf_decompress(bytes data, size_t outcap):
    """Decompressed bytes, or None for a malformed stream / too small cap."""
    cdef unsigned char *out = <unsigned char *>zmalloc(outcap + 1)
    cdef size_t n
    if out == NULL:
        raise MemoryError()
    try:
        n = lzfDecompress(<const char *>data, len(data), out, outcap)
        return None if n == 0 else (<char *>out)[:n]
    finally:
        zfree(out)


cdef class Rio:
    """One rio stream; writer or reader over memory or a file descriptor."""
    cdef rio r
    cdef bytes keep      # the memory reader's data stays alive here

    @staticmethod
    def mem_writer():
        cdef Rio o = Rio.__new__(Rio)
        rioInitMemWriter(&o.r)
        return o

    @staticmethod
    def mem_reader(bytes data):
        cdef Rio o = Rio.__new__(Rio)
        o.keep = data
        rioInitMemReader(&o.r, <const char *>data, len(data))
        return o

    @staticmethod
    def file_writer(int fd, size_t autosync=0):
        cdef Rio o = Rio.__new__(Rio)
        rioInitFileWriter(&o.r, fd, autosync)
        return o

    @staticmethod
    def file_reader(int fd):
        cdef Rio o = Rio.__new__(Rio)
        rioInitFileReader(&o.r, fd)
        return o

    def __dealloc__(self):
        rioFree(&self.r)

    def checksum(self, bint on):
        self.r.checksum = on
        self.r.cksum = 0

    @property
    def cksum(self):
        return self.r.cksum

    @property
    def error(self):
        return self.r.error

    def write(self, bytes data):
        return bool(rioWrite(&self.r, <const char *>data, len(data)))

    def read(self, size_t n):
        """n bytes, or None on a short read / error."""
        cdef unsigned char *buf = <unsigned char *>zmalloc(n + 1)
        if buf == NULL:
            raise MemoryError()
        try:
            if not rioRead(&self.r, buf, n):
                return None
            return (<char *>buf)[:n]
        finally:
            zfree(buf)

    def flush(self):
        return bool(rioFlush(&self.r))

    def sync(self):
        return bool(rioSync(&self.r))

    def tell(self):
        return rioTell(&self.r)

    def remaining(self):
        return rioRemaining(&self.r)

    def buffered(self):
        """Bytes waiting in a file writer's buffer."""
        return self.r.len

    def detach(self):
        cdef size_t n
        cdef unsigned char *b = rioDetach(&self.r, &n)
        if b == NULL:
            return b""
        try:
            return (<char *>b)[:n]
        finally:
            zfree(b)


def ziplist_valid(bytes blob):
    return bool(ziplistValidateIntegrity(<const unsigned char *><const char *>blob, len(blob)))


def zipmap_valid(bytes blob):
    return bool(zipmapValidateIntegrity(<const unsigned char *><const char *>blob, len(blob)))
