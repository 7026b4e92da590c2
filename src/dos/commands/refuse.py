"""dos refuse TOKEN: is TOKEN a refusal reason in this workspace's vocabulary?"""

from __future__ import annotations

import argparse

from dos.api.vocabulary import ReasonCheck
from dos.errors import UsageError
from dos.render import emit, paint

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


def _text(check: ReasonCheck, color: bool) -> str:
    spec, key = check.spec, check.token
    if spec is None:
        return (f"{paint('UNCLASSIFIED', 'bold', 'red', enabled=color)}: '{key}' is not in this "
                f"workspace's reason vocabulary (category by morphology: {check.category}); "
                f"declare it as [reasons.{key}] in dos.toml, or use a known token "
                "(`dos man wedge`)")
    if spec.refusal:
        return (f"{paint('REFUSAL', 'bold', enabled=color)}: {spec.token} ({spec.category}) — "
                f"{spec.summary or 'a known refusal'}")
    return (f"{paint('ADVISORY', 'bold', 'yellow', enabled=color)}: {spec.token} "
            f"({spec.category}) is known but advisory only (refusal = false)")


def run(*, token: str, workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import vocabulary as api
    from dos.workspace import load_config

    if not token.strip():
        raise UsageError("the reason token is empty", hint="pass a token, e.g. UNKNOWN_LANE")
    check = api.check_reason(load_config(workspace, driver), token)
    emit(api.check_reason_json(check), output=output, text=lambda color: _text(check, color))
    return check.verdict.exit_code
