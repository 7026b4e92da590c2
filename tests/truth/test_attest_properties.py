"""Properties over random receipts (HMAC and Ed25519 alike): a signed receipt verifies,
and no change of it does — not a byte, not a field moved into another, not a changed JSON
type, not an added field, not another key's signature. The bulk runs the api in process;
a sampled few go through the real `dos verify-receipt` process, which exits 1.

A receipt is signed over its RFC 8785 form, one byte string per JSON value, so the only
byte changes that may still verify are those JSON itself reads as the same receipt: one
whitespace byte for another between tokens, or a ``\\u`` escape's hex digit in the other
case. The single-byte property says exactly that and no more.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization as ser
from hypothesis import event, given
from hypothesis import strategies as st
from tests._support.fuzz import fuzz_settings
from tests._support.receipt_props import (
    Signed,
    added,
    ed25519_keys,
    hmac_keys,
    moved,
    one_byte_changed,
    outcome,
    retyped,
    retyped_everywhere,
    signed_receipts,
    unsigned_receipt,
    verifier,
    with_value,
    written,
)
from tests._support.receipts import SECRET, check, secret_file

from dos.truth.receipts.keys import Ed25519Verifier, HmacKey, SigningKey, VerifyingKey
from dos.truth.receipts.signing import canonical, sign_receipt

_WHITESPACE = frozenset(b" \t\n\r")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_ORACLE = {"kind": "verify", "plan": "AUTH", "phase": "AUTH1", "ref": "HEAD", "shipped": True,
           "grade": "subject", "source": "", "sha": "", "commit": ""}


def _forms(receipt: dict[str, object]) -> dict[str, bytes]:
    return {"written": written(receipt), "canonical": canonical(receipt),
            "indented": json.dumps(receipt, indent=2, ensure_ascii=False).encode()}


@fuzz_settings(40, 1_000)
@given(signed_receipts())
def test_a_signed_receipt_verifies_in_any_json_form(case: Signed) -> None:
    for form, data in _forms(case.receipt).items():
        assert outcome(data, case.verifier) == "VALID", form


@fuzz_settings(120, 5_000)
@given(signed_receipts(), st.sampled_from(["written", "canonical"]), st.data())
def test_a_single_byte_change_never_verifies_as_another_receipt(
        case: Signed, form: str, data: st.DataObject) -> None:
    original = _forms(case.receipt)[form]
    changed, index, byte = data.draw(one_byte_changed(original), label="changed")
    result = outcome(changed, case.verifier)
    event(result)
    if result == "VALID":
        old = original[index]
        assert {old, byte} <= _WHITESPACE or (
            {old, byte} <= _HEX and chr(old).lower() == chr(byte).lower()), (index, byte)
        assert json.loads(changed) == case.receipt


@fuzz_settings(100, 5_000)
@given(signed_receipts(), st.data())
def test_a_field_moved_into_another_never_verifies(case: Signed, data: st.DataObject) -> None:
    changed = data.draw(moved(case.receipt), label="moved")
    if changed == case.receipt:  # two equal values swapped: nothing moved
        return
    assert outcome(written(changed), case.verifier) == "INVALID"


def test_a_witness_kind_that_is_an_array_or_object_is_invalid_not_a_crash(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Found by the type-change property under fuzz-long: ``kind`` was looked up in a
    table before its type was checked, so ``["verify"]`` raised (exit 70)."""
    key = HmacKey(SECRET.encode())
    case = Signed(sign_receipt(unsigned_receipt("c", "", _ORACLE, "2026-01-01T00:00:00Z",
                                                key), key), key)
    for kind in (["verify"], {"verify": "verify"}, None, 1, True):
        changed = with_value(case.receipt, ("witness", "kind"), kind)
        assert outcome(written(changed), key) == "INVALID", kind
        ran = check(capsys, tmp_path, changed, secret_file(tmp_path, "hmac.secret"))
        assert ran.code == 1, ran.err
        assert ran.json["reason"].startswith("witness.kind must be one of"), kind


@fuzz_settings(40, 2_000)
@given(signed_receipts(), st.data())
def test_a_changed_json_type_never_verifies(case: Signed, data: st.DataObject) -> None:
    for changed in data.draw(retyped_everywhere(case.receipt), label="retyped"):
        assert outcome(written(changed), case.verifier) == "INVALID"


@fuzz_settings(80, 5_000)
@given(signed_receipts(), st.data())
def test_an_added_field_never_verifies(case: Signed, data: st.DataObject) -> None:
    changed = data.draw(added(case.receipt), label="added")
    assert outcome(written(changed), case.verifier) == "INVALID"


def _other_key(case: Signed, data: st.DataObject, *, same_kind: bool = True) -> SigningKey:
    ed25519 = isinstance(case.verifier, Ed25519Verifier) == same_kind
    key = data.draw(ed25519_keys() if ed25519 else hmac_keys(), label="other")
    if key.key_id != case.key.key_id:
        return key
    return HmacKey(key.secret + b"x") if isinstance(key, HmacKey) else data.draw(
        ed25519_keys().filter(lambda other: other.key_id != case.key.key_id))


@fuzz_settings(40, 2_000)
@given(signed_receipts(), st.data())
def test_a_signature_from_another_key_never_verifies(case: Signed, data: st.DataObject) -> None:
    other = _other_key(case, data)
    naming_ours = sign_receipt(case.unsigned, other)  # another key, our key's id
    naming_its_own = sign_receipt({**case.unsigned, "key_id": other.key_id}, other)
    assert outcome(written(naming_ours), case.verifier) == "INVALID"
    assert outcome(written(naming_its_own), case.verifier) == "INVALID"
    assert outcome(written(naming_its_own), verifier(other)) == "VALID"
    assert outcome(written(naming_ours), verifier(other)) == "INVALID"
    # a key of the other kind never checks it, whatever the receipt says
    stranger = verifier(_other_key(case, data, same_kind=False))
    assert outcome(written(case.receipt), stranger) == "INVALID"
    relabelled = {**case.receipt, "algorithm": stranger.algorithm, "key_id": stranger.key_id}
    assert outcome(written(relabelled), stranger, case.verifier) == "INVALID"


def _public_file(directory: Path, key: VerifyingKey) -> Path:
    path = directory / "verify.key"
    if isinstance(key, Ed25519Verifier):
        path.write_bytes(key.public.public_bytes(ser.Encoding.PEM,
                                                 ser.PublicFormat.SubjectPublicKeyInfo))
    else:
        path.write_bytes(key.secret + b"\n")
    return path


def _verify_in_a_process(directory: Path, key_file: Path, data: bytes) -> int:
    receipt = directory / "receipt.json"
    receipt.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "dos", "verify-receipt", "--receipt", str(receipt),
         "--key-file", str(key_file), "--json"], cwd=directory, capture_output=True,
        check=False, timeout=60, env={"PATH": os.environ.get("PATH", ""),
                                      "HOME": str(directory)})
    assert b"Traceback" not in done.stderr, done.stderr
    if done.returncode in (0, 1):
        assert json.loads(done.stdout)["valid"] is (done.returncode == 0)
    return done.returncode


@fuzz_settings(3, 50)
@given(signed_receipts(), st.data())
def test_the_real_cli_exits_1_on_every_kind_of_change(case: Signed, data: st.DataObject
                                                     ) -> None:
    other = _other_key(case, data)
    changes = {"moved": moved(case.receipt), "retyped": retyped(case.receipt),
               "added": added(case.receipt),
               "other key": st.just(sign_receipt(case.unsigned, other))}
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        key_file = _public_file(directory, case.verifier)
        assert _verify_in_a_process(directory, key_file, written(case.receipt)) == 0
        for kind, strategy in changes.items():
            changed = data.draw(strategy, label=kind)
            if changed != case.receipt:
                assert _verify_in_a_process(directory, key_file, written(changed)) == 1, kind
        # a byte: exit 1, or 2 when what is left is no JSON object; as the api answers
        original = written(case.receipt)
        mangled, _, _ = data.draw(one_byte_changed(original), label="byte")
        expected = {"INVALID": 1, "CONTRACT": 2, "VALID": 0}[outcome(mangled, case.verifier)]
        assert _verify_in_a_process(directory, key_file, mangled) == expected
        assert expected != 0 or json.loads(mangled) == case.receipt
