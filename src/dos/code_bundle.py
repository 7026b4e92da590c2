"""dos's own compiled modules read from one file, instead of one cached-bytecode file each.

A short verb imports about a hundred of dos's modules, and for each the import system
searches ``sys.meta_path``, stats the source, opens and reads its ``.pyc``, checks its
header and unmarshals it — in Python code that costs as much as many small modules'
own bodies. In the ``dos`` command's process, :func:`install` puts :class:`Bundle`
first on ``sys.meta_path``. It answers for names under ``dos.`` from one file beside the
package's bytecode cache (``dos/__pycache__/dos-bundle.<cache tag>.bin``): an index —
each module's source path relative to the package, the source's size and modification
time in nanoseconds, whether it is a package, where its code lies — then the code of
each module exactly as its ``.pyc`` held it.

A module is served from the file only when its source still has that size and time (a
stricter test than the ``.pyc``'s own, which keeps whole seconds) and the file was made
by this interpreter's bytecode version; its spec and loader are the ones the path finder
would build (``SourceFileLoader``, so ``__file__``, ``__cached__``, ``get_source`` and
the rest are as before) and only ``get_code`` reads from the bundle. Everything else —
a name it does not hold, a changed source, a torn, foreign or unreadable file — is the
import system's ordinary search and ``.pyc``, as if there were no bundle.

The file is written at the end of a process that imported any of dos's modules the
ordinary way, from their ``.pyc`` files (only ones whose header matches their source),
merged with the entries still valid; an atomic rename, so a reader sees the old file or
the new one. Nothing is written when Python is told not to write bytecode
(``PYTHONDONTWRITEBYTECODE``), when the cache directory is not writable, or with
``DOS_NO_CODE_BUNDLE=1``, which also stops it being read.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from importlib.machinery import SourceFileLoader as _SourceLoader
    from types import CodeType, ModuleType
    from typing import Any
else:  # the class the import system itself uses (importlib.machinery costs start-up time)
    _SourceLoader = sys.modules["_frozen_importlib_external"].SourceFileLoader

__all__ = ["Bundle", "bundle_path", "install", "write"]

_SIGNATURE = b"dos-bundle\x00\x01"  # the format; a file that does not start so is foreign
_PREFIX = "dos."
_MAX_INDEX = 4 * 1024 * 1024  # bytes: an index longer than this is not ours
_EXTERNAL: Any = sys.modules["_frozen_importlib_external"]
_BOOTSTRAP: Any = sys.modules["_frozen_importlib"]

# name -> (path relative to the package dir, mtime_ns, size, is_package, offset, length)
Entry = tuple[str, int, int, bool, int, int]
Index = dict[str, Entry]
_SHAPE = (str, int, int, bool, int, int)


def _entry(index: Index, name: str) -> Entry | None:
    """``name``'s entry when it has the shape this module writes; None otherwise (a
    damaged index answers as a missing one)."""
    found: object = index.get(name)
    if not (isinstance(found, tuple) and len(found) == len(_SHAPE)
            and all(type(value) is kind for value, kind in zip(found, _SHAPE, strict=True))):
        return None
    return found


def bundle_path(package_dir: str) -> str:
    """Where the bundle of the package at ``package_dir`` lives (beside its ``.pyc``
    files, so ``PYTHONPYCACHEPREFIX`` moves it too)."""
    cached = _EXTERNAL.cache_from_source(os.path.join(package_dir, "__init__.py"))  # noqa: PTH118
    return os.path.join(os.path.dirname(cached),  # noqa: PTH118, PTH120
                        f"dos-bundle.{sys.implementation.cache_tag}.bin")


def _source_stat(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)  # noqa: PTH116 - pathlib costs start-up time
    except (OSError, ValueError):
        return None
    return found.st_mtime_ns, found.st_size


class _BundledLoader(_SourceLoader):
    """The source loader, whose code comes from the bundle while it is current."""

    def __init__(self, fullname: str, path: str, bundle: Bundle) -> None:
        super().__init__(fullname, path)
        self._bundle = bundle

    def get_code(self, fullname: str) -> CodeType | None:
        code = self._bundle.code(fullname) if fullname == self.name else None
        if code is None:
            self._bundle.missed.add(fullname)
            return super().get_code(fullname)
        return code


class Bundle:
    """A meta-path finder for ``dos.*`` serving code from the bundle file."""

    def __init__(self, package_dir: str, path: str) -> None:
        self.package_dir, self.path = package_dir, path
        self.index: Index = {}
        self.missed: set[str] = set()  # imported the ordinary way: the next bundle has them
        self._fd = -1
        self._base = 0
        self._read_index()

    def _read_index(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except (OSError, ValueError):
            return
        try:
            found = _parse_index(fd)
        except (OSError, ValueError, EOFError, TypeError):
            found = None
        if found is None:
            os.close(fd)
            return
        self.index, self._base = found
        self._fd = fd

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None,  # noqa: ARG002 - the protocol's
                  ) -> ModuleSpec | None:
        entry = _entry(self.index, name)
        if entry is None:
            if name.startswith(_PREFIX):
                self.missed.add(name)
            return None
        relative, mtime_ns, size, is_package, _, _ = entry
        origin = os.path.join(self.package_dir, relative)  # noqa: PTH118
        if _source_stat(origin) != (mtime_ns, size):
            self.missed.add(name)  # changed or gone: the ordinary search, then a new entry
            return None
        folder = os.path.dirname(origin)  # noqa: PTH120
        if path is not None and list(path) != [os.path.dirname(folder) if is_package  # noqa: PTH120
                                               else folder]:
            return None  # a parent whose __path__ was changed: the ordinary search
        spec: ModuleSpec = _BOOTSTRAP.ModuleSpec(
            name, _BundledLoader(name, origin, self), origin=origin)
        spec.has_location = True  # __file__ and __cached__, as the path finder sets them
        if is_package:
            spec.submodule_search_locations = [folder]
        return spec

    def raw(self, name: str) -> bytes | None:
        """The module's marshalled code as the bundle holds it (the source was checked
        against its entry when the module was found)."""
        entry = _entry(self.index, name)
        if entry is None or self._fd < 0:
            return None
        offset, length = entry[4], entry[5]
        try:
            data = os.pread(self._fd, length, self._base + offset)
        except (OSError, ValueError, OverflowError):
            return None
        return data if len(data) == length else None

    def code(self, name: str) -> CodeType | None:
        """The module's code from the bundle; None (the ordinary ``.pyc``) when it
        cannot be read back."""
        data = self.raw(name)
        try:
            code = marshal.loads(data) if data is not None else None  # noqa: S302 - see above
        except (ValueError, EOFError, TypeError):
            return None
        return code if type(code).__name__ == "code" else None


def _parse_index(fd: int) -> tuple[Index, int] | None:
    """The bundle's index and where its code begins; None when the file is not a bundle
    of this interpreter's bytecode."""
    head = os.pread(fd, len(_SIGNATURE) + 8, 0)
    if len(head) != len(_SIGNATURE) + 8 or not head.startswith(_SIGNATURE):
        return None
    length = int.from_bytes(head[len(_SIGNATURE):], "big")
    if length > _MAX_INDEX:
        return None
    raw = os.pread(fd, length, len(head))
    # marshal: the bundle sits beside the .pyc files, as trusted as they are
    magic, tag, index = marshal.loads(raw)  # noqa: S302
    if magic != _EXTERNAL.MAGIC_NUMBER or tag != sys.implementation.cache_tag \
            or not isinstance(index, dict):
        return None
    return index, len(head) + length


def _pyc_payload(source: str, stat: tuple[int, int]) -> bytes | None:
    """The code in ``source``'s ``.pyc`` when its header vouches for this source."""
    try:
        with open(_EXTERNAL.cache_from_source(source), "rb") as handle:  # noqa: PTH123
            data = handle.read()
    except (OSError, ValueError, NotImplementedError):
        return None
    mtime_ns, size = stat
    if len(data) < 16 or data[:4] != _EXTERNAL.MAGIC_NUMBER \
            or int.from_bytes(data[4:8], "little") != 0 \
            or int.from_bytes(data[8:12], "little") != (mtime_ns // 1_000_000_000) & 0xFFFFFFFF \
            or int.from_bytes(data[12:16], "little") != size & 0xFFFFFFFF:
        return None
    return data[16:]


def write(bundle: Bundle) -> bool:
    """Write the bundle again: its entries still valid, plus every module of dos this
    process imported the ordinary way; False when nothing changed or it could not be
    written (a cache: the ordinary import serves meanwhile)."""
    if not bundle.missed or sys.dont_write_bytecode:
        return False
    fresh: dict[str, tuple[str, int, int, bool, bytes]] = {}
    for name in sorted(bundle.missed):
        module = sys.modules.get(name)
        source = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(source, str) or not source.endswith(".py") \
                or not source.startswith(bundle.package_dir + os.sep):
            continue
        stat = _source_stat(source)
        payload = _pyc_payload(source, stat) if stat else None
        if stat and payload is not None:
            relative = os.path.relpath(source, bundle.package_dir)
            fresh[name] = (relative, stat[0], stat[1], hasattr(module, "__path__"), payload)
    if not fresh:
        return False  # only names that are no module of dos (a probe): nothing to add
    entries: dict[str, tuple[str, int, int, bool, bytes]] = {}
    for name in bundle.index:
        entry = _entry(bundle.index, name)
        if entry is None or name in fresh:
            continue
        relative, mtime_ns, size, is_package, _, _ = entry
        origin = os.path.join(bundle.package_dir, relative)  # noqa: PTH118
        raw = bundle.raw(name) if _source_stat(origin) == (mtime_ns, size) else None
        if raw is not None:
            entries[name] = (relative, mtime_ns, size, is_package, raw)
    return _store(bundle.path, {**entries, **fresh})


def _store(path: str, entries: dict[str, tuple[str, int, int, bool, bytes]]) -> bool:
    index: Index = {}
    blobs: list[bytes] = []
    offset = 0
    for name, (relative, mtime_ns, size, is_package, payload) in sorted(entries.items()):
        index[name] = (relative, mtime_ns, size, is_package, offset, len(payload))
        blobs.append(payload)
        offset += len(payload)
    head = marshal.dumps((_EXTERNAL.MAGIC_NUMBER, sys.implementation.cache_tag, index))
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)  # noqa: PTH103, PTH120
        with open(temporary, "wb") as handle:  # noqa: PTH123
            handle.write(_SIGNATURE + len(head).to_bytes(8, "big") + head)
            for blob in blobs:
                handle.write(blob)
        os.replace(temporary, path)  # noqa: PTH105
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108
        return False
    return True


def install() -> Bundle | None:
    """Put a :class:`Bundle` first on ``sys.meta_path`` (once) and have the bundle
    written again at exit when this process imported modules it did not hold."""
    if os.environ.get("DOS_NO_CODE_BUNDLE"):
        return None
    for finder in sys.meta_path:
        if isinstance(finder, Bundle):
            return finder
    package = sys.modules.get("dos")
    where = getattr(package, "__path__", None)
    if not where or len(where) != 1:
        return None  # a namespace or split package: the ordinary search
    package_dir = os.fspath(where[0])
    bundle = Bundle(package_dir, bundle_path(package_dir))
    sys.meta_path.insert(0, bundle)
    import atexit

    atexit.register(_at_exit, bundle)
    return bundle


def _at_exit(bundle: Bundle) -> None:
    try:
        write(bundle)
    finally:
        bundle.close()
