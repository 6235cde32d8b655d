"""Transactions seen from other clients: EXEC is atomic, and a WATCH
check-and-set loop under contention never loses an update (run against
real Redis too, which proves the test)."""
import threading

import redis


def test_exec_is_atomic_for_other_clients(server):
    writer = redis.Redis(port=server.port)
    reader = redis.Redis(port=server.port)
    writer.mset({"a": 0, "b": 0})
    stop = threading.Event()
    seen = []

    def read():
        while not stop.is_set():
            a, b = reader.mget("a", "b")
            seen.append((a, b))

    t = threading.Thread(target=read)
    t.start()
    try:
        for _ in range(200):
            pipe = writer.pipeline(transaction=True)
            for _ in range(20):
                pipe.incr("a")
            for _ in range(20):
                pipe.incr("b")
            pipe.execute()
    finally:
        stop.set()
        t.join()
    assert seen
    assert all(a == b for a, b in seen), [x for x in seen if x[0] != x[1]][:5]
    assert writer.mget("a", "b") == [b"4000", b"4000"]


def test_watch_check_and_set_loses_no_update(server):
    workers, rounds = 4, 100
    redis.Redis(port=server.port).set("counter", 0)
    retries = []

    def work():
        r = redis.Redis(port=server.port)
        n = 0
        for _ in range(rounds):
            while True:
                with r.pipeline() as pipe:
                    try:
                        pipe.watch("counter")
                        value = int(pipe.get("counter"))
                        pipe.multi()
                        pipe.set("counter", value + 1)
                        pipe.execute()
                        break
                    except redis.WatchError:
                        n += 1
        retries.append(n)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert int(redis.Redis(port=server.port).get("counter")) == workers * rounds
    assert len(retries) == workers
