"""``dos store copy --from/--to``: a URL that cannot name a store is a usage error (exit 2)
saying the expected form, never "the store cannot be read" (74), which is the store's
own failure."""

from __future__ import annotations

from pathlib import Path

from dos.errors import UsageError

__all__ = ["check_copy_url"]

_FORMS = "sqlite:///<path> (relative to the workspace) or postgresql://user@host/db"


def _sqlite_path(flag: str, shown: str, raw: str, root: Path) -> None:
    if not raw:
        raise UsageError(f"{flag} {shown} names no file", hint=f"use {_FORMS}")
    path = Path(raw) if Path(raw).is_absolute() else root / raw
    if path.is_dir():
        raise UsageError(f"{flag} {shown} is a directory, not a store file",
                         hint="name the database file, e.g. sqlite:///.dos/dos.db")


def check_copy_url(flag: str, url: str, root: Path) -> str:
    """``url`` when it can name a store; UsageError naming ``flag`` otherwise."""
    from dos.store.urls import is_postgres_url, redact_url

    text = url.strip()
    shown = repr(redact_url(text))
    if not text:
        raise UsageError(f"{flag} is empty", hint=f"pass a store URL: {_FORMS}")
    if text.startswith("sqlite:///"):
        _sqlite_path(flag, shown, text[len("sqlite:///"):], root)
        return text
    if is_postgres_url(text):
        return text
    scheme, colon, _ = text.partition(":")
    if text.startswith("sqlite:"):
        problem = "is not sqlite:///<path> (three slashes, then the file)"
    elif colon:
        problem = f"has an unknown scheme {scheme!r}"
    else:
        problem = "is not a URL"
    raise UsageError(f"{flag} {shown} {problem}", hint=f"use {_FORMS}")
