"""Properties of the DSSE form over random receipts (Ed25519): an envelope verifies, in
either base64 alphabet the protocol allows, and no change of it does — another payload
type (even one the key really signed), the payload re-encoded as other JSON, base64 that
is not the one encoding of its bytes, a byte of the envelope, another key's signature."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st
from tests._support.fuzz import fuzz_settings
from tests._support.receipt_props import (
    Signed,
    ed25519_keys,
    one_byte_changed,
    outcome,
    signed_receipts,
    texts,
    written,
)

from dos.truth.receipts.dsse import PAYLOAD_TYPE, envelope, pae, statement
from dos.truth.receipts.keys import Ed25519Signer

_ED25519_RECEIPTS = signed_receipts(ed25519_keys())
_COMMITS = st.text("0123456789abcdef", min_size=40, max_size=40)


@st.composite
def envelopes(draw: st.DrawFn) -> tuple[Signed, dict[str, Any]]:
    case = draw(_ED25519_RECEIPTS)
    assert isinstance(case.key, Ed25519Signer)
    commit = case.receipt["witness"].get("commit") or draw(_COMMITS)
    document = statement(case.unsigned, name=draw(texts(1)), commit=commit)
    return case, envelope(document, case.key)


def _b64(text: str) -> bytes:
    return base64.b64decode(text.replace("-", "+").replace("_", "/"))


def _urlsafe(text: str) -> str:
    return text.replace("+", "-").replace("/", "_")


@fuzz_settings(30, 1_000)
@given(envelopes())
def test_an_envelope_verifies_in_either_base64_alphabet(made: tuple[Signed, dict[str, Any]]
                                                        ) -> None:
    case, sealed = made
    assert outcome(written(sealed), case.verifier) == "VALID"
    signatures = [{**entry, "sig": _urlsafe(entry["sig"])} for entry in sealed["signatures"]]
    urlsafe = {**sealed, "payload": _urlsafe(sealed["payload"]), "signatures": signatures}
    assert outcome(written(urlsafe), case.verifier) == "VALID"


@fuzz_settings(40, 2_000)
@given(envelopes(), texts().filter(lambda text: text != PAYLOAD_TYPE))
def test_another_payload_type_never_verifies(made: tuple[Signed, dict[str, Any]],
                                              payload_type: str) -> None:
    case, sealed = made
    assert outcome(written({**sealed, "payloadType": payload_type}), case.verifier) == "INVALID"
    # even signed for real over that type: the type is part of what a receipt is
    assert isinstance(case.key, Ed25519Signer)
    body = _b64(sealed["payload"])
    signature = case.key.sign(pae(payload_type, body))
    resigned = {**sealed, "payloadType": payload_type, "signatures": [
        {"keyid": case.key.key_id, "sig": base64.b64encode(signature).decode()}]}
    assert outcome(written(resigned), case.verifier) == "INVALID"


@fuzz_settings(40, 2_000)
@given(envelopes(), st.sampled_from([{"indent": 1}, {"sort_keys": True}, {"ensure_ascii": False},
                                     {"separators": (",", ":"), "ensure_ascii": True}]))
def test_the_payload_re_encoded_never_verifies(made: tuple[Signed, dict[str, Any]],
                                               style: dict[str, Any]) -> None:
    case, sealed = made
    body = _b64(sealed["payload"])
    again = json.dumps(json.loads(body), **style).encode()
    if again == body:
        return
    repacked = {**sealed, "payload": base64.b64encode(again).decode()}
    assert outcome(written(repacked), case.verifier) == "INVALID"


def _variants(text: str) -> list[str]:
    """Other spellings of the same bytes that are not their one base64 encoding."""
    found = [text + "=", text.rstrip("=") if text.endswith("=") else text + "==",
             text[:4] + "\n" + text[4:], " " + text]
    if text.endswith("="):  # unused bits of the last character set
        last = text.rstrip("=")
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        index = alphabet.index(last[-1])
        found.append(last[:-1] + alphabet[index | 1] + text[len(last):])
    marks = [index for index, char in enumerate(text) if char in "+/"]
    if len(marks) >= 2:  # one character in the other alphabet, the rest not
        found.append(text[:marks[0]] + _urlsafe(text[marks[0]]) + text[marks[0] + 1:])
    return [variant for variant in found if variant != text]


@fuzz_settings(30, 1_000)
@given(envelopes(), st.sampled_from(["payload", "sig"]))
def test_base64_that_is_not_the_one_encoding_never_verifies(
        made: tuple[Signed, dict[str, Any]], where: str) -> None:
    case, sealed = made
    [entry] = sealed["signatures"]
    for variant in _variants(sealed["payload"] if where == "payload" else entry["sig"]):
        changed = ({**sealed, "payload": variant} if where == "payload"
                   else {**sealed, "signatures": [{**entry, "sig": variant}]})
        assert outcome(written(changed), case.verifier) == "INVALID", variant


def _meaning(data: bytes) -> Any:
    """What an envelope says once read: its type, payload bytes and signatures."""
    try:
        document = json.loads(data)
        return (document["payloadType"], _b64(document["payload"]),
                [(entry.get("keyid"), _b64(entry["sig"])) for entry in document["signatures"]])
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None


@fuzz_settings(80, 3_000)
@given(envelopes(), st.data())
def test_a_single_byte_change_never_verifies_as_another_envelope(
        made: tuple[Signed, dict[str, Any]], data: st.DataObject) -> None:
    case, sealed = made
    original = written(sealed)
    changed, _, _ = data.draw(one_byte_changed(original), label="changed")
    result = outcome(changed, case.verifier)
    event(result)
    if result == "VALID":  # JSON whitespace, an escape's case, or the other alphabet
        assert _meaning(changed) == _meaning(original)


@fuzz_settings(30, 1_000)
@given(envelopes(), ed25519_keys())
def test_another_keys_envelope_never_verifies(made: tuple[Signed, dict[str, Any]],
                                              other: Ed25519Signer) -> None:
    case, sealed = made
    if other.key_id == case.key.key_id:
        return
    body = _b64(sealed["payload"])
    forged = base64.b64encode(other.sign(pae(PAYLOAD_TYPE, body))).decode()
    for keyid in (case.key.key_id, other.key_id, ""):
        changed = {**sealed, "signatures": [{"keyid": keyid, "sig": forged}]}
        assert outcome(written(changed), case.verifier) == "INVALID"
    assert outcome(written(sealed), other.verifier()) == "INVALID"
