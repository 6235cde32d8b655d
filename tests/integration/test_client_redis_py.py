"""redis-py (the most common client) talking to the server, plus one large
raw pipeline."""
import redis

from support.resp import RespClient, encode_command


def test_set_and_get(server):
    client = redis.Redis(port=server.port)
    assert client.set("greeting", "hello") is True
    assert client.get("greeting") == b"hello"
    assert client.get("missing") is None
    client.close()


def test_decode_responses_and_integers(server):
    client = redis.Redis(port=server.port, decode_responses=True)
    assert client.incr("n") == 1
    assert client.incrby("n", 41) == 42
    assert client.incrbyfloat("n", 0.5) == 42.5
    assert client.mget("n", "none") == ["42.5", None]
    client.close()


def test_errors_raise_response_error(server):
    client = redis.Redis(port=server.port)
    client.set("s", "abc")
    try:
        client.incr("s")
    except redis.ResponseError as exc:
        assert str(exc) == "value is not an integer or out of range"
    else:
        raise AssertionError("INCR on a non-integer did not fail")
    client.close()


def test_pipeline_of_1000_commands(server):
    client = redis.Redis(port=server.port)
    pipe = client.pipeline(transaction=False)
    for i in range(500):
        pipe.set("key:%d" % i, i)
    for i in range(500):
        pipe.get("key:%d" % i)
    results = pipe.execute()
    assert results[:500] == [True] * 500
    assert results[500:] == [str(i).encode() for i in range(500)]
    assert client.dbsize() == 500
    client.close()


def test_expire_and_ttl(server):
    client = redis.Redis(port=server.port)
    client.set("k", "v", ex=100)
    assert 99 <= client.ttl("k") <= 100
    assert client.persist("k") is True
    assert client.ttl("k") == -1
    client.close()


def test_scan_iter_visits_every_key(server):
    client = redis.Redis(port=server.port)
    client.mset({"k%d" % i: i for i in range(250)})
    assert sorted(client.scan_iter(count=20)) == sorted(b"k%d" % i for i in range(250))
    client.close()


def test_resp3_client(server):
    client = redis.Redis(port=server.port, protocol=3)
    assert client.ping() is True
    assert client.set("k", "v") is True
    assert client.get("k") == b"v"
    assert client.get("missing") is None
    assert client.config_get("maxmemory") == {"maxmemory": "0"}
    client.close()


def test_10000_pipelined_sets_in_one_write(server):
    payload = b"".join(encode_command(["SET", "k%d" % i, "v%d" % i]) for i in range(10000))
    with RespClient(port=server.port, timeout=30) as conn:
        conn.send_raw(payload)
        replies = [conn.read_reply() for _ in range(10000)]
        assert replies == [b"+OK\r\n"] * 10000
        assert conn.call("DBSIZE") == b":10000\r\n"
