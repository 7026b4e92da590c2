"""Store URLs as the user sees them: which backend, passwords hidden, workspace ids.

Free of any database driver, so ``dos doctor`` can describe a store it cannot open.
:func:`scrub` is the one redaction function: every surface that shows a store URL,
or a driver's message about one, passes it through there.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = ["derive_workspace_id", "is_postgres_url", "redact_url", "scrub"]

_HIDDEN = "***"
_PARAM = re.compile(r"(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*)")


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def _password_span(url: str) -> tuple[int, int] | None:
    """Where the password of ``url``'s ``user:password@`` part is, if it has one.

    The user info ends at the authority's *last* ``@``, so a password holding a raw
    ``@`` is hidden whole; a percent-encoded one (``%2F``, ``%3F``, ``%23``, ``%40``)
    holds none of the characters that end an authority.
    """
    start = url.find("://")
    if start < 0:
        return None
    start += 3
    end = len(url)
    for mark in "/?#":
        found = url.find(mark, start)
        if found >= 0:
            end = min(end, found)
    at = url.rfind("@", start, end)
    if at < 0:
        # A raw '/', '?' or '#' inside the password ends the authority early: then the
        # user info runs to the URL's last '@' (hiding too much is the safe mistake).
        at = url.rfind("@", start)
        if at < 0:
            return None
    colon = url.find(":", start, at)
    return None if colon < 0 else (colon + 1, at)


def _passwords(url: str) -> list[str]:
    """Every spelling of ``url``'s passwords that a message could carry: as written,
    and percent-decoded."""
    found = []
    span = _password_span(url)
    if span is not None:
        found.append(url[span[0]:span[1]])
    found += [match.group(2).strip("'") for match in _PARAM.finditer(url)]
    if not found:
        return []
    from urllib.parse import unquote  # start-up time: only a URL that names a password

    spelled = {value for raw in found if raw for value in (raw, unquote(raw))}
    return sorted((value for value in spelled if value and value != _HIDDEN),
                  key=len, reverse=True)


def redact_url(url: str) -> str:
    """``url`` with its password (in the user info or a ``password=`` parameter)
    replaced by ``***``."""
    span = _password_span(url)
    if span is not None:
        url = f"{url[:span[0]]}{_HIDDEN}{url[span[1]:]}"
    return _PARAM.sub(lambda match: f"{match.group(1)}{_HIDDEN}", url)


def scrub(text: str, url: str) -> str:
    """``text`` (a message, a URL, a driver's error) with ``url`` shown redacted and
    its password hidden however it is spelled."""
    if url:
        text = text.replace(url, redact_url(url))
    for password in _passwords(url):
        text = text.replace(password, _HIDDEN)
    return text


def derive_workspace_id(root: Path | str) -> str:
    """A stable id for a workspace without ``[store] workspace_id``: a hash of its
    resolved root, the same on every run from that checkout (not across machines)."""
    digest = hashlib.sha256(str(Path(root).resolve()).encode("utf-8")).hexdigest()
    return f"ws-{digest[:16]}"
