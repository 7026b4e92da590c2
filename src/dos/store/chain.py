"""The hash chain's two primitives, light enough for the hook's start-up path.

``canonical_json`` spells a value one way (keys sorted, no whitespace, UTF-8 kept, no
NaN) and ``record_hash`` links a record to the one before it:
``sha256(prev_hash ‖ canonical-json(fields))``. The ops journal (:mod:`dos.store.journal`)
and the verdict journal (:mod:`dos.store.verdicts`) both chain with these.

The ``json`` package and ``hashlib`` (OpenSSL) cost a hook call more than its decision,
so the same C codec and the built-in SHA-256 are used directly; anything unexpected
falls back to the packages, which then answer (or raise) exactly as they always do.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["GENESIS_HASH", "canonical_json", "record_hash"]

GENESIS_HASH = "0" * 64


def _not_serializable(value: object) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


try:
    from _json import encode_basestring, make_encoder

    _CODEC = True
except ImportError:  # another interpreter: the package answers
    _CODEC = False
try:
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # an interpreter built without it
    from hashlib import sha256 as _sha256


def _standard(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def canonical_json(value: Any) -> str:
    """One spelling per value: keys sorted, no whitespace, UTF-8 kept, no NaN (ValueError)."""
    if not _CODEC or isinstance(value, str):
        return _standard(value)
    # the arguments json.dumps passes its C encoder for these options
    encode: Callable[[Any, int], Any] = make_encoder(
        {}, _not_serializable, encode_basestring, None, ":", ",", True, False, False)
    return "".join(encode(value, 0))


def record_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of a record whose predecessor's hash is ``prev_hash``."""
    digest = _sha256(prev_hash.encode("ascii"))
    digest.update(canonical_json(dict(fields)).encode("utf-8"))
    return str(digest.hexdigest())
