"""Shared fixtures. ``../shared`` (seeds, ftfy's corpus) is optional: tests that need it
skip with a reason when it is absent, so a fresh clone passes on its own."""

from __future__ import annotations

import os
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
