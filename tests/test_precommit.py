"""The shipped pre-commit hooks, run for real with ``pre-commit try-repo``.

try-repo clones this project (its HEAD plus uncommitted changes of tracked files), builds
the hook's virtualenv with pip and runs it in a throwaway git repo, exactly as a user's
``pre-commit run`` would. Skipped only when git or pre-commit is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIRTY = "Promote high -quality development.The plan works.\n"
CLEAN = "Promote high-quality development. The plan works.\n"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(
        importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"
    ),
]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PRE_COMMIT_COLOR="never",
    )
    env.pop("PRE_COMMIT", None)
    return env


def _pre_commit(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=900,
    )


def test_validate_manifest(tmp_path):
    result = _pre_commit(["validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], ROOT,
                         _env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_hooks_with_try_repo(tmp_path):
    env = _env(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "news").mkdir()
    (repo / "news" / "a.txt").write_text(DIRTY)
    (repo / "news" / "b.md").write_text(CLEAN)
    (repo / "script.py").write_text("x = 'high -quality'  \n")  # not a text file for the hook
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "init"], cwd=repo, check=True, env=env)

    check = _pre_commit(["try-repo", str(ROOT), "mtnorm-check", "--all-files"], repo, env)
    out = check.stdout + check.stderr
    assert check.returncode == 1, out
    assert "-Promote high -quality development.The plan works." in out
    assert (repo / "news" / "a.txt").read_text() == DIRTY  # the check hook writes nothing

    fix = _pre_commit(["try-repo", str(ROOT), "mtnorm", "--all-files"], repo, env)
    out = fix.stdout + fix.stderr
    assert fix.returncode == 1, out
    assert "Fixing news/a.txt" in out
    assert (repo / "news" / "a.txt").read_text() == CLEAN
    assert (repo / "news" / "b.md").read_text() == CLEAN
    assert (repo / "script.py").read_text() == "x = 'high -quality'  \n"

    again = _pre_commit(["try-repo", str(ROOT), "mtnorm", "--all-files"], repo, env)
    assert again.returncode == 0, again.stdout + again.stderr
