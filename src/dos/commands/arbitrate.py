"""dos arbitrate: ask, without taking it, whether a lane may be taken now."""

from __future__ import annotations

from dos.admission.arbiter import Decision
from dos.commands._output import PRETTY_HELP, answer
from dos.config import SubstrateConfig
from dos.render import paint

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    import argparse

QUICK_ARGS = True  # the plain lines skip argparse: see dos.commands._quick_args

_EPILOG = """\
examples:
  dos arbitrate                          # auto-pick a free lane
  dos arbitrate --lane src               # may I take lane src?
  dos arbitrate --lane src --leases '[{"lane": "docs", "tree": ["docs/**"], "lease_id": 1}]'
  dos arbitrate --lane src --json        # one JSON line (outcome, reason_class, …)

Exclusive vs concurrent comes from [lanes] in dos.toml, never from --kind.
An answer --force admitted against the store's leases is journaled as an override
(who: $DOS_OWNER, else host:pid); `dos decisions --all` lists it.
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
    parser.add_argument("--pretty", action="store_true", help=PRETTY_HELP)
    parser.add_argument("--explain", action="store_true",
                        help="add a plain-language GO/STOP line (json: an interpretation key)")


def verdict_line(decision: Decision, *, color: bool) -> str:
    """``ACQUIRE  reason`` or ``REFUSE (REASON_CLASS)  reason``."""
    word = decision.action.value.upper()
    head = paint(word, "bold", "green" if decision.acquired else "red", enabled=color)
    why = f" ({decision.reason_class})" if decision.reason_class not in ("", word) else ""
    return f"{head}{why}  {decision.reason}"


def _text(decision: Decision, config: SubstrateConfig, *, explain: bool, color: bool) -> str:
    lines = [verdict_line(decision, color=color)]
    if explain:
        from dos.api.explain import interpretation

        lines.append(interpretation(decision, config))
    return "\n".join(lines)


def run(*, lane: str, kind: str, tree: list[str], leases: str | None, force: bool, mode: str,
        class_budget: list[str], pretty: bool, explain: bool, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import admission as api
    from dos.workspace import load_config

    judged = api.leases_from_json(leases) if leases is not None else None
    config = load_config(workspace, driver)
    decision = api.arbitrate(config, lane=lane, kind=kind, tree=tree, leases=judged,
                             force=force, mode=mode, class_budget=class_budget)
    if decision.overridden and judged is None:  # an override of the real store: journaled
        from dos.api.decisions import record_override

        record_override(config, lane=decision.lane, overridden=decision.overridden,
                        reason=decision.reason, command=f"dos arbitrate --lane {decision.lane}"
                        " --force")
    answer(api.arbitrate_json(decision, config, explain=explain), output=output, pretty=pretty,
           text=lambda color: _text(decision, config, explain=explain, color=color))
    return decision.exit_code
