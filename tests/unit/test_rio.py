"""csrc/rio.c: memory and file streams, sticky errors, running checksum."""
import os
import random

import pytest

unit = pytest.importorskip("pyredis._core.unit")
Rio = unit.Rio


def chunks(seed=0, total=300000):
    rnd = random.Random(seed)
    out, n = [], 0
    while n < total:
        size = rnd.choice([1, 2, 7, 100, 5000, 70000])
        out.append(bytes(rnd.randrange(256) for _ in range(min(size, 64))) * (size // 64 + 1))
        out[-1] = out[-1][:size]
        n += size
    return out


def test_memory_round_trip():
    w = Rio.mem_writer()
    parts = chunks(1, 200000)
    for p in parts:
        assert w.write(p)
    data = b"".join(parts)
    assert w.tell() == len(data)
    assert w.detach() == data
    r = Rio.mem_reader(data)
    for p in parts:
        assert r.read(len(p)) == p
    assert r.tell() == len(data)
    assert r.remaining() == 0


def test_memory_short_read_fails_and_sticks():
    r = Rio.mem_reader(b"abc")
    assert r.read(4) is None
    assert r.error
    assert r.read(1) is None


def test_memory_reader_remaining_counts_down():
    r = Rio.mem_reader(b"abcdef")
    assert r.remaining() == 6
    r.read(2)
    assert r.remaining() == 4


def test_checksum_covers_every_byte_in_order():
    parts = chunks(2, 100000)
    data = b"".join(parts)
    w = Rio.mem_writer()
    w.checksum(True)
    for p in parts:
        w.write(p)
    assert w.cksum == unit.crc64_of(data)
    r = Rio.mem_reader(data)
    r.checksum(True)
    for p in parts:
        r.read(len(p))
    assert r.cksum == unit.crc64_of(data)


def test_file_round_trip(tmp_path):
    path = str(tmp_path / "f")
    parts = chunks(3)
    data = b"".join(parts)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        w = Rio.file_writer(fd, 100000)
        for p in parts:
            assert w.write(p)
        assert w.flush()
        assert w.tell() == len(data)
    finally:
        os.close(fd)
    with open(path, "rb") as f:
        assert f.read() == data
    fd = os.open(path, os.O_RDONLY)
    try:
        r = Rio.file_reader(fd)
        assert r.remaining() == len(data)
        for p in parts:
            assert r.read(len(p)) == p
        assert r.remaining() == 0
        assert r.read(1) is None
        assert r.error
    finally:
        os.close(fd)


def test_file_writer_buffers_small_writes(tmp_path):
    path = str(tmp_path / "f")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        w = Rio.file_writer(fd)
        w.write(b"x" * 1000)
        assert os.path.getsize(path) == 0
        assert w.buffered() == 1000
        w.write(b"y" * 70000)          # does not fit: the buffer goes out first
        assert os.path.getsize(path) == 71000
        w.write(b"z")
        assert w.flush()
        assert os.path.getsize(path) == 71001
    finally:
        os.close(fd)


def test_file_write_error_sticks(tmp_path):
    path = str(tmp_path / "f")
    with open(path, "wb"):
        pass
    fd = os.open(path, os.O_RDONLY)
    try:
        w = Rio.file_writer(fd)
        w.write(b"x" * 10)
        assert not w.flush()
        assert w.error
        assert not w.write(b"y")
    finally:
        os.close(fd)
