"""A receipt changed in any way does not verify (exit 1): every field changed, fields
re-shaped across boundaries, another key's signature, the other algorithm's key, loose
types, repeated keys, a verdict that does not follow from its witness."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests._support.receipts import check, ed25519_pair, mint, secret_file

from dos.truth.receipts.keys import Ed25519Signer, HmacKey, signing_key
from dos.truth.receipts.signing import canonical, sign_receipt


@pytest.fixture
def world(git_repo: Callable[..., GitRepo], tmp_path: Path) -> dict[str, Path]:
    repo = git_repo("ws")
    repo.commit("AUTH1: add login", {"src/auth.py": "def login(): ...\n"})
    keys = tmp_path / "keys"
    keys.mkdir()
    private, public = ed25519_pair(keys, "ci")
    other_private, other_public = ed25519_pair(keys, "other")
    return {"ws": repo.path, "private": private, "public": public,
            "other_private": other_private, "other_public": other_public,
            "secret": secret_file(keys, "hmac.secret"),
            "other_secret": secret_file(keys, "other.secret", "another-secret-of-enough-bytes")}


@pytest.fixture
def receipt(world: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return mint(capsys, world["ws"], world["private"], "--accept-cmd", "git status --short",
                extra=("--narrated", "all tests pass"))


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from _leaves(inner, (*path, name))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaves(inner, (*path, index))
    else:
        yield path


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


_OTHER = {"CONFIRMED": "REFUTED", "OS_RECORDED": "THIRD_PARTY", "ED25519": "HMAC-SHA256",
          "os_acceptance": "state_diff", "accept_cmd": "state_diff",
          "dos.attest/receipt@2": "dos.attest/receipt@1"}


def _same_type_change(value: Any) -> Any:
    """Another value of the same JSON type that a sloppy verifier might accept."""
    if isinstance(value, bool) or value is None:
        return not value if isinstance(value, bool) else 0
    if isinstance(value, int):
        return value + 1
    if value in _OTHER:
        return _OTHER[value]
    if value and all(char in "0123456789abcdef" for char in value):
        return value[:-1] + ("0" if value[-1] != "0" else "1")
    if value.startswith("20") and value.endswith("Z"):
        return value[:-2] + str((int(value[-2]) + 1) % 10) + "Z"  # one second's digit
    return value + "x"


def test_every_field_changed_is_invalid(receipt: dict[str, Any], world: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    assert check(capsys, tmp_path, receipt, world["public"]).code == 0
    paths = list(_leaves(receipt))
    assert len(paths) >= 25  # the top-level fields and every witness field
    by_signature = 0
    for path in paths:
        changed = _set(receipt, path, _same_type_change(_get(receipt, path)))
        assert changed != receipt, path
        ran = check(capsys, tmp_path, changed, world["public"])
        assert (ran.code, ran.json["valid"], ran.json["receipt"]) == (1, False, None), path
        by_signature += "signature does NOT match" in ran.json["reason"]
    # the fields no shape rule constrains are caught by the signature alone
    assert by_signature >= 15


def test_every_field_with_a_loose_type_is_invalid(receipt: dict[str, Any],
                                                  world: dict[str, Path],
                                                  capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    loose = {bool: "yes", int: "1", str: 1, type(None): False, list: "true"}
    for path in _leaves(receipt):
        value = _get(receipt, path)
        ran = check(capsys, tmp_path, _set(receipt, path, loose[type(value)]), world["public"])
        assert ran.code == 1, path
        assert str(path[-1]) in ran.json["reason"] or path[-2:-1] == ("argv",), path
    believe = check(capsys, tmp_path, {**receipt, "believe": "yes"}, world["public"])
    assert believe.json["reason"] == "believe must be a JSON boolean"
    as_float = _set(receipt, ("witness", "exit_code"), 0.0)
    assert check(capsys, tmp_path, as_float, world["public"]).code == 1


def test_the_reference_reshaping_across_fields_is_invalid(
        world: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    minted = mint(capsys, world["ws"], world["secret"], "--accept-cmd", "true",
                  claim="deploy:prod\nnarrated=ok")
    assert check(capsys, tmp_path, minted, world["secret"]).code == 0
    reshaped = {**minted, "claim": "deploy:prod", "narrated": "ok\nnarrated="}
    ran = check(capsys, tmp_path, reshaped, world["secret"])
    assert ran.code == 1
    assert "signature does NOT match" in ran.json["reason"]


def test_fields_moved_between_levels_are_invalid(receipt: dict[str, Any],
                                                 world: dict[str, Path],
                                                 capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    top = {k: v for k, v in receipt.items() if k != "believe"}
    moved_down = {**top, "witness": {**receipt["witness"], "believe": True}}
    witness = {k: v for k, v in receipt["witness"].items() if k != "exit_code"}
    moved_up = {**receipt, "exit_code": 0, "witness": witness}
    swapped = {**receipt, "claim": receipt["narrated"], "narrated": receipt["claim"]}
    renamed = {("narrative" if k == "narrated" else k): v for k, v in receipt.items()}
    extra = {**receipt, "note": "trust me"}
    surface_into_claim = {**receipt, "claim": receipt["claim"] + receipt["witness_surface"]}
    for document in (moved_down, moved_up, swapped, renamed, extra, surface_into_claim):
        ran = check(capsys, tmp_path, document, world["public"])
        assert ran.code == 1, document


def test_a_signature_from_another_key_is_invalid(receipt: dict[str, Any],
                                                 world: dict[str, Path],
                                                 capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    other = check(capsys, tmp_path, receipt, world["other_public"])
    assert other.code == 1
    assert "not among the keys given" in other.json["reason"]
    # re-signed by the other key while still naming the first: the named key refuses it
    forger = signing_key(world["other_private"].read_bytes(), "test")
    forged = sign_receipt({k: v for k, v in receipt.items() if k != "signature"}, forger)
    ran = check(capsys, tmp_path, forged, world["public"])
    assert ran.code == 1
    assert "signature does NOT match" in ran.json["reason"]
    hmac_receipt = mint(capsys, world["ws"], world["secret"], "--accept-cmd", "true")
    assert check(capsys, tmp_path, hmac_receipt, world["other_secret"]).code == 1
    # with several keys given, the key id picks the right one
    several = check(capsys, tmp_path, receipt, world["other_public"], world["secret"],
                    world["public"])
    assert several.code == 0


def test_algorithm_confusion_is_invalid(receipt: dict[str, Any], world: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    hmac_receipt = mint(capsys, world["ws"], world["secret"], "--accept-cmd", "true")
    assert check(capsys, tmp_path, hmac_receipt, world["secret"]).code == 0
    with_public = check(capsys, tmp_path, hmac_receipt, world["public"])
    assert with_public.code == 1
    assert "checked only by the kind of key" in with_public.json["reason"]
    with_secret = check(capsys, tmp_path, receipt, world["secret"])
    assert with_secret.code == 1
    # the classic forgery: HMAC keyed with the public key's own bytes
    public_bytes = world["public"].read_bytes()
    unsigned = {k: v for k, v in receipt.items() if k != "signature"}
    for secret in (public_bytes, public_bytes.rstrip(b"\n")):
        as_hmac = HmacKey(secret)
        for key_id in (as_hmac.key_id, receipt["key_id"]):
            forged = {**unsigned, "algorithm": "HMAC-SHA256", "key_id": key_id}
            forged["signature"] = as_hmac.sign(canonical(forged)).hex()
            ran = check(capsys, tmp_path, forged, world["public"])
            assert ran.code == 1, key_id
    # an Ed25519 signature relabelled as HMAC (or the reverse) is refused too
    relabelled = {**receipt, "algorithm": "HMAC-SHA256"}
    assert check(capsys, tmp_path, relabelled, world["public"], world["secret"]).code == 1


def test_repeated_keys_and_non_json_values_are_invalid(
        receipt: dict[str, Any], world: dict[str, Path], capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    text = json.dumps(receipt)
    repeated = text[:-1] + ', "verdict": "REFUTED"}'
    ran = check(capsys, tmp_path, None, world["public"], raw=repeated.encode())
    assert (ran.code, ran.json["valid"]) == (1, False)
    assert "repeats the key" in ran.json["reason"]
    nan = text.replace('"output_bytes": ', '"output_bytes": NaN, "x": ')
    assert check(capsys, tmp_path, None, world["public"], raw=nan.encode()).code == 1
    surrogate = text.replace('"narrated": "all tests pass"', '"narrated": "\\ud800"')
    lone = check(capsys, tmp_path, None, world["public"], raw=surrogate.encode())
    assert lone.code == 1
    assert "surrogate" in lone.json["reason"]
    huge = _set(receipt, ("witness", "output_bytes"), 2**64)
    assert check(capsys, tmp_path, huge, world["public"]).code == 1
    deep = _set(receipt, ("witness", "argv"), [[[[["x"]]]]] * 3)
    assert check(capsys, tmp_path, deep, world["public"]).code == 1
    nested = text.replace('"witness": {', '"witness": ' + "[" * 50_000 + "]" * 50_000
                          + ', "w": {')
    deep_ran = check(capsys, tmp_path, None, world["public"], raw=nested.encode())
    assert (deep_ran.code, deep_ran.json["valid"]) == (1, False)


def test_a_verdict_that_does_not_follow_from_its_witness_is_invalid(
        receipt: dict[str, Any], world: dict[str, Path], capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    key = signing_key(world["private"].read_bytes(), "test")
    assert isinstance(key, Ed25519Signer)
    unsigned = {k: v for k, v in receipt.items() if k != "signature"}
    failing = _set(unsigned, ("witness", "exit_code"), 1)  # exit 1, yet CONFIRMED
    ran = check(capsys, tmp_path, sign_receipt(failing, key), world["public"])
    assert ran.code == 1
    assert ran.json["reason"].startswith("verdict does not follow from the witness")
    surface = {**unsigned, "witness_surface": "pytest -q"}  # says another command ran
    assert check(capsys, tmp_path, sign_receipt(surface, key), world["public"]).code == 1


def test_require_verdict_makes_another_verdict_exit_1(
        receipt: dict[str, Any], world: dict[str, Path], capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    refuted = mint(capsys, world["ws"], world["private"], "--accept-cmd", "false")
    required = ("--require-verdict", "CONFIRMED")
    assert check(capsys, tmp_path, receipt, world["public"], extra=required).code == 0
    plain = check(capsys, tmp_path, refuted, world["public"])
    assert (plain.code, plain.json["adverse"], plain.json["outcome"]) == (0, True, "VALID")
    unmet = check(capsys, tmp_path, refuted, world["public"], extra=required)
    assert (unmet.code, unmet.json["valid"], unmet.json["outcome"]) == (1, True,
                                                                        "VERDICT_UNMET")
    tampered = {**receipt, "claim": "other"}
    assert check(capsys, tmp_path, tampered, world["public"], extra=required).code == 1
