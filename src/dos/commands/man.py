"""dos man {wedge,lane} [ID]: what a refusal reason or a lane means in this workspace."""

from __future__ import annotations

import argparse
import sys

from dos.api.vocabulary import LaneInfo
from dos.config import SubstrateConfig
from dos.render import emit, emit_json
from dos.settings.reasons import ReasonSpec
from dos.verdicts.manual import ManToken


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Read the reason vocabulary and the lane taxonomy of this workspace."
    topics = parser.add_subparsers(dest="topic", required=True, metavar="{wedge,lane}")
    wedge = topics.add_parser("wedge", help="refusal reasons: all, or one by token",
                              description="Without ID: every reason and its category. "
                              "With ID: the reason's category, whether it refuses, its fix. "
                              "Exit 1 when ID is not in the vocabulary.")
    wedge.add_argument("ident", metavar="ID", nargs="?", default=None,
                       help="a reason token, e.g. SELF_MODIFY")
    wedge.add_argument("--explain", action="store_true",
                       help="add a line saying what the reason means for a caller")
    lane = topics.add_parser("lane", help="lanes: all, or one by name or alias",
                             description="Without ID: every lane and its kind. With ID: "
                             "its kind, exclusivity and tree. Exit 1 for an unknown lane.")
    lane.add_argument("ident", metavar="ID", nargs="?", default=None,
                      help="a lane name or alias")


def run(*, topic: str, ident: str | None, workspace: str | None, driver: str | None,
        output: str, explain: bool = False) -> int:
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    if topic == "wedge":
        return _wedge(config, ident, output, explain)
    return _lane(config, ident, output)


def _wedge(config: SubstrateConfig, token: str | None, output: str, explain: bool) -> int:
    from dos.api import vocabulary as api

    if token is None:
        specs = api.reasons(config)
        emit(api.reasons_json(specs), output=output, text=lambda _color: "\n".join(
            f"{spec.token:<42}{spec.category}" for spec in specs))
        return ManToken.FOUND.exit_code
    spec = api.reason(config, token)
    if spec is None:
        key = token.strip().upper()
        if output == "json":
            emit_json(api.unknown_reason_json(config, token))
        print(f"UNCLASSIFIED — '{key}' is not in the active reason registry (this is drift; "
              f"declare it as [reasons.{key}] in dos.toml, don't tolerate it).", file=sys.stderr)
        return ManToken.UNKNOWN.exit_code
    emit(api.reason_json(spec), output=output,
         text=lambda _color: "\n".join(_reason_lines(spec, explain)))
    return ManToken.FOUND.exit_code


def _reason_lines(spec: ReasonSpec, explain: bool) -> list[str]:
    from dos.api.vocabulary import DEFAULT_SEE_ALSO

    lines = [f"{'NAME':<12}{spec.token}", f"{'CATEGORY':<12}{spec.category}",
             f"{'REFUSAL?':<12}" + ("yes — the work is refused; take the fix" if spec.refusal
                                    else "no — advisory only")]
    if spec.summary:
        lines.append(f"{'SUMMARY':<12}{spec.summary}")
    if spec.fix:
        lines.append(f"{'TYPICAL FIX':<12}{spec.fix}")
    lines.append(f"{'SEE ALSO':<12}" + "   ·   ".join(spec.see_also or DEFAULT_SEE_ALSO))
    if explain:
        lines.append("VALID reason — " + (
            "a refusal: the caller stops and takes the fix above. Safe to emit; dos can "
            "check the condition it names." if spec.refusal else
            "advisory only (not a refusal). Report it; it does not stop work."))
    return lines


def _lane(config: SubstrateConfig, ident: str | None, output: str) -> int:
    from dos.api import vocabulary as api

    if ident is None:
        found = api.lanes(config)
        emit([api.lane_json(info) for info in found], output=output,
             text=lambda _color: "\n".join(f"{info.name:<16}{info.kind}" for info in found))
        return ManToken.FOUND.exit_code
    info = api.lane(config, ident)
    if info is None:
        known = ", ".join(sorted(config.lanes.declared())) or "(none)"
        emit(api.unknown_lane_json(config, ident), output=output, text=lambda _color: (
            f"UNKNOWN_LANE — '{ident.strip()}' is not a lane in this workspace; arbitrate "
            f"refuses it. Known lanes: {known}."))
        return ManToken.UNKNOWN.exit_code
    emit(api.lane_json(info), output=output, text=lambda _color: "\n".join(_lane_lines(info)))
    return ManToken.FOUND.exit_code


def _lane_lines(info: LaneInfo) -> list[str]:
    exclusivity = {"exclusive": "runs alone",
                   "concurrent": "concurrent-safe if tree-disjoint",
                   "named": "not declared concurrent or exclusive — arbitrate refuses it "
                            "(UNKNOWN_LANE)"}[info.kind]
    lines = [f"{'NAME':<12}{info.name}", f"{'KIND':<12}{info.kind}",
             f"{'EXCLUSIVITY':<12}{exclusivity}",
             f"{'TREE':<12}" + (", ".join(info.tree) or "(none declared)")]
    if info.aliases:
        lines.append(f"{'ALIASES':<12}{', '.join(info.aliases)}")
    if info.routed_from:
        lines.append(f"{'ROUTED FROM':<12}{info.routed_from}")
    return lines
