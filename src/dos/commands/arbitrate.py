"""dos arbitrate: ask, without taking it, whether a lane may be taken now."""

from __future__ import annotations

import argparse
import json
from typing import Any

from dos.errors import StoreBusyError, StoreError, UsageError

_EPILOG = """\
examples:
  dos arbitrate                          # auto-pick a free lane
  dos arbitrate --lane src               # may I take lane src?
  dos arbitrate --lane src --leases '[{"lane": "docs", "tree": ["docs/**"], "lease_id": 1}]'

Exclusive vs concurrent comes from [lanes] in dos.toml, never from --kind.
Exit: 0 acquire, 1 refuse, 2 usage error, 74 the lease store cannot be read."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Decide a lane request against the live leases; nothing is written."
    parser.epilog = _EPILOG
    parser.add_argument("--lane", default="", help="the lane (or alias) to ask for; "
                        "empty asks to auto-pick a free lane")
    parser.add_argument("--kind", default="", help="accepted for compatibility; it never "
                        "decides exclusivity ('--kind global' without --lane asks for the "
                        "lane named global)")
    parser.add_argument("--tree", nargs="*", default=[], metavar="GLOB",
                        help="the globs to lease (default: the lane's declared tree)")
    parser.add_argument("--leases", default=None, metavar="JSON",
                        help="a JSON array of lease objects to judge against, taken as live; "
                        "replaces the store's live set")
    parser.add_argument("--force", action="store_true", help="override a busy concurrent "
                        "lane or the self-modify guard (never a live exclusive lane)")
    parser.add_argument("--mode", choices=("exclusive", "shared"), default="exclusive",
                        help="lease mode: two shared leases may overlap (default: exclusive)")
    parser.add_argument("--class-budget", action="append", default=[], metavar="CLASS=N",
                        help="cap live leases of a concurrency class (a lane name, "
                        "'concurrent', 'exclusive' or '*'); overlays [[concurrency_class]]")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")
    parser.add_argument("--explain", action="store_true",
                        help="add a plain-language GO/STOP line (json: an interpretation key)")


def _parse_leases(raw: str) -> list[Any]:
    from dos.admission.lease import Lease

    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--leases is not valid JSON ({exc}); expected a JSON array of "
                         "lease objects", hint="quote the JSON in single quotes") from None
    if not isinstance(data, list):
        raise UsageError(f"--leases must be a JSON array (got {type(data).__name__})",
                         hint='wrap the leases in [ ], e.g. \'[{"lane": "src", ...}]\'')
    leases = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise UsageError(f"--leases[{index}] must be a JSON object, got "
                             f"{type(item).__name__}", hint="give each lease as {...}")
        try:
            leases.append(Lease.from_dict(item))
        except (TypeError, ValueError) as exc:
            raise UsageError(f"--leases[{index}] is malformed: {exc}",
                             hint="see `dos lease-lane live --json` for the shape") from None
    return leases


def _parse_budgets(items: list[str]) -> dict[str, int]:
    budgets = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip() or not value.strip().isdigit():
            raise UsageError(f"--class-budget must be CLASS=N with N ≥ 0, got {item!r}",
                             hint="for example --class-budget concurrent=2")
        budgets[name.strip()] = int(value)
    return budgets


def _store_leases(config: Any) -> list[Any]:
    from dos.admission.lane_lease import live_leases

    return list(live_leases(config))


def run(*, lane: str, kind: str, tree: list[str], leases: str | None, force: bool, mode: str,
        class_budget: list[str], pretty: bool, explain: bool, workspace: str | None,
        driver: str | None, output: str, **_: object) -> int:
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    decision = decide(config, lane=lane, kind=kind, tree=tree, leases=leases, force=force,
                      mode=mode, class_budget=class_budget)
    return _emit(decision, config, output, pretty=pretty, explain=explain)


def decide(config: Any, *, lane: str = "", kind: str = "", tree: list[str] | None = None,
           leases: str | None = None, force: bool = False, mode: str = "exclusive",
           class_budget: list[str] | None = None) -> Any:
    """The arbiter's decision ``dos arbitrate`` prints (shared with the MCP server);
    ``leases`` is the ``--leases`` JSON text. Nothing is written."""
    from dos.admission.arbiter import Decision, arbitrate
    from dos.admission.lease import LeaseRequest
    from dos.verdicts.admission import ArbitrateToken

    if mode not in ("exclusive", "shared"):
        raise UsageError(f"unknown lease mode {mode!r}", hint="use exclusive or shared")
    budgets = _parse_budgets(class_budget or [])
    if not lane.strip() and kind.strip().casefold() == "global":
        lane = "global"
    from dos.admission.lane_lease import resolved_tree

    asked = LeaseRequest(lane=lane, tree=tuple(tree or ()), mode=mode, force=force)
    request = LeaseRequest(lane=lane, tree=resolved_tree(asked, config), mode=mode, force=force)
    live = _parse_leases(leases) if leases is not None else None
    try:
        if live is None:
            live = _store_leases(config)
    except StoreBusyError:
        raise
    except StoreError as exc:
        return Decision(ArbitrateToken.STORE_UNREADABLE, lane=lane, mode=mode,
                        reason_class="STORE_UNREADABLE", reason=(
                            f"the lease store cannot be read ({exc.message}); admission "
                            "refuses rather than guess who holds what"))
    return arbitrate(request, live, config, class_budgets=budgets)


def json_payload(decision: Any, config: Any, *, explain: bool = False) -> dict[str, Any]:
    """The ``--json`` answer for ``decision``."""
    from dos.commands._arbitrate_text import interpretation

    payload: dict[str, Any] = decision.to_dict()
    if explain:
        payload["interpretation"] = interpretation(decision, config)
    return payload


def _emit(decision: Any, config: Any, output: str, *, pretty: bool, explain: bool) -> int:
    from dos.commands._arbitrate_text import interpretation, plain_sentence
    from dos.render import dumps

    if output == "plain":
        print(plain_sentence(decision))
        return int(decision.exit_code)
    payload = json_payload(decision, config, explain=explain and output == "json")
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True, indent=2) if pretty \
        else dumps(payload)
    print(text)
    if explain and output != "json":
        print(interpretation(decision, config))
    return int(decision.exit_code)
