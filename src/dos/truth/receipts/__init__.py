"""Signed receipts: a verdict someone who does not trust the loop can check alone.

``schema`` (the exact fields, pure) and ``witness`` (what a witness's facts mean, pure);
``keys`` and ``keyfiles`` (HMAC secrets and Ed25519 keys, one newline rule);
``signing`` (RFC 8785 canonical payload); ``dsse`` (in-toto Statement in a DSSE
envelope); ``verify`` (the whole check); ``acceptance`` and ``snapshots`` (witnesses
that read the world). The signing libraries are the ``attest`` extra.
"""

from __future__ import annotations

from dos.errors import UsageError

__all__ = ["require_extra"]

INSTALL = "python3 -m pip install 'dispatch-os[attest]'"


def require_extra() -> None:
    """UsageError naming the pip command when ``cryptography`` or ``rfc8785`` is missing."""
    for module in ("cryptography", "rfc8785"):
        try:
            __import__(module)
        except ImportError:
            raise UsageError(f"signed receipts need the '{module}' package, which is not "
                             "installed", hint=f"install the attest extra: {INSTALL}") from None
