"""The null notifier: delivers nothing, so ``dos notify`` without ``--notifier`` only shows."""

from __future__ import annotations

from dos.record.notifiers import Notification, NotifyResult

__all__ = ["NullNotifier"]


class NullNotifier:
    name = "null"
    target = "nowhere"

    def send(self, note: Notification) -> NotifyResult:  # noqa: ARG002 - the protocol's shape
        return NotifyResult(False, "not sent (notifier=null)")
