"""Sign a receipt and check a signature over its canonical payload: the receipt minus
``signature`` in RFC 8785 (JSON Canonicalization Scheme) form, UTF-8."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dos.truth.receipts.keys import SigningKey, VerifyingKey
from dos.truth.receipts.schema import InvalidReceiptError, check_receipt

__all__ = ["canonical", "pick_key", "sign_receipt", "signature_matches"]

_KINDS = {"HMAC-SHA256": "an HMAC secret", "ED25519": "an Ed25519 public key"}


def canonical(document: Mapping[str, Any]) -> bytes:
    """``document`` as RFC 8785 canonical JSON."""
    import rfc8785

    return rfc8785.dumps(dict(document))


def sign_receipt(unsigned: Mapping[str, Any], key: SigningKey) -> dict[str, Any]:
    """``unsigned`` with its ``signature``; it must already be a well-formed receipt."""
    check_receipt(unsigned, signed=False)
    return {**unsigned, "signature": key.sign(canonical(unsigned)).hex()}


def pick_key(receipt: Mapping[str, Any], keys: Sequence[VerifyingKey]) -> VerifyingKey:
    """The key the receipt names by ``key_id``; its kind, never the receipt's word, says
    which algorithm checks it. InvalidReceiptError when no key given fits."""
    algorithm, key_id = receipt["algorithm"], receipt["key_id"]
    named = [key for key in keys if key.key_id == key_id]
    if not named:
        if not any(key.algorithm == algorithm for key in keys):
            kinds = sorted({_KINDS[key.algorithm] for key in keys})
            raise InvalidReceiptError(f"the receipt says {algorithm}, but the key given is "
                                 f"{' and '.join(kinds)}: a receipt is checked only by the "
                                 "kind of key that signs it")
        given = ", ".join(sorted(key.key_id for key in keys))
        raise InvalidReceiptError(f"signed by key {key_id}, which is not among the keys given "
                             f"({given})")
    key = named[0]
    if key.algorithm != algorithm:
        raise InvalidReceiptError(f"the receipt says {algorithm}, but key {key_id} is "
                             f"{_KINDS[key.algorithm]}")
    return key


def signature_matches(receipt: Mapping[str, Any], key: VerifyingKey) -> bool:
    """Whether ``receipt['signature']`` is ``key``'s over the canonical payload."""
    unsigned = {name: value for name, value in receipt.items() if name != "signature"}
    return key.verify(canonical(unsigned), bytes.fromhex(receipt["signature"]))
