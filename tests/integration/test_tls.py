"""TLS: the `tls-port` listener with and without client certificates,
redis-py and redis-cli over it, and replication over TLS in both
directions with a real redis-server -- each case run against pyredis and
the real server."""
import os
import shutil
import subprocess
import tempfile

import pytest
import redis

from support.repl import client, wait_synced
from support.servers import Server, free_port, ours_kind, require

OPENSSL = shutil.which("openssl")


def _openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs():
    """A CA, a server certificate for 127.0.0.1 and a client certificate."""
    if OPENSSL is None:
        pytest.skip("openssl is not on PATH")
    d = tempfile.mkdtemp(prefix="pyredis-test-tls-")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
             "/CN=pyredis test CA", "-keyout", "ca.key", "-out", "ca.crt", cwd=d)
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    for name in ("server", "client"):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=%s" % name,
                 "-keyout", name + ".key", "-out", name + ".csr", cwd=d)
        _openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", name + ".crt",
                 cwd=d)
    yield {n: os.path.join(d, n) for n in ("ca.crt", "server.crt", "server.key",
                                           "client.crt", "client.key")}
    shutil.rmtree(d, ignore_errors=True)


def tls_args(certs, port, *extra):
    return ("--tls-port", str(port), "--tls-cert-file", certs["server.crt"],
            "--tls-key-file", certs["server.key"], "--tls-ca-cert-file", certs["ca.crt"]) + extra


def tls_client(port, certs, with_cert=True):
    kw = dict(ssl_certfile=certs["client.crt"], ssl_keyfile=certs["client.key"]) \
        if with_cert else {}
    return redis.Redis(host="127.0.0.1", port=port, ssl=True, ssl_ca_certs=certs["ca.crt"],
                       socket_timeout=5, **kw)


@pytest.fixture
def tls_server(kind, certs):
    started = []

    def make(*extra):
        port = free_port()
        s = Server(kind, args=tls_args(certs, port, *extra))
        s.start()
        started.append(s)
        return s, port
    yield make
    for s in started:
        s.stop()


def test_a_client_with_a_certificate_talks_over_tls(tls_server, certs):
    s, port = tls_server()
    c = tls_client(port, certs)
    assert c.set("k", "over tls")
    assert c.get("k") == b"over tls"
    assert client(s).get("k") == b"over tls"        # the plain port still serves


def test_a_client_without_a_certificate_is_refused_by_default(tls_server, certs):
    s, port = tls_server()
    with pytest.raises(redis.exceptions.ConnectionError):
        tls_client(port, certs, with_cert=False).ping()


@pytest.mark.parametrize("mode", ["no", "optional"])
def test_client_certificates_can_be_optional(tls_server, certs, mode):
    s, port = tls_server("--tls-auth-clients", mode)
    assert tls_client(port, certs, with_cert=False).ping()
    assert tls_client(port, certs).ping()


def test_tls_protocols_limits_the_versions(tls_server, certs):
    s, port = tls_server("--tls-protocols", "TLSv1.3")
    import ssl
    ctx = ssl.create_default_context(cafile=certs["ca.crt"])
    ctx.load_cert_chain(certs["client.crt"], certs["client.key"])
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with pytest.raises(ssl.SSLError):
            ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def test_redis_cli_talks_to_pyredis_over_tls(tls_server, certs, kind):
    if shutil.which("redis-cli") is None:
        pytest.skip("redis-cli is not on PATH")
    s, port = tls_server()
    out = subprocess.run(["redis-cli", "--tls", "--cacert", certs["ca.crt"], "--cert",
                          certs["client.crt"], "--key", certs["client.key"], "-p", str(port),
                          "SET", "from-cli", "yes"], capture_output=True, text=True, timeout=10)
    assert out.stdout.strip() == "OK", out.stderr
    assert client(s).get("from-cli") == b"yes"


def test_an_unreadable_certificate_stops_the_start(kind, certs):
    s = Server(kind, args=("--tls-port", str(free_port()), "--tls-cert-file", "/nonexistent.crt",
                           "--tls-key-file", certs["server.key"], "--tls-ca-cert-file",
                           certs["ca.crt"]))
    with pytest.raises(Exception):
        s.start()
    s.stop()


PAIRS = [("ours", "ours"), ("redis", "ours"), ("ours", "redis")]


@pytest.mark.parametrize("master_kind,replica_kind", PAIRS)
def test_replication_over_tls(certs, master_kind, replica_kind):
    require("redis")
    require(ours_kind())
    mk, rk = (ours_kind() if k == "ours" else k for k in (master_kind, replica_kind))
    tls_port = free_port()
    m = Server(mk, args=tls_args(certs, tls_port, "--repl-diskless-sync-delay", "0"))
    m.start()
    r = None
    try:
        client(m).set("before", "1")
        replica_tls_port = free_port()
        r = Server(rk, args=tls_args(certs, replica_tls_port, "--tls-replication", "yes",
                                     "--replicaof", "127.0.0.1", str(tls_port)))
        r.start()
        wait_synced(m, r, replica_tls_port)          # a TLS replica announces its TLS port
        client(m).set("after", "2")
        wait_synced(m, r, replica_tls_port)
        assert client(r).mget("before", "after") == [b"1", b"2"]
        peers = client(m).client_list(_type="replica")
        assert len(peers) == 1
    finally:
        if r is not None:
            r.stop()
        m.stop()
