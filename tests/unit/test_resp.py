"""csrc/resp.c: the incremental request parser.  Expected behaviour was
checked against a real Redis 7.0.15 (error texts, odd line endings)."""
import pytest
from hypothesis import given, settings, strategies as st

from pyredis._core.unit import INLINE_MAX_SIZE, Parser, split_args


def mbulk(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def parse(data, **kw):
    p = Parser(**kw)
    reqs = p.feed(data)
    return reqs, p.error


def parse_error(data, **kw):
    reqs, err = parse(data, **kw)
    return err


# --------------------------------------------------------------- multibulk

def test_multibulk_single_request():
    assert parse(mbulk(b"SET", b"k", b"v")) == ([[b"SET", b"k", b"v"]], None)


def test_multibulk_binary_bulk_with_crlf_inside():
    data = b"a\r\nb\x00c\r\n"
    assert parse(mbulk(b"SET", b"k", data))[0] == [[b"SET", b"k", data]]


def test_multibulk_empty_bulk():
    assert parse(mbulk(b"ECHO", b""))[0] == [[b"ECHO", b""]]


def test_pipelined_requests_all_returned():
    data = mbulk(b"PING") + mbulk(b"ECHO", b"x") + b"PING\r\n"
    assert parse(data)[0] == [[b"PING"], [b"ECHO", b"x"], [b"PING"]]


def test_incomplete_request_waits():
    p = Parser()
    assert p.feed(b"*2\r\n$4\r\nECHO\r\n$3\r\nab") == []
    assert p.error is None
    assert p.feed(b"c\r\n") == [[b"ECHO", b"abc"]]
    assert p.buffered == 0


def test_bulk_waits_for_two_bytes_after_data():
    p = Parser()
    assert p.feed(b"*1\r\n$4\r\nPING\r") == []
    assert p.feed(b"\n") == [[b"PING"]]


def test_zero_count_multibulk_is_skipped():
    assert parse(b"*0\r\n" + mbulk(b"PING")) == ([[b"PING"]], None)


def test_negative_count_multibulk_is_skipped():
    assert parse(b"*-5\r\n" + mbulk(b"PING")) == ([[b"PING"]], None)


def test_only_empty_requests_yield_nothing():
    p = Parser()
    assert p.feed(b"*0\r\n*-1\r\n\r\n   \r\n") == []
    assert p.error is None


def test_skipped_request_kept_until_next_request_completes():
    p = Parser()
    assert p.feed(b"*0\r\n*1\r\n$4\r\nPI") == []
    assert p.feed(b"NG\r\n") == [[b"PING"]]
    assert p.buffered == 0


def test_count_line_byte_after_cr_is_not_checked():
    # Redis only looks for '\r' and skips one byte after it
    assert parse(b"*1\rX$4\r\nPING\r\n")[0] == [[b"PING"]]


def test_bulk_line_byte_after_cr_is_not_checked():
    assert parse(b"*1\r\n$4\rXPINGab")[0] == [[b"PING"]]


def test_two_bytes_after_bulk_data_are_skipped_unchecked():
    assert parse(b"*1\r\n$4\r\nPINGab" + mbulk(b"PING"))[0] == [[b"PING"], [b"PING"]]


def test_argv_grows_past_initial_capacity():
    args = [b"%d" % i for i in range(5000)]
    assert parse(mbulk(*args))[0] == [args]


def test_nul_in_header_line_hides_the_line_end():
    # Redis searches with strchr, which stops at the NUL
    p = Parser()
    assert p.feed(b"*1\r\n$4\x00\r\nPING\r\n") == []
    assert p.error is None


def test_nul_in_count_line_eventually_too_big():
    p = Parser()
    p.feed(b"*1\x00\r\n")
    p.feed(b"x" * INLINE_MAX_SIZE)
    assert p.error == "Protocol error: too big mbulk count string"


# ------------------------------------------------------------------ inline

def test_inline_simple():
    assert parse(b"SET k v\r\n")[0] == [[b"SET", b"k", b"v"]]


def test_inline_lf_only():
    assert parse(b"PING\n")[0] == [[b"PING"]]


def test_inline_waits_for_newline():
    p = Parser()
    assert p.feed(b"PING\r") == []
    assert p.feed(b"\n") == [[b"PING"]]


def test_inline_double_quotes_with_escapes():
    assert parse(b'ECHO "\\x41\\n\\q"\r\n')[0] == [[b"ECHO", b"A\nq"]]


def test_inline_bad_hex_escape_is_literal():
    assert parse(b'ECHO "\\xZZ"\r\n')[0] == [[b"ECHO", b"xZZ"]]


def test_inline_single_quotes_escape_only_quote():
    assert parse(b"ECHO 'a\\'b\\n'\r\n")[0] == [[b"ECHO", b"a'b\\n"]]


def test_inline_quote_inside_token_starts_quoting():
    assert parse(b'ECHO a"b c"\r\n')[0] == [[b"ECHO", b"ab c"]]


def test_inline_empty_quoted_argument():
    assert parse(b"ECHO ''\r\n")[0] == [[b"ECHO", b""]]


def test_inline_vertical_tab_splits_only_when_leading():
    # isspace() skips \v between tokens, but only ' \n\r\t' end a token
    assert parse(b"\x0bECHO a\x0bb\r\n")[0] == [[b"ECHO", b"a\x0bb"]]


def test_inline_blank_line_is_skipped():
    assert parse(b"  \r\n\r\nPING\r\n") == ([[b"PING"]], None)


def test_inline_with_nul_waits():
    p = Parser()
    assert p.feed(b"ECHO a\x00b\r\n") == []
    assert p.error is None


def test_inline_argument_count_grows():
    line = b" ".join(b"a" for _ in range(3000)) + b"\r\n"
    assert parse(line)[0] == [[b"a"] * 3000]


# ------------------------------------------------------------ split_args

@pytest.mark.parametrize("line,expected", [
    (b"", []),
    (b"   ", []),
    (b"a b  c", [b"a", b"b", b"c"]),
    (b'"a b" c', [b"a b", b"c"]),
    (b'"\\t\\r\\b\\a\\\\\\""', [b"\t\r\b\a\\\""]),
    (b"'it''s'", None),
    (b"'a' 'b'", [b"a", b"b"]),
    (b'"abc', None),
    (b"'abc", None),
    (b'"a"b', None),
    (b'"a"\tb', [b"a", b"b"]),
    (b'"\\x4a\\x4B"', [b"JK"]),
    (b'"\\x4"', [b"x4"]),
    (b"a\x00b c", [b"a"]),
])
def test_split_args_grammar(line, expected):
    assert split_args(line) == expected


# ------------------------------------------------------------ errors

@pytest.mark.parametrize("data,error", [
    (b"*\r\n", "Protocol error: invalid multibulk length"),
    (b"*x\r\n", "Protocol error: invalid multibulk length"),
    (b"*01\r\n", "Protocol error: invalid multibulk length"),
    (b"*3000000000\r\n", "Protocol error: invalid multibulk length"),
    (b"*1\r\nX4\r\nPING\r\n", "Protocol error: expected '$', got 'X'"),
    (b"*1\r\n\r\n", "Protocol error: expected '$', got ' '"),
    (b"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
    (b"*1\r\n$+4\r\nPING\r\n", "Protocol error: invalid bulk length"),
    (b"*1\r\n$\r\n", "Protocol error: invalid bulk length"),
    (b"*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"),
    (b'ECHO "a\r\n', "Protocol error: unbalanced quotes in request"),
    (b'ECHO "a"b\r\n', "Protocol error: unbalanced quotes in request"),
    (b"ECHO 'a'b\r\n", "Protocol error: unbalanced quotes in request"),
])
def test_protocol_error_text(data, error):
    assert parse_error(data) == error


def test_max_bulk_len_itself_is_allowed():
    p = Parser(max_bulk_len=4)
    assert p.feed(mbulk(b"PING")) == [[b"PING"]]


def test_bulk_over_max_bulk_len_rejected():
    assert parse_error(mbulk(b"ECHO", b"hello"), max_bulk_len=4) == \
        "Protocol error: invalid bulk length"


def test_line_found_far_away_is_invalid_not_too_big():
    data = b"*1\r\n$a" + b"1" * 70000 + b"\r\n"
    assert parse_error(data) == "Protocol error: invalid bulk length"


def test_too_big_mbulk_count_string():
    assert parse_error(b"*1" + b"1" * INLINE_MAX_SIZE) == \
        "Protocol error: too big mbulk count string"


def test_mbulk_count_string_at_limit_waits():
    p = Parser()
    assert p.feed(b"*" + b"1" * (INLINE_MAX_SIZE - 1)) == []
    assert p.error is None


def test_too_big_bulk_count_string():
    assert parse_error(b"*1\r\n$" + b"1" * INLINE_MAX_SIZE) == \
        "Protocol error: too big bulk count string"


def test_too_big_inline_request():
    assert parse_error(b"PING" + b"1" * INLINE_MAX_SIZE) == \
        "Protocol error: too big inline request"


def test_inline_at_limit_waits():
    p = Parser()
    assert p.feed(b"x" * INLINE_MAX_SIZE) == []
    assert p.error is None


def test_long_inline_line_in_one_chunk_is_accepted():
    # the limit applies only while no newline has been seen
    arg = b"a" * (INLINE_MAX_SIZE + 10)
    assert parse(b"ECHO " + arg + b"\r\n")[0] == [[b"ECHO", arg]]


def test_unauthenticated_multibulk_length():
    assert parse_error(b"*11\r\n", unauthenticated=True) == \
        "Protocol error: unauthenticated multibulk length"


def test_unauthenticated_ten_args_allowed():
    p = Parser(unauthenticated=True)
    assert p.feed(mbulk(*[b"x"] * 10)) == [[b"x"] * 10]


def test_unauthenticated_bulk_length():
    assert parse_error(b"*1\r\n$16385\r\n", unauthenticated=True) == \
        "Protocol error: unauthenticated bulk length"


def test_unauthenticated_bulk_at_limit_allowed():
    p = Parser(unauthenticated=True)
    arg = b"x" * 16384
    assert p.feed(mbulk(arg)) == [[arg]]


def test_error_is_sticky():
    p = Parser()
    p.feed(b"*x\r\n")
    assert p.feed(mbulk(b"PING")) == []
    assert p.error == "Protocol error: invalid multibulk length"


def test_requests_before_error_are_returned():
    reqs, err = parse(mbulk(b"PING") + b"*x\r\n")
    assert reqs == [[b"PING"]]
    assert err == "Protocol error: invalid multibulk length"


def test_reset_clears_error():
    p = Parser()
    p.feed(b"*x\r\n")
    p.reset()
    assert p.feed(mbulk(b"PING")) == [[b"PING"]]


# ------------------------------------------------------------ chunking

STREAM = (
    mbulk(b"SET", b"key", b"va\r\nl\x00ue")
    + b"*0\r\n"
    + b'SET "quoted key" \'single \\\' q\' "\\x00\\xff"\r\n'
    + b"   \r\n"
    + mbulk(b"ECHO", b"")
    + b"PING\n"
    + mbulk(b"MSET", b"a", b"1", b"b", b"\r\n\r\n", b"c", b"*1\r\n$")
    + b"*1\rX$4\rYPINGzz"
    + mbulk(b"GET", b"x" * 300)
)
EXPECTED = [
    [b"SET", b"key", b"va\r\nl\x00ue"],
    [b"SET", b"quoted key", b"single ' q", b"\x00\xff"],
    [b"ECHO", b""],
    [b"PING"],
    [b"MSET", b"a", b"1", b"b", b"\r\n\r\n", b"c", b"*1\r\n$"],
    [b"PING"],
    [b"GET", b"x" * 300],
]


def test_stream_in_one_chunk():
    assert parse(STREAM) == (EXPECTED, None)


def test_stream_split_at_every_boundary():
    for cut in range(len(STREAM) + 1):
        p = Parser()
        got = p.feed(STREAM[:cut]) + p.feed(STREAM[cut:])
        assert got == EXPECTED, cut
        assert p.buffered == 0


def test_stream_byte_by_byte():
    p = Parser()
    got = []
    for i in range(len(STREAM)):
        got += p.feed(STREAM[i:i + 1])
    assert got == EXPECTED
    assert p.error is None


def test_error_split_at_every_boundary():
    data = mbulk(b"PING") + b"*1\r\nX4\r\n"
    for cut in range(len(data) + 1):
        p = Parser()
        got = p.feed(data[:cut]) + p.feed(data[cut:])
        assert got == [[b"PING"]]
        assert p.error == "Protocol error: expected '$', got 'X'"


def test_big_bulk_in_small_chunks():
    arg = bytes(range(256)) * 4096          # 1 MB
    data = mbulk(b"SET", b"k", arg)
    p = Parser()
    got = []
    for i in range(0, len(data), 1000):
        got += p.feed(data[i:i + 1000])
    assert got == [[b"SET", b"k", arg]]


# ------------------------------------------------------------ properties

argv_st = st.lists(st.binary(max_size=40), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(argv_st, min_size=1, max_size=5), st.data())
def test_roundtrip_random_argv_random_chunks(reqs, data):
    stream = b"".join(mbulk(*a) for a in reqs)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    p = Parser()
    got = []
    prev = 0
    for c in cuts + [len(stream)]:
        got += p.feed(stream[prev:c])
        prev = c
    assert got == reqs
    assert p.error is None and p.buffered == 0


inline_arg = st.binary(min_size=1, max_size=20).filter(
    lambda b: not any(c in b for c in b" \t\r\n\x0b\x0c\x00\"'") and b[:1] != b"*")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(inline_arg, min_size=1, max_size=6), min_size=1, max_size=4),
       st.data())
def test_roundtrip_inline_random_chunks(reqs, data):
    stream = b"".join(b" ".join(a) + b"\r\n" for a in reqs)
    cut = data.draw(st.integers(0, len(stream)))
    p = Parser()
    assert p.feed(stream[:cut]) + p.feed(stream[cut:]) == reqs


def test_empty_lines_alone_are_not_kept_buffered():
    p = Parser()
    assert p.feed(b"\r\n" * 1000) == []
    assert p.buffered == 0


def test_empty_lines_before_a_partial_request_are_dropped_and_it_resumes():
    p = Parser()
    assert p.feed(b"\r\n\r\n*0\r\n*2\r\n$3\r\nGET") == []
    assert p.buffered == len(b"*2\r\n$3\r\nGET")
    assert p.feed(b"\r\n$1\r\nk\r\n") == [[b"GET", b"k"]]


def test_bulk_resumed_after_skipped_empty_lines_keeps_its_bytes():
    p = Parser()
    assert p.feed(b"\r\n*2\r\n$4\r\nECHO\r\n$10\r\n01234") == []
    assert p.feed(b"5") == []
    assert p.feed(b"6789\r\n") == [[b"ECHO", b"0123456789"]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3),
                          st.lists(st.binary(max_size=40), min_size=1, max_size=4)),
                min_size=1, max_size=6),
       st.lists(st.integers(1, 50), min_size=1, max_size=20))
def test_empty_lines_between_requests_under_any_chunking(reqs, cuts):
    data = b""
    for empties, argv in reqs:
        data += b"\r\n" * empties
        data += b"*%d\r\n" % len(argv) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in argv)
    p = Parser()
    got, pos, i = [], 0, 0
    while pos < len(data):
        n = cuts[i % len(cuts)]
        got += p.feed(data[pos:pos + n])
        pos += n
        i += 1
    assert got == [argv for _, argv in reqs]
    assert p.buffered == 0
