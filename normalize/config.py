"""Configuration: a frozen, picklable value that fully determines what ``clean`` does.

It is found like ruff finds its settings: the nearest ``mtnorm.toml``, ``.mtnorm.toml``
or ``pyproject.toml`` with a ``[tool.mtnorm]`` table, searching upward from the input.
Per-pass options live in sub-tables (``[tool.mtnorm.layout]``) and are validated by the
pass that owns them, so adding a pass never means editing this module.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from normalize.errors import ConfigError

CONFIG_FILES = ("mtnorm.toml", ".mtnorm.toml", "pyproject.toml")

_Frozen = tuple[tuple[str, Any], ...]


def _freeze(value: Any) -> Any:
    """Make TOML data hashable and immutable (dicts become sorted item tuples)."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and all(
        isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value
    ) and value:
        return {k: _thaw(v) for k, v in value}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Config:
    """All settings of one run. Build with :meth:`from_mapping` or :func:`load_config`."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    pass_options: tuple[tuple[str, _Frozen], ...] = ()
    source: str | None = field(default=None, compare=False)

    _TOP_KEYS = ("select", "extend-select", "ignore")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str | None = None) -> Config:
        """Validate a ``[tool.mtnorm]``-shaped mapping (keys use dashes, as in TOML)."""
        where = f" in {source}" if source else ""
        lists: dict[str, tuple[str, ...]] = {}
        passes: dict[str, _Frozen] = {}
        for key, value in data.items():
            if key in cls._TOP_KEYS:
                if isinstance(value, str):
                    value = [value]
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"'{key}'{where} must be a list of rule codes")
                lists[key.replace("-", "_")] = tuple(value)
            elif isinstance(value, Mapping):
                passes[key] = _freeze(value)
            else:
                raise ConfigError(f"unknown setting '{key}'{where}")
        cfg = cls(
            select=lists.get("select", ()),
            extend_select=lists.get("extend_select", ()),
            ignore=lists.get("ignore", ()),
            pass_options=tuple(sorted(passes.items())),
            source=source,
        )
        return cfg

    def options(self, pass_name: str) -> dict[str, Any]:
        """The options table of one pass, as a plain dict (empty when not set)."""
        for name, opts in self.pass_options:
            if name == pass_name:
                thawed = _thaw(opts)
                return thawed if isinstance(thawed, dict) else {}
        return {}

    def with_options(self, pass_name: str, **options: Any) -> Config:
        """A copy with some options of one pass overridden (used by CLI flags and tests)."""
        merged = self.options(pass_name)
        merged.update({k.replace("_", "-"): v for k, v in options.items()})
        others = [(n, o) for n, o in self.pass_options if n != pass_name]
        others.append((pass_name, _freeze(merged)))
        return replace(self, pass_options=tuple(sorted(others)))

    def with_selection(
        self,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> Config:
        """A copy with CLI selection applied on top: ``select`` replaces, others extend."""
        return replace(
            self,
            select=tuple(select) if select is not None else self.select,
            extend_select=self.extend_select + tuple(extend_select),
            ignore=self.ignore + tuple(ignore),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "select": list(self.select),
            "extend-select": list(self.extend_select),
            "ignore": list(self.ignore),
        }
        for name, _ in self.pass_options:
            data[name] = self.options(name)
        return data

    @property
    def hash(self) -> str:
        """Stable digest of the settings (not of where they came from), for reports."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def read_config_file(path: Path) -> Config:
    """Read one config file; a ``pyproject.toml`` contributes its ``[tool.mtnorm]`` table."""
    import tomllib  # here: a run with no config file above its inputs never parses TOML

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("mtnorm", {})
    return Config.from_mapping(data, source=str(path))


def find_config_file(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a file or a folder)."""
    here = start if start.is_dir() else start.parent
    for folder in (here.resolve(), *here.resolve().parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name != "pyproject.toml":
                    return candidate
                import tomllib

                try:
                    data = tomllib.loads(candidate.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                    continue
                if "mtnorm" in data.get("tool", {}):
                    return candidate
    return None


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """``explicit`` wins; otherwise the nearest file above ``start``; otherwise defaults."""
    if explicit is not None:
        return read_config_file(explicit)
    if start is not None:
        found = find_config_file(start)
        if found is not None:
            return read_config_file(found)
    return Config()


@dataclass(frozen=True, slots=True)
class ConfigResolver:
    """Which settings apply to a file, as ruff decides: the nearest config file above the
    file itself, with the command line's rule selection applied on top. With an explicit
    ``--config`` every file gets ``base``. Picklable, so worker processes can resolve too.
    """

    base: Config
    explicit: bool = False
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def for_path(self, path: str | Path) -> Config:
        """The config of one file (cached per folder for the life of the process)."""
        if self.explicit:
            return self.base
        folder = Path(path).parent
        key = (self, folder)
        cached = _RESOLVED.get(key)
        if cached is None:
            found = find_config_file(folder)
            raw = read_config_file(found) if found is not None else Config()
            cached = raw.with_selection(self.select, self.extend_select, self.ignore)
            if len(_RESOLVED) > 4096:
                _RESOLVED.clear()
            _RESOLVED[key] = cached
        return cached


_RESOLVED: dict[tuple[ConfigResolver, Path], Config] = {}
