"""The page frame every view shares, and escaping. Views build their HTML from the
same JSON payloads the API returns (see :mod:`dos.web.views` for the hooks a browser
test drives)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

__all__ = ["NAV", "cell", "esc", "form_csrf", "page", "table"]

NAV = (("top", "/", "top"), ("decisions", "/decisions", "decisions"),
       ("plan", "/plan", "plan"), ("observe", "/observe", "observe"))


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def cell(value: object, *, cls: str = "") -> str:
    shown = "" if value is None else value
    return f'<td class="{esc(cls)}">{esc(shown)}</td>' if cls else f"<td>{esc(shown)}</td>"


def table(table_id: str, headings: Iterable[str], rows: Iterable[str], empty: str) -> str:
    """A table whose body rows are already HTML; ``empty`` shows when there are none."""
    body = "".join(rows)
    head = "".join(f"<th>{esc(name)}</th>" for name in headings)
    if not body:
        return f'<p id="{esc(table_id)}" class="empty" data-empty="true">{esc(empty)}</p>'
    return (f'<table id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def form_csrf(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{esc(csrf)}">'


def _nav(active: str) -> str:
    current = ' aria-current="page"'
    links = "".join(
        f'<a href="{href}" data-nav="{name}"{current if name == active else ""}>'
        f"{esc(label)}</a>" for name, href, label in NAV)
    return f'<nav id="nav">{links}</nav>'


def _who(operator: str, csrf: str, logout: bool) -> str:
    name = f'<span id="operator" data-operator="{esc(operator)}">{esc(operator or "—")}</span>'
    if not logout:
        return f'<div id="who">operator: {name}</div>'
    return (f'<div id="who">operator: {name} <form id="logout" method="post" '
            f'action="/logout">{form_csrf(csrf)}<button type="submit">log out</button>'
            "</form></div>")


def page(name: str, title: str, body: str, *, operator: str = "", csrf: str = "",
         logout: bool = False, live: bool = True, section: str = "") -> str:
    """A whole document: ``body`` goes inside ``<main id="view">``, which the page's
    script replaces when the store changes (``live``)."""
    header = "" if name == "login" else _nav(section or name) + _who(operator, csrf, logout)
    script = '<script src="/static/app.js" defer></script>' if live else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>dos · {esc(title)}</title>"
            f'<link rel="stylesheet" href="/static/app.css">{script}</head>'
            f'<body data-page="{esc(name)}" data-live="{"off" if not live else "connecting"}">'
            f'<header><h1>dos <span>{esc(title)}</span></h1>{header}</header>'
            f'<main id="view">{body}</main></body></html>')
