"""The keeper's protocol handling on untrusted bytes: startup packets parsed as a server
parses them (and refused when malformed), messages found whole however a stream is cut,
impossible lengths refused, and its replies readable by dos's own client."""

from __future__ import annotations

import itertools
import socket
from struct import pack

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dos.store.pg_keeper_wire import (
    MAX_MESSAGE,
    Answers,
    Frames,
    error_message,
    parse_startup,
    welcome,
)
from dos.store.pgwire import frames

_NAMES = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1,
                 max_size=12)
_VALUES = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)


@given(st.dictionaries(_NAMES, _VALUES, max_size=6))
def test_a_startup_packet_round_trips(params: dict[str, str]) -> None:
    packet = frames.startup(params)[4:]  # as the client builds it, after the length
    parsed = parse_startup(packet)
    assert parsed.kind == "startup"
    assert parsed.params == params


@pytest.mark.parametrize(("packet", "kind"), [
    (pack("!I", 80877103), "ssl"), (pack("!I", 80877104), "gss"),
    (pack("!III", 80877102, 1, 2), "cancel")])
def test_requests_before_a_startup(packet: bytes, kind: str) -> None:
    assert parse_startup(packet).kind == kind


@pytest.mark.parametrize("packet", [
    b"", b"\x00\x03", pack("!I", 131072) + b"user\x00a\x00\x00",  # protocol 2
    pack("!I", 196608) + b"user\x00a\x00",  # no final terminator
    pack("!I", 196608) + b"user\x00\x00",  # a name without its value
    pack("!I", 196608) + b"user\x00a\x00user\x00b\x00\x00",  # repeated
    pack("!I", 196608) + b"\x00a\x00\x00",  # empty name
    pack("!I", 196608) + b"user\x00\xff\xfe\x00\x00",  # not UTF-8
    pack("!I", 196608) + b"user\x00a",  # cut off
])
def test_a_malformed_startup_packet_is_refused(packet: bytes) -> None:
    with pytest.raises(ValueError):  # every refusal is a ValueError
        parse_startup(packet)


_MESSAGES = st.lists(st.tuples(st.sampled_from(b"QPBEDSXZCTdn"), st.binary(max_size=300)),
                     max_size=12)


@given(_MESSAGES, st.lists(st.integers(0, 4000), max_size=8))
def test_messages_are_found_whole_however_the_stream_is_cut(
        messages: list[tuple[int, bytes]], cuts: list[int]) -> None:
    stream = b"".join(frames.message(bytes([kind]), body) for kind, body in messages)
    points = sorted({min(cut, len(stream)) for cut in cuts} | {0, len(stream)})
    scanner, found = Frames(), []
    for start, end in itertools.pairwise(points):
        found += scanner.feed(stream[start:end])
    assert [(kind, raw[5:]) for kind, raw in found] == messages
    assert scanner.at_boundary


@pytest.mark.parametrize("length", [0, 3, MAX_MESSAGE + 1, 0xFFFFFFFF])
def test_an_impossible_length_is_refused(length: int) -> None:
    with pytest.raises(ValueError, match="message length"):
        Frames().feed(b"Q" + pack("!I", length) + b"x")


def test_the_replies_read_as_a_server_s() -> None:
    left, right = socket.socketpair()
    try:
        left.sendall(welcome({"server_version": "16.1", "TimeZone": "UTC"}, 4242)
                     + error_message("refused here"))
        reader = frames.Reader(right)
        kinds = [reader.next() for _ in range(6)]
    finally:
        left.close()
        right.close()
    assert [chr(kind) for kind, _ in kinds] == ["R", "S", "S", "K", "Z", "E"]
    assert kinds[0][1] == pack("!I", 0)
    assert kinds[3][1][:4] == pack("!I", 4242)
    assert kinds[4][1] == b"I"
    assert b"refused here" in kinds[5][1]


_SERVER = st.lists(st.one_of(
    st.tuples(st.just(ord("Z")), st.sampled_from([b"I", b"T", b"E"])),
    st.tuples(st.sampled_from(b"TDCEN1230"), st.binary(max_size=200))), max_size=12)


@given(_SERVER, st.lists(st.integers(0, 3000), max_size=8))
def test_the_server_s_answers_are_counted_however_the_stream_is_cut(
        messages: list[tuple[int, bytes]], cuts: list[int]) -> None:
    stream = b"".join(frames.message(bytes([kind]), body) for kind, body in messages)
    points = sorted({min(cut, len(stream)) for cut in cuts} | {0, len(stream)})
    answers = Answers()
    for start, end in itertools.pairwise(points):
        answers.feed(stream[start:end])
    statuses = [body.decode() for kind, body in messages if kind == ord("Z")]
    assert answers.ready == len(statuses)
    assert answers.at_boundary
    if statuses:
        assert answers.status in (statuses[-1], "T")  # "T": its byte came later, unseen
    whole = Answers()
    whole.feed(stream)
    assert whole.status == (statuses[-1] if statuses else "I")


def test_an_impossible_answer_length_is_refused() -> None:
    with pytest.raises(ValueError, match="from the server"):
        Answers().feed(b"D" + pack("!I", 2))
