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
