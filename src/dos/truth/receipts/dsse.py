"""The interoperable form: an in-toto Statement v1 (subject: the repository at a commit;
predicate: the unsigned receipt) in a DSSE envelope signed with Ed25519 over the DSSE
pre-authentication encoding, so any DSSE verifier holding the public key can check it."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from typing import Any

from dos.truth.receipts.keys import Ed25519Signer, Ed25519Verifier, VerifyingKey
from dos.truth.receipts.schema import ED25519, InvalidReceiptError, check_receipt, check_text
from dos.truth.receipts.signing import canonical

__all__ = ["PAYLOAD_TYPE", "PREDICATE_TYPE", "STATEMENT_TYPE", "envelope", "open_envelope",
           "pae", "statement"]

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "urn:dispatch-os:attest:receipt:v2"
_MAX_SIGNATURES = 16
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding: what the signature covers."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


def statement(predicate: Mapping[str, Any], *, name: str, commit: str) -> dict[str, Any]:
    """The in-toto Statement v1 naming the repository at ``commit``."""
    return {"_type": STATEMENT_TYPE,
            "subject": [{"name": name, "digest": {"gitCommit": commit}}],
            "predicateType": PREDICATE_TYPE, "predicate": dict(predicate)}


def envelope(document: Mapping[str, Any], key: Ed25519Signer) -> dict[str, Any]:
    """``document`` (a statement) signed into a DSSE envelope."""
    payload = canonical(document)
    signature = key.sign(pae(PAYLOAD_TYPE, payload))
    return {"payloadType": PAYLOAD_TYPE,
            "payload": base64.b64encode(payload).decode("ascii"),
            "signatures": [{"keyid": key.key_id,
                            "sig": base64.b64encode(signature).decode("ascii")}]}


def _need(condition: bool, reason: str) -> None:
    if not condition:
        raise InvalidReceiptError(reason)


def _b64(value: Any, where: str) -> bytes:
    """RFC 4648 base64 in the standard or the URL-safe alphabet (DSSE lets a signer use
    either), padded, and only the one encoding of its bytes in that alphabet: a mixed
    alphabet, missing or extra padding, or unused bits set would give a second envelope,
    byte-different, that carries the same payload and signature."""
    check_text(value, where, 8 * 1024 * 1024)
    urlsafe = "-" in value or "_" in value
    try:
        data = base64.b64decode(value.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidReceiptError(f"{where} is not base64") from None
    again = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data)
    _need(again.decode("ascii") == value,
          f"{where} is not the canonical base64 of its bytes (RFC 4648, padded, one alphabet)")
    return data


def _signatures(document: Mapping[str, Any]) -> list[tuple[str, bytes]]:
    _need(set(document) == {"payloadType", "payload", "signatures"},
          "a DSSE envelope has exactly payloadType, payload and signatures")
    _need(document["payloadType"] == PAYLOAD_TYPE, f"payloadType must be {PAYLOAD_TYPE}")
    entries = document["signatures"]
    _need(isinstance(entries, list) and 1 <= len(entries) <= _MAX_SIGNATURES,
          f"signatures must be a JSON array of 1 to {_MAX_SIGNATURES} entries")
    found = []
    for index, entry in enumerate(entries):
        where = f"signatures[{index}]"
        _need(isinstance(entry, dict) and "sig" in entry and set(entry) <= {"keyid", "sig"},
              f"{where} must be an object with sig and an optional keyid")
        keyid = entry.get("keyid", "")
        check_text(keyid, f"{where}.keyid", 256)
        found.append((keyid, _b64(entry["sig"], f"{where}.sig")))
    return found


def _signer(payload: bytes, signatures: Sequence[tuple[str, bytes]],
            keys: Sequence[VerifyingKey]) -> Ed25519Verifier:
    public = [key for key in keys if isinstance(key, Ed25519Verifier)]
    _need(bool(public), "a DSSE envelope is checked with an Ed25519 public key, and none "
                        "was given")
    message = pae(PAYLOAD_TYPE, payload)
    for keyid, signature in signatures:
        for key in public:
            if keyid in ("", key.key_id) and key.verify(message, signature):
                return key
    raise InvalidReceiptError("no signature in the envelope matches a key given: the payload "
                         "was changed, or it was signed with another key")


def _predicate(document: Any, key: Ed25519Verifier) -> dict[str, Any]:
    _need(isinstance(document, dict) and set(document) == {
        "_type", "subject", "predicateType", "predicate"},
        "the payload must be an in-toto Statement with exactly _type, subject, "
        "predicateType and predicate")
    _need(document["_type"] == STATEMENT_TYPE, f"_type must be {STATEMENT_TYPE}")
    _need(document["predicateType"] == PREDICATE_TYPE, f"predicateType must be {PREDICATE_TYPE}")
    subjects = document["subject"]
    _need(isinstance(subjects, list) and len(subjects) == 1 and isinstance(subjects[0], dict)
          and set(subjects[0]) == {"name", "digest"}, "subject must be one {name, digest}")
    check_text(subjects[0]["name"], "subject.name", 4096)
    digest = subjects[0]["digest"]
    _need(isinstance(digest, dict) and set(digest) == {"gitCommit"}
          and isinstance(digest["gitCommit"], str) and bool(_COMMIT.fullmatch(
              digest["gitCommit"])), "subject.digest must be {gitCommit: a commit sha}")
    receipt = document["predicate"]
    check_receipt(receipt, signed=False)
    _need(receipt["algorithm"] == ED25519 and receipt["key_id"] == key.key_id,
          "the predicate names another key or algorithm than the envelope's signer")
    witnessed = receipt["witness"].get("commit", "")
    _need(witnessed in ("", digest["gitCommit"]),
          "the subject's commit is not the commit the witness ran at")
    return receipt  # type: ignore[no-any-return]


def open_envelope(document: Mapping[str, Any], keys: Sequence[VerifyingKey],
                  parse: Any) -> tuple[dict[str, Any], Ed25519Verifier]:
    """The receipt inside a DSSE envelope and the key that signed it; InvalidReceiptError
    unless a given Ed25519 key signed it and the statement is exactly ours. ``parse``
    reads the payload as JSON the way the envelope itself was read."""
    signatures = _signatures(document)
    payload = _b64(document["payload"], "payload")
    key = _signer(payload, signatures, keys)
    return _predicate(parse(payload), key), key
