"""What a pass is: a unit that reads text and proposes edits and notes.

A pass is built once per :class:`~normalize.engine.Normalizer` (compile patterns in
``__init__``), then ``run`` is called per document. It must not keep per-document
state on ``self``: one instance serves many threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from normalize.config import Config
from normalize.edits import Edit
from normalize.errors import ConfigError
from normalize.rules import Rule


@dataclass(frozen=True, slots=True)
class Note:
    """A finding proposed by a pass, in coordinates of the text the pass saw."""

    start: int
    end: int
    rule: str
    message: str
    confidence: float = 1.0
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DocContext:
    """Per-document facts a pass may need, and the place it leaves notes."""

    newline: str = "\n"
    path: str | None = None
    boilerplate: frozenset[str] = frozenset()
    notes: list[Note] = field(default_factory=list)

    def note(
        self,
        start: int,
        end: int,
        rule: str,
        message: str,
        confidence: float = 1.0,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.notes.append(Note(start, end, rule, message, confidence, meta or {}))


class Pass:
    """Base class. Subclasses set ``name`` and ``rules`` and implement :meth:`run`.

    ``options`` lists the pass's option names with defaults; the TOML table
    ``[tool.mtnorm.<name>]`` may set them, and nothing else.
    """

    name: ClassVar[str] = ""
    rules: ClassVar[tuple[Rule, ...]] = ()
    options: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, config: Config, enabled: frozenset[str]) -> None:
        self.enabled = enabled
        self.opts = self.read_options(config)

    @classmethod
    def read_options(cls, config: Config) -> dict[str, Any]:
        """Defaults overlaid with the config table; unknown keys or wrong types are errors."""
        given = config.options(cls.name)
        merged = dict(cls.options)
        for key, value in given.items():
            if key not in cls.options:
                known = ", ".join(sorted(cls.options)) or "none"
                raise ConfigError(f"unknown option '{key}' for pass '{cls.name}' (known: {known})")
            default = cls.options[key]
            if default is not None and not isinstance(value, type(default)):
                raise ConfigError(
                    f"option '{cls.name}.{key}' must be {type(default).__name__}, "
                    f"got {type(value).__name__}"
                )
            merged[key] = value
        return merged

    def active(self) -> bool:
        """Whether any of this pass's rules is enabled (the engine skips idle passes)."""
        return any(r.code in self.enabled for r in self.rules)

    def on(self, code: str) -> bool:
        return code in self.enabled

    def run(self, text: str, ctx: DocContext) -> list[Edit]:  # pragma: no cover - abstract
        raise NotImplementedError
