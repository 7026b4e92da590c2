"""The DSSE form: an in-toto Statement v1 in a DSSE envelope, checked here by a verifier
written from the DSSE and in-toto specifications (PAE + Ed25519 via cryptography), not
by dos's own code; and by `dos verify-receipt`, which refuses it once changed."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from tests._support.git import GitRepo
from tests._support.receipts import check, dos, ed25519_pair, mint, secret_file


def independent_verify(envelope: dict[str, Any], public_pem: bytes) -> dict[str, Any]:
    """DSSE v1 verification as its protocol text describes it; returns the statement."""
    payload_type = envelope["payloadType"]
    payload = base64.b64decode(envelope["payload"])
    message = b" ".join([b"DSSEv1", str(len(payload_type.encode())).encode(),
                         payload_type.encode(), str(len(payload)).encode(), payload])
    public = load_pem_public_key(public_pem)
    assert isinstance(public, Ed25519PublicKey)
    for signature in envelope["signatures"]:
        try:
            public.verify(base64.b64decode(signature["sig"]), message)
        except InvalidSignature:
            continue
        statement: dict[str, Any] = json.loads(payload)
        return statement
    raise InvalidSignature("no signature in the envelope verifies")


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    made = git_repo("ws")
    made.git("remote", "add", "origin", "https://builder:s3cr3t-token@git.example/acme/app.git")
    made.commit("AUTH1: add login", {"src/auth.py": "def login(): ...\n"})
    return made


def test_an_envelope_verifies_with_an_independent_dsse_verifier(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private, public = ed25519_pair(tmp_path, "ci")
    envelope = mint(capsys, repo.path, private, "--verify", "AUTH", "AUTH1",
                    extra=("--format", "dsse"))
    assert set(envelope) == {"payloadType", "payload", "signatures"}
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    statement = independent_verify(envelope, public.read_bytes())
    head = repo.git("rev-parse", "HEAD")
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["subject"] == [{"name": "https://git.example/acme/app.git",
                                     "digest": {"gitCommit": head}}]  # no credentials
    predicate = statement["predicate"]
    assert statement["predicateType"] == "urn:dispatch-os:attest:receipt:v2"
    assert predicate["verdict"] == "CONFIRMED"
    assert predicate["witness"] == {
        "kind": "verify", "plan": "AUTH", "phase": "AUTH1", "ref": "HEAD", "shipped": True,
        "grade": predicate["witness"]["grade"], "source": predicate["witness"]["source"],
        "sha": head, "commit": head}
    assert predicate["witness"]["grade"] in ("subject", "artifact")
    assert "signature" not in predicate  # the envelope carries the signature
    ours = check(capsys, tmp_path, envelope, public)
    assert (ours.code, ours.json["form"], ours.json["verdict"]) == (0, "dsse", "CONFIRMED")


def _repack(envelope: dict[str, Any], statement: dict[str, Any]) -> dict[str, Any]:
    payload = base64.b64encode(json.dumps(statement).encode()).decode()
    return {**envelope, "payload": payload}


def test_a_changed_envelope_fails_both_verifiers(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private, public = ed25519_pair(tmp_path, "ci")
    _, other_public = ed25519_pair(tmp_path, "other")
    envelope = mint(capsys, repo.path, private, "--accept-cmd", "false",
                    extra=("--format", "dsse"))
    statement = independent_verify(envelope, public.read_bytes())
    assert statement["predicate"]["verdict"] == "REFUTED"
    flipped = json.loads(json.dumps(statement))
    flipped["predicate"].update(verdict="CONFIRMED", believe=True, refuted=False)
    flipped["predicate"]["witness"]["exit_code"] = 0
    moved = json.loads(json.dumps(statement))
    moved["subject"][0]["digest"]["gitCommit"] = "0" * 40
    for changed in (_repack(envelope, flipped), _repack(envelope, moved),
                    {**envelope, "payloadType": "application/json"}):
        with pytest.raises(InvalidSignature):
            independent_verify(changed, public.read_bytes())
        assert check(capsys, tmp_path, changed, public).code == 1
    assert check(capsys, tmp_path, envelope, other_public).code == 1
    secret = secret_file(tmp_path, "hmac.secret")
    assert check(capsys, tmp_path, envelope, secret).code == 1
    extra = {**envelope, "note": "unsigned"}
    assert check(capsys, tmp_path, extra, public).code == 1


def test_dsse_needs_an_ed25519_key_and_a_commit(
        repo: GitRepo, git_repo: Callable[..., GitRepo], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    secret = secret_file(tmp_path, "hmac.secret")
    ran = dos(capsys, "--workspace", str(repo.path), "attest", "--claim", "c", "--accept-cmd",
              "true", "--key-file", str(secret), "--format", "dsse")
    assert ran.code == 2
    assert "Ed25519" in ran.err
    private, _ = ed25519_pair(tmp_path, "ci")
    empty = git_repo("unborn")
    ran = dos(capsys, "--workspace", str(empty.path), "attest", "--claim", "c",
              "--accept-cmd", "true", "--key-file", str(private), "--format", "dsse")
    assert ran.code == 2
    assert "has none" in ran.err


def test_only_the_one_base64_encoding_of_the_envelope_verifies(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """DSSE lets a signer use the standard or the URL-safe alphabet; anything else that
    decodes to the same bytes (no padding, a mixed alphabet, unused bits set, a line break)
    is a second envelope for one payload, and is refused."""
    private, public = ed25519_pair(tmp_path, "ci")
    envelope = mint(capsys, repo.path, private, "--accept-cmd", "true",
                    extra=("--format", "dsse"))
    payload, [entry] = envelope["payload"], envelope["signatures"]
    urlsafe = {**envelope, "payload": payload.replace("+", "-").replace("/", "_"),
               "signatures": [{**entry, "sig": entry["sig"].replace("+", "-")
                                                          .replace("/", "_")}]}
    assert check(capsys, tmp_path, urlsafe, public).code == 0
    sig = entry["sig"]  # 64 bytes: always ends "==", its last character has 4 unused bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    loose_bits = sig[:-3] + alphabet[alphabet.index(sig[-3]) | 1] + "=="
    assert loose_bits != sig
    assert base64.b64decode(loose_bits) == base64.b64decode(sig)
    variants = {"extra padding": {**envelope, "payload": payload + "="},
                "line break": {**envelope, "payload": payload[:76] + "\n" + payload[76:]},
                "unused bits": {**envelope, "signatures": [{**entry, "sig": loose_bits}]},
                "unpadded sig": {**envelope, "signatures": [{**entry, "sig": sig[:-2]}]}}
    if payload.endswith("="):
        variants["unpadded payload"] = {**envelope, "payload": payload.rstrip("=")}
    for name, changed in variants.items():
        ran = check(capsys, tmp_path, changed, public)
        assert (ran.code, ran.json["valid"]) == (1, False), name
        assert "base64" in ran.json["reason"], name
