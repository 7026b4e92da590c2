"""dos man {wedge,lane} [ID]: what a refusal reason or a lane means in this workspace."""

from __future__ import annotations

import argparse
from typing import Any

_DEFAULT_SEE_ALSO = ("dos man wedge", "dos verify", "dos arbitrate")


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


def run(*, topic: str, ident: str | None, workspace: str | None,
        driver: str | None, output: str, explain: bool = False, **_: object) -> int:
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    if topic == "wedge":
        return _wedge(config, ident, output, explain)
    return _lane(config, ident, output)


def _wedge(config: Any, token: str | None, output: str, explain: bool) -> int:
    import sys

    from dos.admission.reasons import registry
    from dos.render import emit_json
    from dos.verdicts.admission import ManToken

    reasons = registry(config)
    if token is None:
        if output == "json":
            emit_json(wedge_list(config))
        else:
            print("\n".join(f"{spec.token:<42}{spec.category}" for spec in reasons))
        return ManToken.FOUND.exit_code
    spec = reasons.get(token)
    if spec is None:
        key = token.strip().upper()
        if output == "json":
            emit_json({"key": key, "known": False, "category": reasons.category_for(token)})
        print(f"UNCLASSIFIED — '{key}' is not in the active reason registry (this is drift; "
              f"declare it as [reasons.{key}] in dos.toml, don't tolerate it).", file=sys.stderr)
        return ManToken.UNKNOWN.exit_code
    if output == "json":
        emit_json(_reason_dict(spec))
    else:
        print("\n".join(_reason_lines(spec, explain)))
    return ManToken.FOUND.exit_code


def wedge_list(config: Any) -> list[dict[str, Any]]:
    """``dos man wedge --json``: every reason of the vocabulary (shared with the MCP server)."""
    from dos.admission.reasons import registry

    return [_reason_dict(spec) for spec in registry(config)]


def _reason_dict(spec: Any) -> dict[str, Any]:
    return {"key": spec.token, "category": spec.category, "refusal": spec.refusal,
            "summary": spec.summary, "fix": spec.fix, "section": "wedge",
            "see_also": list(spec.see_also or _DEFAULT_SEE_ALSO)}


def _reason_lines(spec: Any, explain: bool) -> list[str]:
    lines = [f"{'NAME':<12}{spec.token}", f"{'CATEGORY':<12}{spec.category}",
             f"{'REFUSAL?':<12}" + ("yes — the work is refused; take the fix" if spec.refusal
                                    else "no — advisory only")]
    if spec.summary:
        lines.append(f"{'SUMMARY':<12}{spec.summary}")
    if spec.fix:
        lines.append(f"{'TYPICAL FIX':<12}{spec.fix}")
    lines.append(f"{'SEE ALSO':<12}" + "   ·   ".join(spec.see_also or _DEFAULT_SEE_ALSO))
    if explain:
        lines.append("VALID reason — " + (
            "a refusal: the caller stops and takes the fix above. Safe to emit; dos can "
            "check the condition it names." if spec.refusal else
            "advisory only (not a refusal). Report it; it does not stop work."))
    return lines


def _lane_kind(config: Any, lane: str) -> str:
    if config.lanes.is_exclusive(lane):
        return "exclusive"
    return "concurrent" if config.lanes.is_concurrent(lane) else "named"


def _lane(config: Any, lane_id: str | None, output: str) -> int:
    from dos.render import emit_json
    from dos.verdicts.admission import ManToken

    taxonomy = config.lanes
    if lane_id is None:
        names = sorted({*taxonomy.concurrent, *taxonomy.exclusive, *taxonomy.trees})
        if output == "json":
            emit_json([_lane_dict(config, name, name) for name in names])
        else:
            print("\n".join(f"{name:<16}{_lane_kind(config, name)}" for name in names))
        return ManToken.FOUND.exit_code
    wanted = lane_id.strip()
    name = taxonomy.resolve(wanted) or next(
        (key for key in taxonomy.trees if key.casefold() == wanted.casefold()), None)
    if name is None:
        known = ", ".join(sorted(taxonomy.declared())) or "(none)"
        if output == "json":
            emit_json({"name": wanted, "known": False, "known_lanes": sorted(taxonomy.declared())})
        else:
            print(f"UNKNOWN_LANE — '{wanted}' is not a lane in this workspace; arbitrate "
                  f"refuses it. Known lanes: {known}.")
        return ManToken.UNKNOWN.exit_code
    if output == "json":
        emit_json(_lane_dict(config, name, wanted))
    else:
        print("\n".join(_lane_lines(config, name, wanted)))
    return ManToken.FOUND.exit_code


def _lane_dict(config: Any, name: str, asked: str) -> dict[str, Any]:
    kind = _lane_kind(config, name)
    return {"name": name, "known": True, "kind": kind, "exclusive": kind == "exclusive",
            "tree": list(config.lanes.tree_for(name)),
            "autopick": name in config.lanes.autopick,
            "aliases": sorted(k for k, v in config.lanes.aliases.items() if v == name),
            "routed_from": asked if asked.casefold() != name.casefold() else ""}


def _lane_lines(config: Any, name: str, asked: str) -> list[str]:
    info = _lane_dict(config, name, asked)
    exclusivity = {"exclusive": "runs alone",
                   "concurrent": "concurrent-safe if tree-disjoint",
                   "named": "not declared concurrent or exclusive — arbitrate refuses it "
                            "(UNKNOWN_LANE)"}[info["kind"]]
    lines = [f"{'NAME':<12}{name}", f"{'KIND':<12}{info['kind']}",
             f"{'EXCLUSIVITY':<12}{exclusivity}",
             f"{'TREE':<12}" + (", ".join(info["tree"]) or "(none declared)")]
    if info["aliases"]:
        lines.append(f"{'ALIASES':<12}{', '.join(info['aliases'])}")
    if info["routed_from"]:
        lines.append(f"{'ROUTED FROM':<12}{info['routed_from']}")
    return lines
