"""The verdict token type at run time: what :class:`enum.StrEnum` does for a verdict
family, without importing :mod:`enum`.

Importing ``enum`` costs a short verb as many instructions as the interpreter's own
start-up does to a third, and building each enum class through its metaclass costs
more. A verdict family needs little of it: named ``str`` members fixed at class
creation, each carrying its exit code; iteration in definition order; lookup by value
(``Family("TOKEN")``) and by name (``Family["NAME"]``); ``__members__``; members that
pickle and copy as themselves, compare and hash as their token, and refuse to be
reassigned. :class:`TokenClass` (the metaclass) and :class:`TokenBase` give exactly that,
with ``StrEnum``'s messages and reprs; ``tests/foundation/test_token_class.py`` builds
every family both ways and compares them member by member.

Type checkers are shown ``StrEnum`` itself (``dos.verdicts`` imports this module only at
run time), so exhaustiveness checks and member types stay what they were.
"""

from __future__ import annotations

from types import MappingProxyType

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

__all__ = ["TokenBase", "TokenClass"]


def _is_member(cls_name: str, key: str, value: object) -> bool:
    """Enum's rule: a name bound to a plain value (not a function, property, classmethod
    or other descriptor) is a member, unless it is a ``__dunder__``, a ``_sunder_`` or a
    private ``__name`` (mangled)."""
    if (key[:2] == "__" and key[-2:] == "__") or (
            len(key) > 2 and key[0] == "_" and key[-1] == "_" and key[1] != "_") \
            or key.startswith(f"_{cls_name.lstrip('_')}__"):
        return False
    kind = type(value)
    return not (hasattr(kind, "__get__") or hasattr(kind, "__set__")
                or hasattr(kind, "__delete__"))


class TokenClass(type):
    """The metaclass: turns a family's ``NAME = (token, exit_code)`` lines into members."""

    _member_map_: dict[str, Any]
    _value2member_map_: dict[str, Any]
    _member_names_: list[str]

    def __new__(mcls, name: str, bases: tuple[type, ...],
                namespace: dict[str, Any]) -> TokenClass:
        declared = [(key, value) for key, value in namespace.items()
                    if _is_member(name, key, value)]
        for key, _ in declared:
            del namespace[key]
        cls = super().__new__(mcls, name, bases, namespace)
        family: Any = cls  # its members are built by its own __new__ (a str's)
        members: dict[str, Any] = {}
        by_value: dict[str, Any] = {}
        names: list[str] = []
        for key, value in declared:
            args = value if isinstance(value, tuple) else (value,)
            member = family.__new__(family, *args)
            if not hasattr(member, "_value_"):
                member._value_ = args[0]
            alias = by_value.get(member._value_)
            if alias is not None:  # a second name for a token already declared
                members[key] = alias
                continue
            member._name_ = key
            members[key] = by_value[member._value_] = member
            names.append(key)
        type.__setattr__(cls, "_member_map_", members)
        type.__setattr__(cls, "_value2member_map_", by_value)
        type.__setattr__(cls, "_member_names_", names)
        for key, member in members.items():
            type.__setattr__(cls, key, member)
        return cls

    def __call__(cls, value: object) -> Any:
        if isinstance(value, cls):
            return value
        try:
            return cls._value2member_map_[value]  # type: ignore[index]
        except (KeyError, TypeError):
            raise ValueError(f"{value!r} is not a valid {cls.__qualname__}") from None

    def __getitem__(cls, name: str) -> Any:
        return cls._member_map_[name]

    def __iter__(cls) -> Iterator[Any]:
        return (cls._member_map_[name] for name in cls._member_names_)

    def __reversed__(cls) -> Iterator[Any]:
        return (cls._member_map_[name] for name in reversed(cls._member_names_))

    def __len__(cls) -> int:
        return len(cls._member_names_)

    def __bool__(cls) -> bool:
        return True

    def __contains__(cls, member: object) -> bool:
        if not isinstance(member, TokenBase):
            raise TypeError(f"unsupported operand type(s) for 'in': "
                            f"{type(member).__qualname__!r} and 'EnumType'")
        return isinstance(member, cls) and member._name_ in cls._member_map_

    @property
    def __members__(cls) -> Mapping[str, Any]:
        return MappingProxyType(cls._member_map_)

    def __repr__(cls) -> str:
        return f"<enum {cls.__name__!r}>"

    def __setattr__(cls, name: str, value: object) -> None:
        if name in cls.__dict__.get("_member_map_", {}):
            raise AttributeError(f"cannot reassign member {name!r}")
        super().__setattr__(name, value)

    def __delattr__(cls, name: str) -> None:
        if name in cls.__dict__.get("_member_map_", {}):
            raise AttributeError(f"cannot delete member {name!r}")
        super().__delattr__(name)


class TokenBase(str, metaclass=TokenClass):
    """A ``str`` member of a verdict family (see the module's docstring)."""

    _name_: str
    _value_: str

    @property
    def name(self) -> str:
        return self._name_

    @property
    def value(self) -> str:
        return self._value_

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(str(self._value_), spec)

    def __reduce_ex__(self, protocol: object) -> tuple[Any, tuple[str]]:
        return type(self), (self._value_,)

    def __copy__(self) -> TokenBase:
        return self

    def __deepcopy__(self, memo: object) -> TokenBase:
        return self

    def __dir__(self) -> list[str]:
        return sorted({*object.__dir__(self), "name", "value"})
