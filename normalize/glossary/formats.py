"""Import and export: DeepL-style CSV/TSV, TBX-Basic, and our own TOML.

CSV/TSV rows are ``source,target`` as DeepL glossaries use them: the source is a variant,
the target its canonical (a canonical-only concept is a row mapping to itself). TBX-Basic
carries the full concept: the administrative status of a term says what it is to us:
``preferredTerm-admn-sts`` is the canonical, ``admittedTerm-admn-sts`` a protected
alternative that is never rewritten, ``deprecatedTerm-admn-sts`` a variant to replace.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from normalize.errors import GlossaryError
from normalize.glossary.model import Entry

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_CANONICAL = "preferredTerm-admn-sts"
STATUS_ADMITTED = "admittedTerm-admn-sts"
STATUS_DEPRECATED = "deprecatedTerm-admn-sts"
FORMATS = ("csv", "tsv", "tbx", "toml")


def slug(text: str) -> str:
    """A readable, stable id from a canonical."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:60] or "entry"


# --- CSV / TSV ---------------------------------------------------------------------------


def export_pairs(entries: Iterable[Entry], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    for e in entries:
        if e.action != "fix":
            continue
        if not e.variants:
            writer.writerow([e.canonical, e.canonical])
        for v in e.variants:
            writer.writerow([v, e.canonical])
    return buf.getvalue()


def import_pairs(text: str, delimiter: str, source: str = "-") -> list[Entry]:
    """Rows grouped by target, in first-seen order; a header row 'source,target' is
    skipped; rows with other than two or four columns are errors (DeepL allows 4)."""
    groups: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for n, row in enumerate(reader, 1):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) not in (2, 4):
            raise GlossaryError(f"{source}:{n}: expected 'source{delimiter}target', got {row!r}")
        src, dst = row[0].strip(), row[1].strip()
        if n == 1 and (src.lower(), dst.lower()) == ("source", "target"):
            continue
        if not src or not dst:
            raise GlossaryError(f"{source}:{n}: empty term")
        group = groups.setdefault(dst, [])
        lines.setdefault(dst, n)
        if src != dst and src not in group:
            group.append(src)
    return _entries(((dst, tuple(v), ()) for dst, v in groups.items()), source, lines)


def _entries(
    items: Iterable[tuple[str, tuple[str, ...], tuple[str, ...]]],
    source: str, lines: dict[str, int] | None = None,
) -> list[Entry]:
    out: list[Entry] = []
    used: set[str] = set()
    for canonical, variants, admitted in items:
        base = slug(canonical)
        eid, k = base, 2
        while eid in used:
            eid, k = f"{base}-{k}", k + 1
        used.add(eid)
        out.append(Entry(id=eid, canonical=canonical, variants=variants, protect=admitted,
                         source=source, line=(lines or {}).get(canonical, 0)))
    return out


# --- TBX-Basic -----------------------------------------------------------------------------


def export_tbx(entries: Iterable[Entry]) -> str:
    ET.register_namespace("", TBX_NS)
    root = ET.Element(f"{{{TBX_NS}}}tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"})
    header = ET.SubElement(root, f"{{{TBX_NS}}}tbxHeader")
    desc = ET.SubElement(ET.SubElement(header, f"{{{TBX_NS}}}fileDesc"), f"{{{TBX_NS}}}sourceDesc")
    ET.SubElement(desc, f"{{{TBX_NS}}}p").text = "exported by mt-normalize"
    body = ET.SubElement(ET.SubElement(root, f"{{{TBX_NS}}}text"), f"{{{TBX_NS}}}body")
    for e in entries:
        concept = ET.SubElement(body, f"{{{TBX_NS}}}conceptEntry", {"id": e.id})
        ET.SubElement(concept, f"{{{TBX_NS}}}descrip", {"type": "subjectField"}).text = e.kind
        if e.note:
            ET.SubElement(concept, f"{{{TBX_NS}}}descrip", {"type": "definition"}).text = e.note
        lang = ET.SubElement(concept, f"{{{TBX_NS}}}langSec", {XML_LANG: "en"})
        terms = [(e.canonical, STATUS_CANONICAL)]
        terms += [(p, STATUS_ADMITTED) for p in e.protect]
        terms += [(v, STATUS_DEPRECATED) for v in e.variants]
        for term, status in terms:
            sec = ET.SubElement(lang, f"{{{TBX_NS}}}termSec")
            ET.SubElement(sec, f"{{{TBX_NS}}}term").text = term
            note = ET.SubElement(sec, f"{{{TBX_NS}}}termNote", {"type": "administrativeStatus"})
            note.text = status
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def import_tbx(text: str, source: str = "-") -> list[Entry]:
    """Concepts with one preferred term each; other statuses map as described above.
    A term without a status is admitted (kept, not rewritten): the safe reading."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise GlossaryError(f"{source}: not well-formed TBX: {exc}") from None
    items: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    ids: list[str | None] = []
    kinds: list[str] = []
    for concept in root.iter():
        if _local(concept.tag) not in ("conceptEntry", "termEntry"):
            continue
        preferred: list[str] = []
        admitted: list[str] = []
        deprecated: list[str] = []
        kind = "term"
        for el in concept.iter():
            if _local(el.tag) == "descrip" and el.get("type") == "subjectField" and el.text:
                kind = el.text.strip()
            if _local(el.tag) != "termSec" and _local(el.tag) != "tig":
                continue
            term = next((t.text for t in el if _local(t.tag) == "term"), None)
            if not term or not term.strip():
                continue
            status = next(
                (t.text or "" for t in el.iter()
                 if _local(t.tag) == "termNote" and t.get("type") == "administrativeStatus"),
                STATUS_ADMITTED,
            ).strip()
            {STATUS_CANONICAL: preferred, STATUS_DEPRECATED: deprecated}.get(
                status, admitted
            ).append(term.strip())
        if len(preferred) != 1:
            cid = concept.get("id", "?")
            raise GlossaryError(
                f"{source}: concept {cid} needs exactly one preferredTerm, has {len(preferred)}"
            )
        items.append((preferred[0], tuple(deprecated), tuple(admitted)))
        ids.append(concept.get("id"))
        kinds.append(kind)
    entries = _entries(items, source)
    out: list[Entry] = []
    for e, cid, kind in zip(entries, ids, kinds, strict=True):
        out.append(Entry(id=cid or e.id, canonical=e.canonical, variants=e.variants,
                         protect=e.protect, kind=kind, source=source))
    return out


# --- TOML ----------------------------------------------------------------------------------


def _q(s: str) -> str:
    """A TOML basic string (JSON string syntax is a subset TOML accepts)."""
    return json.dumps(s, ensure_ascii=False)


def _arr(items: Sequence[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def export_toml(entries: Iterable[Entry], name: str = "imported") -> str:
    """Our glossary format; only non-default fields are written."""
    lines = [f"[glossary]\nname = {_q(name)}\n"]
    default = Entry(id="x", canonical="x")
    for e in entries:
        lines.append("[[entry]]")
        lines.append(f"id = {_q(e.id)}")
        lines.append(f"canonical = {_q(e.canonical)}")
        for key in ("variants", "protect", "unless_inside", "unless_preceded_by",
                    "unless_followed_by"):
            value = getattr(e, key)
            if value:
                lines.append(f"{key} = {_arr(value)}")
        for key in ("kind", "case", "action", "scope", "note", "plural"):
            value = getattr(e, key)
            if value != getattr(default, key) and value is not None:
                lines.append(f"{key} = {_q(value)}")
        if e.fuzzy != default.fuzzy:
            lines.append(f"fuzzy = {'true' if e.fuzzy else 'false'}")
        if e.threshold != default.threshold:
            lines.append(f"threshold = {e.threshold:g}")
        if e.examples:
            ex = ", ".join(f"{{ from = {_q(a)}, to = {_q(b)} }}" for a, b in e.examples)
            lines.append(f"examples = [{ex}]")
        lines.append("")
    return "\n".join(lines)


def export_entries(entries: Sequence[Entry], fmt: str) -> str:
    if fmt == "csv":
        return export_pairs(entries, ",")
    if fmt == "tsv":
        return export_pairs(entries, "\t")
    if fmt == "tbx":
        return export_tbx(entries)
    if fmt == "toml":
        return export_toml(entries)
    raise GlossaryError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def import_entries(text: str, fmt: str, source: str = "-") -> list[Entry]:
    if fmt == "csv":
        return import_pairs(text, ",", source)
    if fmt == "tsv":
        return import_pairs(text, "\t", source)
    if fmt == "tbx":
        return import_tbx(text, source)
    raise GlossaryError(f"cannot import format {fmt!r} (known: csv, tsv, tbx)")
