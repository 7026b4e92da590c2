"""``dos memory recall NAME | verify``: re-check an agent's memory notes against the
working tree and git before anyone relies on them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dos.api.memory_facts import TreeFacts
from dos.api.memory_store import find_note, note_files, read_note, resolve_store
from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.structs import struct
from dos.truth.memory.claims import extract_claims
from dos.truth.memory.ladder import GLOSS, MemoryVerdict, classify
from dos.truth.memory.note import Note
from dos.verdicts.memory import MemoryToken

__all__ = ["Sweep", "note_object", "recall", "recall_json", "sweep_json", "verify"]

# worst first: a sweep lists and exits as its worst note
_ORDER = {MemoryToken.STALE: 0, MemoryToken.UNVERIFIABLE: 1, MemoryToken.FRESH: 2}


@struct
class Sweep:
    store: Path
    verdicts: tuple[MemoryVerdict, ...]

    @property
    def exit_code(self) -> int:
        """The worst note's code, so a sweep and a recall of that note agree."""
        return max((verdict.token.exit_code for verdict in self.verdicts), default=0)

    def count(self, token: MemoryToken) -> int:
        return sum(verdict.token is token for verdict in self.verdicts)


def _judge(note: Note, tree: TreeFacts) -> MemoryVerdict:
    return classify(note, tree.check(extract_claims(note.body)))


def recall(config: SubstrateConfig, name: str, *, store: str | None = None) -> MemoryVerdict:
    """The verdict on the note called ``name`` (its file name or front-matter name)."""
    from dos.api.memory_store import check_name

    check_name(name)  # before the store: a path is refused whether or not a store is found
    directory = resolve_store(config.root, store)
    return _judge(find_note(directory, name), TreeFacts(config.root))


def verify(config: SubstrateConfig, *, store: str | None = None) -> Sweep:
    """Every note of the store, worst verdict first, then by name."""
    directory = resolve_store(config.root, store)
    tree = TreeFacts(config.root)
    notes = [note for note in map(read_note, note_files(directory)) if note is not None]
    verdicts = sorted((_judge(note, tree) for note in notes),
                      key=lambda v: (_ORDER[v.token], v.note.name, v.note.file))
    return Sweep(directory, tuple(verdicts))


def note_object(verdict: MemoryVerdict) -> dict[str, Any]:
    culprit = verdict.culprit.claim.raw if verdict.culprit is not None else None
    return {
        "verdict": verdict.token.value, "reason": verdict.reason, "memory": verdict.note.name,
        "file": verdict.note.file, "type": verdict.note.kind, "culprit": culprit,
        "claims": [{"claim": {"raw": check.claim.raw, "kind": check.claim.kind.value,
                              "polarity": check.claim.polarity.value,
                              "target_file": check.claim.target_file,
                              "line_hint": check.claim.line_hint},
                    "status": check.status.value, "ground_truth": check.ground_truth,
                    "source": check.source} for check in verdict.checks],
    }


def recall_json(verdict: MemoryVerdict, *, explain: bool = False) -> dict[str, Any]:
    payload = note_object(verdict)
    if explain:
        payload["interpretation"] = GLOSS[verdict.token]
    return with_schema(payload, "memory")  # type: ignore[no-any-return]


def sweep_json(sweep: Sweep) -> list[dict[str, Any]]:
    return with_schema([note_object(v) for v in sweep.verdicts], "memory")  # type: ignore[no-any-return]
