"""pyredis.Server: a real server process for Python programs and tests."""
import os
import socket

import pytest
import redis

from pyredis import Server, ServerError
from support.servers import pyredis_available

pytestmark = pytest.mark.skipif(pyredis_available() is not None,
                                reason=pyredis_available() or "")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie child counts as gone
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_port_zero_picks_a_free_port_that_serves():
    with Server(port=0) as s:
        assert s.port > 0
        r = redis.Redis(host=s.host, port=s.port)
        assert r.ping()
        assert r.config_get("port") == {"port": str(s.port)}


def test_host_is_loopback_by_default():
    with Server() as s:
        assert s.host == "127.0.0.1"
        assert redis.Redis(host=s.host, port=s.port).config_get("bind")["bind"] == "127.0.0.1"


def test_url_reaches_the_server():
    with Server() as s:
        assert s.url == "redis://127.0.0.1:%d/0" % s.port
        r = redis.Redis.from_url(s.url)
        r.set("k", "v")
        assert r.get("k") == b"v"


def test_unix_socket_serves_the_same_dataset():
    with Server() as s:
        redis.Redis(host=s.host, port=s.port).set("k", "tcp")
        u = redis.Redis(unix_socket_path=s.unix_socket)
        assert u.get("k") == b"tcp"
        assert u.client_info()["addr"].endswith(":0")


def test_keyword_config_maps_to_directives():
    with Server(maxmemory="10mb", maxmemory_policy="allkeys-lru", save="",
                hash_max_listpack_entries=7) as s:
        cfg = redis.Redis(host=s.host, port=s.port, decode_responses=True).config_get("*")
        assert cfg["maxmemory"] == str(10 * 1024 * 1024)
        assert cfg["maxmemory-policy"] == "allkeys-lru"
        assert cfg["save"] == ""
        assert cfg["hash-max-listpack-entries"] == "7"


def test_boolean_config_becomes_yes_no():
    with Server(appendonly=True, activerehashing=False) as s:
        cfg = redis.Redis(host=s.host, port=s.port, decode_responses=True).config_get("*")
        assert cfg["appendonly"] == "yes"
        assert cfg["activerehashing"] == "no"


def test_list_config_gives_several_arguments():
    with Server(save=("900", "1", "300", "10")) as s:
        r = redis.Redis(host=s.host, port=s.port, decode_responses=True)
        assert r.config_get("save")["save"] == "900 1 300 10"


def test_context_exit_stops_the_process_and_removes_the_directory():
    with Server() as s:
        pid, directory = s.pid, s.dir
        assert os.path.isdir(directory)
    assert not s.running
    assert not pid_alive(pid)
    assert not os.path.exists(directory)


def test_start_stop_for_long_lived_use():
    s = Server()
    assert s.start() is s
    try:
        assert s.running
        redis.Redis(host=s.host, port=s.port).set("a", 1)
    finally:
        s.stop()
    assert not s.running
    s.stop()        # a second stop is harmless


def test_stop_shuts_down_without_saving(tmp_path):
    # with a save point, a SIGTERM or a plain SHUTDOWN would write dump.rdb
    with Server(dir=str(tmp_path), save=("900", "1")) as s:
        redis.Redis(host=s.host, port=s.port).set("a", 1)
    assert not (tmp_path / "dump.rdb").exists()


def test_given_directory_is_kept_and_reused(tmp_path):
    with Server(dir=str(tmp_path), appendonly=True) as s:
        redis.Redis(host=s.host, port=s.port).set("kept", "yes")
    assert tmp_path.is_dir()
    with Server(dir=str(tmp_path), appendonly=True) as s:
        assert redis.Redis(host=s.host, port=s.port).get("kept") == b"yes"


def test_servers_are_independent():
    with Server() as a, Server() as b:
        assert a.port != b.port and a.pid != b.pid
        redis.Redis(host=a.host, port=a.port).set("only-in-a", 1)
        assert redis.Redis(host=b.host, port=b.port).exists("only-in-a") == 0


def test_bad_config_raises_with_the_server_log():
    s = Server(maxmemory_policy="no-such-policy")
    with pytest.raises(ServerError) as e:
        s.start()
    assert "maxmemory-policy" in str(e.value)
    assert not s.running
    assert s.dir is None


def test_taken_port_raises():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(ServerError) as e:
            Server(port=port).start()
        assert "Address already in use" in str(e.value)


def test_requirepass_is_in_url_and_client():
    with Server(requirepass="s3cret") as s:
        assert s.url.startswith("redis://:s3cret@")
        assert redis.Redis.from_url(s.url).ping()
        assert s.client().ping()
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(host=s.host, port=s.port).get("x")
    assert not s.running


def test_log_is_readable_while_running_and_after_stop():
    with Server() as s:
        assert "Ready to accept connections" in s.log()
    assert "Redis is now ready to exit" in s.log()


def test_starting_twice_is_refused():
    with Server() as s:
        with pytest.raises(RuntimeError):
            s.start()


def test_config_file_is_read_and_keywords_override_it(tmp_path):
    conf = tmp_path / "redis.conf"
    conf.write_text("maxmemory 3mb\nhz 20\n")
    with Server(config_file=str(conf), hz=15) as s:
        cfg = redis.Redis(host=s.host, port=s.port, decode_responses=True).config_get("*")
        assert cfg["maxmemory"] == str(3 * 1024 * 1024)
        assert cfg["hz"] == "15"
