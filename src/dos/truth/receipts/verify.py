"""Check a receipt alone: its exact shape, the key it names (whose kind decides the
algorithm), its signature over the canonical payload, and that its verdict follows from
its witness. A plain receipt, a DSSE envelope, or ``dos attest --json``'s line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.truth.receipts.keys import VerifyingKey
from dos.truth.receipts.schema import InvalidReceiptError, check_consistent, check_receipt
from dos.truth.receipts.witness import Finding

__all__ = ["MAX_RECEIPT_BYTES", "ReceiptCheck", "check_document", "parse_json"]

MAX_RECEIPT_BYTES = 1024 * 1024
_NOUNS = {"HMAC-SHA256": "HMAC", "ED25519": "Ed25519"}


@struct
class ReceiptCheck:
    """The answer; ``receipt`` and ``finding`` only when it is valid (an invalid
    receipt's content is not shown as if it meant something)."""

    valid: bool
    reason: str
    form: str
    receipt: dict[str, Any] | None = None
    finding: Finding | None = None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise InvalidReceiptError(f"the JSON repeats the key(s) {twice}: readers would disagree "
                             "on its value")
    return dict(pairs)


def _constant(name: str) -> Any:
    raise InvalidReceiptError(f"{name} is not JSON")


def parse_json(data: bytes) -> Any:
    """Strict JSON from UTF-8 bytes: no repeated keys, no NaN; InvalidReceiptError otherwise."""
    try:
        text = data.decode("utf-8")
        return json.loads(text, object_pairs_hook=_unique, parse_constant=_constant)
    except UnicodeDecodeError:
        raise InvalidReceiptError("the document is not UTF-8") from None
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, InvalidReceiptError):
            raise
        raise InvalidReceiptError(f"the document is not JSON ({exc})") from None


def _top(data: bytes) -> None:
    """The document a verifier was handed: anything but a JSON object is a contract error
    (an object nested too deeply to read is judged, and found invalid)."""
    if not data.strip():
        raise UsageError("no receipt", hint="pass --receipt PATH or a receipt JSON on stdin")
    if len(data) > MAX_RECEIPT_BYTES:
        raise UsageError(f"the receipt is over {MAX_RECEIPT_BYTES} bytes",
                         hint="pass one receipt or one DSSE envelope")
    try:
        document = json.loads(data.decode("utf-8", "replace"))
    except RecursionError:
        if data.lstrip().startswith(b"{"):
            return
        raise UsageError("malformed receipt: the input is nested too deeply",
                         hint="pass the receipt `dos attest` wrote, or its DSSE envelope"
                         ) from None
    except ValueError:
        raise UsageError("malformed receipt: the input is not JSON",
                         hint="pass the receipt `dos attest` wrote, or its DSSE envelope"
                         ) from None
    if not isinstance(document, dict):
        raise UsageError("malformed receipt: the input is not a JSON object",
                         hint="pass the receipt `dos attest` wrote, or its DSSE envelope")


def _unwrap(document: dict[str, Any]) -> tuple[Any, str]:
    schema = document.get("schema")
    if isinstance(schema, dict) and schema.get("family") == "attest" and "receipt" in document:
        document = document["receipt"]  # the line `dos attest --json` printed
    form = "dsse" if isinstance(document, dict) and "payloadType" in document else "receipt"
    return document, form


def _plain(document: Any, keys: Sequence[VerifyingKey]) -> tuple[dict[str, Any], str]:
    from dos.truth.receipts.signing import pick_key, signature_matches

    check_receipt(document)
    key = pick_key(document, keys)
    if not signature_matches(document, key):
        raise InvalidReceiptError(f"the {_NOUNS[key.algorithm]} signature does NOT match the "
                             "canonical payload: a field was changed, or it was signed with "
                             "another key")
    return document, f"{_NOUNS[key.algorithm]} signature matches the canonical payload"


def _enveloped(document: Any, keys: Sequence[VerifyingKey]) -> tuple[dict[str, Any], str]:
    from dos.truth.receipts.dsse import open_envelope

    receipt, key = open_envelope(document, keys, parse_json)
    return receipt, f"DSSE Ed25519 signature by {key.key_id} matches the envelope"


def check_document(data: bytes, keys: Sequence[VerifyingKey]) -> ReceiptCheck:
    """Check the receipt in ``data`` with ``keys``; UsageError when ``data`` is no JSON
    object at all (nothing to judge), a ReceiptCheck otherwise."""
    _top(data)
    form = "receipt"
    try:
        document, form = _unwrap(parse_json(data))
        receipt, how = (_enveloped if form == "dsse" else _plain)(document, keys)
        finding = check_consistent(receipt)
    except InvalidReceiptError as invalid:
        return ReceiptCheck(False, invalid.reason, form)
    reason = (f"{how} (verdict {receipt['verdict']}, tier "
              f"{receipt['accountability_tier'] or 'none'})")
    return ReceiptCheck(True, reason, form, receipt, finding)
