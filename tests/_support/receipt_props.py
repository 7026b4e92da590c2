"""Hypothesis strategies for signed receipts: well-formed receipts with random claims and
witness facts (each kind of witness, each derived field following from it), signed with
a random HMAC secret or Ed25519 key; and the ways to change one (a byte, a field moved
into another, a changed JSON type, an added field), each of which must not verify."""

from __future__ import annotations

import copy
import datetime
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import strategies as st

from dos.api.attest import verify_receipt
from dos.errors import UsageError
from dos.render import dumps
from dos.truth.receipts.keys import Ed25519Signer, HmacKey, SigningKey, VerifyingKey
from dos.truth.receipts.schema import SCHEMA
from dos.truth.receipts.signing import sign_receipt
from dos.truth.receipts.witness import SNAPSHOT_FINDINGS, classify
from dos.truth.ship_verdict import GRADES

Path = tuple[str | int, ...]

_HEX = "0123456789abcdef"
# Text a receipt carries: any Unicode but lone surrogates, with what a naive canonical
# form would trip on (line breaks, `key=`, quotes, escapes, controls) made likely.
_TRICKY = st.sampled_from(["\n", "=", '"', "\\", "\x00", "\x1f", "\u2028", "é", "\U0001f600",
                           ":", " ", "narrated=", "\nclaim="])
_PIECES = st.one_of(st.characters(exclude_categories=("Cs",)), _TRICKY)


def texts(min_size: int = 0, max_size: int = 24) -> st.SearchStrategy[str]:
    return st.lists(_PIECES, min_size=min_size, max_size=max_size).map("".join)


def _hex(*sizes: int) -> st.SearchStrategy[str]:
    return st.one_of(*(st.text(_HEX, min_size=size, max_size=size) for size in sizes))


_COMMITS = st.one_of(st.just(""), _hex(40, 64))
_SNAPSHOTS = st.fixed_dictionaries({"path": texts(1), "sha256": st.one_of(st.just(""), _hex(64))})
_WITNESSES = st.one_of(
    st.fixed_dictionaries({
        "kind": st.just("accept_cmd"), "argv": st.lists(texts(), min_size=1, max_size=4),
        "shell": st.booleans(), "timeout_s": st.integers(1, 86_400),
        "exit_code": st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
        "timed_out": st.booleans(), "output_sha256": _hex(64),
        "output_bytes": st.integers(0, 2**53 - 1), "output_truncated": st.booleans(),
        "commit": _COMMITS, "worktree_clean": st.one_of(st.none(), st.booleans()),
        "head_moved": st.booleans()}),
    st.fixed_dictionaries({
        "kind": st.just("state_diff"), "before": _SNAPSHOTS, "after": _SNAPSHOTS,
        "third_party": st.booleans(), "finding": st.sampled_from(SNAPSHOT_FINDINGS)}),
    st.fixed_dictionaries({
        "kind": st.just("verify"), "plan": texts(1), "phase": texts(1), "ref": texts(1),
        "shipped": st.booleans(), "grade": st.sampled_from(GRADES), "source": texts(),
        "sha": _COMMITS, "commit": _COMMITS}),
)
_TIMESTAMPS = st.datetimes(min_value=datetime.datetime(1, 1, 1),
                           max_value=datetime.datetime(9999, 12, 31, 23, 59, 59)).map(
    lambda moment: f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z")
# HMAC secrets a key file can hold as they are (no trailing line ending to strip).
_SECRETS = st.text(string.ascii_letters + string.digits, min_size=16, max_size=48).map(
    lambda text: HmacKey(text.encode()))
_ED25519 = st.binary(min_size=32, max_size=32).map(
    lambda seed: Ed25519Signer(Ed25519PrivateKey.from_private_bytes(seed)))


def outcome(data: bytes, *keys: VerifyingKey) -> str:
    """`dos verify-receipt`'s answer in process: VALID, INVALID, or CONTRACT (exit 2: no
    JSON object to judge at all)."""
    try:
        return verify_receipt(data, keys).token.value
    except UsageError:
        return "CONTRACT"


def written(document: object) -> bytes:
    """The bytes `dos attest --out` writes."""
    return (dumps(document) + "\n").encode()


# Replacement bytes a forger would try first: JSON's structure, digits, literals' letters.
_BYTES = st.one_of(st.integers(0, 255), st.sampled_from(b' \t\n\r"\\{}[],:-+.0159aefntrAEF'))


@st.composite
def one_byte_changed(draw: st.DrawFn, original: bytes) -> tuple[bytes, int, int]:
    """``original`` with one byte replaced: (the bytes, the index, the new byte)."""
    index = draw(st.integers(0, len(original) - 1), label="index")
    byte = draw(_BYTES.filter(lambda new: new != original[index]), label="byte")
    return original[:index] + bytes([byte]) + original[index + 1:], index, byte


def verifier(key: SigningKey) -> VerifyingKey:
    """What checks ``key``'s signatures: the secret itself, or the public key."""
    return key.verifier() if isinstance(key, Ed25519Signer) else key


def unsigned_receipt(claim: str, narrated: str, witness: dict[str, Any], timestamp: str,
                     key: SigningKey) -> dict[str, Any]:
    """The receipt's fields, the derived ones as its own witness gives them."""
    finding = classify(witness, claim)
    return {"schema": SCHEMA, "claim": claim, "narrated": narrated,
            "witness_surface": finding.surface, "witness_author": finding.author,
            "accountability_tier": finding.tier, "verdict": finding.verdict,
            "believe": finding.believe, "refuted": finding.refuted, "timestamp": timestamp,
            "algorithm": key.algorithm, "key_id": key.key_id, "witness": witness}


@dataclass(frozen=True)
class Signed:
    """A signed receipt and the key that signed it."""

    receipt: dict[str, Any]
    key: SigningKey

    @property
    def unsigned(self) -> dict[str, Any]:
        return {name: value for name, value in self.receipt.items() if name != "signature"}

    @property
    def verifier(self) -> VerifyingKey:
        return verifier(self.key)


@st.composite
def signed_receipts(draw: st.DrawFn, keys: st.SearchStrategy[SigningKey] | None = None
                    ) -> Signed:
    key = draw(keys if keys is not None else st.one_of(_SECRETS, _ED25519))
    unsigned = unsigned_receipt(draw(texts(1, 40)), draw(texts(0, 40)), draw(_WITNESSES),
                                draw(_TIMESTAMPS), key)
    return Signed(sign_receipt(unsigned, key), key)


def hmac_keys() -> st.SearchStrategy[SigningKey]:
    return _SECRETS


def ed25519_keys() -> st.SearchStrategy[SigningKey]:
    return _ED25519


# Any JSON value, small; its JSON type is what a type change changes.
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63),
              st.floats(allow_nan=False, allow_infinity=False), texts()),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(texts(), inner, max_size=3)),
    max_leaves=6)


def json_type(value: Any) -> str:
    """The JSON type of ``value``, integers and other numbers told apart (the receipt
    declares integers)."""
    for kind, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
                       (list, "array"), (dict, "object")):
        if isinstance(value, kind):
            return name
    return "null"


def paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every path below ``value`` (objects' fields and arrays' items, not the root)."""
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, list) else ())
    for step, inner in items:
        yield (*prefix, step)
        yield from paths(inner, (*prefix, step))


def get(document: Any, path: Path) -> Any:
    for step in path:
        document = document[step]
    return document


def with_value(document: Any, path: Path, value: Any) -> Any:
    """A deep copy of ``document`` with ``value`` at ``path``."""
    changed = copy.deepcopy(document)
    get(changed, path[:-1])[path[-1]] = copy.deepcopy(value)
    return changed


def objects(document: Any) -> list[Path]:
    """The paths of every JSON object in ``document``, the root first."""
    return [(), *(path for path in paths(document) if isinstance(get(document, path), dict))]



def _inside(outer: Path, inner: Path) -> bool:
    return inner[:len(outer)] == outer


@st.composite
def moved(draw: st.DrawFn, document: dict[str, Any]) -> Any:
    """``document`` with one field's value moved into another: copied over it, swapped
    with it, the tail of one text shifted onto the head of another (the reference's
    forgery across the claim/narrated boundary), or renamed into any object."""
    every = list(paths(document))
    source = draw(st.sampled_from(every), label="source")
    target = draw(st.sampled_from([path for path in every if not _inside(path, source)
                                   and not _inside(source, path)]), label="target")
    value, other = get(document, source), get(document, target)
    move = draw(st.sampled_from(["copy", "swap", "shift", "rename"]), label="move")
    if move == "copy":
        return with_value(document, target, value)
    if move == "swap":
        return with_value(with_value(document, target, value), source, other)
    if move == "shift" and isinstance(value, str) and isinstance(other, str):
        cut = draw(st.integers(0, len(value)), label="cut")
        return with_value(with_value(document, source, value[:cut]), target,
                          value[cut:] + other)
    parent = draw(st.sampled_from(objects(document)), label="into")
    name = draw(texts().filter(lambda text: text not in get(document, parent)), label="as")
    changed = with_value(document, (*parent, name), value)
    get(changed, source[:-1]).pop(source[-1])
    return changed


def _lookalikes(value: Any) -> list[Any]:
    """Values of another JSON type that a loose reader takes for ``value``."""
    if isinstance(value, bool):
        return [int(value), str(value).lower(), "yes" if value else ""]
    if isinstance(value, int):
        return [float(value), str(value), value != 0] if abs(value) < 2**53 else [str(value)]
    if isinstance(value, str):
        return [[value], int(value)] if value.isdecimal() and value.isascii() else [[value]]
    if value is None:
        return [False, 0, "", "null"]
    return [list(value.values()) if isinstance(value, dict) else dict(enumerate(value))]


def _retyped_at(draw: st.DrawFn, document: dict[str, Any], path: Path) -> Any:
    value = get(document, path)
    kind = json_type(value)
    other = draw(st.one_of(st.sampled_from(_lookalikes(value)),
                           JSON_VALUES.filter(lambda new: json_type(new) != kind)),
                 label=f"at {path}")
    assert json_type(other) != kind, (value, other)
    return with_value(document, path, other)


@st.composite
def retyped(draw: st.DrawFn, document: dict[str, Any]) -> Any:
    """``document`` with one value (a field, an item, an object) of another JSON type."""
    return _retyped_at(draw, document, draw(st.sampled_from(list(paths(document)))))


@st.composite
def retyped_everywhere(draw: st.DrawFn, document: dict[str, Any]) -> list[Any]:
    """One changed ``document`` per value in it, that value of another JSON type (an
    integer as a float of the same value is the change only the schema can refuse: RFC 8785
    writes both alike)."""
    return [_retyped_at(draw, document, path) for path in paths(document)]


@st.composite
def added(draw: st.DrawFn, document: dict[str, Any]) -> Any:
    """``document`` with a field more in one of its objects, or an item more in a list."""
    holders = objects(document) + [path for path in paths(document)
                                   if isinstance(get(document, path), list)]
    holder = draw(st.sampled_from(holders), label="holder")
    value = draw(JSON_VALUES, label="value")
    inner = get(document, holder)
    if isinstance(inner, list):
        index = draw(st.integers(0, len(inner)), label="at")
        return with_value(document, holder, [*inner[:index], value, *inner[index:]])
    name = draw(texts().filter(lambda text: text not in inner), label="name")
    return with_value(document, (*holder, name), value)
