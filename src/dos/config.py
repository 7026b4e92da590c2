"""The seam between mechanism and policy: what a workspace is and what it declares.

Everything a verb needs to know about the workspace comes through a
:class:`SubstrateConfig`: the lane taxonomy, the path layout, the stamp grammar and
the other ``dos.toml`` tables, already validated.
"""

from __future__ import annotations

import _thread
import os
from collections.abc import Mapping
from pathlib import Path

from dos import structs, toml_memo
from dos.errors import ConfigError, UsageError
from dos.lazy_pattern import LazyPattern
from dos.settings import SchemaProblem
from dos.settings.known import check_tables
from dos.settings.lanes import LaneTaxonomy, parse_lanes
from dos.settings.lifecycle import LifecycleSettings, parse_lifecycle
from dos.settings.locate import line_of
from dos.settings.paths import PathLayout
from dos.settings.policy import (
    HookSettings,
    LivenessSettings,
    OverlapSettings,
    StampGrammar,
    StoreSettings,
    parse_hooks,
    parse_liveness,
    parse_overlap,
    parse_stamp,
    parse_store,
    parse_verify,
)
from dos.settings.reasons import MorphologyRule, ReasonSpec, parse_morphology, parse_reasons
from dos.settings.tables import SIMPLE_TABLES, parse_concurrency_classes, parse_simple_table
from dos.settings.unused import (
    UNUSED_TABLES,
    UNUSED_TOP_LEVEL,
    unused_settings,
    without_unused,
)
from dos.structs import field, struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CONFIG_FILENAME",
    "KERNEL_RUNTIME_FILES",
    "HookSettings",
    "LaneTaxonomy",
    "LifecycleSettings",
    "LivenessSettings",
    "MorphologyRule",
    "OverlapSettings",
    "PathLayout",
    "ReasonSpec",
    "StampGrammar",
    "StoreSettings",
    "SubstrateConfig",
    "WorkspaceFacts",
    "active",
    "default_config",
    "gather_workspace_facts",
    "load_workspace_config",
    "resolve_workspace_root",
    "set_active",
]

CONFIG_FILENAME = "dos.toml"

# The files that decide admission; a lane whose tree covers one of them would let
# an agent rewrite the referee that is judging it.
KERNEL_RUNTIME_FILES = (
    "src/dos/arbiter.py", "src/dos/oracle.py", "src/dos/lane_lease.py", "src/dos/liveness.py",
    "src/dos/config.py", "src/dos/plugins.py", "src/dos/settings/lanes.py",
    "src/dos/admission/arbiter.py", "src/dos/admission/arbiter_rules.py",
    "src/dos/admission/tree.py", "src/dos/admission/_tree_segments.py",
    "src/dos/admission/scope.py", "src/dos/admission/reasons.py",
    "src/dos/admission/lane_lease.py", "src/dos/admission/_lease_read.py",
    "src/dos/truth/oracle.py", "src/dos/temporal/liveness.py",
    "src/dos/store/__init__.py", "src/dos/store/sqlite.py",
)


@struct
class WorkspaceFacts:
    """What was found on disk about a workspace when its config was built."""

    root: Path
    kernel_runtime_files: tuple[str, ...] = ()

    @property
    def is_kernel_repo(self) -> bool:
        return bool(self.kernel_runtime_files)


def gather_workspace_facts(root: Path | str) -> WorkspaceFacts:
    """Look at the workspace: which kernel runtime files exist under it."""
    base = Path(root)
    present = tuple(rel for rel in KERNEL_RUNTIME_FILES if (base / rel).is_file())
    return WorkspaceFacts(root=base, kernel_runtime_files=present)


@struct
class SubstrateConfig:
    """The complete, validated policy of one workspace."""

    lanes: LaneTaxonomy
    paths: PathLayout
    workspace: WorkspaceFacts | None = None
    stamp: StampGrammar = field(default_factory=StampGrammar)
    overlap: OverlapSettings = field(default_factory=OverlapSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    hooks: HookSettings = field(default_factory=HookSettings)
    liveness: LivenessSettings = field(default_factory=LivenessSettings)
    lifecycle: LifecycleSettings = field(default_factory=LifecycleSettings)
    reasons: tuple[ReasonSpec, ...] = ()
    morphology: tuple[MorphologyRule, ...] | None = None
    concurrency_classes: tuple[tuple[str, int], ...] = ()
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    non_git_oracle: str = ""
    source: Path | None = None
    driver: str = ""
    # Reference settings dos.toml sets that this version accepts and never reads.
    unused_settings: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return self.paths.root

    @property
    def kernel_runtime_files(self) -> tuple[str, ...] | None:
        return None if self.workspace is None else self.workspace.kernel_runtime_files

    def table(self, name: str) -> Mapping[str, Any]:
        """A validated simple table (defaults filled in when absent from dos.toml)."""
        if name in self.tables:
            return self.tables[name]
        return parse_simple_table(name, {})

    def with_root(self, root: Path | str) -> SubstrateConfig:
        """The same policy pointed at another root."""
        new_root = Path(root).resolve()
        facts = None if self.workspace is None else gather_workspace_facts(new_root)
        return structs.replace(self, paths=self.paths.with_root(new_root), workspace=facts)


def _find_upwards(start: Path) -> Path | None:
    """The nearest ancestor holding dos.toml, else the nearest git top level."""
    git_top = None
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_FILENAME).is_file():
            return candidate
        if git_top is None and (candidate / ".git").exists():
            git_top = candidate
    return git_top


def user_path(text: Path | str) -> Path:
    """``text`` with a leading ``~`` or ``~user`` expanded; an unknown user is left as
    written (``Path.expanduser`` raises RuntimeError for one)."""
    return Path(os.path.expanduser(text))  # noqa: PTH111 - see above


def resolve_workspace_root(workspace: Path | str | None = None) -> Path:
    """The workspace root, first match wins: explicit, ``DISPATCH_WORKSPACE``, the
    nearest ``dos.toml`` above the current directory, the git top level, the cwd."""
    chosen = workspace if workspace not in (None, "") else os.environ.get("DISPATCH_WORKSPACE")
    if chosen:
        root = user_path(chosen).resolve()
        if not root.is_dir():
            source = "--workspace" if workspace else "DISPATCH_WORKSPACE"
            raise UsageError(
                f"workspace {root} does not exist or is not a directory (from {source})",
                hint="pass --workspace with an existing directory, or unset DISPATCH_WORKSPACE",
            )
        return root
    cwd = Path.cwd().resolve()
    return _find_upwards(cwd) or cwd


def default_config(workspace: Path | str | None = None) -> SubstrateConfig:
    """The zero-config policy: one concurrent ``main`` lane and an exclusive ``global``."""
    root = resolve_workspace_root(workspace)
    lanes = LaneTaxonomy(
        concurrent=("main",), exclusive=("global",), autopick=("main",),
        trees={"main": ("**/*",), "global": ("**/*",)},
    )
    return SubstrateConfig(
        lanes=lanes, paths=PathLayout.for_dos_dir(root), workspace=gather_workspace_facts(root),
    )


_TOML_LOCATION = LazyPattern(r"\s*\(at line (\d+), column \d+\)")


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                          path=str(path), hint="save dos.toml as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path),
                          hint="check the file's permissions") from exc
    root = str(path.parent)
    remembered = toml_memo.parsed(root, raw)
    if remembered is not None:
        return text, remembered
    data = _parse_toml(path, text)
    toml_memo.remember(root, raw, data)
    return text, data


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # with typing and datetime: only a dos.toml not remembered pays for it

    from dos import _toml

    try:
        return _toml.loads(text)
    except _toml.NestingTooDeep as exc:
        raise ConfigError(f"TOML nested too deeply to read: {exc}", path=str(path),
                          hint="flatten the nested arrays or tables (dos.toml needs a few "
                               "levels at most)") from None
    except tomllib.TOMLDecodeError as exc:
        located = _TOML_LOCATION.search(str(exc))
        line = int(located.group(1)) if located else None
        message = _TOML_LOCATION.sub("", str(exc)).strip()
        raise ConfigError(
            f"TOML syntax error: {message}", path=str(path), line=line,
            hint="fix the syntax at that line (https://toml.io); `dos lint` checks the policy",
        ) from exc




def _reasons_changes(base: SubstrateConfig, raw: Any) -> dict[str, Any]:
    reasons = _as_table("reasons", raw)
    changes: dict[str, Any] = {"reasons": base.reasons + parse_reasons(reasons)}
    if "morphology" in reasons:
        changes["morphology"] = parse_morphology(reasons["morphology"])
    return changes


# table → how it changes the config; each validates every value it reads.
_TABLE_LOADERS: dict[str, Any] = {
    "lanes": lambda _base, raw: {"lanes": parse_lanes(_as_table("lanes", raw))},
    "paths": lambda base, raw: {"paths": base.paths.with_overrides(_as_table("paths", raw))},
    "stamp": lambda base, raw: {"stamp": parse_stamp(_as_table("stamp", raw), base.stamp)},
    "overlap": lambda base, raw: {
        "overlap": parse_overlap(_as_table("overlap", raw), base.overlap)},
    "store": lambda base, raw: {"store": parse_store(_as_table("store", raw), base.store)},
    "hooks": lambda base, raw: {"hooks": parse_hooks(_as_table("hooks", raw), base.hooks)},
    "liveness": lambda base, raw: {
        "liveness": parse_liveness(_as_table("liveness", raw), base.liveness)},
    "verify": lambda base, raw: {
        "non_git_oracle": parse_verify(_as_table("verify", raw), base.non_git_oracle)},
    "reasons": _reasons_changes,
    # replaces: keys the table leaves out take the defaults, not the base's
    "lifecycle": lambda _base, raw: {"lifecycle": parse_lifecycle(_as_table("lifecycle", raw))},
    "concurrency_class": lambda _base, raw: {
        "concurrency_classes": parse_concurrency_classes(raw)},
}

_READ_TABLES = (*_TABLE_LOADERS, *SIMPLE_TABLES)


def _layer(base: SubstrateConfig, data: Mapping[str, Any]) -> SubstrateConfig:
    """Apply each table present in ``data`` over ``base``; every value is validated."""
    check_tables(data, _READ_TABLES, accepted=(UNUSED_TOP_LEVEL, *UNUSED_TABLES))
    changes: dict[str, Any] = {}
    for name, loader in _TABLE_LOADERS.items():
        if name in data:
            changes.update(loader(base, without_unused(name, data[name])))
    tables = dict(base.tables)
    for name in SIMPLE_TABLES:
        if name in data:
            tables[name] = parse_simple_table(name, without_unused(name, data[name]))
    changes["tables"] = tables
    changes["unused_settings"] = unused_settings(data)
    return structs.replace(base, **changes)


def _as_table(name: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SchemaProblem(name, "", f"{name} must be a table, got {type(value).__name__}",
                            hint=f"write it as a [{name}] table")
    return value


def load_workspace_config(
    workspace: Path | str | None = None, *, base: SubstrateConfig | None = None
) -> SubstrateConfig:
    """The workspace's policy: ``base`` (default :func:`default_config`) with every
    ``dos.toml`` table layered on top. A malformed file raises :class:`ConfigError`."""
    root = resolve_workspace_root(workspace)
    config = base if base is not None else default_config(root)
    if config.root != root:
        config = config.with_root(root)
    path = root / CONFIG_FILENAME
    if path.is_file():
        text, data = _read_toml(path)
        try:
            config = _layer(config, data)
        except SchemaProblem as problem:
            raise ConfigError(
                problem.message, path=str(path), line=line_of(text, problem.table, problem.key),
                table=problem.table, key=problem.key, hint=problem.hint,
            ) from None
        config = structs.replace(config, source=path)
    env_url = os.environ.get("DOS_STORE_URL", "")
    if env_url:
        _check_env_url(env_url)
        config = structs.replace(config, store=structs.replace(config.store, url=env_url))
    return config


def _check_env_url(url: str) -> None:
    """``DOS_STORE_URL`` is policy as ``[store] url`` is: a wrong one is a usage error."""
    from dos.settings.policy import STORE_URL_HINT, unknown_scheme

    scheme = unknown_scheme(url)
    if scheme is not None:
        raise ConfigError(f"DOS_STORE_URL has an unknown scheme '{scheme}'",
                          hint=f"{STORE_URL_HINT}, or unset DOS_STORE_URL to use the "
                               "workspace's embedded store")


_ACTIVE: SubstrateConfig | None = None
_ACTIVE_LOCK = _thread.allocate_lock()  # threading's import costs start-up time


def active() -> SubstrateConfig:
    """The process-wide config: the CLI sets it; otherwise it is loaded from the
    resolved workspace, ``dos.toml`` included."""
    global _ACTIVE  # noqa: PLW0603 - one process-wide value, guarded by a lock
    with _ACTIVE_LOCK:
        if _ACTIVE is None:
            _ACTIVE = load_workspace_config()
        return _ACTIVE


def set_active(config: SubstrateConfig | None) -> None:
    """Install ``config`` as the process-wide config (``None`` resets it)."""
    global _ACTIVE  # noqa: PLW0603 - one process-wide value, guarded by a lock
    with _ACTIVE_LOCK:
        _ACTIVE = config
