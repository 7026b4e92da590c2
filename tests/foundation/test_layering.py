"""Imports flow one way: base < seam < kernel < edges < surfaces and drivers."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

BASE, SEAM, KERNEL, EDGE, SURFACE, DRIVER = range(6)
NAMES = ["base", "seam", "kernel", "edge", "surface", "driver"]

# Edge modules outside the dos.git / dos.store packages: they do I/O for the kernel.
EDGE_MODULES = {
    "dos.render", "dos.evidence", "dos.ship_evidence",
    # admission over the store
    "dos.lane_lease", "dos.lease_ops", "dos.lease_intent", "dos.mutex", "dos.id_alloc",
    "dos.journal_admin", "dos.journal_export",
}
# Which layers each layer may import.
ALLOWED = {
    BASE: {BASE},
    SEAM: {BASE, SEAM},
    KERNEL: {BASE, SEAM, KERNEL},
    EDGE: {BASE, SEAM, KERNEL, EDGE},
    SURFACE: {BASE, SEAM, KERNEL, EDGE, SURFACE, DRIVER},
    DRIVER: {BASE, SEAM, KERNEL, EDGE, DRIVER},
}


# A kernel facade may import its default evidence gatherer, lazily, so that the public
# call `oracle.verify(plan, phase, config)` works with no evidence passed in.
FACADE_DEFAULTS = {("dos.oracle", "dos.ship_evidence")}


def layer_of(module: str) -> int:
    if module in ("dos", "dos._version", "dos.errors") or module.startswith("dos.verdicts"):
        return BASE
    if module in ("dos.config", "dos.plugins") or module.startswith("dos.settings"):
        return SEAM
    edge_prefixes = ("dos.git", "dos.store", *(f"{edge}_" for edge in EDGE_MODULES))
    if module in EDGE_MODULES or module.startswith(edge_prefixes):
        return EDGE
    if module in ("dos.cli", "dos.__main__") or module.startswith(
        ("dos.commands", "dos.hooks", "dos.tui", "dos_mcp")
    ):
        return SURFACE
    if module.startswith("dos.drivers"):
        return DRIVER
    return KERNEL


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.AST, package: str) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in ("dos", "dos_mcp")}


def _existing(name: str) -> str:
    """The longest prefix of ``name`` that is a module (``from x import y`` may name a symbol)."""
    parts = name.split(".")
    while parts:
        candidate = SRC.joinpath(*parts)
        if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
            return ".".join(parts)
        parts.pop()
    return name


def test_imports_respect_the_layers() -> None:
    violations = []
    for path in sorted(SRC.rglob("*.py")):
        module = module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        own = layer_of(module)
        for target in imported(ast.parse(path.read_text(encoding="utf-8")), package):
            target_module = _existing(target)
            if (module, target_module) in FACADE_DEFAULTS:
                continue
            if layer_of(target_module) not in ALLOWED[own]:
                violations.append(f"{module} ({NAMES[own]}) imports {target_module} "
                                  f"({NAMES[layer_of(target_module)]})")
    assert not violations, "\n".join(sorted(set(violations)))


def test_core_package_never_imports_the_mcp_server() -> None:
    for path in (SRC / "dos").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "dos_mcp" not in text, path


def test_the_classifier_knows_the_layers() -> None:
    assert layer_of("dos.errors") == BASE
    assert layer_of("dos.config") == SEAM
    assert layer_of("dos.arbiter") == KERNEL
    assert layer_of("dos.git.history") == EDGE
    assert layer_of("dos.store.sqlite") == EDGE
    assert layer_of("dos.lane_lease") == EDGE
    assert layer_of("dos.commands.verify") == SURFACE
    assert layer_of("dos.drivers.workshop") == DRIVER
