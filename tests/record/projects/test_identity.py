"""The pure move-or-copy rule, case by case."""

from __future__ import annotations

import pytest

from dos.record.projects.identity import Placement, Sighting, place

X, Y = "a" * 32, "b" * 32
FILE, COPY = (1, 10), (1, 20)

CASES = [
    ("an id never registered", Sighting("/p2", FILE, None, None, None), Placement.NEW),
    ("seen where it was registered", Sighting("/p1", FILE, "/p1", FILE, None), Placement.SEEN),
    ("the old root is gone", Sighting("/p2", FILE, "/p1", FILE, None), Placement.MOVED),
    ("the old root holds another project", Sighting("/p2", FILE, "/p1", FILE, (Y, 1, 30)),
     Placement.MOVED),
    ("the original is still where it was", Sighting("/p2", COPY, "/p1", FILE, (X, *FILE)),
     Placement.COPIED),
    ("a copy was put back at the old root; this is the file that moved",
     Sighting("/p2", FILE, "/p1", FILE, (X, *COPY)), Placement.MOVED),
    ("both are copies of a file that is gone (rsync both ways)",
     Sighting("/p2", COPY, "/p1", FILE, (X, 1, 30)), Placement.COPIED),
]


@pytest.mark.parametrize(("sighting", "expected"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_place(sighting: Sighting, expected: Placement) -> None:
    assert place(sighting, X) is expected
