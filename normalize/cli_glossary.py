"""``mtnorm glossary ...`` subcommands (check, test, import, export)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Lint, test, import and export glossaries.", no_args_is_help=True)
