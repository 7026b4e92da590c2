"""Run ids: mint one with lineage, or decode one (``dos run-id``)."""

from __future__ import annotations

import os
from typing import Any, NotRequired, TypedDict, cast

from dos.errors import UsageError
from dos.render import with_schema
from dos.run_id import RunId

__all__ = ["DecodedJSON", "MintedJSON", "decode", "decoded_json", "mint", "minted_json"]

_HINT = ("name the process (e.g. worker); --parent and --root take run ids such as "
         "RID-1M8HSC4V72JNYG0")


class MintedJSON(TypedDict):
    """``dos run-id mint --json``."""

    run_id: str
    process_id: str
    parent_id: str | None
    root_id: str
    ts_ms: int
    schema: dict[str, Any]


class DecodedJSON(TypedDict):
    """``dos run-id parse --json``."""

    run_id: str
    ts_ms: int
    minted_at: str
    schema: NotRequired[dict[str, Any]]


def mint(process: str, *, parent: str | None = None, root: str | None = None,
         from_env: bool = True) -> RunId:
    """A new run id for ``process``. With ``from_env``, the parent defaults to
    ``$CID_RUN_ID`` and the root to ``$CID_ROOT_ID`` (when there is a parent)."""
    from dos import run_id

    if from_env:
        parent = parent or os.environ.get("CID_RUN_ID") or None
        root = root or (os.environ.get("CID_ROOT_ID") if parent else None) or None
    try:
        return run_id.mint(process, parent, root=root)
    except ValueError as exc:
        raise UsageError(str(exc), hint=_HINT) from None


def minted_json(run: RunId) -> MintedJSON:
    return cast(MintedJSON, with_schema(run.as_dict(), "run-id"))


def decode(text: str) -> DecodedJSON:
    """The run id's canonical form and its mint time (epoch ms and ISO-8601 UTC)."""
    from dos import run_id

    try:
        decoded = run_id.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc), hint=_HINT) from None
    return cast(DecodedJSON, decoded)


def decoded_json(decoded: DecodedJSON) -> DecodedJSON:
    return cast(DecodedJSON, with_schema(decoded, "run-id"))
