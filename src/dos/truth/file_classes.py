"""What kind of file a path is: source, test, CI configuration, configuration or data."""

from __future__ import annotations

import re

__all__ = ["is_ci_config", "is_config_or_data", "is_doc", "is_source", "is_test"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SOURCE = _words(
    ".py .pyi .js .jsx .ts .tsx .mjs .cjs .go .rs .java .kt .kts .scala .c .h .cc .cpp "
    ".cxx .hpp .hh .cs .rb .php .swift .m .mm .sh .bash .zsh .ps1 .psm1 .psd1 .bat .cmd "
    ".pl .pm .lua .r .jl .dart .ex .exs .erl .clj .cljs .hs .ml .fs .vb .sql .proto .tf "
    ".gradle .cmake .mk .vue .svelte .elm .nim .zig .v")
_DOCS = _words(".md .rst .txt .adoc .org")
_ASSETS = _words(
    ".png .jpg .jpeg .gif .svg .pdf .ico .woff .woff2 .ttf .zip .tar .gz .tgz .whl .egg "
    ".so .dll .dylib .exe .o .a .jar .class .bin")
_CONFIG = _words(
    ".json .jsonc .json5 .yml .yaml .toml .cfg .ini .conf .env .properties .xml .plist "
    ".hcl .nix .lock .sum .mod .csv .tsv .parquet .jsonl .ndjson .html .css .scss .less")
_CONFIG_NAMES = frozenset({".gitignore", ".gitattributes", ".editorconfig", ".dockerignore",
                           ".npmrc", ".nvmrc", ".python-version", ".tool-versions",
                           "pipfile", "gemfile.lock", "requirements.txt", "constraints.txt"})
_SOURCE_NAMES = frozenset({"makefile", "dockerfile", "rakefile", "gemfile", "procfile"})
_TEST_DIRS = frozenset({"test", "tests", "spec", "specs", "__tests__"})
_TEST_NAME = re.compile(r"^(?:test_.+|.+_test|.+\.test|.+\.spec)\.[a-z0-9]+$")
_CI_EXACT = frozenset({".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml", "appveyor.yml",
                       ".appveyor.yml", ".circleci/config.yml", "bitbucket-pipelines.yml"})


def _parts(path: str) -> tuple[str, str]:
    base = path.rsplit("/", 1)[-1].lower()
    dot = base.rfind(".")
    return base, base[dot:] if dot > 0 else ""


def is_doc(path: str) -> bool:
    base, suffix = _parts(path)
    return suffix in _DOCS and base not in _CONFIG_NAMES


def is_source(path: str) -> bool:
    """Program text: a known source suffix, a build script name, or an extension-less file."""
    base, suffix = _parts(path)
    if suffix in _SOURCE:
        return True
    if suffix in _DOCS or suffix in _ASSETS or suffix in _CONFIG or base in _CONFIG_NAMES:
        return False
    return base in _SOURCE_NAMES or base.startswith("dockerfile") or "." not in base


def is_test(path: str) -> bool:
    parts = path.lower().split("/")
    return bool(_TEST_DIRS & set(parts[:-1])) or bool(_TEST_NAME.match(parts[-1]))


def is_ci_config(path: str) -> bool:
    lowered = path.lower()
    return lowered in _CI_EXACT or (lowered.startswith(".github/workflows/")
                                    and lowered.endswith((".yml", ".yaml")))


def is_config_or_data(path: str) -> bool:
    """Configuration, dependency manifests, lockfiles and data: real effects, not prose."""
    base, suffix = _parts(path)
    return (suffix in _CONFIG or base in _CONFIG_NAMES or is_ci_config(path)) and not is_doc(path)
