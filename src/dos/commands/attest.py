"""dos attest: sign what a witness saw about a claim, as a receipt anyone can check alone."""

from __future__ import annotations

import argparse
from pathlib import Path

from dos.api import attest as api
from dos.commands._args import count
from dos.commands._receipt_text import bound_line, shown, verdict_line
from dos.errors import UsageError
from dos.render import emit
from dos.user_paths import expand_user

_EPILOG = """\
witnesses (exactly one):
  --accept-cmd CMD     run CMD as an argument list (no shell; --shell runs /bin/sh -c CMD
                       and says so in the receipt) in the workspace, with no input and a
                       time limit; exit 0 CONFIRMED, else REFUTED. The receipt binds the
                       command, its exit code, the commit it ran at, whether the tree was
                       clean, and the sha256 of its output (never the output itself).
  --before B --after A two JSON object snapshots: the claim key added or changed is
                       CONFIRMED, absent or unchanged REFUTED, an unreadable snapshot
                       UNWITNESSED. Both files' sha256 go into the receipt.
  --verify PLAN PHASE  the truth oracle (`dos verify`): shipped is CONFIRMED, else REFUTED;
                       the evidence grade and the commit go into the receipt.

keys: --key-file holds a raw HMAC secret (16 bytes or more) or an Ed25519 private key
in PEM; its kind picks the algorithm. Without --key-file, $DOS_ATTEST_KEY. Trailing
line endings (CR, LF) of a key file or of $DOS_ATTEST_KEY are not part of the key.

examples:
  dos attest keygen --out keys/ci          writes keys/ci.key (0600) and keys/ci.pub
  dos attest --claim tests:green --accept-cmd 'pytest -q' --key-file keys/ci.key \\
      --out receipt.json
  dos attest --claim AUTH1 --verify AUTH AUTH1 --key-file keys/ci.key --format dsse \\
      --out auth1.dsse.json                an in-toto Statement in a DSSE envelope
  dos attest --claim deploy:prod --before s0.json --after s1.json --json | \\
      dos verify-receipt --key-file keys/ci.pub

exit codes: 0 CONFIRMED, 1 REFUTED, 3 UNWITNESSED, 2 usage error (no key, no witness or
two, a command that cannot start); `dos attest keygen`: 0 written, 2 usage error
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--claim", metavar="KEY", help="what is claimed, e.g. tests:green "
                        "(with --verify: defaults to 'PLAN PHASE')")
    parser.add_argument("--narrated", default="", metavar="TEXT",
                        help="the agent's own words, kept beside the verdict")
    parser.add_argument("--accept-cmd", metavar="CMD", help="the command that witnesses it")
    parser.add_argument("--shell", action="store_true",
                        help="run --accept-cmd through /bin/sh -c (recorded in the receipt)")
    parser.add_argument("--timeout", type=count(1, 86_400), metavar="SECONDS",
                        help="stop --accept-cmd after this long: UNWITNESSED (default 600)")
    parser.add_argument("--before", metavar="PATH", help="the JSON snapshot before")
    parser.add_argument("--after", metavar="PATH", help="the JSON snapshot after")
    parser.add_argument("--third-party", action="store_true",
                        help="the snapshots come from a third party (tier THIRD_PARTY)")
    parser.add_argument("--verify", nargs=2, metavar=("PLAN", "PHASE"),
                        help="witness with the truth oracle's verdict on PLAN PHASE")
    parser.add_argument("--ref", default="HEAD", help="with --verify: the history to search")
    parser.add_argument("--key-file", metavar="PATH",
                        help="HMAC secret or PEM Ed25519 private key (default $DOS_ATTEST_KEY)")
    parser.add_argument("--timestamp", metavar="RFC3339", help="the time to sign (default now)")
    parser.add_argument("--format", dest="form", choices=api.FORMS, default="receipt",
                        help="receipt (default) or dsse: an in-toto Statement in a DSSE "
                             "envelope (needs an Ed25519 key)")
    parser.add_argument("--out", metavar="PATH", help="also write the receipt (or envelope) "
                        "to PATH inside the workspace")
    actions = parser.add_subparsers(dest="action", metavar="{keygen}")
    keygen = actions.add_parser("keygen", help="write a new Ed25519 key pair", epilog=(
        "examples:\n  dos attest keygen --out keys/ci          keys/ci.key and keys/ci.pub\n"
        "  dos --workspace ~/.dos-keys attest keygen --out ci   keys kept outside the repo\n\n"
        "PREFIX is inside the workspace; an existing file is never replaced.\n"
        "exit codes: 0 written, 2 usage error"))
    keygen.add_argument("--out", required=True, metavar="PREFIX",
                        help="writes PREFIX.key (private, 0600) and PREFIX.pub; never replaces")
    parser.epilog = _EPILOG


def _witness(*, accept_cmd: str | None, shell: bool, timeout: int | None, before: str | None,
             after: str | None, third_party: bool, verify: list[str] | None,
             ref: str) -> api.WitnessSpec:
    given = [name for name, value in (("--accept-cmd", accept_cmd), ("--before/--after",
             before or after), ("--verify", verify)) if value]
    if len(given) != 1:
        raise UsageError("give exactly one witness: " + (" and ".join(given) + " were given"
                                                         if given else "none was given"),
                         hint="--accept-cmd CMD, --before B --after A, or --verify PLAN PHASE")
    if (shell or timeout is not None) and not accept_cmd:
        raise UsageError("--shell and --timeout go with --accept-cmd", hint="see --help")
    if accept_cmd:
        return api.AcceptCommand(accept_cmd, shell, 600 if timeout is None else timeout)
    if verify:
        return api.ShipCheck(verify[0], verify[1], ref)
    if not (before and after):
        raise UsageError("--before and --after go together",
                         hint="pass both snapshots: --before B --after A")
    return api.SnapshotPair(before, after, third_party)


def _text(attestation: api.Attestation, written: Path | None) -> str:
    receipt, finding = attestation.receipt, attestation.finding
    if attestation.form == "dsse":
        signature = attestation.artifact["signatures"][0]["sig"]
    else:
        signature = receipt["signature"]
    lines = [f"VERDICT   {verdict_line(receipt)}",
             f"CLAIM     {shown(receipt['claim'])}",
             f"WITNESS   {receipt['witness_author']} ({receipt['accountability_tier'] or 'none'})"
             f" over {shown(receipt['witness_surface'])}",
             f"BOUND     {bound_line(receipt['witness'])}",
             f"ALGORITHM {receipt['algorithm']}   KEY {receipt['key_id']}",
             f"TIMESTAMP {receipt['timestamp']}",
             f"SIGNATURE {signature[:16]}\u2026" + ("   (DSSE envelope)"
                                                   if attestation.form == "dsse" else ""),
             f"REASON    {finding.verdict} \u2014 {shown(finding.reason)}"]
    if written is not None:
        lines.append(f"WROTE     {written}")
    return "\n".join(lines)


def _target(root: Path, out: str) -> Path:
    target = (root / out).resolve()
    if not out.strip() or not target.is_relative_to(root.resolve()) or target.is_dir():
        raise UsageError(f"--out {out!r} is not a file path inside the workspace {root}",
                         hint="name a file inside the workspace, e.g. --out receipt.json")
    if not target.parent.is_dir():
        raise UsageError(f"the directory {target.parent} does not exist", hint="create it first")
    return target


def _write(target: Path, artifact: dict[str, object]) -> Path:
    import os
    import tempfile

    from dos.render import dumps

    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".receipt-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(dumps(artifact) + "\n")
    Path(temporary).replace(target)  # whole or not at all
    return target


def _keygen(out: str, workspace: str | None, output: str) -> int:
    from dos.config import resolve_workspace_root

    pair = api.keygen(resolve_workspace_root(workspace), out)
    emit(api.keygen_json(pair), output=output, text=lambda _color: (
        f"wrote {pair.private} (private, 0600: keep it secret and out of version control)\n"
        f"wrote {pair.public} (public: give it to verifiers)\nKEY ID {pair.key_id}"))
    return 0


def run(*, action: str | None, claim: str | None, narrated: str, accept_cmd: str | None,
        shell: bool, timeout: int | None, before: str | None, after: str | None, third_party: bool,
        verify: list[str] | None, ref: str, key_file: str | None, timestamp: str | None,
        form: str, out: str | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    if action == "keygen":
        if claim or accept_cmd or before or after or verify or key_file:
            raise UsageError("keygen takes only --out PREFIX", hint="dos attest keygen --out ci")
        return _keygen(out or "", workspace, output)
    spec = _witness(accept_cmd=accept_cmd, shell=shell, timeout=timeout, before=before,
                    after=after, third_party=third_party, verify=verify, ref=ref)
    if claim is None and isinstance(spec, api.ShipCheck):
        claim = f"{spec.plan} {spec.phase}"
    if claim is None:
        raise UsageError("--claim is required", hint="name what is claimed, e.g. "
                                                     "--claim tests:green")
    from dos.workspace import load_config

    base = expand_user(workspace, what="--workspace") if workspace else None
    key = api.signing_key(key_file, base=base)  # before the witness runs: no key, no run
    config = load_config(workspace, driver)
    target = _target(config.root, out) if out is not None else None
    attestation = api.attest(config, claim=claim, narrated=narrated, witness=spec, key=key,
                             timestamp=timestamp, form=form)
    written = _write(target, attestation.artifact) if target is not None else None
    emit(api.attest_json(attestation), output=output,
         text=lambda _color: _text(attestation, written))
    return attestation.token.exit_code
