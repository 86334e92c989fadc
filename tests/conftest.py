"""Shared fixtures. ``../shared`` (seeds, ftfy's corpus) is optional: tests that need it
skip with a reason when it is absent, so a fresh clone passes on its own."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FTFY_CASES = SHARED / "peer-tests" / "ftfy-test-cases"
SAMPLES = ROOT / "samples"


def seed_text(name_prefix: str) -> str:
    """The text of the seed whose file name starts with ``name_prefix`` (e.g. '003')."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    matches = sorted(SEEDS.glob(f"{name_prefix}*.txt"))
    if not matches:
        pytest.skip(f"no seed {name_prefix} in ../shared/seeds")
    return matches[0].read_text(encoding="utf-8")


@pytest.fixture
def seeds() -> dict[str, str]:
    """All seeds by their 3-digit prefix; skips when ../shared is absent."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


# Hypothesis: explore freely on a developer's machine, but be deterministic in CI, where
# a newly found example should not make an unrelated submission fail at random.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# The compiled-glossary cache (normalize.glossary.diskcache) goes to a temporary folder for
# the whole session: tests never read or write the user's cache. Set before collection,
# since test modules build Normalizers at import time; subprocesses inherit it.
_CACHE_ENV = "MTNORM_CACHE_DIR"
_saved_cache_env: list[str | None] = []


def pytest_configure(config: pytest.Config) -> None:
    _saved_cache_env.append(os.environ.get(_CACHE_ENV))
    os.environ[_CACHE_ENV] = tempfile.mkdtemp(prefix="mtnorm-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.get(_CACHE_ENV)
    if folder and os.path.basename(folder).startswith("mtnorm-test-cache-"):
        shutil.rmtree(folder, ignore_errors=True)
    previous = _saved_cache_env.pop() if _saved_cache_env else None
    if previous is None:
        os.environ.pop(_CACHE_ENV, None)
    else:
        os.environ[_CACHE_ENV] = previous
