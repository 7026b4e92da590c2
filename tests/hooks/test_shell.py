"""Which paths a shell command writes, read with shlex: one row per shell form."""

from __future__ import annotations

import pytest

from dos.hooks.shell import patch_paths, shell_writes
from dos.hooks.writes import Target

ROWS = [
    ("echo hi > src/a.py", [Target("src/a.py")], []),
    ("echo hi >> log.txt 2>&1", [Target("log.txt")], []),
    ("cmd &> out.log", [Target("out.log")], []),
    ("make 2>/dev/null >/dev/stdout", [], []),
    ("echo a >&2", [], []),
    ("ls | tee -a one two", [Target("one"), Target("two")], []),
    ("rm -rf build dist", [Target("build", True), Target("dist", True)], []),
    ("rm -f a.pyc", [Target("a.pyc")], []),
    ("touch -d yesterday stamp", [Target("stamp")], []),
    ("mkdir -p -m 755 out/dir", [Target("out/dir")], []),
    ("cp a.py b.py dest/", [Target("dest/"), Target("dest/a.py"), Target("dest/b.py")], []),
    ("cp -t dest a.py", [Target("dest"), Target("dest/a.py")], []),
    ("mv old.py new.py", [Target("new.py", True), Target("new.py/old.py", True),
                          Target("old.py", True)], []),
    ("sed -i 's/a/b/' x.py y.py", [Target("x.py"), Target("y.py")], []),
    ("sed -i.bak -e 's/a/b/' x.py", [Target("x.py")], []),
    ("sed 's/a/b/' x.py", [], []),
    ("perl -pi -e 's/a/b/' x.pl", [Target("x.pl")], []),
    ("truncate -s 0 big.log", [Target("big.log")], []),
    ("chmod -R 755 bin", [Target("bin", True)], []),
    ("dd if=/dev/zero of=disk.img bs=1M", [Target("disk.img")], []),
    ("find build -name '*.o' -delete", [Target("build", True)], []),
    ("cd src && echo > api/x.py", [Target("src/api/x.py")], []),
    ("cd /abs && touch f", [Target("/abs/f")], []),
    ("cd - && touch f", [], ["f"]),
    ("sudo -u root tee /etc/hosts", [Target("/etc/hosts")], []),
    ("FOO=1 env -u BAR nice -n 5 timeout 10 touch t", [Target("t")], []),
    ("bash -c 'echo x > inner.txt'", [Target("inner.txt")], []),
    ("echo $(rm gone.txt)", [Target("gone.txt")], []),
    ("echo x > \"$OUT\"", [], ["$OUT"]),
    ("echo x > ~/notes", [], ["~/notes"]),
    ("echo x > `pwd`/f", [], ["`pwd`/f"]),
    ("cat <<EOF > made.txt\nline > not-a-target\nEOF\nrm after.txt",
     [Target("made.txt"), Target("after.txt")], []),
    ("ls # comment > nope\nrm real.txt", [Target("real.txt")], []),
    ("git commit -m 'a > b'", [], []),
    ("npm test", [], []),
    ("echo 'unterminated", [], ["echo 'unterminated"]),
]


@pytest.mark.parametrize(("command", "targets", "unresolved"), ROWS)
def test_shell_writes(command: str, targets: list[Target], unresolved: list[str]) -> None:
    found = shell_writes(command)
    assert found.targets == targets
    assert found.unresolved == unresolved


def test_apply_patch_names_every_file_it_touches() -> None:
    patch = ("*** Begin Patch\n*** Add File: new.py\n+x\n*** Update File: old.py\n"
             "*** Move to: moved.py\n@@\n-a\n+b\n*** Delete File: gone.py\n*** End Patch\n")
    assert patch_paths(patch) == ["new.py", "old.py", "moved.py", "gone.py"]
    heredoc = shell_writes(f"apply_patch <<'EOF'\n{patch}EOF")
    assert [t.path for t in heredoc.targets] == ["new.py", "old.py", "moved.py", "gone.py"]
