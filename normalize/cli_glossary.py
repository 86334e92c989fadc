"""``mtnorm glossary ...`` subcommands (check, test, import, export).

Exit codes: 0 ok; 1 examples fail (``test``); 2 lint errors, unreadable or malformed
input, usage errors. Errors are printed as ``file:line: CODE message``; never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from normalize.errors import GlossaryError
from normalize.glossary.compiled import CompiledGlossary
from normalize.glossary.loader import BUILTIN, load_layers, resolve

# The linter and the import/export formats (csv, json, xml) are imported by the commands
# that use them: this module is loaded by every ``mtnorm`` run, to mount the subcommands.

app = typer.Typer(help="Lint, test, import and export glossaries.", no_args_is_help=True)

FilesArg = Annotated[
    list[str] | None,
    typer.Argument(help="Glossary TOML files, later ones layered over earlier ones "
                   "('builtin' is the shipped glossary; the default)."),
]


def _paths(files: list[str] | None) -> list[Path]:
    return [resolve(f) for f in (files or [BUILTIN])]


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def check(files: FilesArg = None) -> None:
    """Lint glossaries before any text is touched; exit 2 on any error."""
    from normalize.glossary.lint import lint_files

    paths = _paths(files)
    issues = lint_files(paths)
    for issue in issues:
        typer.echo(str(issue))
    if issues:
        typer.echo(f"{len(issues)} error(s)", err=True)
        raise typer.Exit(2)
    glossary, _ = load_layers(paths)
    typer.echo(f"ok: {len(glossary.entries)} entries in {len(paths)} file(s), no issues",
               err=True)


@app.command("test")
def test_cmd(files: FilesArg = None) -> None:
    """Run every entry's examples; exit 1 when any fails."""
    try:
        glossary, _ = load_layers(_paths(files))
    except GlossaryError as exc:
        raise _fail(str(exc)) from None
    compiled = CompiledGlossary(glossary)
    total = failed = 0
    for e in glossary.entries:
        for src, want in e.examples:
            total += 1
            got = compiled.apply(src)
            if got != want:
                failed += 1
                typer.echo(f"{e.source}:{e.line}: {e.id}: {src!r} gave {got!r}, "
                           f"expected {want!r}")
    typer.echo(f"{total - failed} of {total} example(s) passed", err=True)
    if failed:
        raise typer.Exit(1)


def _infer(path: str, fmt: str | None, allowed: tuple[str, ...]) -> str:
    if fmt is None:
        fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in allowed:
        raise _fail(f"unknown format {fmt!r} for {path} (use --format {'/'.join(allowed)})")
    return fmt


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None


@app.command("import")
def import_cmd(
    source: Annotated[str, typer.Argument(help="A CSV, TSV or TBX file ('-' for stdin).")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, tsv or tbx")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="TOML to write")] = None,
) -> None:
    """Convert a DeepL-style CSV/TSV or a TBX-Basic file to a glossary TOML file."""
    from normalize.glossary.formats import export_entries, import_entries

    kind = _infer(source, fmt, ("csv", "tsv", "tbx"))
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read {source}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        entries = import_entries(text, kind, source)
    except GlossaryError as exc:
        raise _fail(str(exc)) from None
    _write(export_entries(entries, "toml"), output)
    typer.echo(f"imported {len(entries)} entries", err=True)


@app.command("export")
def export_cmd(
    files: FilesArg = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, tsv, tbx or toml")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write")] = None,
) -> None:
    """Export the (layered) glossary as DeepL-style CSV/TSV, TBX-Basic or TOML."""
    from normalize.glossary.formats import FORMATS, export_entries

    if fmt not in FORMATS:
        raise _fail(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    try:
        glossary, _ = load_layers(_paths(files))
    except GlossaryError as exc:
        raise _fail(str(exc)) from None
    _write(export_entries(glossary.entries, fmt), output)
