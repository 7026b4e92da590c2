"""Which programs run code they are handed, and which options turn a bounded program into
one that does (``find -exec``, ``git -c core.pager=…``, ``tar --to-command``)."""

from __future__ import annotations

__all__ = ["ARBITRARY_PROGRAMS", "CODE_ENV", "risky_use"]

_SHELLS = ("sh bash zsh fish dash ksh mksh ash csh tcsh busybox cmd powershell pwsh wsl "
           "eval exec source .")
_INTERPRETERS = ("python pythonw pypy node nodejs deno bun tsx ts-node ruby irb perl php lua "
                 "luajit tclsh wish expect r rscript julia java jshell kotlin kotlinc scala "
                 "groovy dotnet osascript cscript wscript mshta erl escript elixir iex ghci "
                 "runghc runhaskell swift go awk gawk mawk nawk gdb lldb vim vi nvim emacs ex "
                 "ed sqlite3 psql mysql mariadb")
_BUILDERS = ("npm npx yarn pnpm pnpx bunx pip pipx uv uvx poetry pdm hatch tox nox conda "
             "mamba micromamba gem bundle bundler rake composer cpan cpanm apt apt-get "
             "aptitude dpkg rpm yum dnf zypper apk brew port nix nix-shell nix-env make gmake "
             "cmake ninja meson bazel bazelisk buck gradle gradlew mvn mvnw ant sbt scons "
             "just task invoke fab cargo")
_ELSEWHERE = ("ssh docker podman nerdctl kubectl lxc chroot nsenter unshare systemd-run sudo "
              "doas su pkexec runuser xargs parallel watch at batch crontab flock script "
              "strace ltrace valgrind entr xdg-open open")
ARBITRARY_PROGRAMS = frozenset(" ".join((_SHELLS, _INTERPRETERS, _BUILDERS,
                                         _ELSEWHERE)).split())
# Environment variables through which a harmless-looking program loads code.
CODE_ENV = frozenset({
    "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "PYTHONPATH",
    "PYTHONSTARTUP", "PYTHONHOME", "NODE_OPTIONS", "NODE_PATH", "PERL5OPT", "PERL5LIB",
    "PERLLIB", "RUBYOPT", "RUBYLIB", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF",
    "GIT_PAGER", "GIT_EDITOR", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "PAGER",
    "EDITOR", "VISUAL", "PROMPT_COMMAND", "SHELLOPTS", "PS4", "IFS",
})
# program → options (exact, "opt=value" or a short option with its value attached)
_RISKY_OPTIONS: dict[str, tuple[str, ...]] = {
    "find": ("-exec", "-execdir", "-ok", "-okdir", "-fprintf"),
    "tar": ("--to-command", "--checkpoint-action", "-I", "--use-compress-program",
            "--info-script", "-F", "--new-volume-script", "--rsh-command"),
    "rsync": ("-e", "--rsh", "--rsync-path"),
    "zip": ("-TT", "--unzip-command"),
    "less": ("-k", "--lesskey-file"),
    "scp": ("-o", "-S"),
    "sftp": ("-o", "-S", "-D"),
}
_GIT_GLOBAL_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace",
                               "--config-env", "--exec-path"})
_GIT_RISKY_GLOBAL = ("-c", "--config-env", "--exec-path", "--upload-pack", "--receive-pack")
_GIT_RUNNERS = frozenset({"filter-branch", "difftool", "mergetool", "instaweb", "daemon"})
_GIT_READ_CONFIG = frozenset({"--get", "--get-all", "--get-regexp", "--list", "-l",
                              "--show-origin", "--show-scope", "--get-urlmatch"})


def _uses(option: str, args: list[str]) -> bool:
    attached = len(option) == 2 and option[0] == "-" and option[1] != "-"
    return any(arg == option or arg.startswith(option + "=")
               or (attached and arg.startswith(option)) for arg in args)


def risky_use(name: str, args: list[str]) -> str:
    """Why ``name ARGS`` runs code of the caller's choosing, or ""."""
    if name == "git":
        return _git(args)
    for option in _RISKY_OPTIONS.get(name, ()):
        if _uses(option, args):
            return f"'{name} {option}' runs a command of the caller's choosing"
    return ""


def _git(args: list[str]) -> str:
    index = 0
    while index < len(args) and args[index].startswith("-"):
        option = args[index].partition("=")[0]
        if option in _GIT_RISKY_GLOBAL or args[index].startswith("-c"):
            return f"'git {option}' sets configuration that can name a program to run"
        index += 2 if args[index] in _GIT_GLOBAL_VALUE else 1
    sub, rest = (args[index], args[index + 1:]) if index < len(args) else ("", [])
    if sub in _GIT_RUNNERS or (sub == "submodule" and "foreach" in rest) or (
            sub == "bisect" and "run" in rest) or (
            sub == "rebase" and (_uses("-x", rest) or _uses("--exec", rest))):
        return f"'git {sub}' runs a command of the caller's choosing"
    if sub == "config" and rest and not _GIT_READ_CONFIG.intersection(
            arg.partition("=")[0] for arg in rest):
        return "'git config' can set a program git will run later (pager, alias, hook path)"
    return ""
