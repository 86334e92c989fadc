"""The pipeline, in order. Each pass sees the output of the one before it.

entities -> encoding -> unicode -> chrome -> spacing -> glossary -> layout -> review

HTML references are decoded first (as ftfy.fix_text does: one can stand for a byte of
mojibake); encoding comes next because every later pattern assumes readable characters; chrome
comes before spacing and glossary so navigation lines are never "repaired"; layout runs
after every pass that can empty a line; review only reports, on the final text.
"""

from __future__ import annotations

from normalize.passes.base import Pass
from normalize.passes.chrome import ChromePass
from normalize.passes.encoding import CosmeticsPass, EncodingPass, EntityPass
from normalize.passes.glossary import GlossaryPass
from normalize.passes.layout import LayoutPass
from normalize.passes.review import ReviewPass
from normalize.passes.spacing import SpacingPass
from normalize.passes.unicode import UnicodePass

PASS_CLASSES: tuple[type[Pass], ...] = (
    EntityPass,
    EncodingPass,
    CosmeticsPass,
    UnicodePass,
    ChromePass,
    SpacingPass,
    GlossaryPass,
    LayoutPass,
    ReviewPass,
)

__all__ = ["PASS_CLASSES", "Pass"]
