"""Seed the verdict journal through the store's own API, as the verbs will write it."""

from __future__ import annotations

from typing import Any

from dos.config import SubstrateConfig
from dos.store import reading, writing
from dos.store.verdicts import VerdictEntry


def verdict(syscall: str, token: str, *, subject: str = "", lane: str = "", run_id: str = "",
            source: str = "cli", **detail: Any) -> dict[str, Any]:
    return {"syscall": syscall, "verdict": token, "subject": subject, "lane": lane,
            "run_id": run_id, "source": source, "detail": detail}


def seed(config: SubstrateConfig, *payloads: dict[str, Any]) -> list[int]:
    """Append ``payloads`` to the verdict journal; their seqs."""
    with writing(config) as tx:
        return [tx.append_verdict(VerdictEntry(**payload)).seq for payload in payloads]


def seed_many(config: SubstrateConfig, count: int) -> None:
    seed(config, *(verdict("verify", "SHIPPED" if i % 3 else "NOT_SHIPPED",
                           subject=f"AUTH::AUTH{i}") for i in range(count)))


def remembered(config: SubstrateConfig, namespace: str, key: str) -> Any:
    with reading(config) as tx:
        return None if tx is None else tx.recall(namespace, key)


def arbiter_refusal(lane: str, reason_class: str = "EXCLUSIVE_LANE_BUSY",
                    reason: str = "") -> dict[str, Any]:
    """A `dos arbitrate` refusal as the verb journals it: a row of `dos decisions`."""
    return verdict("arbitrate", "REFUSE", subject=lane, lane=lane, reason_class=reason_class,
                   mode="exclusive", auto_picked=False, blockers=1,
                   reason=reason or f"'{lane}' is an exclusive lane; 1 lease(s) already live.")


def halt_proposal(config: SubstrateConfig, *, lane: str = "src", handle: str = "42",
                  reason: str = "watchdog: SPINNING (alive, no forward progress)",
                  command: str | None = "kill 42") -> None:
    """A halt proposal recorded as `dos watch` records one (a LIVENESS row)."""
    from dos.admission.lane_lease import halt

    halt(config, handle=handle, lane=lane, owner="watchdog", reason=reason, command=command)
