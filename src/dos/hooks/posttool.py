"""``dos hook posttool``: renew the session's lease, and warn the agent when its tool
stream has stalled (the same call returning a byte-identical result again and
again). Advisory only: a tool that already ran cannot be blocked."""

from __future__ import annotations

from dos.errors import StoreError
from dos.hooks.events import ALLOW, WARN, Outcome
from dos.hooks.pretool import identities
from dos.hooks.streams import NAMESPACE, advance, classify, record_key, step_of, with_call

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from dos.config import SubstrateConfig
    from dos.hooks.events import HookEvent
    from dos.store import StoreTx

__all__ = ["COALESCE_S", "run", "stall_outcome"]

COALESCE_S = 30.0  # at most one heartbeat write per lease per this many seconds

_ADVICE = {
    "REPEATING": "Calling it again will return the same: wait for a completion signal, "
                 "or act on the value you already have.",
    "STALLED": "The stream is stalled: stop polling and change approach, or report that "
               "you are blocked.",
}


def stall_outcome(state: str, tool: str, count: int, result_digest: str) -> Outcome:
    if state not in _ADVICE:
        return Outcome(ALLOW, facts={})
    return Outcome(WARN, context=(
        f"DOS tool_stream {state}: `{tool[:100]}` returned byte-identical results {count} "
        f"times in a row (digest {result_digest}). {_ADVICE[state]}"), facts={"reason": state})


def _recalled(tx: StoreTx, key: str) -> object:
    try:
        return tx.recall(NAMESPACE, key)
    except StoreError:  # a damaged record starts afresh: a lost call only refuses more
        return None


def _stream(config: SubstrateConfig, event: HookEvent, key: str) -> Outcome:
    from dos.store import writing

    policy = config.table("tool_stream")
    ignored = {str(name).casefold() for name in policy.get("ignore_tools", ())}
    skipped = event.tool_name.casefold() in ignored
    history = "precursor" in config.tables  # the precursor check reads which tools ran
    if skipped and not history:
        return Outcome(ALLOW, facts={"reason": "IGNORED_TOOL"})
    step = step_of(event.tool_name, event.tool_input, event.tool_result)
    with writing(config) as tx:  # read-modify-write in one transaction: hosts run hooks at once
        record = _recalled(tx, key)
        kept = dict(record) if isinstance(record, dict) else {}
        state = kept if skipped else advance(record, step)  # an ignored tool leaves the run
        if history:
            state["called"] = with_call(record, event.tool_name)
        tx.remember(NAMESPACE, key, state)
    if skipped:
        return Outcome(ALLOW, facts={"reason": "IGNORED_TOOL"})
    verdict = classify(state["count"], repeat_n=int(policy.get("repeat_n", 3)),
                       stall_n=int(policy.get("stall_n", 5)))
    return stall_outcome(verdict, event.tool_name, state["count"], step.result or "")


def _heartbeat(config: SubstrateConfig, mine: frozenset[str]) -> None:
    from dos.admission.lane_lease import heartbeat, live_leases

    for lease in live_leases(config):
        if lease.holder in mine:
            heartbeat(config, owner=lease.holder, lease_id=lease.lease_id,
                      coalesce_within_s=COALESCE_S)


def run(event: HookEvent, load: Callable[[], SubstrateConfig]) -> Outcome:
    """Heartbeat the session's leases, then judge the stream (nothing without a session)."""
    mine = identities(event)
    key = record_key(event.session_id, mine)
    if not key:
        return Outcome(ALLOW)
    config = load()
    outcome = _stream(config, event, key)
    _heartbeat(config, mine)
    return outcome
