"""dos verify-receipt: is this receipt authentic? Checked alone, with only the key."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dos.api import attest as api
from dos.commands._receipt_text import bound_line, shown
from dos.errors import UsageError
from dos.render import emit
from dos.user_paths import expand_user

_EPILOG = """\
Reads a receipt from --receipt PATH or stdin: a plain receipt, a DSSE envelope
(`dos attest --format dsse`), or the line `dos attest --json` prints. It is VALID only
if it has exactly the receipt's fields with their exact JSON types, the key it names
is one you gave and of the kind its algorithm says (an HMAC secret for HMAC-SHA256, a
PEM public key for ED25519), the signature matches its RFC 8785 canonical form, and
its verdict follows from its own witness.

--key-file may be given more than once: the receipt's key id picks the key. Without
it, $DOS_ATTEST_KEY (an HMAC secret). Trailing line endings of a key are not part of it.

examples:
  dos verify-receipt --receipt receipt.json --key-file keys/ci.pub
  dos verify-receipt --receipt r.json --key-file keys/ci.pub --require-verdict CONFIRMED
  dos attest --claim c --accept-cmd true --json | dos verify-receipt   # secret in env

exit codes: 0 valid, 1 invalid (or, with --require-verdict, a valid receipt carrying
another verdict), 2 usage error (no receipt, not a JSON object, no key, a bad key file)
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--receipt", metavar="PATH",
                        help="the receipt (default: stdin); relative to --workspace if given")
    parser.add_argument("--key-file", action="append", default=[], metavar="PATH",
                        help="a shared secret or a PEM Ed25519 public key (repeatable)")
    parser.add_argument("--require-verdict", choices=("CONFIRMED", "REFUTED", "UNWITNESSED"),
                        metavar="VERDICT",
                        help="exit 1 unless the valid receipt carries this verdict (for CI)")
    parser.epilog = _EPILOG


def _read(receipt: str | None, base: Path | None) -> bytes:
    from dos.truth.receipts.keyfiles import read_regular_file
    from dos.truth.receipts.verify import MAX_RECEIPT_BYTES

    if receipt:
        path = expand_user(receipt, what="--receipt")
        path = base / path if base is not None and not path.is_absolute() else path
        return read_regular_file(path, limit=MAX_RECEIPT_BYTES, what="receipt")
    if sys.stdin is None or sys.stdin.isatty():
        return b""
    data = getattr(sys.stdin, "buffer", sys.stdin).read(MAX_RECEIPT_BYTES + 1)
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)


def _text(report: api.ReceiptReport) -> str:
    check, receipt = report.check, report.check.receipt
    if receipt is None:
        return f"INVALID   INVALID \u2014 {shown(check.reason, 400)}"
    tier = receipt["accountability_tier"] or "none"
    lines = [f"VALID     VALID \u2014 {check.reason}",
             f"CARRIES   {receipt['verdict']} (tier {tier})",
             f"CLAIM     {shown(receipt['claim'])}",
             f"WITNESS   {receipt['witness_author']} over {shown(receipt['witness_surface'])}",
             f"BOUND     {bound_line(receipt['witness'])}",
             f"SIGNED    {receipt['timestamp']} by {receipt['key_id']} ({check.form})"]
    if receipt["verdict"] == "REFUTED":
        lines.append("NOTE      authentic, and adverse: the witness refuted the claim")
    elif receipt["verdict"] == "UNWITNESSED":
        lines.append("NOTE      authentic, but the witness could not decide the claim")
    if report.token.value == "VERDICT_UNMET":
        lines.append(f"REQUIRED  {report.require_verdict}, but it carries "
                     f"{receipt['verdict']} (exit 1)")
    return "\n".join(lines)


def run(*, receipt: str | None, key_file: list[str], require_verdict: str | None,
        workspace: str | None, driver: str | None, output: str) -> int:
    del driver  # a receipt is checked alone: no workspace policy applies to it
    base = expand_user(workspace, what="--workspace") if workspace else None
    keys = api.verifying_keys(key_file, base=base)
    data = _read(receipt, base)
    if not data.strip():
        raise UsageError("no receipt", hint="pass --receipt PATH or a receipt JSON on stdin")
    report = api.verify_receipt(data, keys, require_verdict=require_verdict)
    emit(api.verify_receipt_json(report), output=output, text=lambda _color: _text(report))
    return report.token.exit_code
