"""Each file of a batch takes the config file nearest to it (as ruff does), the command
line's selection applies on top, and --config overrides everything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from normalize.config import Config, ConfigResolver

TEXT = "“Blue Sky” plan\n"


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(TEXT, encoding="utf-8")
    (root / "sub" / "mtnorm.toml").write_text('extend-select = ["E003"]\n', encoding="utf-8")
    return root


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "normalize", *args], capture_output=True, text=True, check=False
    )


def test_resolver_finds_the_nearest_config(tmp_path):
    root = _tree(tmp_path)
    resolver = ConfigResolver(base=Config(), ignore=("L004",))
    top, sub = resolver.for_path(root / "a.txt"), resolver.for_path(root / "sub" / "b.txt")
    assert top.extend_select == () and "L004" in top.ignore
    assert sub.extend_select == ("E003",) and "L004" in sub.ignore
    explicit = ConfigResolver(base=Config(select=("S",)), explicit=True)
    assert explicit.for_path(root / "sub" / "b.txt") == Config(select=("S",))


def test_batch_uses_each_folders_config(tmp_path):
    root = _tree(tmp_path)
    out = tmp_path / "out"
    proc = _run("clean", str(root), "-o", str(out), "--report", str(tmp_path / "r.json"))
    assert proc.returncode == 0, proc.stderr
    assert (out / "a.txt").read_text(encoding="utf-8") == TEXT
    assert (out / "sub" / "b.txt").read_text(encoding="utf-8") == '"Blue Sky" plan\n'
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    hashes = {Path(f["path"]).name: f["config_hash"] for f in report["files"]}
    assert hashes["a.txt"] != hashes["b.txt"]


def test_explicit_config_wins_everywhere(tmp_path):
    root = _tree(tmp_path)
    cfg = tmp_path / "mtnorm.toml"
    cfg.write_text("select = [\"L\"]\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = _run("clean", str(root), "-o", str(out), "--config", str(cfg))
    assert proc.returncode == 0, proc.stderr
    assert (out / "sub" / "b.txt").read_text(encoding="utf-8") == TEXT


def test_broken_folder_config_fails_only_its_files(tmp_path):
    root = _tree(tmp_path)
    (root / "sub" / "mtnorm.toml").write_text("select = 3\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = _run("clean", str(root), "-o", str(out))
    assert proc.returncode == 2
    assert "mtnorm.toml" in proc.stderr and "Traceback" not in proc.stderr
    assert (out / "a.txt").is_file() and not (out / "sub" / "b.txt").exists()
