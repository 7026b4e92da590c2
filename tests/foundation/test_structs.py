"""``dos.structs`` behaves as the frozen dataclasses it replaced: the same constructor,
equality, hashing, ordering, repr, immutability, ``replace`` and ``asdict`` — checked side by
side with ``dataclasses`` on the same class bodies and random values."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._support.git import GitRepo

from dos import structs
from dos.structs import field, struct


@struct
class Point:
    x: int
    label: str = "p"
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list, compare=False)


@dataclasses.dataclass(frozen=True)
class PointDC:
    x: int
    label: str = "p"
    tags: tuple[str, ...] = ()
    notes: list[str] = dataclasses.field(default_factory=list, compare=False)


@struct(order=True)
class Ranked:
    rank: int
    name: str


@dataclasses.dataclass(frozen=True, order=True)
class RankedDC:
    rank: int
    name: str


@struct
class Child(Point):
    extra: int = 0


@struct(frozen=False)
class Mutable:
    count: int
    items: list[int] = field(default_factory=list)


@struct
class Checked:
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


@struct
class Nested:
    point: Point
    ranked: tuple[Ranked, ...]
    by_name: dict[str, Ranked]


values = st.tuples(st.integers(-5, 5), st.sampled_from(["a", "b"]),
                   st.lists(st.sampled_from(["t", "u"]), max_size=2).map(tuple))


@given(values, values)
def test_equality_and_hash_agree_with_dataclasses(left: Any, right: Any) -> None:
    ours, theirs = (Point(*left), Point(*right)), (PointDC(*left), PointDC(*right))
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    if ours[0] == ours[1]:
        assert hash(ours[0]) == hash(ours[1])
    assert repr(ours[0]).replace("Point", "") == repr(theirs[0]).replace("PointDC", "")


@given(st.tuples(st.integers(-3, 3), st.sampled_from("ab")),
       st.tuples(st.integers(-3, 3), st.sampled_from("ab")))
def test_ordering_agrees_with_dataclasses(left: Any, right: Any) -> None:
    ours, theirs = (Ranked(*left), Ranked(*right)), (RankedDC(*left), RankedDC(*right))
    assert (ours[0] < ours[1]) == (theirs[0] < theirs[1])
    assert (ours[0] >= ours[1]) == (theirs[0] >= theirs[1])
    assert sorted([ours[1], ours[0]]) == [Ranked(*t) for t in sorted([left, right])]


def test_fields_outside_compare_are_ignored_by_equality() -> None:
    assert Point(1, notes=["a"]) == Point(1, notes=["b"])
    assert Point(1) != Point(2)
    assert Point(1) != PointDC(1)


def test_frozen_refuses_assignment_and_deletion() -> None:
    point = Point(1)
    with pytest.raises(structs.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.x  # type: ignore[misc]
    assert point.x == 1


def test_constructor_errors_match_a_function_signature() -> None:
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, "a", (), [], 5)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Point(1, colour="red")  # type: ignore[call-arg]


def test_default_factory_gives_each_instance_its_own_value() -> None:
    first, second = Mutable(1), Mutable(2)
    first.items.append(1)
    assert second.items == []
    first.count = 5
    assert first.count == 5


def test_post_init_runs_and_can_refuse() -> None:
    assert Checked(1, 2).high == 2
    with pytest.raises(ValueError, match="low above high"):
        Checked(3, 2)
    with pytest.raises(ValueError, match="low above high"):
        structs.replace(Checked(1, 2), low=9)


def test_inheritance_appends_fields_after_the_base() -> None:
    child = Child(1, "c", extra=3)
    assert [item.name for item in structs.fields(child)] == ["x", "label", "tags", "notes",
                                                              "extra"]
    assert child != Point(1, "c")
    assert Child.__match_args__ == ("x", "label", "tags", "notes", "extra")


def test_replace_validates_and_names_unknown_fields() -> None:
    point = Point(1, "a")
    assert structs.replace(point, label="b") == Point(1, "b")
    assert point.label == "a"
    with pytest.raises(TypeError, match="colour"):
        structs.replace(point, colour="red")


def test_asdict_recurses_like_dataclasses() -> None:
    nested = Nested(Point(1), (Ranked(1, "a"),), {"k": Ranked(2, "b")})
    assert structs.asdict(nested) == {
        "point": {"x": 1, "label": "p", "tags": (), "notes": []},
        "ranked": ({"rank": 1, "name": "a"},),
        "by_name": {"k": {"rank": 2, "name": "b"}},
    }
    with pytest.raises(TypeError):
        structs.asdict(Nested)


def test_copy_and_pickle_round_trip() -> None:
    point = Point(1, "a", ("t",), ["n"])
    assert pickle.loads(pickle.dumps(point)) == point  # noqa: S301 - our own bytes
    assert copy.deepcopy(point) == point
    assert copy.copy(point).notes is point.notes


def test_mutable_default_and_misordered_defaults_are_refused() -> None:
    with pytest.raises(ValueError, match="default_factory"):
        struct(type("Bad", (), {"__annotations__": {"items": "list[int]"}, "items": []}))
    with pytest.raises(TypeError, match="non-default argument"):
        struct(type("Bad", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))


def test_short_verbs_never_import_dataclasses(git_repo: Callable[..., GitRepo]) -> None:
    """The point of structs: a short verb's start-up does not pay for ``dataclasses``."""
    repo = git_repo()
    repo.commit("AUTH1: ship it", {"dos.toml": '[lanes]\nconcurrent = ["api"]\n'
                                   '[lanes.trees]\napi = ["src/api/**"]\n'})
    probe = ("import sys\nfrom dos.cli import main\ncode = main(sys.argv[1:])\n"
             "print('dataclasses' in sys.modules, 'inspect' in sys.modules, file=sys.stderr)\n"
             "raise SystemExit(code)")
    for argv in (["arbitrate", "--lane", "api"], ["verify", "AUTH", "AUTH1"],
                 ["lease-lane", "acquire", "--lane", "api", "--owner", "probe"],
                 ["lease-lane", "release", "--lane", "api", "--owner", "probe"]):
        done = subprocess.run([sys.executable, "-c", probe, *argv], cwd=repo.path,
                              capture_output=True, text=True, check=False)
        assert done.stderr.strip().splitlines()[-1] == "False False", (argv, done.stderr)


@pytest.mark.parametrize("compiled", [False, True], ids=["interpreted", "compiled"])
def test_both_constructors_bind_and_refuse_alike(compiled: bool,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A class's first constructions read its fields; later ones run the compiled
    ``__init__``: both give the same instance and refuse the same calls."""
    monkeypatch.setattr(structs, "_INTERPRETED_CALLS", -1 if compiled else 10**9)

    @struct
    class Fresh:
        x: int
        label: str = "p"
        notes: list[str] = field(default_factory=list)

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError("negative x")

    first, second = Fresh(1), Fresh(2, notes=["n"])
    assert (first.x, first.label, first.notes, second.notes) == (1, "p", [], ["n"])
    assert Fresh(1).notes is not first.notes
    assert Fresh(3, "q") == Fresh(x=3, label="q")
    refused: list[Callable[[], object]] = [
        Fresh, lambda: Fresh(1, "a", [], 5),  # type: ignore[list-item, call-arg]
        lambda: Fresh(1, x=2), lambda: Fresh(1, colour="red")]  # type: ignore[misc, call-arg]
    for call in refused:
        with pytest.raises(TypeError):
            call()
    with pytest.raises(ValueError, match="negative x"):
        Fresh(-1)
    with pytest.raises(structs.FrozenInstanceError):
        first.x = 5  # type: ignore[misc]
    assert _is_compiled(Fresh) is compiled


def _is_compiled(cls: type) -> bool:
    """Whether the class runs the ``__init__`` compiled from generated source."""
    return vars(cls)["__init__"].__code__.co_filename == "<string>"  # type: ignore[no-any-return]


def test_a_class_built_often_gets_its_compiled_constructor() -> None:
    @struct
    class Often:
        x: int

    for index in range(structs._INTERPRETED_CALLS):
        assert Often(index).x == index
    assert not _is_compiled(Often)
    assert Often(7).x == 7
    assert _is_compiled(Often)
