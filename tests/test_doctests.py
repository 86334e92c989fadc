"""Docstring examples are documentation people copy; run them so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "normalize",
    "normalize.edits",
    "normalize.engine",
    "normalize.textdiff",
    "normalize.textutil",
    "normalize.mojibake_gate",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0, f"{name} has no examples"
    assert failures == 0
