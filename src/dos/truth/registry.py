"""The run registry (``dos.state.yaml``): rows a run wrote when it finished a phase.

A row is a claim, not evidence: the oracle only counts one whose commit exists and
is an ancestor of the ref being asked about.
"""

from __future__ import annotations

from pathlib import Path

from dos.errors import ConfigError
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["RegistryRow", "matching_rows", "read_registry"]

# A row in one of these claim states was never a finished ship.
_DEAD_CLAIMS = frozenset({"stalled", "failed", "expired", "abandoned", "reverted", "released"})


@struct
class RegistryRow:
    """One ``recently_completed`` entry, values as written (trimmed)."""

    plan: str
    phase: str
    status: str
    commit_sha: str = ""
    doc_path: str = ""
    claim_status: str = ""


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return "" if value is None else str(value).strip()


def read_registry(path: Path) -> tuple[RegistryRow, ...]:
    """The rows of ``path``; none when it does not exist; :class:`ConfigError` if malformed."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the run registry: {exc}", path=str(path),
                          hint="fix the file's permissions or encoding, or remove it") from exc
    try:
        from dos.truth import mini_yaml  # start-up time: only a workspace with a registry

        data = mini_yaml.loads(text)
    except ValueError as exc:
        raise ConfigError(f"the run registry is not readable YAML ({exc})", path=str(path),
                          hint="repair the file or move it away; dos reads a simple YAML "
                               "subset or JSON") from exc
    if data is None:
        return ()
    if not isinstance(data, dict) or not isinstance(data.get("recently_completed", []), list):
        raise ConfigError("the run registry must be a mapping with a list "
                          "'recently_completed'", path=str(path),
                          hint="write rows as recently_completed: [- plan: …, phase: …]")
    return tuple(
        RegistryRow(plan=_text(e, "plan"), phase=_text(e, "phase"), status=_text(e, "status"),
                    commit_sha=_text(e, "commit_sha"), doc_path=_text(e, "doc_path"),
                    claim_status=_text(e, "claim_status"))
        for e in data.get("recently_completed") or [] if isinstance(e, dict)
    )


def _same_doc(row_doc: str, docs: tuple[str, ...]) -> bool:
    normal = row_doc.replace("\\", "/").lower()
    return any(normal == d.lower() or normal.rsplit("/", 1)[-1] == d.lower().rsplit("/", 1)[-1]
               for d in docs)


def matching_rows(rows: tuple[RegistryRow, ...], plan: str, phase: str,
                  docs: tuple[str, ...] = ()) -> list[RegistryRow]:
    """Rows that claim (plan, phase) is done, in file order; a row naming a different
    plan doc than ``docs`` (when known) is another plan's row sharing the id."""
    wanted = (plan.strip().lower(), phase.strip().lower())
    return [
        row for row in rows
        if (row.plan.lower(), row.phase.lower()) == wanted
        and row.status.lower() == "done"
        and row.claim_status.lower() not in _DEAD_CLAIMS
        and not (docs and row.doc_path and not _same_doc(row.doc_path, docs))
    ]
