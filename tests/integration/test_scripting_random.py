"""math.random in scripts is Redis's lrand48: one sequence per process from
a fixed initial state, shared by every script, reseeded by math.randomseed."""
from support.resp import RespClient


def test_random_sequence_of_a_fresh_server(server):
    c = RespClient(port=server.port)
    assert c.call("EVAL", "return {math.random(1000000), math.random(1000000)}", "0") == \
        b"*2\r\n:396465\r\n:840486\r\n"
    # the sequence goes on in the next script: no reset between scripts
    assert c.call("EVAL", "return {math.random(1000000), math.random(1000000)}", "0") == \
        b"*2\r\n:353337\r\n:446584\r\n"


def test_randomseed_restarts_the_sequence(server):
    c = RespClient(port=server.port)
    assert c.call("EVAL", "math.randomseed(1) return math.random(1000)", "0") == b":42\r\n"
    assert c.call("EVAL", "math.randomseed(1) return math.random(1000)", "0") == b":42\r\n"
