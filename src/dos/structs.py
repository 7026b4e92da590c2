"""Value types at a fraction of ``dataclasses``' start-up cost.

``@struct`` reads a class body the way ``@dataclass`` does (annotated fields, defaults,
``field(default_factory=...)``, ``__post_init__``, inheritance) and type-checkers treat it as one
(PEP 681). Importing ``dataclasses`` pulls in ``inspect`` and builds every method with ``exec`` at
class creation; a short verb defines dozens of value types and uses a few, so here ``__init__``
reads the class's fields for its first constructions and is compiled only for a class built
often; the other methods are shared functions.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

TYPE_CHECKING = False  # typing costs every verb start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform, overload

    _T = TypeVar("_T")

__all__ = ["Field", "FrozenInstanceError", "asdict", "field", "fields", "is_struct", "replace",
           "struct"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()
_CLASSVAR_PREFIXES = ("ClassVar", "typing.ClassVar", "t.ClassVar")


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen struct."""


class Field:
    """One field: its name, how it gets a default, and whether ``==`` and ``repr`` see it."""

    __slots__ = ("compare", "default", "default_factory", "name", "repr")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING,
                 compare: bool = True, repr: bool = True) -> None:
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name, self.default, self.default_factory = "", default, default_factory
        self.compare, self.repr = compare, repr

    def __repr__(self) -> str:
        return f"Field(name={self.name!r})"


def _field(default: Any, default_factory: Any, compare: bool, repr: bool) -> Field:
    return Field(default, default_factory, compare, repr)


def _struct(cls: Any, frozen: bool, order: bool) -> Any:
    if cls is None:
        return lambda inner: _build(inner, frozen=frozen, order=order)
    return _build(cls, frozen=frozen, order=order)


# The signatures type checkers see (PEP 681); at run time the same calls, without importing
# typing for its overload and dataclass_transform decorators.
if TYPE_CHECKING:
    @overload
    def field(*, default: _T, compare: bool = ..., repr: bool = ...) -> _T: ...
    @overload
    def field(*, default_factory: Callable[[], _T], compare: bool = ...,
              repr: bool = ...) -> _T: ...
    @overload
    def field(*, compare: bool = ..., repr: bool = ...) -> Any: ...
    def field(*, default: Any = _MISSING, default_factory: Any = _MISSING,
              compare: bool = True, repr: bool = True) -> Any:
        return _field(default, default_factory, compare, repr)

    @overload
    def struct(cls: type[_T], /) -> type[_T]: ...
    @overload
    def struct(*, frozen: bool = ..., order: bool = ...) -> Callable[[type[_T]], type[_T]]: ...
    @dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
    def struct(cls: Any = None, /, *, frozen: bool = True, order: bool = False) -> Any:
        return _struct(cls, frozen, order)
else:
    def field(*, default=_MISSING, default_factory=_MISSING, compare=True, repr=True):
        """A field with a default factory, or left out of ``==`` or ``repr``."""
        return _field(default, default_factory, compare, repr)

    def struct(cls=None, /, *, frozen=True, order=False):
        """Make ``cls`` a value type: frozen unless ``frozen=False``, ordered when
        ``order=True``."""
        return _struct(cls, frozen, order)


def _build(cls: Any, *, frozen: bool, order: bool) -> Any:
    hints = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 - inspect is what we avoid
    own = [_own_field(cls, name) for name, hint in hints.items() if not _is_classvar(hint)]
    merged = {item.name: item for base in reversed(cls.__mro__[1:])
              for item in getattr(base, "__struct_fields__", ())}
    merged.update((item.name, item) for item in own)
    cls.__struct_fields__ = all_fields = tuple(merged.values())
    setattr(cls, "__match_args__", tuple(item.name for item in all_fields))  # noqa: B010 - mypy
    _check_default_order(cls, all_fields)
    _install(cls, all_fields, frozen=frozen, order=order)
    return cls


def _is_classvar(hint: object) -> bool:
    text = hint if isinstance(hint, str) else getattr(hint, "__qualname__", repr(hint))
    return isinstance(text, str) and text.startswith(_CLASSVAR_PREFIXES)


def _own_field(cls: Any, name: str) -> Field:
    value = cls.__dict__.get(name, _MISSING)
    item = value if isinstance(value, Field) else Field(default=value)
    item.name = name
    if isinstance(value, Field):
        if item.default is _MISSING:
            delattr(cls, name)
        else:
            setattr(cls, name, item.default)
    if isinstance(item.default, (list, dict, set)):
        raise ValueError(f"mutable default {type(item.default).__name__} for field {name} "
                         "is not allowed: use default_factory")
    return item


def _check_default_order(cls: Any, all_fields: tuple[Field, ...]) -> None:
    seen_default = False
    for item in all_fields:
        has_default = item.default is not _MISSING or item.default_factory is not _MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {item.name!r} follows default argument "
                            f"in {cls.__qualname__}")
        seen_default = seen_default or has_default


def _install(cls: Any, all_fields: tuple[Field, ...], *, frozen: bool, order: bool) -> None:
    own = cls.__dict__
    compared = tuple(item.name for item in all_fields if item.compare)
    cls.__struct_key__ = _key_getter(compared)
    if "__init__" not in own:
        cls.__init__ = _bootstrap_init(cls, frozen)
    if "__repr__" not in own:
        cls.__repr__ = _repr
    if "__eq__" not in own:
        cls.__eq__ = _eq
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if not explicit_hash:
        cls.__hash__ = _hash if frozen else None
    if frozen:
        cls.__setattr__, cls.__delattr__ = _frozen_setattr, _frozen_delattr
    if order:
        for name, method in _ORDER.items():
            if name in own:
                raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
            setattr(cls, name, method)


def _key_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _: ()
    if len(names) == 1:
        single = attrgetter(names[0])
        return lambda obj: (single(obj),)
    return attrgetter(*names)


# Constructions a class answers by reading its fields before its ``__init__`` is compiled:
# compiling costs as much as a few dozen interpreted calls, and most value types a short
# verb defines are built once or twice.
_INTERPRETED_CALLS = 32


def _bootstrap_init(cls: Any, frozen: bool) -> Callable[..., None]:
    calls = [0]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807 - it is __init__
        calls[0] += 1
        if calls[0] <= _INTERPRETED_CALLS:
            _interpreted_init(cls, frozen, self, args, kwargs)
            return
        compiled = _compile_init(cls, frozen)
        cls.__init__ = compiled
        compiled(self, *args, **kwargs)
    return __init__


def _interpreted_init(cls: Any, frozen: bool, self: Any, args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> None:
    """What the compiled ``__init__`` does, binding arguments as a function call would
    (the same ``TypeError`` for a missing, surplus, repeated or unknown argument)."""
    items = cls.__struct_fields__
    where = f"{cls.__qualname__}.__init__()"
    if len(args) > len(items):
        raise TypeError(f"{where} takes {len(items) + 1} positional arguments but "
                        f"{len(args) + 1} were given")
    given = {item.name: value for item, value in zip(items, args, strict=False)}
    names = {item.name for item in items}
    for name, value in kwargs.items():
        if name not in names:
            raise TypeError(f"{where} got an unexpected keyword argument {name!r}")
        if name in given:
            raise TypeError(f"{where} got multiple values for argument {name!r}")
        given[name] = value
    missing = [item.name for item in items if item.name not in given
               and item.default is _MISSING and item.default_factory is _MISSING]
    if missing:
        raise TypeError(f"{where} missing {len(missing)} required argument(s): "
                        + ", ".join(repr(name) for name in missing))
    assign = object.__setattr__ if frozen else setattr
    for item in items:
        value = given.get(item.name, _MISSING)
        if value is _MISSING:
            value = item.default if item.default_factory is _MISSING else item.default_factory()
        assign(self, item.name, value)
    if hasattr(cls, "__post_init__"):
        self.__post_init__()


def _compile_init(cls: Any, frozen: bool) -> Callable[..., None]:
    """The ``__init__`` dataclasses would write, built once per class on first use."""
    namespace: dict[str, Any] = {"_MISSING": _MISSING, "_setattr": object.__setattr__}
    params, body = [], []
    for index, item in enumerate(cls.__struct_fields__):
        namespace[f"_field_{index}"] = item
        params.append(_parameter(item, index))
        value = (f"_field_{index}.default_factory() if {item.name} is _MISSING else {item.name}"
                 if item.default_factory is not _MISSING else item.name)
        body.append(f"    _setattr(self, {item.name!r}, {value})" if frozen
                    else f"    self.{item.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or "    pass")
    exec(source, namespace)  # noqa: S102 - source built only from identifiers of the class body
    function: Callable[..., None] = namespace["__init__"]
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    return function


def _parameter(item: Field, index: int) -> str:
    if item.default_factory is not _MISSING:
        return f"{item.name}=_MISSING"
    if item.default is not _MISSING:
        return f"{item.name}=_field_{index}.default"
    return item.name


def _repr(self: Any) -> str:
    shown = ", ".join(f"{item.name}={getattr(self, item.name)!r}"
                      for item in self.__struct_fields__ if item.repr)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self.__struct_key__(self) == self.__struct_key__(other)


def _hash(self: Any) -> int:
    return hash(self.__struct_key__(self))


def _frozen_setattr(self: Any, name: str, value: object) -> None:  # noqa: ARG001 - protocol
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:  # noqa: ARG001 - protocol
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _compare(test: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Callable[[Any, Any], Any]:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return test(self.__struct_key__(self), self.__struct_key__(other))
    return method


_ORDER = {"__lt__": _compare(lambda a, b: a < b), "__le__": _compare(lambda a, b: a <= b),
          "__gt__": _compare(lambda a, b: a > b), "__ge__": _compare(lambda a, b: a >= b)}


def is_struct(value: object) -> bool:
    """Whether ``value`` is a struct instance or class."""
    return hasattr(value, "__struct_fields__")


def fields(value: Any) -> tuple[Field, ...]:
    """The fields of a struct instance or class, in ``__init__`` order."""
    try:
        return value.__struct_fields__  # type: ignore[no-any-return]
    except AttributeError:
        raise TypeError("fields() needs a struct instance or class") from None


def replace(value: _T, /, **changes: Any) -> _T:
    """A copy of ``value`` with ``changes`` applied, through ``__init__`` (so it validates)."""
    current = {item.name: getattr(value, item.name) for item in fields(value)}
    unknown = changes.keys() - current.keys()
    if unknown:
        raise TypeError(f"{type(value).__qualname__} has no field(s) {sorted(unknown)}")
    return type(value)(**(current | changes))


def asdict(value: Any) -> dict[str, Any]:
    """``value`` as nested plain dicts, lists and tuples, structs converted recursively."""
    if not is_struct(value) or isinstance(value, type):
        raise TypeError("asdict() needs a struct instance")
    return {item.name: _plain(getattr(value, item.name)) for item in value.__struct_fields__}


def _plain(value: Any) -> Any:
    if is_struct(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_plain(item) for item in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return type(value)((_plain(key), _plain(item)) for key, item in value.items())
    return value
