"""One memory note as written: its front matter, and the body its claims come from."""

from __future__ import annotations

import re

from dos.structs import struct
from dos.truth import mini_yaml

__all__ = ["Note", "parse_note"]

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# A verdict an earlier run wrote into the note must not confirm the note itself.
_BANNER = re.compile(r"\A(?:[ \t]*(?:>[^\n]*)?\n)*?[ \t]*>[^\n]*\n(?:[ \t]*(?:>[^\n]*)?\n)*")
_VERDICT_WORD = re.compile(r"RECALL_(?:FRESH|STALE|UNVERIFIABLE|DRIFTING)")


@struct
class Note:
    """``name`` is the front matter's, else the file's stem; ``kind`` is its lower-cased
    ``type`` (or ``metadata.type``), "" when it has none."""

    file: str
    name: str
    description: str
    kind: str
    body: str


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    match = _FRONT.match(text)
    if match is None:
        return {}, text
    try:
        loaded = mini_yaml.loads(match.group(1))
    except ValueError:
        return {}, text  # broken front matter: the whole file is the body
    return (loaded if isinstance(loaded, dict) else {}), text[match.end():]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _strip_banner(body: str) -> str:
    match = _BANNER.match(body)
    if match is not None and _VERDICT_WORD.search(match.group(0)):
        return body[match.end():]
    return body


def parse_note(file: str, text: str) -> Note:
    """The note in ``text``, read from the file named ``file`` (its base name)."""
    fields, body = _front_matter(text)
    metadata = fields.get("metadata")
    kind = _text(fields.get("type")) or (
        _text(metadata.get("type")) if isinstance(metadata, dict) else "")
    stem = file[:-3] if file.lower().endswith(".md") else file
    return Note(file=file, name=_text(fields.get("name")) or stem,
                description=_text(fields.get("description")), kind=kind.lower(),
                body=_strip_banner(body))
