"""Every git call dos makes goes through :func:`run_git`, whose argv comes from :func:`git_argv`.

Neither the user's git configuration nor the repository's may change an answer or run a
program: each call pins the options that alter output (decoration, abbreviation, colour,
locale) and every setting through which a repository's ``.git/config`` could make git run
a command (fsmonitor, hooks, pagers, external diff and textconv drivers, clean/smudge
filters, signature programs, ssh, credential helpers, editors, transports).
"""

from __future__ import annotations

import os

from dos.errors import GitError

TYPE_CHECKING = False  # typing costs start-up time on every short verb
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from dos.git.spawn import Completed

__all__ = ["GIT_PINNED_CONFIG", "git_argv", "git_env", "git_on_path", "run_git"]

_OUTPUT = (
    "core.quotepath=false", "log.decorate=false", "log.showSignature=false", "color.ui=false",
    "diff.noprefix=false", "diff.renames=true", "log.follow=false",
    "i18n.logOutputEncoding=UTF-8", "core.abbrev=12", "log.abbrevCommit=false",
    "format.pretty=medium", "log.mailmap=false",
)
# Each of these names a program git would run; empty or inert values switch them off.
_PROGRAMS = (
    "core.pager=cat", "diff.external=", "core.fsmonitor=false", "core.hooksPath=/dev/null",
    "core.sshCommand=false", "core.askPass=", "credential.helper=", "core.editor=:",
    "sequence.editor=:", "core.alternateRefsCommand=", "gpg.program=", "gpg.openpgp.program=",
    "gpg.x509.program=", "gpg.ssh.program=", "gpg.ssh.defaultKeyCommand=",
    "commit.gpgSign=false", "tag.gpgSign=false", "protocol.allow=never", "gc.auto=0",
    "maintenance.auto=false", "submodule.recurse=false", "uploadpack.packObjectsHook=",
)
GIT_PINNED_CONFIG: tuple[str, ...] = tuple(
    item for setting in (*_OUTPUT, *_PROGRAMS) for item in ("-c", setting))
# Sub-commands that may print a diff: textconv and external diff drivers are named per path
# by .gitattributes, so they are refused by flag rather than by name.
_DIFFING = frozenset({"log", "diff", "show"})
# Sub-commands that read the working tree, where a configured filter driver would run.
_FILTERING = frozenset({"diff", "status", "add", "commit", "checkout", "stash", "reset",
                        "worktree"})
_FILTER_KEYS = ("clean", "smudge", "process")
_UNSAFE_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_NAMESPACE",
               "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_SSH", "GIT_SSH_COMMAND",
               "GIT_ASKPASS", "SSH_ASKPASS", "GIT_PROXY_COMMAND", "GIT_EDITOR",
               "GIT_SEQUENCE_EDITOR", "GIT_ATTR_SOURCE")


def git_env() -> dict[str, str]:
    """The environment git runs in: C locale, no prompts, no pager, no optional locks."""
    env = {name: value for name, value in os.environ.items() if name not in _UNSAFE_ENV}
    env.update({
        "LC_ALL": "C", "LANG": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat", "PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1",
        "GIT_ATTR_NOSYSTEM": "1",
    })
    return env


def _subcommand_index(args: Sequence[str]) -> int:
    """Where the sub-command sits in ``args`` (callers may lead with ``-c key=value``)."""
    index = 0
    while index < len(args) and args[index] == "-c":
        index += 2
    return index


def git_argv(executable: str, args: Sequence[str],
             filters: Sequence[str] = ()) -> list[str]:
    """The complete argv of one git call: the only place dos builds one.

    ``filters`` names filter drivers the repository's own config defines; they are
    switched off for the sub-commands that would run them."""
    at = _subcommand_index(args)
    command = args[at] if at < len(args) else ""
    guards = ["--no-textconv", "--no-ext-diff"] if command in _DIFFING else []
    blanked = [part for name in filters for key in (*_FILTER_KEYS, "required")
               for part in ("-c", f"filter.{name}.{key}=" + ("false" if key == "required"
                                                              else ""))]
    return [executable, "--no-pager", *GIT_PINNED_CONFIG, *blanked, *args[:at + 1], *guards,
            *args[at + 1:]]


def _which(name: str) -> str | None:
    """``shutil.which(name)`` on POSIX, without shutil's imports (bz2, lzma, zlib)."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder, name)  # noqa: PTH118
        if os.access(candidate, os.F_OK | os.X_OK) and not os.path.isdir(candidate):  # noqa: PTH112
            return candidate
    return None


def git_on_path() -> bool:
    """Whether a git executable is found (as every git call finds it)."""
    if os.name != "posix":
        import shutil

        return shutil.which("git") is not None
    return _which("git") is not None


def _executable() -> str:
    if os.name != "posix":
        import shutil

        found = shutil.which("git")
    else:
        found = _which("git")
    if found is None:
        raise GitError("git is not installed or not on PATH",
                       hint="install git (https://git-scm.com) and make sure `git` runs")
    return found


def _spawn(argv: list[str], cwd: Path | str, input_text: str | None, timeout: float,
           label: str) -> Completed:
    """Run one git argv in ``cwd``: ``git -C <cwd>`` stands for a chdir the spawn cannot
    make (see :mod:`dos.git.spawn`); ``args`` of the result shows it."""
    from dos.git import spawn  # (with select: only a verb that starts git pays for it)

    located = [argv[0], "-C", os.fspath(cwd), *argv[1:]]
    try:
        return spawn.run(located, git_env(), input_text, timeout)
    except spawn.ChildTimeoutError as exc:
        raise GitError(f"git {label} took longer than {timeout:.0f}s",
                       hint="check the repository is not on a hung file system") from exc


def _repository_filters(executable: str, cwd: Path | str) -> list[str]:
    """Filter drivers defined by the repository's own config (not the user's)."""
    done = _spawn(git_argv(executable, ["config", "--list", "-z", "--show-scope",
                                        "--name-only"]), cwd, None, 30.0, "config")
    fields = done.stdout.split("\0")
    names = []
    for scope, key in zip(fields[::2], fields[1::2], strict=False):
        section, _, rest = key.partition(".")
        name, _, leaf = rest.rpartition(".")
        if scope.lower() in ("local", "worktree") and section.lower() == "filter" and name \
                and leaf.lower() in (*_FILTER_KEYS, "required"):
            names.append(name)
    return list(dict.fromkeys(names))


def run_git(
    args: Sequence[str], cwd: Path | str, *, check: bool = True, input_text: str | None = None,
    timeout: float = 120.0,
) -> Completed:
    """Run ``git <args>`` in ``cwd`` with pinned configuration; raise GitError on failure."""
    executable = _executable()
    if not os.path.isdir(cwd):  # noqa: PTH112  # pathlib costs start-up time
        raise GitError(f"{cwd} is not a directory", hint="pass --workspace with a git repository")
    at = _subcommand_index(args)
    filters = _repository_filters(executable, cwd) \
        if at < len(args) and args[at] in _FILTERING else []
    label = " ".join(args[at:at + 2])
    done = _spawn(git_argv(executable, args, filters), cwd, input_text, timeout, label)
    if check and done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise GitError(f"git {label} failed in {cwd}: {detail[0]}",
                       hint="run the same git command by hand to see what is wrong")
    return done
