"""dos notify decisions|top: post what needs people to a webhook or Slack."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from dos.api import notify as api
from dos.commands._args import count, seconds
from dos.render import emit, paint
from dos.workspace import load_config

if TYPE_CHECKING:
    from dos.api.notify import NotifyReport

_EPILOG = """\
examples:
  dos notify decisions                               show the note; send nothing (null)
  dos notify decisions --notifier webhook --url https://hooks.example/dos
  SLACK_BOT_TOKEN=xoxb-… dos notify top --notifier slack --channel C0123456789

decisions: the rows of `dos decisions` waiting on a human (--all: every row). top: each lane free,
held, or held and judged by its latest liveness verdict. Slack edits one message per
surface in place. Exit 1 when a real notifier did not deliver; a missing URL, token or
channel is exit 2 (nothing was tried)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("surface", choices=api.SURFACES, help="what to send")
    parser.add_argument("--notifier", default="null", metavar="NAME",
                        help="null (default), webhook, slack, or a plugin")
    parser.add_argument("--url", help="webhook: where to POST (default $DOS_WEBHOOK_URL)")
    parser.add_argument("--token", help="webhook: bearer token ($DOS_WEBHOOK_TOKEN); slack: "
                        "bot token ($SLACK_BOT_TOKEN)")
    parser.add_argument("--channel", help="slack: channel id or #name ($DOS_SLACK_CHANNEL)")
    parser.add_argument("--timeout", type=seconds(0, 300, low_open=True), default=None,
                        help="seconds to wait for the remote side (default 10)")
    parser.add_argument("--top", type=count(0, 50), default=5, metavar="K",
                        help="list the first K rows as fields (default 5, at most 50)")
    parser.add_argument("--all", dest="everything", action="store_true",
                        help="decisions: every row, not only those waiting on a human")
    parser.add_argument("--dry-run", action="store_true",
                        help="build and check everything; send nothing")


def _outcome(report: NotifyReport) -> str:
    if not report.real:
        return ("  → not sent (notifier=null; pass --notifier webhook --url URL or "
                "--notifier slack --channel ID to deliver)")
    if report.dry_run:
        return f"  → dry run: would send via {report.notifier} to {report.target}"
    verb = "sent" if report.result.delivered else "NOT sent"
    return f"  → {verb} via {report.notifier}: {report.result.detail}"


def _text(report: NotifyReport, color: bool) -> str:
    note = report.note
    style = {"URGENT": ("bold", "red"), "WARN": ("yellow",)}.get(note.severity.value, ())
    lines = [paint(note.headline(), *style, enabled=color), f"  {note.summary}"]
    lines += [f"    {label}: {value}" for label, value in note.fields]
    return "\n".join([*lines, _outcome(report)])


def run(*, output: str, workspace: str | None, driver: str | None, surface: str,
        notifier: str = "null", url: str | None = None, token: str | None = None,
        channel: str | None = None, timeout: float | None = None, top: int = 5,
        dry_run: bool = False, everything: bool = False) -> int:
    config = load_config(workspace, driver)
    note = api.build_note(config, surface, top=top, everything=everything)
    sender = api.open_notifier(notifier, config, {"url": url, "token": token,
                                                  "channel": channel, "timeout": timeout})
    report = api.deliver(sender, note, dry_run=dry_run)
    emit(api.notify_json(report), output=output, text=lambda color: _text(report, color))
    return api.notify_token(report).exit_code
