"""Differential tests for the replication-related commands a client can
send to a server without replicas: WAIT, CLIENT PAUSE / UNPAUSE, FAILOVER,
REPLCONF, ROLE -- their replies and exact error texts."""
import pytest


@pytest.mark.parametrize("args", [
    ("0", "0"), ("1", "1"), ("x", "0"), ("0", "x"), ("0", "-1"), ("-5", "0"),
    ("0",), ("0", "0", "0"), ("99999999999999999999", "0"), ("0", "1.5"),
])
def test_wait(pair, args):
    pair.check("WAIT", *args)


def test_wait_in_a_transaction_does_not_block(pair):
    pair.check("MULTI")
    pair.check("WAIT", "1", "0")
    pair.check("EXEC")


@pytest.mark.parametrize("args", [
    (), ("x",), ("-1",), ("10", "foo"), ("10", "write", "x"), ("0",), ("0", "WRITE"),
    ("0", "all"), ("1.5",),
])
def test_client_pause_arguments(pair, args):
    pair.check("CLIENT", "PAUSE", *args)


@pytest.mark.parametrize("args", [(), ("x",)])
def test_client_unpause(pair, args):
    pair.check("CLIENT", "UNPAUSE", *args)


@pytest.mark.parametrize("args", [
    (), ("abort",), ("ABORT", "x"), ("foo",), ("timeout", "0"), ("timeout", "-3"),
    ("timeout", "x"), ("timeout",), ("to", "h"), ("to", "h", "x"), ("to", "h", "1"),
    ("force",), ("force", "force"), ("timeout", "10", "timeout", "5"),
    ("to", "h", "1", "to", "h", "2"), ("to", "h", "1", "force"),
    ("timeout", "10", "force"), ("to", "127.0.0.1", "1", "timeout", "5", "force"),
])
def test_failover_without_replicas(pair, args):
    pair.check("FAILOVER", *args)


@pytest.mark.parametrize("args", [
    ("foo", "bar"), ("listening-port",), ("listening-port", "x"), ("capa", "eof"),
    ("capa", "eof", "capa", "psync2"),
])
def test_replconf(pair, args):
    pair.check("REPLCONF", *args)


@pytest.mark.parametrize("args", [("ack", "10"), ("getack", "*")])
def test_replconf_ack_and_getack_from_a_client_are_not_answered(pair, args):
    for c in (pair.real, pair.ours):
        c.send("REPLCONF", *args)
    pair.check("PING")


def test_role_of_a_master_without_replicas(pair):
    pair.check("ROLE")
