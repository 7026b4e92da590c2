"""Keys: a raw HMAC secret or an Ed25519 key in PEM, told apart by the key's own bytes.

One rule for every key source: trailing line endings (CR and LF bytes) are removed and
every other byte is the key, so ``echo secret > key`` and ``DOS_ATTEST_KEY=secret`` are
the same key. A key never decides less than its kind: a receipt whose ``algorithm`` is
not the key's is refused by the caller, whatever else it says.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from dos.errors import UsageError
from dos.structs import field, struct
from dos.truth.receipts.schema import ED25519, HMAC

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = ["MIN_SECRET_BYTES", "Ed25519Signer", "Ed25519Verifier", "HmacKey", "SigningKey",
           "VerifyingKey", "key_bytes", "signing_key", "verifying_key"]

MIN_SECRET_BYTES = 16
_PEM = b"-----BEGIN "
_PRIVATE, _PUBLIC = b"-----BEGIN PRIVATE KEY-----", b"-----BEGIN PUBLIC KEY-----"
_KEYGEN_HINT = "make an Ed25519 pair with `dos attest keygen --out PREFIX`"


def key_bytes(raw: bytes) -> bytes:
    """The key in ``raw``: trailing CR and LF bytes removed, nothing else."""
    return raw.rstrip(b"\r\n")


@struct
class HmacKey:
    """A shared secret: whoever verifies can also sign."""

    secret: bytes = field(repr=False)
    algorithm: str = HMAC

    @property
    def key_id(self) -> str:
        # domain-separated, so the id is not a bare hash of the secret
        digest = hashlib.sha256(b"dos.attest/hmac-key-id\x00" + self.secret).hexdigest()
        return "hmac-sha256:" + digest[:32]

    def sign(self, payload: bytes) -> bytes:
        return hmac.new(self.secret, payload, hashlib.sha256).digest()

    def verify(self, payload: bytes, signature: bytes) -> bool:
        return hmac.compare_digest(self.sign(payload), signature)


def _ed25519_id(public: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:32]


@struct
class Ed25519Verifier:
    """An Ed25519 public key: it verifies and cannot sign."""

    public: Ed25519PublicKey
    algorithm: str = ED25519

    @property
    def key_id(self) -> str:
        return _ed25519_id(self.public)

    def verify(self, payload: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            self.public.verify(signature, payload)
        except InvalidSignature:
            return False
        return True


@struct
class Ed25519Signer:
    """An Ed25519 private key."""

    private: Ed25519PrivateKey = field(repr=False)
    algorithm: str = ED25519

    @property
    def key_id(self) -> str:
        return _ed25519_id(self.private.public_key())

    def sign(self, payload: bytes) -> bytes:
        return self.private.sign(payload)

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.private.public_key())


SigningKey = HmacKey | Ed25519Signer
VerifyingKey = HmacKey | Ed25519Verifier


def _secret(data: bytes, origin: str) -> HmacKey:
    if len(data) < MIN_SECRET_BYTES:
        raise UsageError(f"{origin} holds an HMAC secret of {len(data)} bytes, fewer than "
                         f"{MIN_SECRET_BYTES}", hint="use a longer secret (e.g. `openssl rand "
                         "-hex 32`), or " + _KEYGEN_HINT)
    return HmacKey(data)


def _pem_kind(data: bytes, origin: str) -> str:
    if data.startswith(_PRIVATE):
        return "private"
    if data.startswith(_PUBLIC):
        return "public"
    raise UsageError(f"{origin} is a PEM block dos does not read (it reads unencrypted PKCS#8 "
                     "'PRIVATE KEY' and 'PUBLIC KEY' blocks)", hint=_KEYGEN_HINT)


def _load_pem(data: bytes, origin: str, kind: str) -> object:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        if kind == "private":
            return serialization.load_pem_private_key(data, password=None)
        return serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise UsageError(f"{origin} is not a readable unencrypted PEM {kind} key",
                         hint=_KEYGEN_HINT) from None


def signing_key(raw: bytes, origin: str) -> SigningKey:
    """The key that signs: an HMAC secret or a PEM Ed25519 private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    data = key_bytes(raw)
    if not data.startswith(_PEM):
        return _secret(data, origin)
    if _pem_kind(data, origin) == "public":
        raise UsageError(f"{origin} is a public key, which cannot sign",
                         hint="sign with the private key (PREFIX.key); give PREFIX.pub to "
                              "verifiers")
    key = _load_pem(data, origin, "private")
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{origin} is not an Ed25519 key", hint=_KEYGEN_HINT)
    return Ed25519Signer(key)


def verifying_key(raw: bytes, origin: str) -> VerifyingKey:
    """The key that verifies: an HMAC secret or a PEM Ed25519 public key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    data = key_bytes(raw)
    if not data.startswith(_PEM):
        return _secret(data, origin)
    if _pem_kind(data, origin) == "private":
        raise UsageError(f"{origin} is a private key; a verifier needs only the public key",
                         hint="verify with PREFIX.pub and keep PREFIX.key with the signer")
    key = _load_pem(data, origin, "public")
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{origin} is not an Ed25519 key", hint=_KEYGEN_HINT)
    return Ed25519Verifier(key)
