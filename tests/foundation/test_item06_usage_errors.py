"""Usage and configuration errors are exit 2 with `dos: error: … fix: …`, never verdicts:
an undeclared lane, a misspelt dos.toml, a bad --track spec, an unknown ref, bad store
URLs and a missing init directory; a run id nothing knows is UNKNOWN, never ADVANCING.
Every case drives `dos.cli.main` end to end on a real git workspace."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import run_cli

from dos.cli import main
from dos.run_id import mint

BASE_TOML = """\
[lanes]
concurrent = ["src", "docs"]
exclusive = ["global"]
autopick = ["src", "docs"]
[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
global = ["**/*"]
"""
DECLARED = "declared lanes: docs, global, src"
TRACK_FORM = "fix: a --track spec is run_id[:start_sha[:lane[:loop_ts[:handle]]]]"

Dos = Callable[..., tuple[int, str, str]]


@pytest.fixture
def root(git_repo: Callable[..., Any]) -> Path:
    repo = git_repo("ws")
    repo.commit("base", {"dos.toml": BASE_TOML, "src/a.py": "a = 1\n", "docs/b.md": "b\n"})
    return Path(repo.path).resolve()


@pytest.fixture
def dos(root: Path, capsys: pytest.CaptureFixture[str]) -> Dos:
    """``dos(*argv)`` → (exit code, stdout, stderr), in ``root``."""
    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--workspace", str(root), *argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def _assert_usage(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert err.startswith("dos: error: "), err
    assert "\n  fix: " in err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


# --- 1. an undeclared lane --------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["lease-lane", "acquire", "--lane", "{lane}", "--owner", "A"],
    ["lease-lane", "spawn", "--lane", "{lane}", "--run-id", "{rid}"],
    ["halt", "--handle", "4242", "--lane", "{lane}"],
    ["scope-gate", "--lane", "{lane}", "--file", "src/a.py"],
    ["watch", "--track", "{rid}::{lane}"],
], ids=["lease-lane-acquire", "lease-lane-spawn", "halt", "scope-gate", "watch-track"])
def test_1_an_undeclared_lane_is_exit_2_naming_the_declared_lanes(
        dos: Dos, root: Path, argv: list[str]) -> None:
    rid = mint("worker").run_id
    for lane, guess in (("srcc", "did you mean 'src'? "), ("zzzz", "")):
        code, out, err = dos(*[arg.format(lane=lane, rid=rid) for arg in argv])
        _assert_usage(code, err, f"'{lane}' is not a lane declared in {root / 'dos.toml'}",
                      f"fix: {guess}{DECLARED}")
        assert out == ""
    assert not (root / ".dos" / "dos.db").exists()  # nothing was recorded
    code, _, err = dos(*[arg.format(lane="SRC", rid=rid) for arg in argv])
    assert code in (0, 5), err  # a declared lane in any case still works (watch: UNKNOWN run)


# --- 2. a misspelt table or key in dos.toml ---------------------------------------------

# (snippet after BASE_TOML, its line holding the typo, message, fix)
MISSPELT = [
    ('[lane]\nconcurrent = ["x"]\n', 1, "unknown table [lane]", "did you mean [lanes]?"),
    ('[hook]\non_error = "deny"\n', 1, "unknown table [hook]", "did you mean [hooks]?"),
    ('[stor]\nurl = "sqlite:///x.db"\n', 1, "unknown table [stor]", "did you mean [store]?"),
    ("[supervize]\ntarget = 2\n", 1, "unknown table [supervize]",
     "did you mean [supervise]?"),
    ('[[concurency_class]]\nname = "a"\n', 1, "unknown table [concurency_class]",
     "did you mean [concurrency_class]?"),
    ("[zzzqqq]\nx = 1\n", 1, "unknown table [zzzqqq]",
     "the tables dos reads are: arg_provenance, breaker,"),
    ('[hooks]\non_eror = "deny"\n', 2, "[hooks] has unknown key 'on_eror'",
     "did you mean 'on_error'?"),
    ('[lanes.aliases]\ncode = "src"\n[paths]\nstor = "x.db"\n', 4,
     "[paths] has unknown key 'stor'", "did you mean 'store'?"),
    ("[stamp]\nsubject_dir = []\n", 2, "[stamp] has unknown key 'subject_dir'",
     "did you mean 'subject_dirs'?"),
    ("[overlap]\nratio_mx = 0.5\n", 2, "[overlap] has unknown key 'ratio_mx'",
     "did you mean 'ratio_max'?"),
    ("[store]\nbusy_timout_ms = 9\n", 2, "[store] has unknown key 'busy_timout_ms'",
     "did you mean 'busy_timeout_ms'?"),
    ("[liveness]\nwindows_s = 9\n", 2, "[liveness] has unknown key 'windows_s'",
     "did you mean 'window_s'?"),
    ('[verify]\nnon_git_orcale = "x"\n', 2, "[verify] has unknown key 'non_git_orcale'",
     "did you mean 'non_git_oracle'?"),
    ('[reasons.WEDGED]\ncategory = "OPERATOR_GATE"\nsummry = "x"\n', 3,
     "[reasons.WEDGED] has unknown key 'summry'", "did you mean 'summary'?"),
    ('[[reasons.morphology]]\nsubstring = "x"\ncategroy = "TRUE_DRAIN"\n', 3,
     "[reasons.morphology] has unknown key 'categroy'", "did you mean 'category'?"),
    ('[[concurrency_class]]\nname = "a"\nmax_concurent = 1\n', 3,
     "[concurrency_class] has unknown key 'max_concurent'", "did you mean 'max_concurrent'?"),
    ("[supervise]\ntargt = 2\n", 2, "[supervise] has unknown key 'targt'",
     "did you mean 'target'?"),
    ("[cooldown]\nwindow_mss = 1\n", 2, "[cooldown] has unknown key 'window_mss'",
     "did you mean 'window_ms'?"),
    ("[retention]\njournal_max_age_day = 1\n", 2,
     "[retention] has unknown key 'journal_max_age_day'",
     "did you mean 'journal_max_age_days'?"),
    ("[breaker]\nmax_totl = 1\n", 2, "[breaker] has unknown key 'max_totl'",
     "did you mean 'max_total'?"),
    ("[productivity]\nmin_step = 1\n", 2, "[productivity] has unknown key 'min_step'",
     "did you mean 'min_steps'?"),
    ("[efficiency]\nmin_token = 1\n", 2, "[efficiency] has unknown key 'min_token'",
     "did you mean 'min_tokens'?"),
    ("[tool_stream]\nrepeat = 1\n", 2, "[tool_stream] has unknown key 'repeat'",
     "did you mean 'repeat_n'?"),
]


@pytest.mark.parametrize("case", MISSPELT, ids=[case[2] for case in MISSPELT])
def test_2_a_misspelt_table_or_key_in_dos_toml_is_exit_2_naming_the_closest(
        dos: Dos, root: Path, case: tuple[str, int, str, str]) -> None:
    snippet, line, message, fix = case
    (root / "dos.toml").write_text(BASE_TOML + snippet, encoding="utf-8")
    where = f"{root / 'dos.toml'}:{len(BASE_TOML.splitlines()) + line}"
    for argv in (["verify", "AUTH", "AUTH1"], ["lint"], ["lease-lane", "live"]):
        code, out, err = dos(*argv)
        _assert_usage(code, err, f"dos: error: {where}: {message}\n", f"fix: {fix}")
        assert out == ""


def test_2_a_top_level_key_is_exit_2_with_its_line(dos: Dos, root: Path) -> None:
    (root / "dos.toml").write_text('on_error = "deny"\n' + BASE_TOML, encoding="utf-8")
    code, _, err = dos("verify", "AUTH", "AUTH1")
    _assert_usage(code, err, f"{root / 'dos.toml'}:1: unknown top-level key 'on_error'",
                  "[hooks] on_error")


def test_2_tables_the_reference_documents_still_load_and_lint_names_them(
        dos: Dos, root: Path) -> None:
    (root / "dos.toml").write_text(BASE_TOML + "[rewind]\nblock = 2\n[scout]\nx = 1\n",
                                   encoding="utf-8")
    code, out, err = dos("lint")
    assert code != 2, err
    assert "UNUSED_SETTING '[rewind]'" in out
    assert "UNUSED_SETTING '[scout]'" in out


def _edit(root: Path, session: str) -> bytes:
    return json.dumps({"session_id": session, "cwd": str(root),
                       "hook_event_name": "PreToolUse", "tool_name": "Edit",
                       "tool_input": {"file_path": str(root / "src" / "a.py")}}).encode()


# (snippet, what the failing hook decides, the diagnostic): a policy that cannot be loaded
# denies unless it spells out on_error = "allow"
HOOK_TYPOS = [
    ('[hooks]\non_eror = "deny"\n', "deny", "[hooks] has unknown key 'on_eror'"),
    ('[hook]\non_error = "deny"\n', "deny", "unknown table [hook]"),
    ('[hooks]\non_error = "Deny"\n', "deny", "[hooks] on_error must be"),
    ('[lane]\nconcurrent = ["src"]\n', "deny", "unknown table [lane]"),
    ("[supervise]\ntargt = 2\n", "deny", "[supervise] has unknown key 'targt'"),
    ('[hooks]\non_error = "allow"\n[supervise]\ntargt = 2\n', "allow",
     "[supervise] has unknown key 'targt'"),
]


def test_2_the_hooks_no_store_shortcut_knows_every_table_the_loader_does() -> None:
    from dos import config
    from dos.hooks.store_view import TOML_TABLES
    from dos.settings.unused import UNUSED_TABLES, UNUSED_TOP_LEVEL

    assert set(TOML_TABLES) == {*config._READ_TABLES, UNUSED_TOP_LEVEL, *UNUSED_TABLES}


@pytest.mark.parametrize("store", ["no store yet", "store", "remembered"])
@pytest.mark.parametrize("case", HOOK_TYPOS,
                         ids=["on_eror", "hook-table", "Deny", "lane-table", "supervise-key",
                              "supervise-key-allowed"])
def test_2_a_misspelt_dos_toml_in_a_hook_fails_alike_on_every_path(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        store: str, case: tuple[str, str, str]) -> None:
    """The hook answers with its [hooks] on_error outcome instead of exit 2, the same
    whether it would have answered from the no-store shortcut, the loader or its memo;
    a typo in on_error never turns it into allow."""
    snippet, decision, diagnostic = case
    if store == "no store yet" and "unknown key" in diagnostic and "[hooks]" not in snippet:
        decision = "allow"  # nothing is leased yet: the shortcut allows without reading keys

    def hook(session: str) -> Any:
        return run_cli(capsys, monkeypatch, ["hook", "pretool", "--dialect", "claude-code"],
                       _edit(root, session))

    if store != "no store yet":
        held = run_cli(capsys, monkeypatch, ["--workspace", str(root), "lease-lane", "acquire",
                                             "--lane", "src", "--owner", "session-A"])
        assert held.code == 0, held.stderr
    if store == "remembered":
        assert "deny" in hook("session-B").stdout  # the good file's answer is remembered
        assert (root / ".dos" / "hook-cache.json").is_file()
    (root / "dos.toml").write_text(BASE_TOML + snippet, encoding="utf-8")
    done = hook("session-B")
    assert done.code == 0
    got = json.loads(done.stdout)["hookSpecificOutput"]["permissionDecision"] \
        if done.stdout else "allow"
    assert got == decision
    if store == "no store yet" and decision == "allow" and "unknown key" in diagnostic:
        # No store, no lease: the shortcut answers the loader's allow without reading keys.
        assert done.stderr == ""
        return
    assert done.stderr.startswith("dos hook pretool: error: ")
    assert diagnostic in done.stderr
    assert done.stderr.endswith(f'— {decision}ed ([hooks] on_error = "{decision}")\n'
                                .replace("denyed", "denied"))


# --- 3. a bad --track spec --------------------------------------------------------------

@pytest.mark.parametrize(("spec", "problem"), [
    ("nope", "'nope' is not a run id"),
    (":abc", "no run id"),
    ("[1]", "a JSON spec must be an object, not list"),
    ("{not json", "not valid JSON"),
    ('{{"run_id": 1}}', "run_id must be a string, got int"),
    ('{{"run_id": "{rid}", "lane": 5}}', "lane must be a string, got int"),
    ('{{"run_id": "{rid}", "budget_ms": "x"}}', "budget_ms must be an integer >= 0"),
    ('{{"run_id": "{rid}", "budget_ms": true}}', "budget_ms must be an integer >= 0"),
    ('{{"run_id": "{rid}", "bogus": 1}}', "unknown key(s) bogus"),
])
def test_3_a_bad_track_spec_is_exit_2_saying_the_expected_form(
        dos: Dos, root: Path, spec: str, problem: str) -> None:
    rid = mint("worker").run_id
    text = spec.format(rid=rid) if "{rid}" in spec or "{{" in spec else spec
    code, out, err = dos("watch", "--track", text)
    _assert_usage(code, err, f"--track {text!r}: {problem}", TRACK_FORM)
    assert out == ""
    assert not (root / ".dos").exists()


# --- 4. a ref git does not know ---------------------------------------------------------

@pytest.mark.parametrize("verb", [["liveness", "--run-id"], ["status", "--run-id"],
                                  ["trace"]], ids=["liveness", "status", "trace"])
def test_4_an_unknown_ref_is_exit_2_not_a_verdict(dos: Dos, verb: list[str]) -> None:
    rid = mint("worker").run_id
    code, _, err = dos("lease-lane", "acquire", "--lane", "src", "--owner", "A",
                       "--run-id", rid)
    assert code == 0, err
    assert dos(*verb, rid)[0] in (0, 1)  # the run is known and judged...
    code, out, err = dos(*verb, rid, "--ref", "nosuch")  # ...but not on a ref git lacks
    _assert_usage(code, err, "--ref 'nosuch' is not a commit")
    assert out == ""


# --- 5. a run id nothing knows ----------------------------------------------------------

def test_5_a_run_id_nothing_knows_is_unknown_never_advancing(dos: Dos, root: Path) -> None:
    code, out, _ = dos("exit-codes", "liveness", "--json")
    assert json.loads(out)["liveness"]["UNKNOWN"] == 5
    rid = mint("worker").run_id  # minted just now: "too young to judge" if it were known
    for verb in ("liveness", "status"):
        code, out, err = dos(verb, "--run-id", rid, "--json")
        assert (code, json.loads(out)["verdict"]) == (5, "UNKNOWN"), err
    code, out, _ = dos("watch", "--track", rid, "--json")
    tick = json.loads(out)
    assert (code, tick["verdicts"], tick["advancing"]) == (0, {rid: "UNKNOWN"}, [])
    assert tick["skipped"] == [rid]
    assert tick["proposed_halts"] == []
    # once the store knows the run (a recorded spawn), the young run is judged as such
    assert dos("lease-lane", "spawn", "--lane", "src", "--run-id", rid)[0] == 0
    code, out, _ = dos("liveness", "--run-id", rid, "--json")
    assert (code, json.loads(out)["verdict"]) == (0, "ADVANCING")


# --- 6. dos store copy with bad URLs ----------------------------------------------------

@pytest.mark.parametrize(("source", "target", "message"), [
    ("ftp://x/y.db", "sqlite:///copy.db", "--from 'ftp://x/y.db' has an unknown scheme 'ftp'"),
    ("sqlite:///.dos/dos.db", "mysql://u:secret@h/db",
     "--to 'mysql://u:***@h/db' has an unknown scheme 'mysql'"),
    ("nonsense", "sqlite:///copy.db", "--from 'nonsense' is not a URL"),
    ("sqlite://.dos/dos.db", "sqlite:///copy.db", "is not sqlite:///<path> (three slashes"),
    ("sqlite:///", "sqlite:///copy.db", "--from 'sqlite:///' names no file"),
    ("", "sqlite:///copy.db", "--from is empty"),
    ("sqlite:///.dos", "sqlite:///copy.db", "--from 'sqlite:///.dos' is a directory"),
    ("sqlite:///missing.db", "sqlite:///copy.db", "there is no store at sqlite:///missing.db"),
    ("sqlite:///.dos/dos.db", "sqlite:///./.dos/dos.db", "--from and --to name the same store"),
], ids=["unknown-scheme", "unknown-scheme-redacted", "not-a-url", "two-slashes", "no-file",
        "empty", "directory", "missing-source", "same-store"])
def test_6_store_copy_with_bad_urls_is_exit_2_with_a_fix(
        dos: Dos, root: Path, source: str, target: str, message: str) -> None:
    assert dos("lease-lane", "acquire", "--lane", "src", "--owner", "A")[0] == 0
    code, out, err = dos("store", "copy", "--from", source, "--to", target)
    _assert_usage(code, err, message)
    assert "secret" not in err
    assert out == ""
    assert not (root / "copy.db").exists()


@pytest.mark.parametrize("verb", [["lease-lane", "live"], ["arbitrate", "--lane", "src"],
                                  ["lease-lane", "acquire", "--lane", "src", "--owner", "A"]])
def test_6_an_unknown_dos_store_url_scheme_is_exit_2_not_an_unreadable_store(
        dos: Dos, root: Path, verb: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """DOS_STORE_URL is policy as ``[store] url`` is: a typo there is the user's to fix,
    not a store that could not be read (74), and the password never reaches the message."""
    assert dos("lease-lane", "acquire", "--lane", "docs", "--owner", "B")[0] == 0
    monkeypatch.setenv("DOS_STORE_URL", "redis://user:secret@host/0")
    code, out, err = dos(*verb)
    _assert_usage(code, err, "DOS_STORE_URL has an unknown scheme 'redis'", "unset DOS_STORE_URL")
    assert "secret" not in err
    assert out == ""
    monkeypatch.delenv("DOS_STORE_URL")
    assert dos("lease-lane", "live", "--json")[1].count('"lane": "docs"') == 1


# --- 7. dos init DIR where DIR does not exist -------------------------------------------

@pytest.mark.parametrize("extra", [[], ["--hooks", "claude-code"]], ids=["config", "hooks"])
def test_7_init_of_a_missing_directory_is_exit_2(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 extra: list[str]) -> None:
    missing = tmp_path / "typo"
    assert main(["init", str(missing), *extra]) == 2
    err = capsys.readouterr().err
    _assert_usage(2, err, f"{missing} does not exist",
                  "fix: create it first (mkdir), or drop DIR")
    assert not missing.exists()
    (tmp_path / "file").write_text("x\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "file"), *extra]) == 2
    assert "is not a directory" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["memory", "verify", "--store", "~nosuch-user-dos/notes"],
    ["memory", "recall", "x", "--store", "~nosuch-user-dos"],
    ["export", "--to", "file", "--path", "~nosuch-user-dos/out.jsonl", "--dry-run"],
], ids=["memory-verify", "memory-recall", "export-file"])
def test_a_path_naming_an_unknown_users_home_is_exit_2(dos: Dos, argv: list[str]) -> None:
    """``~name`` of a user the system does not know cannot be expanded: the user's mistake
    to fix, never an internal error (the argument fuzzer found ``--store ~0``)."""
    code, out, err = dos(*argv)
    _assert_usage(code, err, "starts with a home directory that cannot be found")
    assert out == ""


def test_dos_home_naming_an_unknown_users_home_is_exit_2(
        dos: Dos, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_HOME", "~nosuch-user-dos/registry")
    code, _, err = dos("projects")
    _assert_usage(code, err, "DOS_HOME '~nosuch-user-dos/registry'")
