"""A self-contained HTML report a person can review offline.

``write_html`` writes ``index.html`` (totals, counts per rule, a sortable and filterable
table of files) and one page per file under ``files/`` with the original and the cleaned
text side by side. Splitting the batch into per-file pages is what keeps a 5,000-file run
usable: the index is one table row per file, and each page only holds its own text.

Everything is inline (CSS, a little JS, no fonts or images) and the pages carry a
Content-Security-Policy that forbids loading anything, so a report opened from a mail
attachment or an air-gapped share looks the same and cannot phone home. All text from
the documents is HTML-escaped; nothing from the input ever reaches a ``<script>``.

Side-by-side layout: the original is cut into rows at line breaks that no change touches,
so a change that joins or deletes lines stays inside one row and both columns stay
aligned. Cleaned offsets come from walking the sorted changes and adding up the length
difference of the changes already passed; no per-character loop is involved.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from normalize.edits import apply_changes
from normalize.rules import Rule

__all__ = ["PASS_COLOURS", "safe_name", "write_html"]

#: (background, border/text) per pass. Unknown passes fall back to ``DEFAULT_COLOUR``.
PASS_COLOURS: dict[str, tuple[str, str]] = {
    "encoding": ("#eddcff", "#7e22ce"),
    "unicode": ("#c9f4ec", "#0f766e"),
    "chrome": ("#e4e1de", "#57534e"),
    "spacing": ("#d6e6ff", "#1d4ed8"),
    "glossary": ("#d3f5dc", "#15803d"),
    "layout": ("#ffe6cc", "#c2410c"),
    "review": ("#ffdede", "#b91c1c"),
}
DEFAULT_COLOUR = ("#fdf3b0", "#a16207")

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
_NEWLINE = re.compile("\n")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_REPR = 80


def _visible_table(*, spaces: bool) -> dict[int, str]:
    """Glyphs for characters that are invisible on screen, used inside change marks only.

    Most changes are whitespace (a doubled space, a trailing tab, a no-break space): a
    highlighted but empty box tells a reviewer nothing, so inside a mark they are drawn.
    Only ASCII and arrows are used for the common ones: control pictures such as U+240D
    are missing from many monospace fonts and showed as empty boxes in Chromium.
    """
    table: dict[int, str] = {c: f"⟨U+{c:04X}⟩" for c in range(0x20)}
    table[0x09] = "→"
    table[0x0A] = "↵\n"
    table[0x0D] = "\\r"
    if spaces:
        table[0x20] = "·"
    odd = [
        0x7F,
        *range(0x80, 0xA0),
        0xA0,
        0xAD,
        0x180E,
        *range(0x2000, 0x2010),
        0x2028,
        0x2029,
        *range(0x202A, 0x2030),
        *range(0x205F, 0x2065),
        *range(0x2066, 0x2070),
        0x3000,
        0xFEFF,
        *range(0xD800, 0xE000),
    ]
    for c in odd:
        table[c] = f"⟨U+{c:04X}⟩"
    return table


_VISIBLE = _visible_table(spaces=True)
_VISIBLE_LONG = _visible_table(spaces=False)
_DRAW_SPACES_UP_TO = 12


def _esc(text: str) -> str:
    return escape(text, quote=False)


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _shown(text: str) -> str:
    """Escaped text with invisible characters drawn (for the inside of change marks).

    Plain spaces are drawn only in short or all-whitespace pieces: there the space is
    usually the change itself, while in a deleted line of prose a dot per space only
    makes the words hard to read.
    """
    if len(text) <= _DRAW_SPACES_UP_TO or text.isspace():
        return escape(text.translate(_VISIBLE), quote=False)
    return escape(text.translate(_VISIBLE_LONG), quote=False)


def _short(text: str) -> str:
    r = repr(text)
    return r if len(r) <= _MAX_REPR else r[: _MAX_REPR - 1] + "…"


def _ident(text: str) -> str:
    """A string safe inside a class name or data attribute token."""
    return _UNSAFE.sub("_", text) or "_"


def safe_name(path: str, taken: set[str]) -> str:
    """A file name for ``path``'s page: ASCII, no separators, unique within ``taken``.

    The readable part is the path with unsafe runs replaced; a hash of the full path
    keeps ``a/b.txt`` and ``a_b.txt`` apart. ``taken`` is compared case-folded, so the
    names stay distinct on case-insensitive file systems too. Adds the result to ``taken``.
    """
    stem = _UNSAFE.sub("_", path.replace("\\", "/")).strip("._")[-60:].lstrip("._") or "file"
    digest = hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()
    for width in (10, 40):
        name = f"{stem}-{digest[:width]}.html"
        if name.casefold() not in taken:
            taken.add(name.casefold())
            return name
    n = 2
    while f"{stem}-{digest}-{n}.html".casefold() in taken:
        n += 1
    name = f"{stem}-{digest}-{n}.html"
    taken.add(name.casefold())
    return name


def _colours(pass_name: str) -> tuple[str, str]:
    return PASS_COLOURS.get(pass_name, DEFAULT_COLOUR)


def _rules_by_code() -> dict[str, Rule]:
    from normalize.engine import all_rules

    return {r.code: r for r in all_rules()}


_CSS = """
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg2:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
margin:0;padding:16px 24px}
h1{font-size:20px;margin:0 0 4px;word-break:break-all}
h2{font-size:16px;margin:20px 0 8px}
a{color:#0969da}
.meta{color:var(--muted);margin:0 0 12px}
.meta code{font-size:12px}
nav{margin:0 0 10px}
nav a{margin-right:14px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:8px 0 14px}
.card{border:1px solid var(--line);border-radius:6px;padding:6px 14px;background:var(--bg2)}
.card b{display:block;font-size:20px}
table{border-collapse:collapse}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--bg2);position:sticky;top:0;z-index:1}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.chip{display:inline-block;border:1px solid;border-radius:10px;padding:0 7px;font-size:12px;
white-space:nowrap}
.controls{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin:8px 0}
.controls input[type=search]{width:280px;padding:3px 6px}
.rules td{font-size:13px}
.rules label{cursor:pointer;white-space:nowrap}
.notice{border:1px solid #d4a72c;background:#fff8c5;padding:6px 10px;border-radius:6px}
.err{color:#b91c1c}
table.sbs{table-layout:fixed;width:100%}
.sbs td{font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
white-space:pre-wrap;overflow-wrap:anywhere;border-width:0 1px}
.sbs td.ln{width:4.5em;color:var(--muted);text-align:right;user-select:none;background:var(--bg2)}
.sbs col.ln{width:4.5em}
.sbs tr.ch td.ln{background:#eaeef2;color:var(--fg)}
.sbs td.t{min-height:1.5em}
body.only-changed .sbs tbody tr:not(.ch){display:none}
.c{border-radius:2px;outline:1px solid;cursor:help}
.c.ins::before{content:"^";font-weight:bold;font-size:.85em;padding:0 1px}
.c.muted{background:none!important;outline:none}
.c.muted.ins::before{content:""}
.f{text-decoration:underline wavy #d1242f;text-decoration-skip-ink:none;
text-underline-offset:3px;cursor:help}
.f.ins::before{content:"!";font-weight:bold;color:#d1242f}
.f.muted{text-decoration:none}
.f.muted.ins::before{content:""}
.c:target,.f:target{box-shadow:0 0 0 3px #ffd33d}
.list td{font-size:13px}
.list td.v{font-family:ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
#files td.p{word-break:break-all}
#files th[data-k]{cursor:pointer;user-select:none}
#files th[aria-sort=ascending]::after{content:" \\25B2"}
#files th[aria-sort=descending]::after{content:" \\25BC"}
.st-error{color:#b91c1c}.st-unchanged{color:var(--muted)}
"""


def _pass_css(passes: Iterable[str]) -> str:
    lines = []
    for name in sorted(set(passes)):
        bg, fg = _colours(name)
        cls = _ident(name)
        lines.append(f".p-{cls}{{background:{bg};outline-color:{fg}}}")
        lines.append(f".chip.p-{cls}{{border-color:{fg};color:{fg};outline:none}}")
    return "\n".join(lines)


def _page(title: str, body: str, css: str = "", script: str = "") -> str:
    js = f"<script>\n{script}\n</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}{css}</style>\n</head>\n"
        f"<body>\n{body}\n{js}</body>\n</html>\n"
    )


def _write(path: Path, text: str) -> None:
    """Write UTF-8; lone surrogates (which U004 exists to fix) become character
    references the browser shows as U+FFFD instead of making the write fail."""
    path.write_bytes(text.encode("utf-8", "xmlcharrefreplace"))


# --------------------------------------------------------------------------- marks


@dataclass(slots=True)
class _Mark:
    """A highlighted range on one side: a change (``finding`` False) or a finding."""

    start: int
    end: int
    cls: str
    rules: str
    title: str
    ident: str
    finding: bool = False


@dataclass(slots=True)
class _Row:
    ostart: int
    oend: int
    cstart: int
    cend: int
    oline: int
    cline: int
    omarks: list[_Mark] = field(default_factory=list)
    cmarks: list[_Mark] = field(default_factory=list)


def _open(m: _Mark, title: str, emitted: set[str]) -> str:
    attrs = f'class="{m.cls}" data-r="{m.rules}"'
    if m.ident and m.ident not in emitted:
        emitted.add(m.ident)
        attrs += f' id="{m.ident}"'
    if title:
        attrs += f' title="{_attr(title)}"'
    return f"<span {attrs}>"


def _render(text: str, a: int, b: int, marks: Sequence[_Mark], emitted: set[str]) -> str:
    """HTML for ``text[a:b]`` with ``marks`` (offsets within [a, b]) highlighted.

    Changes never overlap each other but findings may contain changes or each other,
    so the range is cut at every mark boundary and each piece is wrapped in the
    findings covering it (outer) and the change covering it (inner). Work is linear in
    the number of marks plus the pieces, never in the number of characters.
    """
    if not marks:
        return _esc(text[a:b])
    order = sorted(marks, key=lambda m: (m.start, m.finding, -m.end))
    points = sorted({a, b, *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    active: list[_Mark] = []
    k = 0

    def markers_at(p: int) -> None:
        nonlocal k
        while k < len(order) and order[k].start <= p:
            m = order[k]
            k += 1
            if m.start == m.end:
                out.append(_open(m, m.title, emitted) + "</span>")
            else:
                active.append(m)

    for p, q in itertools.pairwise(points):
        markers_at(p)
        active[:] = [m for m in active if m.end > p]
        piece = text[p:q]
        if not active:
            out.append(_esc(piece))
            continue
        finds = [m for m in active if m.finding]
        changes = [m for m in active if not m.finding]
        inner = changes[0] if changes else finds[-1]
        outer = finds if changes else finds[:-1]
        title = "\n\n".join(m.title for m in (*changes, *reversed(finds)))
        out.extend(_open(m, "", emitted) for m in outer)
        out.append(_open(inner, title, emitted))
        out.append(_shown(piece) if changes else _esc(piece))
        out.append("</span>" * (len(outer) + 1))
    markers_at(b)
    return "".join(out)


def _change_title(ch: Mapping[str, Any], rules: Mapping[str, Rule]) -> str:
    code = str(ch["rule"])
    rule = rules.get(code)
    lines = [f"{code} {rule.name if rule else ''} · {ch.get('pass') or ''} pass".strip()]
    if rule:
        lines.append(rule.summary)
    msg = str(ch.get("message") or "")
    if msg and (not rule or msg != rule.summary):
        lines.append(msg)
    conf = ch.get("confidence")
    if conf is not None:
        lines.append(f"confidence {float(conf):.2f}")
    also = list(ch.get("also") or [])
    if also:
        named = [f"{a} {rules[a].name}" if a in rules else str(a) for a in also]
        lines.append("also: " + ", ".join(named))
    lines.append(f"{_short(str(ch.get('before', '')))} → {_short(str(ch.get('after', '')))}")
    return "\n".join(lines)


def _finding_title(f: Mapping[str, Any], rules: Mapping[str, Rule]) -> str:
    code = str(f["rule"])
    rule = rules.get(code)
    lines = [f"{code} {rule.name if rule else ''} · finding (not changed)"]
    if rule:
        lines.append(rule.summary)
    msg = str(f.get("message") or "")
    if msg and (not rule or msg != rule.summary):
        lines.append(msg)
    conf = f.get("confidence")
    if conf is not None:
        lines.append(f"confidence {float(conf):.2f}")
    return "\n".join(lines)


def _change_rules(ch: Mapping[str, Any]) -> list[str]:
    return [str(ch["rule"]), *(str(a) for a in ch.get("also") or [])]


def _rows(
    original: str,
    cleaned: str,
    changes: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    rules: Mapping[str, Rule],
) -> list[_Row]:
    """Cut the document into aligned rows and attach the marks of each side.

    A row ends at a ``\\n`` of the original that no change covers; the text on both sides
    of such a break is unchanged, so the same break exists in the cleaned text at the
    original offset plus the accumulated length difference of the changes before it.
    """
    n_orig = len(original)
    rows: list[_Row] = []
    ci = 0  # first change not yet assigned to a row
    cj = 0  # changes [ci, cj) end at or before the candidate break
    fi = 0
    open_finds: list[tuple[int, Mapping[str, Any]]] = []
    delta = 0
    a = 0
    oline = cline = 1
    breaks = [m.start() for m in _NEWLINE.finditer(original)]
    breaks.append(n_orig)
    for n in breaks:
        while cj < len(changes) and int(changes[cj]["end"]) <= n:
            cj += 1
        if n < n_orig and cj < len(changes) and int(changes[cj]["start"]) <= n:
            continue  # the break is inside a change: keep it in this row
        row = _Row(a, n, a + delta, 0, oline, cline)
        for idx in range(ci, cj):
            ch = changes[idx]
            start, end = int(ch["start"]), int(ch["end"])
            cstart = start + delta
            cend = cstart + len(str(ch["after"]))
            delta += len(str(ch["after"])) - (end - start)
            pass_cls = _ident(str(ch.get("pass") or "other"))
            codes = _change_rules(ch)
            cls = f"c p-{pass_cls}" + (" ins" if start == end else "")
            title = _change_title(ch, rules)
            tokens = " ".join(_ident(c) for c in codes)
            row.omarks.append(_Mark(start, end, cls, tokens, title, f"c{idx}"))
            ccls = f"c p-{pass_cls}" + (" ins" if cstart == cend else "")
            row.cmarks.append(_Mark(cstart, cend, ccls, tokens, title, f"d{idx}"))
        ci = cj
        row.cend = n + delta
        # findings touching [a, n] (a finding on the break itself shows at the row's end)
        while fi < len(findings) and int(findings[fi]["start"]) <= n:
            open_finds.append((fi, findings[fi]))
            fi += 1
        for idx, f in open_finds:
            fs, fe = int(f["start"]), int(f["end"])
            if (fs < fe and fe > a) or (fs == fe and fs >= a):
                s, e = max(fs, a), min(fe, n)
                cls = "f" + (" ins" if s == e else "")
                row.omarks.append(
                    _Mark(
                        s, e, cls, _ident(str(f["rule"])), _finding_title(f, rules), f"f{idx}", True
                    )
                )
        open_finds = [(i, f) for i, f in open_finds if int(f["end"]) > n + 1]
        oline += original.count("\n", a, n) + 1
        cline += cleaned.count("\n", row.cstart, row.cend) + 1
        rows.append(row)
        a = n + 1
    if rows and rows[-1].ostart == n_orig and not rows[-1].omarks and len(rows) > 1:
        rows.pop()  # the empty "line" after a final newline: editors do not show it
    return rows


def _trim_cr(text: str, start: int, end: int, marks: Sequence[_Mark]) -> int:
    """Drop a row's trailing ``\\r`` (of a CRLF) unless a mark touches it: the browser
    would turn it into an extra line break."""
    if end > start and text[end - 1] == "\r" and all(m.end <= end - 1 for m in marks):
        return end - 1
    return end


def _side_by_side(rows: Sequence[_Row], original: str, cleaned: str) -> str:
    emitted: set[str] = set()
    out = [
        '<table class="sbs"><colgroup><col class="ln"><col><col class="ln"><col></colgroup>',
        '<thead><tr><th colspan="2">Original</th><th colspan="2">Cleaned</th></tr></thead>',
        "<tbody>",
    ]
    for r in rows:
        oend = _trim_cr(original, r.ostart, r.oend, r.omarks)
        cend = _trim_cr(cleaned, r.cstart, r.cend, r.cmarks)
        left = _render(original, r.ostart, oend, r.omarks, emitted)
        right = _render(cleaned, r.cstart, cend, r.cmarks, emitted)
        cls = ' class="ch"' if r.omarks else ""
        out.append(
            f'<tr{cls}><td class="ln">{r.oline}</td><td class="t">{left}</td>'
            f'<td class="ln">{r.cline}</td><td class="t">{right}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)


# --------------------------------------------------------------------------- pages


def _rule_cell(code: str, rules: Mapping[str, Rule], pass_hint: str | None = None) -> str:
    rule = rules.get(code)
    pass_name = rule.pass_name if rule else (pass_hint or "other")
    return f'<span class="chip p-{_ident(pass_name)}">{_esc(code)}</span>'


def _file_counts(file: Mapping[str, Any]) -> dict[str, int]:
    counts = file.get("counts")
    if counts:
        return {str(k): int(v) for k, v in counts.items()}
    c: Counter[str] = Counter()
    for ch in file.get("changes") or []:
        c.update(_change_rules(ch))
    c.update(str(f["rule"]) for f in file.get("findings") or [])
    return dict(sorted(c.items()))


def _rule_filter_table(counts: Mapping[str, int], rules: Mapping[str, Rule]) -> str:
    out = [
        '<table class="rules"><thead><tr><th>Show</th><th>Rule</th><th>Name</th><th>Pass</th>'
        '<th class="n">Count</th><th>What it does</th></tr></thead><tbody>'
    ]
    for code in sorted(counts):
        rule = rules.get(code)
        ident = _ident(code)
        explanation = rule.explanation if rule else ""
        out.append(
            f'<tr title="{_attr(explanation)}"><td><label><input type="checkbox" checked '
            f'data-rule="{ident}"> show</label></td><td>{_rule_cell(code, rules)}</td>'
            f"<td>{_esc(rule.name) if rule else ''}</td>"
            f"<td>{_esc(rule.pass_name) if rule else ''}</td>"
            f'<td class="n">{int(counts[code])}</td>'
            f"<td>{_esc(rule.summary) if rule else ''}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _legend(passes: Iterable[str]) -> str:
    chips = " ".join(f'<span class="chip p-{_ident(p)}">{_esc(p)}</span>' for p in passes)
    return (
        f'<p class="meta">Colour = pass: {chips} · <span class="f">wavy underline</span> = '
        "finding (reported, not changed) · ^ marks an insertion or deletion point · "
        "inside changes · ↵ \\r → ⟨U+…⟩ draw spaces, line breaks, carriage returns, tabs "
        "and invisible characters."
        " Hover a mark for the rule.</p>"
    )


def _change_list(
    changes: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    rules: Mapping[str, Rule],
    linked: bool,
) -> str:
    out = [f"<details open><summary><b>Changes ({len(changes)})</b></summary>"]
    if changes:
        out.append(
            '<table class="list"><thead><tr><th>#</th><th>Line:col</th><th>Rule</th>'
            '<th>Before</th><th>After</th><th class="n">Conf.</th><th>Message</th>'
            "</tr></thead><tbody>"
        )
        for i, ch in enumerate(changes):
            codes = _change_rules(ch)
            where = f"{ch.get('line')}:{ch.get('column')}"
            if linked:
                where = f'<a href="#c{i}">{_esc(where)}</a>'
            conf = ch.get("confidence")
            out.append(
                f'<tr data-r="{" ".join(_ident(c) for c in codes)}"><td class="n">{i + 1}</td>'
                f"<td>{where}</td>"
                f"<td>{' '.join(_rule_cell(c, rules, str(ch.get('pass'))) for c in codes)}</td>"
                f'<td class="v">{_shown(str(ch.get("before", "")))}</td>'
                f'<td class="v">{_shown(str(ch.get("after", "")))}</td>'
                f'<td class="n">{"" if conf is None else f"{float(conf):.2f}"}</td>'
                f"<td>{_esc(str(ch.get('message') or ''))}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</details>")
    out.append(f"<details open><summary><b>Findings ({len(findings)})</b></summary>")
    if findings:
        out.append(
            '<table class="list"><thead><tr><th>#</th><th>Line:col</th><th>Rule</th>'
            '<th>Text</th><th class="n">Conf.</th><th>Message</th></tr></thead><tbody>'
        )
        for i, f in enumerate(findings):
            where = f"{f.get('line')}:{f.get('column')}"
            if linked:
                where = f'<a href="#f{i}">{_esc(where)}</a>'
            conf = f.get("confidence")
            out.append(
                f'<tr data-r="{_ident(str(f["rule"]))}"><td class="n">{i + 1}</td>'
                f"<td>{where}</td><td>{_rule_cell(str(f['rule']), rules, 'review')}</td>"
                f'<td class="v">{_esc(str(f.get("text", "")))}</td>'
                f'<td class="n">{"" if conf is None else f"{float(conf):.2f}"}</td>'
                f"<td>{_esc(str(f.get('message') or ''))}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</details>")
    return "".join(out)


_FILE_JS = """(function(){
var boxes=[].slice.call(document.querySelectorAll('input[data-rule]'));
var marks=[].slice.call(document.querySelectorAll('[data-r]'));
function apply(){var on={};boxes.forEach(function(b){if(b.checked)on[b.dataset.rule]=1;});
marks.forEach(function(el){var vis=el.dataset.r.split(' ').some(function(r){return on[r];});
if(el.tagName==='TR'){el.hidden=!vis;}else{el.classList.toggle('muted',!vis);}});}
boxes.forEach(function(b){b.addEventListener('change',apply);});
function all(v){boxes.forEach(function(b){b.checked=v;});apply();}
var e=document.getElementById('all');if(e)e.addEventListener('click',function(){all(true);});
e=document.getElementById('none');if(e)e.addEventListener('click',function(){all(false);});
var oc=document.getElementById('only-changed');
if(oc)oc.addEventListener('change',function(){
document.body.classList.toggle('only-changed',oc.checked);});
})();"""


def _file_page(
    file: Mapping[str, Any],
    text: tuple[str, str] | None,
    rules: Mapping[str, Rule],
    nav: str,
) -> tuple[str, set[str]]:
    """One file's page, and the passes it uses (for the colour CSS)."""
    path = str(file.get("path", ""))
    changes = sorted(file.get("changes") or [], key=lambda c: (int(c["start"]), int(c["end"])))
    findings = sorted(
        file.get("findings") or [], key=lambda f: (int(f["start"]), int(f["end"]), str(f["rule"]))
    )
    counts = _file_counts(file)
    passes = {str(c.get("pass") or "other") for c in changes}
    passes |= {rules[c].pass_name for c in counts if c in rules}
    body = [nav, f"<h1>{_esc(path)}</h1>"]
    meta = [f"encoding {_esc(str(file.get('encoding') or '?'))}"]
    meta.append("changed" if file.get("changed") else "unchanged")
    meta.append(f"{len(changes)} changes, {len(findings)} findings")
    if file.get("input_sha256"):
        meta.append(f"input sha256 <code>{_esc(str(file['input_sha256'])[:16])}…</code>")
    body.append(f'<p class="meta">{" · ".join(meta)}</p>')

    notice = ""
    side = ""
    if text is None:
        notice = "The text of this file was not supplied; only the change list is shown."
    else:
        original, cleaned = text
        try:
            replay = apply_changes(original, changes)
        except (ValueError, KeyError, TypeError) as exc:
            notice = f"The report does not match this text ({exc}); only the change list is shown."
        else:
            if replay != cleaned:
                notice = (
                    "The cleaned text supplied differs from replaying the report's changes on "
                    "the original; the right column shows the replay."
                )
                cleaned = replay
            rows = _rows(original, cleaned, changes, findings, rules)
            side = _side_by_side(rows, original, cleaned)
    if counts:
        body.append("<h2>Rules</h2>")
        body.append(_rule_filter_table(counts, rules))
    body.append(
        '<div class="controls"><button type="button" id="all">Show all rules</button>'
        '<button type="button" id="none">Hide all rules</button>'
        '<label><input type="checkbox" id="only-changed"> only lines with changes or '
        "findings</label></div>"
    )
    body.append(_legend(sorted(passes)))
    if notice:
        body.append(f'<p class="notice">{_esc(notice)}</p>')
    if side:
        body.append(side)
    body.append("<h2>Details</h2>")
    body.append(_change_list(changes, findings, rules, linked=bool(side)))
    body.append(nav)
    return _page(f"{path} · mt-normalize", "\n".join(body), _pass_css(passes), _FILE_JS), passes


_INDEX_JS = """(function(){
var tb=document.querySelector('#files tbody');if(!tb)return;
var rows=[].slice.call(tb.rows);
var q=document.getElementById('q'),st=document.getElementById('status'),
ru=document.getElementById('rule'),shown=document.getElementById('shown');
function apply(){var t=q.value.toLowerCase(),s=st.value,r=ru.value,n=0;
rows.forEach(function(tr){var d=tr.dataset;
var ok=(!t||d.p.indexOf(t)>=0)&&(!s||(' '+d.s+' ').indexOf(' '+s+' ')>=0)&&
(!r||(' '+d.r+' ').indexOf(' '+r+' ')>=0);tr.hidden=!ok;if(ok)n++;});
shown.textContent=n;}
[q,st,ru].forEach(function(e){e.addEventListener('input',apply);e.addEventListener('change',apply);});
var ths=[].slice.call(document.querySelectorAll('#files th[data-k]'));
ths.forEach(function(th){th.addEventListener('click',function(){
var k=th.dataset.k,num=th.dataset.t==='n',
dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
ths.forEach(function(o){o.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir>0?'ascending':'descending');
rows.sort(function(a,b){var x=a.dataset[k],y=b.dataset[k];if(num){x=+x;y=+y;}
return x<y?-dir:x>y?dir:(+a.dataset.i)-(+b.dataset.i);});
var f=document.createDocumentFragment();rows.forEach(function(r){f.appendChild(r);});
tb.appendChild(f);});});
[].slice.call(document.querySelectorAll('[data-pick]')).forEach(function(a){
a.addEventListener('click',function(e){e.preventDefault();ru.value=a.dataset.pick;apply();
document.getElementById('files').scrollIntoView();});});
})();"""


def _summary(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report's summary, filled in from the files where a field is missing."""
    files = report.get("files") or []
    given = dict(report.get("summary") or {})
    counts: Counter[str] = Counter()
    for f in files:
        counts.update(_file_counts(f))
    computed = {
        "files": len(files),
        "changed": sum(1 for f in files if f.get("changed")),
        "errors": sum(1 for f in files if f.get("error")),
        "changes": sum(len(f.get("changes") or []) for f in files),
        "findings": sum(len(f.get("findings") or []) for f in files),
        "counts": dict(sorted(counts.items())),
    }
    # an empty "counts" next to files that have counts is a writer shortcut, not a fact
    return {**computed, **{k: v for k, v in given.items() if v is not None and v != {}}}


def _index_page(
    report: Mapping[str, Any], pages: Sequence[str | None], rules: Mapping[str, Rule]
) -> str:
    files = report.get("files") or []
    summary = _summary(report)
    tool = report.get("tool") or {}
    counts: Mapping[str, int] = summary.get("counts") or {}
    files_per_rule: Counter[str] = Counter()
    for f in files:
        files_per_rule.update(_file_counts(f).keys())
    passes = {rules[c].pass_name for c in counts if c in rules} | {"other"}

    body = [
        f"<h1>mt-normalize report · {int(summary['files'])} files</h1>",
        f'<p class="meta">{_esc(str(tool.get("name") or "mt-normalize"))} '
        f"{_esc(str(tool.get('version') or ''))} · report schema "
        f"{_esc(str(report.get('schema_version') or '?'))} · config "
        f"<code>{_esc(str(report.get('config_hash') or '?')[:16])}</code></p>",
        '<div class="cards">',
    ]
    for key, label in (
        ("files", "files"),
        ("changed", "changed"),
        ("errors", "errors"),
        ("changes", "changes"),
        ("findings", "findings"),
    ):
        cls = " err" if key == "errors" and summary.get(key) else ""
        body.append(f'<div class="card{cls}"><b>{int(summary.get(key) or 0)}</b>{label}</div>')
    body.append("</div>")

    if counts:
        body.append(
            '<h2>Counts per rule</h2><table class="rules"><thead><tr><th>Rule</th><th>Name</th>'
            '<th>Pass</th><th class="n">Count</th><th class="n">Files</th><th>What it does</th>'
            "</tr></thead><tbody>"
        )
        for code in sorted(counts):
            rule = rules.get(code)
            ident = _ident(code)
            body.append(
                f'<tr title="{_attr(rule.explanation if rule else "")}">'
                f'<td><a href="#files" data-pick="{ident}">{_rule_cell(code, rules)}</a></td>'
                f"<td>{_esc(rule.name) if rule else ''}</td>"
                f"<td>{_esc(rule.pass_name) if rule else ''}</td>"
                f'<td class="n">{int(counts[code])}</td>'
                f'<td class="n">{files_per_rule.get(code, 0)}</td>'
                f"<td>{_esc(rule.summary) if rule else ''}</td></tr>"
            )
        body.append("</tbody></table>")

    options = "".join(
        f'<option value="{_ident(c)}">{_esc(c)}'
        f"{' ' + _esc(rules[c].name) if c in rules else ''}</option>"
        for c in sorted(files_per_rule)
    )
    body.append(
        '<h2>Files</h2><div class="controls">'
        '<input type="search" id="q" placeholder="filter by path" aria-label="filter by path">'
        '<select id="status" aria-label="status"><option value="">any status</option>'
        '<option value="changed">changed</option><option value="unchanged">unchanged</option>'
        '<option value="findings">with findings</option><option value="error">error</option>'
        f'</select><select id="rule" aria-label="rule"><option value="">any rule</option>'
        f"{options}</select>"
        f'<span class="meta"><span id="shown">{len(files)}</span> shown · '
        "click a column header to sort</span></div>"
    )
    rows = [
        '<table id="files"><thead><tr><th class="n" data-k="i" data-t="n">#</th>'
        '<th data-k="p">Path</th><th data-k="s">Status</th><th data-k="e">Encoding</th>'
        '<th class="n" data-k="n" data-t="n">Changes</th>'
        '<th class="n" data-k="f" data-t="n">Findings</th><th>Rules</th></tr></thead><tbody>'
    ]
    for i, (f, page) in enumerate(zip(files, pages, strict=True)):
        path = str(f.get("path", ""))
        n_changes = len(f.get("changes") or [])
        n_findings = len(f.get("findings") or [])
        fc = _file_counts(f)
        status = "error" if f.get("error") else "changed" if f.get("changed") else "unchanged"
        tokens = status + (" findings" if n_findings else "")
        link = f'<a href="files/{page}">{_esc(path)}</a>' if page else _esc(path)
        if f.get("error"):
            link += f'<br><span class="err">{_esc(str(f["error"]))}</span>'
        rule_text = " ".join(f"{_esc(c)}×{n}" if n > 1 else _esc(c) for c, n in fc.items())
        enc = str(f.get("encoding") or "")
        rows.append(
            f'<tr data-i="{i}" data-p="{_attr(path.lower())}" data-s="{tokens}" '
            f'data-e="{_attr(enc)}" data-n="{n_changes}" data-f="{n_findings}" '
            f'data-r="{" ".join(_ident(c) for c in fc)}">'
            f'<td class="n">{i + 1}</td><td class="p">{link}</td>'
            f'<td class="st-{status}">{status}</td><td>{_esc(enc)}</td>'
            f'<td class="n">{n_changes}</td><td class="n">{n_findings}</td>'
            f"<td>{rule_text}</td></tr>"
        )
    rows.append("</tbody></table>")
    body.append("\n".join(rows))
    return _page("mt-normalize report", "\n".join(body), _pass_css(passes), _INDEX_JS)


def write_html(
    report: Mapping[str, Any],
    texts: Mapping[str, tuple[str, str]],
    out_dir: Path,
    *,
    rules: Iterable[Rule] | None = None,
) -> Path:
    """Write the HTML report for ``report`` into ``out_dir``; return ``index.html``'s path.

    ``texts`` maps a report path to its (original, cleaned) text. A file missing from it,
    or whose text does not match the report, still gets a page with its change list and
    a notice instead of a wrong side-by-side view. Files that failed get an index row
    with their error and no page. Output is deterministic: same input, same bytes.
    """
    out_dir = Path(out_dir)
    pages_dir = out_dir / "files"
    pages_dir.mkdir(parents=True, exist_ok=True)
    by_code = _rules_by_code() if rules is None else {r.code: r for r in rules}
    files = list(report.get("files") or [])
    taken: set[str] = set()
    names: list[str | None] = []
    for f in files:
        names.append(None if f.get("error") else safe_name(str(f.get("path", "")), taken))
    page_idx = [i for i, n in enumerate(names) if n]
    for pos, i in enumerate(page_idx):
        f = files[i]
        links = ['<a href="../index.html">← index</a>']
        if pos > 0:
            links.append(f'<a href="{names[page_idx[pos - 1]]}">‹ previous file</a>')
        if pos + 1 < len(page_idx):
            links.append(f'<a href="{names[page_idx[pos + 1]]}">next file ›</a>')
        links.append(f'<span class="meta">file {pos + 1} of {len(page_idx)}</span>')
        nav = f"<nav>{''.join(links)}</nav>"
        html, _ = _file_page(f, texts.get(str(f.get("path", ""))), by_code, nav)
        _write(pages_dir / str(names[i]), html)
    index = out_dir / "index.html"
    _write(index, _index_page(report, names, by_code))
    return index
