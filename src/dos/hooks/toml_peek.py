"""A glance at ``dos.toml``'s text for one key, without parsing TOML.

``tomllib`` costs the hook more start-up time than its whole decision, so the hook's
shortcuts (the remembered store view, the no-store answer) check what they assume
against the file's text: every ``key = value`` outside a comment. The answer is only
ever used to refuse a shortcut, never to grant something the loader would not: a
spelling this reader cannot follow (a quoted key, an escape) makes it answer None.
"""

from __future__ import annotations

__all__ = ["assigned", "flag_value", "mentions", "names_outside", "names_table",
           "on_error_value"]

_KEY_BEFORE = " \t\n.{,"  # what may precede a bare key: a line start, a dotted key, a table
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
_VALUE_END = " \t\r\n,}#"


def _line_prefix(text: str, index: int) -> str:
    return text[text.rfind("\n", 0, index) + 1:index]


def _value_at(text: str, index: int) -> str | None:
    """The value written from ``index`` on: a quoted string without escapes, or a bare
    token; None for anything else."""
    while index < len(text) and text[index] in " \t":
        index += 1
    quote = text[index:index + 1]
    if quote in ('"', "'"):
        end = text.find(quote, index + 1)
        value = text[index + 1:end]
        if end < 0 or "\\" in value or "\n" in value or text.startswith(quote * 3, index):
            return None
        return value
    end = index
    while end < len(text) and text[end] not in _VALUE_END:
        end += 1
    return text[index:end] or None


def assigned(text: str, key: str) -> list[str] | None:
    """Every value assigned to ``key`` outside a comment, in order; None when the key's
    name appears in a way this reader cannot follow."""
    values: list[str] = []
    index = text.find(key)
    while index >= 0:
        before = text[index - 1:index]
        after = text[index + len(key):index + len(key) + 1]
        prefix = _line_prefix(text, index)
        if (before and before in _NAME_CHARS) or (after and after in _NAME_CHARS):
            pass  # another key that contains this one's name
        elif "#" in prefix:
            if '"' in prefix or "'" in prefix:
                return None  # a '#' inside a string, or a comment: cannot tell
        elif before and before not in _KEY_BEFORE:
            return None  # a quoted key, or the name inside a value
        else:
            rest = text[index + len(key):].lstrip(" \t")
            value = _value_at(rest, 1) if rest.startswith("=") else None
            if value is None:
                return None
            values.append(value)
        index = text.find(key, index + len(key))
    return values


def on_error_value(text: str | None) -> str | None:
    """``[hooks] on_error`` as the text spells it ("allow" when absent), or None."""
    values = assigned(text or "", "on_error")
    if values is None or len(set(values)) > 1:
        return None
    value = values[0] if values else "allow"
    return value if value in ("allow", "deny") else None


def flag_value(text: str | None, key: str) -> bool | None:
    """A boolean key as the text spells it (False when absent), or None."""
    values = assigned(text or "", key)
    if values is None or len(set(values)) > 1 or (values and values[0] not in ("true", "false")):
        return None
    return bool(values) and values[0] == "true"


def mentions(text: str | None, word: str) -> bool:
    """Whether ``word`` (lower case; matched in any case) appears outside a comment;
    True when this reader cannot tell (a '#' after a quote on its line)."""
    folded = (text or "").lower()
    index = folded.find(word)
    while index >= 0:
        prefix = _line_prefix(folded, index)
        hash_at = prefix.find("#")
        quotes = [at for at in (prefix.find('"'), prefix.find("'")) if at >= 0]
        if hash_at < 0 or (quotes and min(quotes) < hash_at):
            return True
        index = folded.find(word, index + len(word))
    return False


def _top_names(text: str | None) -> list[str]:
    """The first dotted part of every table header, and of every key before the first
    one, as written (a quoted name keeps its quotes)."""
    names: list[str] = []
    top = True
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            name, top = line.lstrip("[").partition("]")[0], False
        elif top:
            name = line.partition("=")[0]
        else:
            continue
        names.append(name.partition(".")[0].strip())
    return names


def names_outside(text: str | None, known: frozenset[str]) -> bool:
    """Whether a table header, or a key before the first one, names a table outside
    ``known`` (by its first dotted part); True when this reader cannot tell (a quoted
    name, a value running over several lines)."""
    return any(name not in known for name in _top_names(text))


def names_table(text: str | None, table: str) -> bool:
    """Whether a table header, or a key before the first one, may name ``table``: True
    for that name, and for any this reader cannot follow (a quoted name, an escape)."""
    return any(name == table or name.strip(_NAME_CHARS) for name in _top_names(text))
