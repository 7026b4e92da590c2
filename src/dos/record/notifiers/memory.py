"""A notifier's memory in the workspace's store (one namespace per notifier), so an edit
in place works from any machine that shares the store."""

from __future__ import annotations

from typing import Any

from dos.config import SubstrateConfig
from dos.store import reading, writing

__all__ = ["StoreMemory"]


class StoreMemory:
    def __init__(self, config: SubstrateConfig, namespace: str) -> None:
        self.config, self.namespace = config, namespace

    def get(self, key: str) -> Any:
        with reading(self.config) as tx:
            return None if tx is None else tx.recall(self.namespace, key)

    def put(self, key: str, value: Any) -> None:
        with writing(self.config) as tx:
            tx.remember(self.namespace, key, value)
