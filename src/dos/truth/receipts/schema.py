"""The receipt's fields and their exact types, checked strictly: a boolean is a JSON
boolean, a count is an integer, an unknown or missing field is an error. Pure.

The signed payload is the receipt minus ``signature`` in RFC 8785 canonical JSON, so
no value can leak into a neighbouring field; this module decides what may be signed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from dos.truth.receipts.witness import SNAPSHOT_FINDINGS, Finding, classify
from dos.truth.ship_verdict import GRADES

__all__ = ["ALGORITHMS", "ED25519", "FIELDS", "HMAC", "SCHEMA", "VERDICTS", "InvalidReceiptError",
           "check_consistent", "check_receipt", "check_text"]

SCHEMA = "dos.attest/receipt@2"
HMAC, ED25519 = "HMAC-SHA256", "ED25519"
ALGORITHMS = (HMAC, ED25519)
VERDICTS = ("CONFIRMED", "REFUTED", "UNWITNESSED")
_TIERS = ("OS_RECORDED", "THIRD_PARTY", "AGENT_AUTHORED", "")
_AUTHORS = ("os_acceptance", "state_diff", "oracle")
_KEY_PREFIX = {HMAC: "hmac-sha256:", ED25519: "ed25519:"}
_SIGNATURE_HEX = {HMAC: 64, ED25519: 128}
MAX_ARGS, MAX_ARG = 128, 1024
# shlex.join quotes each argument: a single quote becomes five characters, plus two quotes
# and a space around each argument.
_MAX_SURFACE = MAX_ARGS * (5 * MAX_ARG + 3)

Spec = Callable[[Any, str], None]


class InvalidReceiptError(ValueError):
    """The receipt is not one dos could have signed; ``reason`` says where."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _need(condition: bool, reason: str) -> None:
    if not condition:
        raise InvalidReceiptError(reason)


def check_text(value: Any, where: str, limit: int) -> None:
    """``value`` is a string of at most ``limit`` characters that UTF-8 can carry."""
    _need(isinstance(value, str), f"{where} must be a JSON string")
    _need(len(value) <= limit, f"{where} is longer than {limit} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidReceiptError(f"{where} holds a lone surrogate, not UTF-8 text") from None


def _text(limit: int = 4096, *, empty: bool = True, pattern: str = "",
          choices: tuple[str, ...] = ()) -> Spec:
    shape = re.compile(pattern) if pattern else None

    def check(value: Any, where: str) -> None:
        check_text(value, where, limit)
        _need(empty or bool(value), f"{where} must not be empty")
        _need(not choices or value in choices, f"{where} must be one of {list(choices)}")
        _need(shape is None or bool(shape.fullmatch(value)), f"{where} is malformed")
    return check


def _boolean(value: Any, where: str) -> None:
    _need(isinstance(value, bool), f"{where} must be a JSON boolean")


def _integer(low: int, high: int, *, nullable: bool = False) -> Spec:
    def check(value: Any, where: str) -> None:
        if value is None and nullable:
            return
        _need(isinstance(value, int) and not isinstance(value, bool),
              f"{where} must be a JSON integer" + (" or null" if nullable else ""))
        _need(low <= value <= high, f"{where} is out of range")
    return check


def _optional_boolean(value: Any, where: str) -> None:
    _need(value is None or isinstance(value, bool), f"{where} must be a JSON boolean or null")


def _exact(value: Any, where: str, fields: Mapping[str, Spec]) -> None:
    _need(isinstance(value, dict), f"{where} must be a JSON object")
    missing = [name for name in fields if name not in value]
    unknown = sorted(name for name in value if name not in fields)
    _need(not unknown, f"{where} has unknown field(s) {unknown}")
    _need(not missing, f"{where} lacks field(s) {missing}")
    for name, spec in fields.items():
        spec(value[name], f"{where}.{name}" if where != "receipt" else name)


def _object(fields: Mapping[str, Spec]) -> Spec:
    return lambda value, where: _exact(value, where, fields)


def _argv(value: Any, where: str) -> None:
    _need(isinstance(value, list), f"{where} must be a JSON array")
    _need(1 <= len(value) <= MAX_ARGS, f"{where} must hold 1 to {MAX_ARGS} arguments")
    for index, item in enumerate(value):
        check_text(item, f"{where}[{index}]", MAX_ARG)


def _timestamp(value: Any, where: str) -> None:
    _text(20, pattern=r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")(value, where)
    try:
        datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise InvalidReceiptError(f"{where} is not a real UTC time") from None


_SHA256 = r"[0-9a-f]{64}"
_COMMIT = r"(|[0-9a-f]{40}|[0-9a-f]{64})"
_SNAPSHOT = _object({"path": _text(empty=False), "sha256": _text(pattern=f"(|{_SHA256})")})
_WITNESSES: dict[str, dict[str, Spec]] = {
    "accept_cmd": {
        "kind": _text(), "argv": _argv, "shell": _boolean, "timeout_s": _integer(1, 86_400),
        "exit_code": _integer(-(2**31), 2**31 - 1, nullable=True), "timed_out": _boolean,
        "output_sha256": _text(pattern=_SHA256), "output_bytes": _integer(0, 2**53 - 1),
        "output_truncated": _boolean, "commit": _text(pattern=_COMMIT),
        "worktree_clean": _optional_boolean, "head_moved": _boolean},
    "state_diff": {
        "kind": _text(), "before": _SNAPSHOT, "after": _SNAPSHOT, "third_party": _boolean,
        "finding": _text(choices=SNAPSHOT_FINDINGS)},
    "verify": {
        "kind": _text(), "plan": _text(256, empty=False), "phase": _text(256, empty=False),
        "ref": _text(1024, empty=False), "shipped": _boolean, "grade": _text(choices=GRADES),
        "source": _text(64), "sha": _text(pattern=_COMMIT), "commit": _text(pattern=_COMMIT)},
}


def _witness(value: Any, where: str) -> None:
    _need(isinstance(value, dict), f"{where} must be a JSON object")
    kind = value.get("kind")
    # a str first: an array or object is no dictionary key, and must be refused, not raise
    _need(isinstance(kind, str) and kind in _WITNESSES,
          f"{where}.kind must be one of {sorted(_WITNESSES)}")
    _exact(value, where, _WITNESSES[kind])


FIELDS: dict[str, Spec] = {
    "schema": _text(choices=(SCHEMA,)), "claim": _text(512, empty=False),
    "narrated": _text(16_384), "witness_surface": _text(_MAX_SURFACE),
    "witness_author": _text(choices=_AUTHORS), "accountability_tier": _text(choices=_TIERS),
    "verdict": _text(choices=VERDICTS), "believe": _boolean, "refuted": _boolean,
    "timestamp": _timestamp, "algorithm": _text(choices=ALGORITHMS),
    "key_id": _text(pattern=r"(hmac-sha256|ed25519):[0-9a-f]{32}"), "witness": _witness,
}


def _signature(value: Any, algorithm: str) -> None:
    digits = _SIGNATURE_HEX[algorithm]
    _text(digits, pattern=f"[0-9a-f]{{{digits}}}")(value, "signature")


def check_receipt(receipt: Any, *, signed: bool = True) -> None:
    """Raise InvalidReceiptError unless ``receipt`` has exactly the receipt's fields, each of
    its exact type (with ``signature`` when ``signed``)."""
    fields = {**FIELDS, "signature": lambda _value, _where: None} if signed else FIELDS
    _exact(receipt, "receipt", fields)
    algorithm = receipt["algorithm"]
    _need(receipt["key_id"].startswith(_KEY_PREFIX[algorithm]),
          f"key_id {receipt['key_id']!r} is not a {algorithm} key id")
    if signed:
        _signature(receipt["signature"], algorithm)


def check_consistent(receipt: Mapping[str, Any]) -> Finding:
    """The finding the receipt's own witness gives; InvalidReceiptError when a derived field
    (verdict, believe, refuted, author, tier, surface) says something else."""
    finding = classify(receipt["witness"], receipt["claim"])
    derived = {"verdict": finding.verdict, "believe": finding.believe,
               "refuted": finding.refuted, "witness_author": finding.author,
               "accountability_tier": finding.tier, "witness_surface": finding.surface}
    for name, value in derived.items():
        _need(receipt[name] == value,
              f"{name} does not follow from the witness (it records {value!r})")
    return finding
