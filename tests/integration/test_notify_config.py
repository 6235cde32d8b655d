"""notify-keyspace-events given at start-up (command line and config file)
reaches the core, on both servers."""
import os

from support.resp import RespClient
from support.servers import Server


def _set_is_notified(server):
    with RespClient(port=server.port) as sub, RespClient(port=server.port) as c:
        sub.send("PSUBSCRIBE", "__key*__:*")
        sub.read_reply()
        c.call("SET", "k", "v")
        assert sub.read_reply() == (b"*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n"
                                    b"$16\r\n__keyspace@0__:k\r\n$3\r\nset\r\n")
        assert sub.read_reply().endswith(b"$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n")


def test_from_command_line(kind):
    with Server(kind, ["--notify-keyspace-events", "KE$"]) as s:
        _set_is_notified(s)


def test_from_config_file(kind, tmp_path):
    conf = os.path.join(str(tmp_path), "n.conf")
    with open(conf, "w") as f:
        f.write('notify-keyspace-events "AKE"\n')
    with Server(kind, config_file=conf) as s:
        _set_is_notified(s)
