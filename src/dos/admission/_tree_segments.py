"""One path segment of a glob: parsing, matching, and a sound intersection test.

A segment pattern is a sequence of tokens: a literal character, ``?``, ``*`` or a
character class. Two patterns intersect when some segment string matches both; the
test explores the product of the two token automata and answers "intersect"
whenever it cannot prove otherwise. Matching ignores case.
"""

from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    import re

__all__ = ["Segment", "compile_segment", "segment_contains", "segments_intersect"]

# A class with a range wider than this is treated as "any character": exact set
# arithmetic with case folding is not worth it, and the answer stays sound.
_WIDE_RANGE = 512

_Range = tuple[str, str]


# Plain classes, not dataclasses: globs are matched on every hook call, and
# dataclasses (with inspect) cost more start-up time than the whole decision.
class _Token:
    """One token of a segment pattern: ``lit`` (``char``), ``any``, ``star`` or
    ``class`` (``ranges``, maybe ``negated``). Immutable; equal when its fields are."""

    __slots__ = ("char", "kind", "negated", "ranges")

    def __init__(self, kind: str, char: str = "", negated: bool = False,
                 ranges: tuple[_Range, ...] = ()) -> None:
        self.kind = kind
        self.char = char
        self.negated = negated
        self.ranges = ranges

    def _fields(self) -> tuple[str, str, bool, tuple[_Range, ...]]:
        return (self.kind, self.char, self.negated, self.ranges)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Token) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"_Token(kind={self.kind!r}, char={self.char!r}, negated={self.negated!r}, "
                f"ranges={self.ranges!r})")


_STAR = _Token("star")
_ANY = _Token("any")


class Segment:
    """A compiled segment pattern. Compiled once per text, so identity is equality
    (and hashing stays cheap inside the caches).

    Its regex is built on first use: an ASCII literal (``src``, ``api``) matches an
    ASCII segment by lower-casing both, exactly as the regex would (case folding
    only relates ASCII letters to non-ASCII ones), and never needs ``re`` — which
    costs hook start-up time.
    """

    __slots__ = ("_folded", "_regex", "text", "tokens")

    def __init__(self, text: str, tokens: tuple[_Token, ...]) -> None:
        self.text = text
        self.tokens = tokens
        self._regex: re.Pattern[str] | None = None
        plain = text.isascii() and all(token.kind == "lit" for token in tokens)
        self._folded = text.lower() if plain else None

    def __repr__(self) -> str:
        return f"Segment(text={self.text!r}, tokens={self.tokens!r})"

    @property
    def regex(self) -> re.Pattern[str]:
        """The segment as a case-insensitive regex (``.`` matching newlines too)."""
        if self._regex is None:
            import re

            self._regex = re.compile("".join(_token_regex(token) for token in self.tokens),
                                     re.IGNORECASE | re.DOTALL)
        return self._regex

    @property
    def literal(self) -> bool:
        return all(token.kind == "lit" for token in self.tokens)

    @property
    def only_stars(self) -> bool:
        return all(token.kind == "star" for token in self.tokens)

    def matches(self, segment: str) -> bool:
        if self._folded is not None and segment.isascii():
            return segment.lower() == self._folded
        return self.regex.fullmatch(segment) is not None


def _parse_class(pattern: str, start: int) -> tuple[_Token, int] | None:
    """The class opening at ``start`` and the index after it, or None if unterminated."""
    i = start + 1
    negated = i < len(pattern) and pattern[i] in "!^"
    i += negated
    first = i
    while i < len(pattern) and (pattern[i] != "]" or i == first):
        i += 1
    if i >= len(pattern):
        return None
    body, ranges, k = pattern[first:i], [], 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            if body[k] <= body[k + 2]:
                ranges.append((body[k], body[k + 2]))
            k += 3
        else:
            ranges.append((body[k], body[k]))
            k += 1
    return _Token("class", negated=negated, ranges=tuple(ranges)), i + 1


def _tokenize(pattern: str) -> tuple[_Token, ...]:
    tokens: list[_Token] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        parsed = _parse_class(pattern, i) if char == "[" else None
        if parsed is not None:
            tokens.append(parsed[0])
            i = parsed[1]
            continue
        tokens.append(_STAR if char == "*" else _ANY if char == "?" else _Token("lit", char))
        i += 1
    return tuple(tokens)


def _token_regex(token: _Token) -> str:
    import re

    if token.kind == "lit":
        return re.escape(token.char)
    if token.kind in ("any", "star"):
        return "." if token.kind == "any" else ".*"
    if not token.ranges:
        return "." if token.negated else "(?!)"
    body = "".join(re.escape(lo) if lo == hi else f"{re.escape(lo)}-{re.escape(hi)}"
                   for lo, hi in token.ranges)
    return f"[{'^' if token.negated else ''}{body}]"


@lru_cache(maxsize=8192)
def compile_segment(pattern: str) -> Segment:
    """Compile one segment of a glob (no ``/`` inside)."""
    return Segment(text=pattern, tokens=_tokenize(pattern))


def _variants(char: str) -> set[str]:
    out = {char, char.lower(), char.upper()}
    folded = char.casefold()
    if len(folded) == 1:
        out.add(folded)
    return out


def _expanded(token: _Token) -> set[str] | None:
    """The characters a class names, with case variants; None when too wide to list."""
    chars: set[str] = set()
    for lo, hi in token.ranges:
        if ord(hi) - ord(lo) > _WIDE_RANGE:
            return None
        for code in range(ord(lo), ord(hi) + 1):
            chars |= _variants(chr(code))
    return chars


def _class_admits(token: _Token, char: str) -> bool:
    listed = _expanded(token)
    if listed is None:
        return True
    hit = bool(_variants(char) & listed)
    return not hit if token.negated else hit


def _tokens_share_a_char(first: _Token, second: _Token) -> bool:
    if first.kind in ("any", "star") or second.kind in ("any", "star"):
        return True
    if first.kind == "lit" and second.kind == "lit":
        return bool(_variants(first.char) & _variants(second.char))
    if first.kind == "lit":
        return _class_admits(second, first.char)
    if second.kind == "lit":
        return _class_admits(first, second.char)
    return _classes_share(first, second)


def _classes_share(first: _Token, second: _Token) -> bool:
    if first.negated and second.negated:
        return True  # each excludes a finite set; the alphabet is larger
    positive, other = (second, first) if first.negated else (first, second)
    listed = _expanded(positive)
    if listed is None:
        return True
    return any(_class_admits(other, char) for char in listed)


@lru_cache(maxsize=65536)
def _intersect(first: Segment, second: Segment) -> bool:
    a, b = first.tokens, second.tokens
    stack, seen = [(0, 0)], {(0, 0)}
    while stack:
        i, j = stack.pop()
        if i == len(a) and j == len(b):
            return True
        moves = []
        if i < len(a) and a[i].kind == "star":
            moves.append((i + 1, j))
        if j < len(b) and b[j].kind == "star":
            moves.append((i, j + 1))
        if i < len(a) and j < len(b) and _tokens_share_a_char(a[i], b[j]):
            moves.append((i if a[i].kind == "star" else i + 1,
                          j if b[j].kind == "star" else j + 1))
        for move in moves:
            if move not in seen:
                seen.add(move)
                stack.append(move)
    return False


def segments_intersect(first: Segment | None, second: Segment | None) -> bool:
    """Whether some segment matches both (``None`` is ``**``: any segment)."""
    if first is None or second is None:
        return True
    return _intersect(first, second)


def segment_contains(outer: Segment, inner: Segment) -> bool:
    """True only when every segment ``inner`` matches is matched by ``outer``."""
    if outer.only_stars and outer.tokens:
        return True
    if inner.literal:
        return outer.matches(inner.text)
    return outer.text.casefold() == inner.text.casefold()
