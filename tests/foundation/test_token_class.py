"""Every verdict family, built by dos's token class, behaves as the same family built on
enum.StrEnum: each module under dos.verdicts is executed a second time with a StrEnum
VerdictToken and the two are compared member by member, on every operation dos or a
caller uses (iteration, lookups, str/repr/format, equality and hashing as the token,
pickle and copy, JSON, membership, reassignment, the exit-code contract)."""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import pkgutil
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

import dos.verdicts
from dos.verdicts import VerdictToken
from dos.verdicts._token_class import TokenBase


class _RealToken(StrEnum):
    """VerdictToken as it was: its own methods, on enum.StrEnum."""

    exit_code: int
    __new__ = VerdictToken.__new__
    __str__ = VerdictToken.__str__
    contract = classmethod(VerdictToken.contract.__func__)  # type: ignore[attr-defined]


def _family_modules() -> list[str]:
    return sorted(f"dos.verdicts.{info.name}" for info in pkgutil.iter_modules(
        dos.verdicts.__path__) if not info.name.startswith("_"))


def _pairs() -> Iterator[tuple[type[Any], type[Any]]]:
    """(dos's family, the same class body built on StrEnum) for every family."""
    for name in _family_modules():
        module = importlib.import_module(name)
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        twin: dict[str, Any] = {"__name__": f"twin_{name}"}
        original = dos.verdicts.VerdictToken
        dos.verdicts.VerdictToken = _RealToken  # type: ignore[misc]
        try:
            exec(compile(source, module.__file__ or name, "exec"), twin)  # noqa: S102
        finally:
            dos.verdicts.VerdictToken = original  # type: ignore[misc]
        for key, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, VerdictToken) \
                    and value.__module__ == name:
                yield value, twin[key]


_PAIRS = list(_pairs())


def test_every_family_is_compared() -> None:
    assert len(_PAIRS) >= 40
    assert all(issubclass(ours, TokenBase) and issubclass(real, StrEnum)
               for ours, real in _PAIRS)


@pytest.mark.parametrize(("ours", "real"), _PAIRS, ids=[o.__qualname__ for o, _ in _PAIRS])
def test_a_family_behaves_as_its_strenum_twin(ours: type[Any], real: type[Any]) -> None:
    def shape(cls: type[Any]) -> list[tuple[str, str, int]]:
        return [(m.name, m.value, m.exit_code) for m in cls]

    assert shape(ours) == shape(real)
    assert len(ours) == len(real)
    assert [(m.name, m.value) for m in reversed(ours)] == [
        (m.name, m.value) for m in reversed(real)]
    assert {k: v.value for k, v in ours.__members__.items()} == {
        k: v.value for k, v in real.__members__.items()}
    assert ours.contract() == real.contract()
    assert ours.contract(9) == real.contract(9)
    assert repr(ours).replace(ours.__name__, "X") == repr(real).replace(real.__name__, "X")
    extras = [k for k, v in vars(real).items() if isinstance(v, property)]
    for theirs in real:
        member = ours[theirs.name]
        assert member is getattr(ours, theirs.name)
        assert ours(theirs.value) is member
        assert ours(member) is member
        assert isinstance(member, str)
        assert member == theirs.value
        assert hash(member) == hash(theirs) == hash(theirs.value)
        assert (str(member), f"{member}", f"{member:>30}", format(member, "")) == (
            str(theirs), f"{theirs}", f"{theirs:>30}", format(theirs, ""))
        assert repr(member).replace(ours.__name__, "X") == repr(theirs).replace(
            real.__name__, "X")
        assert json.dumps({"v": member}) == json.dumps({"v": theirs})
        assert pickle.loads(pickle.dumps(member)) is member  # noqa: S301 - our own bytes
        assert copy.copy(member) is member
        assert copy.deepcopy({"v": member})["v"] is member
        assert member in ours
        assert bool(member) == bool(theirs)
        assert {"name", "value"} <= set(dir(member))
        for extra in extras:
            assert getattr(member, extra) == getattr(theirs, extra)
    first = next(iter(real))
    with pytest.raises(AttributeError, match="cannot reassign member"):
        setattr(ours, first.name, "x")
    with pytest.raises(AttributeError, match="cannot reassign member"):
        setattr(real, first.name, "x")


def test_refusals_read_as_strenum_s() -> None:
    ours, real = _PAIRS[0]
    for cls in (ours, real):
        with pytest.raises(ValueError, match=r"^'no-such-token' is not a valid "):
            cls("no-such-token")
        with pytest.raises(KeyError):
            cls["NO_SUCH_NAME"]
    with pytest.raises(TypeError, match="unsupported operand type"):  # 3.11's StrEnum
        _ = "no-such-token" in ours  # raises it too, with a warning that 3.12 will not


def _defined(base: type[Any]) -> type[Any]:
    class Family(base):  # type: ignore[misc, valid-type]
        ONE = ("one", 0)
        TWO = ("two", 3)
        SECOND_NAME = ("one", 0)  # an alias: a second name for a token

        @property
        def loud(self) -> str:
            return str(self).upper()

        def helper(self) -> int:
            return int(self.exit_code) + 1

        _private = ("private", 9)
        __mangled = ("mangled", 8)
    return Family


def test_aliases_methods_and_private_names_as_enum_has_them() -> None:
    ours, real = _defined(VerdictToken), _defined(_RealToken)
    assert [m.name for m in ours] == [m.name for m in real] == ["ONE", "TWO", "_private"]
    assert list(ours.__members__) == list(real.__members__)
    assert ours.SECOND_NAME is ours.ONE
    assert real.SECOND_NAME is real.ONE
    assert ours.TWO.loud == real.TWO.loud == "TWO"
    assert ours.TWO.helper() == real.TWO.helper() == 4
    assert ours._private.exit_code == real._private.exit_code == 9
    assert ours._Family__mangled == real._Family__mangled == ("mangled", 8)
