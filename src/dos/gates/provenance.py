"""Before a write-like tool call: did each id-shaped argument appear in what the agent
was shown (the task text, earlier tool output)? BELIEVE or UNSUPPORTED.

Pure. A value is traced by exact token match only: ``1234`` is not found in ``12345``.
A composite id (``INC-1234``) is found whole, or when every data-bearing part of it is
itself a token of the corpus. Read-like tools are not checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dos.gates.id_shape import components, id_shaped, tokens_of
from dos.structs import struct
from dos.verdicts.gates import ProvenanceToken, Rung

__all__ = ["ArgRow", "Corpus", "ProvenanceVerdict", "classify"]

SUPPORTED, UNSUPPORTED, ABSTAIN = "SUPPORTED", "UNSUPPORTED", "ABSTAIN"
_SHOWN = 120


class Corpus:
    """Labelled texts the environment showed the agent, as token sets."""

    __slots__ = ("sources",)

    def __init__(self, texts: Sequence[tuple[str, str]]) -> None:
        self.sources = [(label, tokens_of(text)) for label, text in texts if text.strip()]

    def where(self, token: str) -> list[str]:
        return [label for label, found in self.sources if token in found]


@struct
class ArgRow:
    arg_name: str
    value_repr: str
    stance: str
    id_shaped: bool
    reason: str
    matched_in: tuple[str, ...] = ()
    components_checked: tuple[str, ...] = ()
    components_unmatched: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"arg_name": self.arg_name, "value_repr": self.value_repr,
                "stance": self.stance, "id_shaped": self.id_shaped,
                "is_reference": self.id_shaped, "matched_in": list(self.matched_in),
                "components_checked": list(self.components_checked),
                "components_unmatched": list(self.components_unmatched),
                "reason": self.reason}


@struct
class ProvenanceVerdict:
    verdict: ProvenanceToken
    tool: str
    mutating: bool
    mutating_reason: str
    rows: tuple[ArgRow, ...]
    reason: str
    rung: Rung

    def to_dict(self) -> dict[str, Any]:
        unsupported = [row.arg_name for row in self.rows if row.stance == UNSUPPORTED]
        return {"verdict": self.verdict.value, "believe": self.verdict is
                ProvenanceToken.BELIEVE, "tool": self.tool, "mutating": self.mutating,
                "mutating_reason": self.mutating_reason, "rung": self.rung.value,
                "args": [row.to_dict() for row in self.rows], "unsupported": unsupported,
                "reason": self.reason}


def classify(tool: str, args: Mapping[str, Any], corpus: Corpus, *, mutating: bool,
             mutating_reason: str, new_keys: frozenset[str] = frozenset(),
             rung: Rung = Rung.CALLER_CLAIMED) -> ProvenanceVerdict:
    def verdict(token: ProvenanceToken, rows: tuple[ArgRow, ...], reason: str
                ) -> ProvenanceVerdict:
        return ProvenanceVerdict(token, tool, mutating, mutating_reason, rows, reason, rung)

    if not mutating:
        return verdict(ProvenanceToken.BELIEVE, (), f"'{tool}' is read-like "
                       f"({mutating_reason}) — arguments are not checked")
    if not corpus.sources:
        rows = tuple(ArgRow(name, _repr(value), ABSTAIN, False, "no corpus to trace against")
                     for name, value in args.items())
        return verdict(ProvenanceToken.BELIEVE, rows, "nothing the agent was shown was "
                       "given (--task-text, --prior, --prior-file) — every argument abstains")
    rows = tuple(row for name, value in args.items()
                 for row in _rows(name, value, corpus, new_keys))
    missing = [row.arg_name for row in rows if row.stance == UNSUPPORTED]
    if missing:
        return verdict(ProvenanceToken.UNSUPPORTED, rows, (
            f"{', '.join(missing)} carr{'ies' if len(missing) == 1 else 'y'} an id that "
            "appears nowhere in what the agent was shown — it may be invented"))
    return verdict(ProvenanceToken.BELIEVE, rows, "every id-shaped argument appeared, as a "
                   "whole token, in what the agent was shown")


def _repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _rows(name: str, value: Any, corpus: Corpus, new_keys: frozenset[str]) -> list[ArgRow]:
    top = name.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    if name.casefold() in new_keys or top.casefold() in new_keys:
        return [ArgRow(name, _repr(value), ABSTAIN, False, "declared a new key (--new-key)")]
    if isinstance(value, Mapping):
        return [row for key, item in value.items()
                for row in _rows(f"{name}.{key}", item, corpus, new_keys)]
    if isinstance(value, list | tuple):
        return [row for index, item in enumerate(value)
                for row in _rows(f"{name}[{index}]", item, corpus, new_keys)]
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return [ArgRow(name, _repr(value), ABSTAIN, False, "not an identifier")]
    return [_scalar(name, str(value), _repr(value), corpus)]


def _scalar(name: str, text: str, shown: str, corpus: Corpus) -> ArgRow:
    leaf = name.rsplit(".", 1)[-1].split("[", maxsplit=1)[0]
    if not id_shaped(leaf, text):
        return ArgRow(name, shown, ABSTAIN, False, "not id-shaped")
    whole = text.strip().lower()
    found = corpus.where(whole)
    if found:
        return ArgRow(name, shown, SUPPORTED, True, "found whole", tuple(found))
    parts = components(whole) or (whole,)
    missing = tuple(part for part in parts if not corpus.where(part))
    places = tuple(dict.fromkeys(label for part in parts for label in corpus.where(part)))
    if missing:
        return ArgRow(name, shown, UNSUPPORTED, True, f"never shown: {', '.join(missing)}",
                      places, parts, missing)
    return ArgRow(name, shown, SUPPORTED, True, "every part found as a token", places, parts)
