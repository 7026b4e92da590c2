"""dos refuse TOKEN: is TOKEN a refusal reason in this workspace's vocabulary?"""

from __future__ import annotations

import argparse
from typing import Any

_EPILOG = """\
examples:
  dos refuse SELF_MODIFY         # exit 0: a known refusal
  dos refuse lane_parked --json  # a reason declared in dos.toml [reasons.LANE_PARKED]

Exit: 0 a known refusal, 1 unknown (drift) or advisory only, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Check a refusal reason token against the base vocabulary plus "
                          "the [reasons.*] tables of dos.toml (case-insensitive).")
    parser.epilog = _EPILOG
    parser.add_argument("token", help="the reason token, e.g. UNKNOWN_LANE")


def _check_token(token: str) -> None:
    from dos.errors import UsageError

    if not token.strip():
        raise UsageError("the reason token is empty", hint="pass a token, e.g. UNKNOWN_LANE")


def _lookup(config: Any, token: str) -> tuple[Any, Any, Any]:
    """(the registry, the reason or None, the verdict token)."""
    from dos.admission.reasons import registry
    from dos.verdicts.admission import RefuseToken

    _check_token(token)
    reasons = registry(config)
    spec = reasons.get(token)
    if spec is None:
        return reasons, None, RefuseToken.UNCLASSIFIED
    return reasons, spec, RefuseToken.REFUSAL if spec.refusal else RefuseToken.ADVISORY


def answer(config: Any, *, token: str) -> tuple[dict[str, Any], int]:
    """The ``--json`` answer and exit code (shared with the MCP server)."""
    reasons, spec, verdict = _lookup(config, token)
    return {
        "token": token.strip().upper(), "verdict": verdict.value, "known": spec is not None,
        "refusal": spec.refusal if spec else None, "category": reasons.category_for(token),
        "summary": spec.summary if spec else "", "fix": spec.fix if spec else "",
        "see_also": list(spec.see_also) if spec else [],
    }, verdict.exit_code


def run(*, token: str, workspace: str | None, driver: str | None, output: str,
        **_: object) -> int:
    from dos.render import emit_json
    from dos.workspace import load_config

    _check_token(token)
    config = load_config(workspace, driver)
    if output == "json":
        payload, code = answer(config, token=token)
        emit_json(payload)
        return code
    reasons, spec, verdict = _lookup(config, token)
    key = token.strip().upper()
    if spec is None:
        print(f"UNCLASSIFIED: '{key}' is not in this workspace's reason vocabulary "
              f"(category by morphology: {reasons.category_for(token)}); declare it as "
              f"[reasons.{key}] in dos.toml, or use a known token (`dos man wedge`)")
    elif spec.refusal:
        print(f"REFUSAL: {spec.token} ({spec.category}) — {spec.summary or 'a known refusal'}")
    else:
        print(f"ADVISORY: {spec.token} ({spec.category}) is known but advisory only "
              "(refusal = false)")
    exit_code: int = verdict.exit_code
    return exit_code
