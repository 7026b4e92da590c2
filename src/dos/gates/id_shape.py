"""Which argument values look like identifiers, and the tokens a text is made of.

Pure. An id is one word of ``[A-Za-z0-9._:#/@+-]`` that is not a date, time, decimal,
version, boolean or null word: a UUID, a hex digest, an email, letters mixed with digits
(``U42``, ``INC-1234``), digits (not under a quantity's name), or any word under an id's
name (``user_id``). Tokens are compared whole, never as substrings.
"""

from __future__ import annotations

import re

__all__ = ["components", "id_shaped", "tokens_of"]

_WORD = re.compile(r"[A-Za-z0-9._:#/@+\-]+")
_SPLIT = re.compile(r"[@._:#/+\-]+")
_NOT_IDS = (
    re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(r"\d{1,2}:\d{2}(:\d{2})?"),                  # a time of day
    re.compile(r"[+-]?\d+\.\d+"),                           # a decimal
    re.compile(r"v?\d+(\.\d+){1,3}([-+][0-9A-Za-z.]+)?"),   # a version
)
_WORDS_NOT_IDS = frozenset({"true", "false", "null", "none", "nil", "yes", "no", "n/a"})
_ID_NAME = re.compile(r"(^|_)(id|ids|uuid|guid|ref|key|sha|email|handle|slug|number|no)$")
_QUANTITY_NAME = re.compile(
    r"(^|_)(count|limit|amount|quantity|qty|size|page|per_page|offset|timeout|seconds|"
    r"minutes|hours|days|ms|max|min|total|n|num|depth|width|height|price|priority|port|"
    r"retries|attempts|version|year|month|day)$")
_STRONG = (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I),
           re.compile(r"[0-9a-f]{32,64}", re.I), re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"))
_LABELS = frozenset({"com", "org", "net", "io", "dev", "www", "http", "https", "mailto",
                     "mail"})


def _name_is_id(name: str) -> bool:
    return bool(_ID_NAME.search(name.lower()))


def id_shaped(name: str, value: str) -> bool:
    """Whether ``value`` (an argument named ``name``) reads as an identifier."""
    text = value.strip()
    if not text or not _WORD.fullmatch(text) or text.lower() in _WORDS_NOT_IDS:
        return False
    if any(pattern.fullmatch(text) for pattern in _NOT_IDS):
        return False
    if any(pattern.fullmatch(text) for pattern in _STRONG):
        return True
    has_digit = any(char.isdigit() for char in text)
    has_alpha = any(char.isalpha() for char in text)
    if has_digit and has_alpha:
        return len(text) >= 2
    if has_digit:  # all digits (and separators)
        return _name_is_id(name) or (len(text) >= 4 and not _QUANTITY_NAME.search(name.lower()))
    return _name_is_id(name) and len(text) >= 2


def tokens_of(text: str) -> frozenset[str]:
    """Every whole word of ``text`` and every part of it between id separators, case-folded."""
    found: set[str] = set()
    for raw in _WORD.findall(text):
        word = raw.strip("._:#/@+-").lower()
        if word:
            found.add(word)
            found.update(part for part in _SPLIT.split(word) if part)
    return frozenset(found)


def components(value: str) -> tuple[str, ...]:
    """The data-bearing parts of an id: those with a digit, or of four letters or more
    that are not a scheme or top-level-domain label; in an email every part of the name
    before the ``@`` (``bob`` in ``bob@example.com`` is what tells it from ``ada@…``)."""
    text = value.strip().lower()
    local, at, domain = text.rpartition("@")
    parts = [part for part in _SPLIT.split(domain if at else text) if part]
    kept = [part for part in parts if any(char.isdigit() for char in part)
            or (len(part) >= 4 and part not in _LABELS)]
    return tuple([part for part in _SPLIT.split(local) if part] + kept if at else kept)
