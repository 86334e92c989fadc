"""mt-normalize: clean machine-translated text and unify its terminology.

>>> from normalize import clean
>>> result = clean("Promote high -quality development.The plan works.")
>>> result.text
'Promote high-quality development. The plan works.\\n'
>>> [c.rule for c in result.changes]
['S001', 'S002', 'L004']
"""

from __future__ import annotations

from typing import Any

from normalize.batch import clean_file, clean_files
from normalize.config import Config, load_config
from normalize.edits import Change, Edit, Finding, apply_changes
from normalize.engine import Normalizer, Result, all_rules, clean
from normalize.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    GlossaryError,
    InputError,
    NormalizeError,
)

__version__ = "0.1.0"

__all__ = [
    "BinaryInputError",
    "Change",
    "Config",
    "ConfigError",
    "DecodeError",
    "Edit",
    "Finding",
    "GlossaryError",
    "InputError",
    "NormalizeError",
    "Normalizer",
    "Result",
    "__version__",
    "all_rules",
    "apply_changes",
    "clean",
    "clean_file",
    "clean_files",
    "clean_jsonl",
    "load_config",
]


def __getattr__(name: str) -> Any:
    """``clean_jsonl`` is imported on first use: a one-file run never needs it."""
    if name == "clean_jsonl":
        from normalize.jsonl import clean_jsonl

        globals()["clean_jsonl"] = clean_jsonl
        return clean_jsonl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
