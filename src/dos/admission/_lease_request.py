"""What an agent asks the arbiter for: :class:`LeaseRequest` (exported by
:mod:`dos.admission.lease`).

Its own module so that reading leases, which every hook call does, never imports
``dataclasses``.
"""

from __future__ import annotations

from collections.abc import Mapping

from dos.structs import field, struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LeaseRequest"]


@struct
class LeaseRequest:
    """What an agent asks for. An empty ``lane`` asks the arbiter to auto-pick;
    an empty ``tree`` means the lane's declared tree."""

    lane: str = ""
    tree: tuple[str, ...] = ()
    mode: str = "exclusive"
    owner: str = ""
    force: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


LeaseRequest.__module__ = "dos.admission.lease"  # its public home, for reprs and pickles
