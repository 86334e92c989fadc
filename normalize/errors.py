"""Typed exceptions. Library code raises these; only the CLI turns them into exit codes."""

from __future__ import annotations


class NormalizeError(Exception):
    """Base class for every error this package raises on purpose."""


class ConfigError(NormalizeError):
    """A configuration file or option is invalid (unknown key, wrong type, bad value)."""


class InputError(NormalizeError):
    """An input cannot be read as text: missing, unreadable, binary or undecodable."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class BinaryInputError(InputError):
    """The input looks binary (NUL bytes), so it is skipped rather than cleaned."""


class DecodeError(InputError):
    """The input is not valid in the expected encoding."""


class GlossaryError(NormalizeError):
    """A glossary file is malformed or fails its own lint or examples."""
