"""dos's modules served from the code bundle are the modules the ordinary import gives
(same attributes, same code); a changed or deleted source, a torn or foreign bundle, or
one switched off is the ordinary import; the bundle is written only when needed.

The edits happen in a private copy of the package, never in the real source tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dos
from dos import code_bundle

_REAL = Path(dos.__file__).parent
# Imports the given modules through the bundle and prints, for each dos module loaded,
# what an importer can see of it; then whether the bundle served them.
_PROBE = """\
import importlib, json, sys
from dos.code_bundle import install
bundle = install()
for name in sys.argv[1:]:
    importlib.import_module(name)
seen = {}
for name, module in sorted(sys.modules.items()):
    if name == "dos" or not name.startswith("dos."):
        continue
    spec = module.__spec__
    code = getattr(module, "__loader__", None)
    seen[name] = {
        "file": module.__file__, "cached": module.__cached__, "package": module.__package__,
        "path": list(getattr(module, "__path__", []) or []) or None,
        "origin": spec.origin, "locations": spec.submodule_search_locations,
        "parent": spec.parent, "has_location": spec.has_location,
        "source_ok": bool(module.__loader__.get_source(name)),
        "public": sorted(k for k in vars(module) if not k.startswith("__")),
    }
served = sorted(set(seen) - (bundle.missed if bundle else set(seen)))
print(json.dumps({"seen": seen, "served": served}))
"""
_MODULES = ["dos.cli", "dos.commands.verify", "dos.api.truth", "dos.store.sqlite",
            "dos.admission.lane_lease", "dos.verdicts.truth", "dos.settings.policy"]


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the dos package (its own __pycache__ and bundle)."""
    root = tmp_path_factory.mktemp("pkg")
    shutil.copytree(_REAL, root / "dos", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _probe(root: Path, *modules: str, **env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DOS_NO_CODE_BUNDLE", "PYTHONDONTWRITEBYTECODE")}
    done = subprocess.run([sys.executable, "-c", _PROBE, *modules], cwd=root,
                          env={**clean, "PYTHONPATH": str(root), **env},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _bundle(root: Path) -> Path:
    return Path(code_bundle.bundle_path(str(root / "dos")))


def test_a_served_module_is_the_ordinary_one(package_copy: Path) -> None:
    ordinary = _probe(package_copy, *_MODULES, DOS_NO_CODE_BUNDLE="1")
    assert not _bundle(package_copy).exists()
    _probe(package_copy, *_MODULES)  # imports the ordinary way, writes the bundle
    assert _bundle(package_copy).is_file()
    served = _probe(package_copy, *_MODULES)
    assert served["seen"] == ordinary["seen"]
    assert len(served["served"]) >= 40  # type: ignore[arg-type]
    assert set(served["served"]) == set(ordinary["seen"])  # type: ignore[arg-type]


def test_the_bundle_is_written_only_when_something_was_missing(package_copy: Path) -> None:
    _probe(package_copy, *_MODULES)
    before = _bundle(package_copy).stat().st_mtime_ns
    _probe(package_copy, *_MODULES)
    assert _bundle(package_copy).stat().st_mtime_ns == before
    _probe(package_copy, *_MODULES, "dos.truth.plan_board")  # one it does not hold yet
    assert _bundle(package_copy).stat().st_mtime_ns != before
    assert "dos.truth.plan_board" in _probe(package_copy, "dos.truth.plan_board")["served"]  # type: ignore[operator]


def test_a_changed_source_is_imported_as_it_is_now(package_copy: Path) -> None:
    _probe(package_copy, "dos.truth.plan_board")
    target = package_copy / "dos" / "truth" / "plan_board.py"
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original + "\nDOS_BUNDLE_TEST_MARK = 1\n", encoding="utf-8")
        changed = _probe(package_copy, "dos.truth.plan_board")
        assert "DOS_BUNDLE_TEST_MARK" in changed["seen"]["dos.truth.plan_board"]["public"]  # type: ignore[index]
        assert "dos.truth.plan_board" not in changed["served"]  # type: ignore[operator]
        again = _probe(package_copy, "dos.truth.plan_board")  # the bundle took the new code
        assert "dos.truth.plan_board" in again["served"]  # type: ignore[operator]
        assert "DOS_BUNDLE_TEST_MARK" in again["seen"]["dos.truth.plan_board"]["public"]  # type: ignore[index]
    finally:
        target.write_text(original, encoding="utf-8")


def test_a_deleted_module_is_not_found(package_copy: Path) -> None:
    extra = package_copy / "dos" / "bundle_test_extra.py"
    extra.write_text("VALUE = 1\n", encoding="utf-8")
    _probe(package_copy, "dos.bundle_test_extra")
    assert "dos.bundle_test_extra" in _probe(package_copy, "dos.bundle_test_extra")["served"]  # type: ignore[operator]
    extra.unlink()
    done = subprocess.run([sys.executable, "-c", _PROBE, "dos.bundle_test_extra"],
                          cwd=package_copy, env={**os.environ, "PYTHONPATH": str(package_copy)},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "ModuleNotFoundError: No module named 'dos.bundle_test_extra'" in done.stderr


@pytest.mark.parametrize("damage", [
    lambda _: b"",
    lambda data: data[:40],
    lambda data: data[: len(data) // 2],
    lambda data: b"not a bundle" + data,
    lambda data: data[:12] + (10**12).to_bytes(8, "big") + data[20:],
    lambda data: data[:-4000] + bytes(4000),
    lambda data: data.replace(b"cpython", b"pypy-xx", 1),
])
def test_a_damaged_bundle_is_the_ordinary_import(package_copy: Path, damage: object) -> None:
    ordinary = _probe(package_copy, *_MODULES, DOS_NO_CODE_BUNDLE="1")
    _probe(package_copy, *_MODULES)
    path = _bundle(package_copy)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert _probe(package_copy, *_MODULES)["seen"] == ordinary["seen"]
    assert _probe(package_copy, *_MODULES)["seen"] == ordinary["seen"]  # (rewritten or not)


def test_nothing_is_written_when_bytecode_is_not(package_copy: Path) -> None:
    path = _bundle(package_copy)
    path.unlink(missing_ok=True)
    _probe(package_copy, *_MODULES, PYTHONDONTWRITEBYTECODE="1")
    assert not path.exists()
    _probe(package_copy, *_MODULES, DOS_NO_CODE_BUNDLE="1")
    assert not path.exists()


def test_the_dos_command_answers_the_same_with_and_without_it(tmp_path: Path) -> None:
    """The real command: a verb's answer is the same with and without the bundle."""
    runs = []
    for env in ({"DOS_NO_CODE_BUNDLE": "1"}, {}, {}):
        done = subprocess.run([sys.executable, "-m", "dos", "exit-codes", "verify"],
                              cwd=tmp_path, env={**os.environ, **env}, capture_output=True,
                              check=False)
        runs.append((done.returncode, done.stdout, done.stderr))
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][0] == 0


def test_an_entry_of_another_shape_is_the_ordinary_import(package_copy: Path) -> None:
    import marshal

    from dos.code_bundle import _SIGNATURE

    ordinary = _probe(package_copy, "dos.truth.plan_board", DOS_NO_CODE_BUNDLE="1")
    head = marshal.dumps((sys.modules["_frozen_importlib_external"].MAGIC_NUMBER,
                          sys.implementation.cache_tag,
                          {"dos.truth.plan_board": ("truth/plan_board.py", 1, 2),
                           "dos.cli": ["cli.py", 0, 0, False, 0, 10]}))
    path = _bundle(package_copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_SIGNATURE + len(head).to_bytes(8, "big") + head)
    damaged = _probe(package_copy, "dos.truth.plan_board")
    assert damaged["seen"] == ordinary["seen"]


_ASKS_FOR_NOTHING = """\
from dos.code_bundle import install
install()
try:
    import dos.no_such_module_here
except ModuleNotFoundError:
    pass
"""


def test_asking_for_a_module_dos_does_not_have_writes_nothing(package_copy: Path) -> None:
    path = _bundle(package_copy)
    path.unlink(missing_ok=True)  # whatever an earlier test left there
    _probe(package_copy, *_MODULES)  # the bundle holds what follows
    before = path.stat()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-c", _ASKS_FOR_NOTHING], cwd=package_copy,
                          env={**env, "PYTHONPATH": str(package_copy)}, check=False,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after = path.stat()  # a rewrite is a new file renamed over the old one
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
