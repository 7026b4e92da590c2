"""The decisions queue, one decision in full, and the answer to a resolve."""

from __future__ import annotations

from typing import Any

from dos.web.html import cell, esc, form_csrf, table

__all__ = ["decision_body", "decisions_body", "resolve_form", "resolved_body"]

_DONE = {"approve": "approved", "dismiss": "dismissed"}


def resolve_form(handle: str, csrf: str) -> str:
    """Approve / dismiss one row: a POST with the session's CSRF token and a note."""
    return (f'<form class="resolve" method="post" action="/decisions/{esc(handle)}/resolve" '
            f'data-resolve="{esc(handle)}">{form_csrf(csrf)}'
            f'<input type="text" name="note" maxlength="1000" placeholder="note (kept in the '
            f'journal)" aria-label="note">'
            f'<button type="submit" name="decision" value="approve">approve</button>'
            f'<button type="submit" name="decision" value="dismiss">dismiss</button></form>')


def _row(row: dict[str, Any], csrf: str) -> str:
    handle = row["handle"]
    return (f'<tr data-decision="{esc(handle)}" data-number="{esc(row["number"])}" '
            f'data-kind="{esc(row["kind"])}" data-resolver="{esc(row["resolver_kind"])}">'
            f"{cell(row['number'])}"
            f'<td><a href="/decisions/{esc(handle)}" data-drill="{esc(handle)}">'
            f"{esc(handle)}</a></td>{cell(row['kind'])}{cell(row['lane'])}"
            f"{cell(row['reason_token'])}{cell(row['subject'])}{cell(row['age_seconds'])}"
            f"<td>{resolve_form(handle, csrf)}</td></tr>")


def _history(item: dict[str, Any]) -> str:
    return (f'<tr data-history="{esc(item["handle"])}" data-owner="{esc(item["owner"])}" '
            f'data-outcome="{esc(item["decision"])}">{cell(item["ts"])}{cell(item["decision"])}'
            f"{cell(item['kind'])}{cell(item['lane'])}{cell(item['owner'])}"
            f"{cell(item['note'])}</tr>")


def decisions_body(payload: dict[str, Any], csrf: str) -> str:
    everything = "true" if payload["all"] else "false"
    toggle = ('<a id="show-all" href="/decisions">only what waits on a human</a>'
              if payload["all"] else '<a id="show-all" href="/decisions?all=1">every row</a>')
    notes = "".join(f'<p class="note">{esc(note)}</p>' for note in payload["notes"])
    return (f'<section id="queue" data-all="{everything}" data-pending="{payload["pending"]}">'
            f'<p id="counts">{esc(payload["pending"])} pending · {esc(payload["hidden"])} '
            f"settled without you · since {esc(payload['since'])} {toggle}</p>{notes}"
            + table("decisions", ("#", "handle", "kind", "lane", "reason", "subject",
                                  "age (s)", "resolve"),
                    (_row(row, csrf) for row in payload["rows"]), "nothing waits on you")
            + "<h2>history</h2>"
            + table("history", ("when", "decision", "kind", "lane", "owner", "note"),
                    (_history(item) for item in payload["history"]), "nothing resolved yet")
            + "</section>")


def decision_body(row: dict[str, Any], csrf: str) -> str:
    fields = ("number", "handle", "kind", "resolver_kind", "lane", "reason_token",
              "reason_text", "subject", "run_id", "run_ts", "age_seconds", "source_path",
              "proposed_command", "dup_count", "urgency")
    listed = "".join(f'<dt>{esc(name)}</dt><dd data-field="{esc(name)}">{esc(row[name])}</dd>'
                     for name in fields)
    evidence = "".join(f"<li>{esc(item)}</li>" for item in row["evidence"])
    return (f'<section id="decision" data-decision="{esc(row["handle"])}">'
            f"<dl>{listed}</dl><h2>evidence</h2><ul id=\"evidence\">{evidence}</ul>"
            f"{resolve_form(row['handle'], csrf)}"
            '<p><a href="/decisions" data-nav-back="decisions">back to the queue</a></p>'
            "</section>")


def resolved_body(payload: dict[str, Any]) -> str:
    command = payload["command"]
    run = (f'<p>run it yourself (dos never does): <code id="command">{esc(command)}</code></p>'
           if command else "")
    return (f'<section id="resolution" data-decision="{esc(payload["handle"])}" '
            f'data-outcome="{esc(payload["decision"])}" data-owner="{esc(payload["owner"])}" '
            f'data-seq="{esc(payload["seq"])}">'
            f"<p>{esc(payload['owner'])} {_DONE.get(payload['decision'], 'resolved')} "
            f"{esc(payload['handle'])}"
            f" ({esc(payload['kind'])}), journaled at seq {esc(payload['seq'])}.</p>{run}"
            '<p><a href="/decisions" data-nav-back="decisions">back to the queue</a></p>'
            "</section>")
