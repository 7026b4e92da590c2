"""The precursor check of ``dos hook pretool``: a tool that ``[precursor.requires]`` gates
runs only once each lookup it needs (or one of that lookup's aliases) was called earlier
in the same session — on the session's first call too, when nothing was.

The earlier calls are the session's tool-stream record (:mod:`dos.hooks.streams`), which
``dos hook posttool`` keeps in the store. A record that cannot be read, or is not one
posttool wrote, attests nothing: the call is refused, as with an empty history.
"""

from __future__ import annotations

from dos.gates.precursor_names import missing_lookups
from dos.hooks.events import DENY, Outcome
from dos.hooks.streams import NAMESPACE, called_of, record_key

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from dos.hooks.events import HookEvent
    from dos.hooks.store_view import StoreView

__all__ = ["REASON", "history", "judge"]

REASON = "MISSING_PRECURSOR"
_PREFIX = "DOS PRE-admission: "
_SHOWN = 200  # characters of a tool name quoted back to the agent


def _missing(calls: Sequence[str], tool: str, grammar: dict[str, Any]) -> tuple[str, ...] | None:
    return missing_lookups(calls, tool, grammar["requires"], grammar["aliases"],
                           case_sensitive=grammar["case_sensitive"])


def history(key: str, view: StoreView) -> tuple[list[str], str]:
    """The tools the session whose record is ``key`` called earlier, oldest first, and
    why none of them can count ("" when they can)."""
    if not key:
        return [], "the call names no session, so no earlier call can count"
    if view.store_absent():
        return [], ""
    from dos.errors import StoreError
    from dos.store import read_transaction

    try:
        with read_transaction(view.open_store()) as tx:
            record = None if tx is None else tx.recall(NAMESPACE, key)
    except StoreError as error:  # the history cannot vouch for anything: refuse, not guess
        return [], f"the session's tool history cannot be read ({error.message})"
    called = called_of(record)
    if called is None:
        return [], "the session's tool history in the store is malformed"
    return called, ""


def _named(need: str, grammar: dict[str, Any]) -> str:
    aliases = grammar["aliases"].get(need, [])
    return f"`{need}`" + (f" (or {', '.join(f'`{a}`' for a in aliases)})" if aliases else "")


def _refusal(event: HookEvent, missing: tuple[str, ...], grammar: dict[str, Any], *,
             called: list[str], trouble: str, target: str) -> Outcome:
    tool = event.tool_name if len(event.tool_name) <= _SHOWN else event.tool_name[:_SHOWN] + "…"
    why = trouble or (f"none of the {len(called)} tool(s) this session called before is one"
                      if called else "no earlier call of this session is recorded "
                      "(dos hook posttool records them)")
    first = ", ".join(f"`{need}`" for need in missing)
    return Outcome(DENY, f"{_PREFIX}`{tool}` runs only after "
                   f"{' and '.join(_named(need, grammar) for need in missing)} in the same "
                   f"session ([precursor.requires] in dos.toml), and {why}. Call {first} "
                   f"first, then retry.",
                   facts={"reason": REASON, "target": target, "missing": ",".join(missing)})


def judge(event: HookEvent, view: StoreView, admitted: Outcome, *,
          owners: frozenset[str]) -> Outcome:
    """``admitted`` (the lease check's outcome), unless ``view``'s grammar gates the tool
    and a lookup it needs has not been called earlier in this session (whose record is
    keyed as posttool keys it: the session id, else one of ``owners``)."""
    grammar = view.precursor
    if grammar is None or _missing((), event.tool_name, grammar) is None:
        return admitted  # not gated: the store is not read
    facts = admitted.facts or {}
    target = facts.get("target") or event.tool_name
    called, trouble = history(record_key(event.session_id, owners), view)
    missing = _missing(called, event.tool_name, grammar)
    if missing:
        return _refusal(event, missing, grammar, called=called, trouble=trouble, target=target)
    return Outcome(admitted.action, admitted.reason, admitted.context,
                   facts={**facts, "target": target})
