"""Differential tests for the request parser, fed raw bytes.

Each test sends bytes on a fresh connection to both servers and compares
everything received until the server closes the connection.  Requests that
leave the connection usable end with QUIT so the server closes it."""
import socket

import pytest

from support.resp import encode_command

QUIT = b"*1\r\n$4\r\nQUIT\r\n"


def test_pipelined_requests_in_one_send_get_all_replies(pair):
    data = b"".join(encode_command(["SET", "k%d" % i, str(i)]) for i in range(50))
    data += b"".join(encode_command(["GET", "k%d" % i]) for i in range(50))
    pair.check_raw(data + QUIT)


def test_mixed_inline_and_multibulk_pipeline(pair):
    pair.check_raw(b"PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO there\r\n" + QUIT)


def test_inline_command_with_double_quotes(pair):
    pair.check_raw(b'SET k "hello world"\r\nGET k\r\n' + QUIT)


def test_inline_command_with_escapes_in_quotes(pair):
    pair.check_raw(b'ECHO "a\\x41\\n\\t\\"b"\r\n' + QUIT)


def test_inline_command_with_single_quotes(pair):
    pair.check_raw(b"ECHO 'it''s'\r\nECHO 'a\\'b'\r\n" + QUIT)


def test_inline_command_with_newline_only_terminator(pair):
    pair.check_raw(b"PING\nECHO x\n" + QUIT)


def test_inline_command_extra_spaces_are_ignored(pair):
    pair.check_raw(b"   ECHO    spaced   \r\n" + QUIT)


@pytest.mark.parametrize("line", [b'ECHO "abc\r\n', b"ECHO 'abc\r\n", b'ECHO "abc"x\r\n'])
def test_inline_unbalanced_quotes_error_closes_connection(pair, line):
    pair.check_raw(b"PING\r\n" + line + b"PING\r\n")


def test_empty_lines_are_ignored(pair):
    pair.check_raw(b"\r\n\r\n\nPING\r\n\r\n" + QUIT)


def test_whitespace_only_inline_line_is_ignored(pair):
    pair.check_raw(b"   \r\nPING\r\n" + QUIT)


@pytest.mark.parametrize("header", [b"*abc\r\n", b"*1x\r\n", b"*3000000000\r\n",
                                    b"*-1x\r\n"])
def test_invalid_multibulk_length(pair, header):
    pair.check_raw(header + b"PING\r\n")


@pytest.mark.parametrize("header", [b"*0\r\n", b"*-1\r\n", b"*-5\r\n"])
def test_empty_or_negative_multibulk_is_ignored(pair, header):
    pair.check_raw(header + b"PING\r\n" + QUIT)


@pytest.mark.parametrize("bulk", [b"$abc\r\n", b"$-1\r\n", b"$\r\n", b"$1x\r\n",
                                  b"$1000000000000\r\n", b"$600000000\r\n"])
def test_invalid_bulk_length(pair, bulk):
    pair.check_raw(b"*1\r\n" + bulk + b"PING\r\n")


def test_multibulk_element_must_start_with_dollar(pair):
    pair.check_raw(b"*1\r\nfoo\r\n")


def test_multibulk_element_wrong_type_byte_later_in_request(pair):
    pair.check_raw(b"*2\r\n$4\r\nECHO\r\n:5\r\n")


def test_too_big_inline_request(pair):
    pair.check_raw(b"A" * 100 * 1024)


def test_too_big_multibulk_count_string(pair):
    pair.check_raw(b"*" + b"1" * 100 * 1024)


def test_too_big_bulk_count_string(pair):
    pair.check_raw(b"*1\r\n$" + b"1" * 100 * 1024)


def test_big_bulk_split_over_many_sends(pair):
    value = bytes(range(256)) * 4096  # 1 MiB with every byte value
    data = encode_command(["SET", "big", value]) + encode_command(["STRLEN", "big"])
    data += encode_command(["GETRANGE", "big", "1000000", "1000100"]) + QUIT
    chunks = [data[i:i + 7919] for i in range(0, len(data), 7919)]
    pair.check_raw(data, chunks=chunks)


def test_request_split_at_every_byte(pair):
    data = encode_command(["SET", "k", "v"]) + b"ECHO inline\r\n" + encode_command(["GET", "k"])
    chunks = [data[i:i + 1] for i in range(len(data))] + [QUIT]
    pair.check_raw(data, chunks=chunks)


def test_bulk_without_trailing_crlf_is_consumed_by_length(pair):
    # The two bytes after the payload are skipped whatever they are.
    pair.check_raw(b"*2\r\n$4\r\nECHO\r\n$2\r\nhiXY*1\r\n$4\r\nPING\r\n" + QUIT)


def test_error_after_valid_commands_keeps_earlier_replies(pair):
    pair.check_raw(encode_command(["SET", "a", "1"]) + encode_command(["GET", "a"])
                   + b"*x\r\n")


def test_unknown_inline_command_error(pair):
    pair.check_raw(b"FOO bar baz\r\n" + QUIT)


def test_incomplete_request_then_close_gets_no_reply(pair):
    # Half a request followed by our shutdown of writing: nothing is executed.
    for conn_port in (pair.real_server.port, pair.ours_server.port):
        with socket.create_connection(("127.0.0.1", conn_port)) as s:
            s.sendall(b"*2\r\n$3\r\nSET\r\n$1\r\n")
            s.shutdown(socket.SHUT_WR)
            s.settimeout(3)
            assert s.recv(100) == b""
    pair.check("EXISTS", "k")


def test_many_arguments_in_one_multibulk(pair):
    args = ["MSET"]
    for i in range(2000):
        args += ["key%d" % i, "v" * (i % 50)]
    keys = ["key%d" % i for i in range(0, 2000, 7)]
    pair.check_raw(encode_command(args) + encode_command(["MGET"] + keys) + QUIT)


def test_pipelined_big_replies(pair):
    value = b"x" * 300000
    data = encode_command(["SET", "big", value]) + encode_command(["GET", "big"]) * 20
    pair.check_raw(data + QUIT)


def test_inline_command_with_nul_byte_and_tabs(pair):
    pair.check_raw(b"ECHO\ta\x00b\r\n" + QUIT)


def test_inline_empty_quoted_argument(pair):
    pair.check_raw(b'ECHO ""\r\nSET "" empty\r\nGET ""\r\n' + QUIT)


def test_multibulk_length_with_leading_plus_or_zero(pair):
    pair.check_raw(b"*+1\r\n$4\r\nPING\r\n" + QUIT)


def test_bulk_length_with_leading_zero(pair):
    pair.check_raw(b"*1\r\n$04\r\nPING\r\n" + QUIT)


def test_lowercase_and_mixed_case_command_names(pair):
    pair.check_raw(b"*1\r\n$4\r\npInG\r\nping\r\n" + QUIT)
