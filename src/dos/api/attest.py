"""Signed receipts: ``dos attest`` mints one from a witness that reads the world,
``dos verify-receipt`` checks one alone, ``dos attest keygen`` makes an Ed25519 pair."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import with_schema
from dos.structs import struct
from dos.truth.receipts import require_extra
from dos.truth.receipts.gather import AcceptCommand, ShipCheck, SnapshotPair, WitnessSpec
from dos.truth.receipts.keyfiles import KeyPair
from dos.truth.receipts.keys import SigningKey, VerifyingKey
from dos.truth.receipts.verify import ReceiptCheck
from dos.truth.receipts.witness import Finding
from dos.user_paths import expand_user
from dos.verdicts.receipts import AttestToken, ReceiptToken

__all__ = ["FORMS", "AcceptCommand", "Attestation", "ReceiptReport", "ShipCheck",
           "SnapshotPair", "WitnessSpec", "attest", "attest_json", "keygen", "keygen_json",
           "signing_key", "verify_receipt", "verify_receipt_json", "verifying_keys"]

FORMS = ("receipt", "dsse")
_NO_KEY = ("pass --key-file PATH or set $DOS_ATTEST_KEY (dos refuses to emit an unsigned "
           "receipt)")


def _path(named: str, base: Path | None) -> Path:
    path = expand_user(named, what="the path")
    return base / path if base is not None and not path.is_absolute() else path


def signing_key(key_file: str | None, *, base: Path | None = None) -> SigningKey:
    """The signer from ``key_file`` (relative to ``base``), else ``$DOS_ATTEST_KEY``."""
    require_extra()
    from dos.truth.receipts.keyfiles import env_key, read_key_file
    from dos.truth.receipts.keys import signing_key as parse

    if key_file:
        return parse(read_key_file(_path(key_file, base)), f"the key file {key_file}")
    raw = env_key()
    if raw is None:
        raise UsageError("no signing key", hint=_NO_KEY)
    return parse(raw, "$DOS_ATTEST_KEY")


def verifying_keys(key_files: Sequence[str], *, base: Path | None = None
                   ) -> list[VerifyingKey]:
    """The verifiers from ``key_files`` (secrets or PEM public keys), else the secret in
    ``$DOS_ATTEST_KEY``."""
    require_extra()
    from dos.truth.receipts.keyfiles import env_key, read_key_file
    from dos.truth.receipts.keys import verifying_key as parse

    if key_files:
        return [parse(read_key_file(_path(named, base)), f"the key file {named}")
                for named in key_files]
    raw = env_key()
    if raw is None:
        raise UsageError("no key to verify with",
                         hint="pass --key-file PATH (the shared secret, or PREFIX.pub) or "
                              "set $DOS_ATTEST_KEY")
    return [parse(raw, "$DOS_ATTEST_KEY")]


@struct
class Attestation:
    """A minted receipt: ``artifact`` is what is handed on (the signed receipt, or the
    DSSE envelope around the unsigned one)."""

    receipt: dict[str, Any]
    artifact: dict[str, Any]
    form: str
    finding: Finding

    @property
    def token(self) -> AttestToken:
        return next(token for token in AttestToken if token.value == self.finding.verdict)


def _timestamp(text: str | None) -> str:
    moment = datetime.datetime.now(datetime.UTC)
    if text is not None:
        try:
            moment = datetime.datetime.fromisoformat(text.strip())
            moment.astimezone(datetime.UTC)  # a far date may not fit once moved to UTC
        except (ValueError, OverflowError):
            moment = moment.replace(tzinfo=None)
        if moment.tzinfo is None:
            raise UsageError(f"--timestamp {text!r} is not an RFC 3339 time with a zone",
                             hint="e.g. --timestamp 2026-01-01T00:00:00Z")
    utc = moment.astimezone(datetime.UTC)
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
            f"{utc.second:02d}Z")


def _check_claim(claim: str, narrated: str) -> None:
    if not claim.strip() or len(claim) > 512:
        raise UsageError("--claim must name the claim in 1 to 512 characters",
                         hint="e.g. --claim tests:green")
    if len(narrated) > 16_384:
        raise UsageError("--narrated is longer than 16384 characters",
                         hint="quote the agent's claim, not its transcript")


def _oracle(spec: ShipCheck, config: SubstrateConfig) -> dict[str, Any]:
    from dos.api.truth import verify
    from dos.git.history import resolve_commit

    verdict = verify(config, plan=spec.plan, phase=spec.phase, ref=spec.ref)
    return {"kind": "verify", "plan": verdict.plan, "phase": verdict.phase, "ref": spec.ref,
            "shipped": verdict.shipped, "grade": verdict.grade, "source": verdict.source[:64],
            "sha": resolve_commit(config.root, verdict.sha) if verdict.sha else "",
            "commit": resolve_commit(config.root, spec.ref)}


def _unsigned(claim: str, narrated: str, witness: dict[str, Any], key: SigningKey,
              timestamp: str) -> tuple[dict[str, Any], Finding]:
    from dos.truth.receipts.schema import SCHEMA
    from dos.truth.receipts.witness import classify

    finding = classify(witness, claim)
    return {"schema": SCHEMA, "claim": claim, "narrated": narrated,
            "witness_surface": finding.surface, "witness_author": finding.author,
            "accountability_tier": finding.tier, "verdict": finding.verdict,
            "believe": finding.believe, "refuted": finding.refuted, "timestamp": timestamp,
            "algorithm": key.algorithm, "key_id": key.key_id, "witness": witness}, finding


def _dsse(unsigned: dict[str, Any], key: SigningKey, root: Path) -> dict[str, Any]:
    from dos.truth.receipts.dsse import envelope, statement
    from dos.truth.receipts.gather import repository_name, tree_state
    from dos.truth.receipts.keys import Ed25519Signer

    if not isinstance(key, Ed25519Signer):
        raise UsageError("--format dsse signs with an Ed25519 private key, and the key given "
                         "is an HMAC secret", hint="make a pair with `dos attest keygen --out "
                                                   "PREFIX` and pass --key-file PREFIX.key")
    commit = unsigned["witness"].get("commit") or tree_state(root)[0]
    if not commit:
        raise UsageError(f"--format dsse names the repository at a commit, and {root} has none",
                         hint="run it in a git repository with at least one commit")
    return envelope(statement(unsigned, name=repository_name(root), commit=commit), key)


def attest(config: SubstrateConfig, *, claim: str, narrated: str, witness: WitnessSpec,
           key: SigningKey, timestamp: str | None = None, form: str = "receipt"
           ) -> Attestation:
    """Read the world through ``witness``, then sign what it saw about ``claim``."""
    from dos.truth.receipts.gather import gather
    from dos.truth.receipts.schema import check_receipt
    from dos.truth.receipts.signing import sign_receipt

    _check_claim(claim, narrated)
    if form not in FORMS:
        raise UsageError(f"unknown --format {form!r}", hint="one of " + ", ".join(FORMS))
    stamp = _timestamp(timestamp)
    facts = (_oracle(witness, config) if isinstance(witness, ShipCheck)
             else gather(witness, config.root, claim))
    unsigned, finding = _unsigned(claim, narrated, facts, key, stamp)
    check_receipt(unsigned, signed=False)  # never sign what a verifier would refuse
    if form == "dsse":
        return Attestation(unsigned, _dsse(unsigned, key, config.root), form, finding)
    signed = sign_receipt(unsigned, key)
    return Attestation(signed, signed, form, finding)


def attest_json(attestation: Attestation) -> dict[str, Any]:
    """``dos attest --json``: the artifact under ``receipt``, the verdict and its reason."""
    payload = {"receipt": attestation.artifact, "format": attestation.form,
               "verdict": attestation.finding.verdict, "reason": attestation.finding.reason}
    return with_schema(payload, "attest")  # type: ignore[no-any-return]


def keygen(root: Path, out: str) -> KeyPair:
    """A new Ed25519 pair at OUT.key / OUT.pub, inside the workspace ``root``."""
    require_extra()
    from dos.truth.receipts.keyfiles import write_keypair

    if not out.strip():
        raise UsageError("--out PREFIX is empty", hint="e.g. --out keys/ci")
    prefix = (root / Path(out)).resolve()
    if not prefix.is_relative_to(root.resolve()) or prefix == root.resolve():
        raise UsageError(f"--out {out!r} is outside the workspace {root}",
                         hint="name a prefix inside the workspace, or pass --workspace DIR "
                              "for the directory that keeps your keys")
    if not prefix.parent.is_dir():
        raise UsageError(f"the directory {prefix.parent} does not exist",
                         hint="create it first (keep the private key out of version control)")
    return write_keypair(prefix)


def keygen_json(pair: KeyPair) -> dict[str, Any]:
    payload = {"private_key": str(pair.private), "public_key": str(pair.public),
               "key_id": pair.key_id, "algorithm": "ED25519"}
    return with_schema(payload, "attest")  # type: ignore[no-any-return]


@struct
class ReceiptReport:
    """A receipt's check, and the verdict a caller required of it."""

    check: ReceiptCheck
    require_verdict: str | None = None

    @property
    def token(self) -> ReceiptToken:
        if not self.check.valid or self.check.receipt is None:
            return ReceiptToken.INVALID
        if self.require_verdict and self.check.receipt["verdict"] != self.require_verdict:
            return ReceiptToken.VERDICT_UNMET
        return ReceiptToken.VALID


def verify_receipt(data: bytes, keys: Sequence[VerifyingKey], *,
                   require_verdict: str | None = None) -> ReceiptReport:
    """Is the receipt (or DSSE envelope) in ``data`` authentic under ``keys``?"""
    from dos.truth.receipts.schema import VERDICTS
    from dos.truth.receipts.verify import check_document

    if require_verdict is not None and require_verdict not in VERDICTS:
        raise UsageError(f"unknown verdict {require_verdict!r}",
                         hint="--require-verdict is one of " + ", ".join(VERDICTS))
    return ReceiptReport(check_document(data, keys), require_verdict)


def verify_receipt_json(report: ReceiptReport) -> dict[str, Any]:
    receipt = report.check.receipt
    verdict = receipt["verdict"] if receipt is not None else None
    payload = {"outcome": report.token.value, "valid": report.check.valid,
               "reason": report.check.reason, "form": report.check.form, "receipt": receipt,
               "verdict": verdict, "adverse": verdict == "REFUTED",
               "require_verdict": report.require_verdict}
    return with_schema(payload, "verify-receipt")  # type: ignore[no-any-return]
