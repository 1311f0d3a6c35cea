"""The three readings of a diff: a terminal summary, a self-contained HTML report, JSON for scripts.

    text(results)  →  str        one block per brief: counts, each changed value old → new, its rows
    html(results)  →  str        templates/diff/report.html.j2: side by side, changed words marked
    as_json(results) → str

`results` is a list of (pair, Changes | None, note): None with a note for a brief found on one side
only. Everything from the ledgers reaches the HTML through Jinja's autoescape.
"""
from __future__ import annotations

import json
from pathlib import Path

from .diff import NO_CHANGE, Changes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "diff"


def rows_text(value: dict | None) -> str:
    """The source rows behind a value: "trade (reporter=PAK, partner=BLR, year=2020) from imf-dots"."""
    if not value:
        return ""
    keys = "; ".join(", ".join(f"{k}={v}" for k, v in row.items() if k not in ("source", "table"))
                     for row in value.get("rows", []))
    where = f"{value.get('table', '?')} ({keys})" if keys else str(value.get("table", "?"))
    return f"{where} from {value.get('source', '?')}"


def _marked(words) -> str:
    return " ".join(w if op == "equal" else (f"[-{w}-]" if op == "delete" else f"{{+{w}+}}") for op, w in words)


def _digest(d: str | None) -> str:
    return (d or "unknown").removeprefix("sha256:")[:8]


def text(results) -> str:
    """The terminal summary: what changed in each brief, changed briefs first."""
    out = []
    for pair, ch, note in _ordered(results):
        if ch is None:
            out.append(f"{pair}: {note}")
            continue
        out.append(f"{pair}: {ch.summary()}")
        out.append(f"  data {_digest(ch.old['data_digest'])} → {_digest(ch.new['data_digest'])}; "
                   f"as of {ch.old['as_of']} → {ch.new['as_of']}")
        for c in ch.changed:
            out.append(f"  ~ {c.id}")
            for e in c.sentences:  # only the sentences of the claim that changed
                out.append(f"      {_marked(e.words)}")
            for v in c.values:
                old = (v.old or {}).get("text", "(none)")
                new = (v.new or {}).get("text", "(none)")
                out.append(f"      {v.label}: {old} → {new}")
                before, after = rows_text(v.old) or "-", rows_text(v.new) or "-"
                out.append(f"        rows: {after}" if before == after else f"        rows: {before} → {after}")
        for c in ch.added:
            out.append(f"  + {c['id']}: {c.get('text', '')}")
        for c in ch.removed:
            out.append(f"  - {c['id']}: {c.get('text', '')}")
        for s in ch.sections:
            out.append(f"  section {s.id} ({s.origin or 'unknown'}) {s.status}:")
            for e in s.edits:
                out.append(f"      {_marked(e.words)}")
        for n in ch.notes_added:
            out.append(f"  note added [{n['source']}]: {n['text']}")
        for n in ch.notes_removed:
            out.append(f"  note removed [{n['source']}]: {n['text']}")
    moved = sum(1 for _, ch, _ in results if ch is not None and ch.moved)
    if len(results) > 1:
        out.append(f"{len(results)} briefs: {moved} changed what they say")
    return "\n".join(out) + "\n"


def _ordered(results):
    """Briefs whose statements changed first (most claims changed first), then the rest by pair."""
    def key(item):
        pair, ch, _ = item
        if ch is None:
            return (1, 0, pair)
        return (0 if ch.moved else 2, -(len(ch.changed) + len(ch.added) + len(ch.removed)), pair)
    return sorted(results, key=key)


def as_json(results) -> str:
    briefs = [{"pair": pair, "note": note, **(ch.as_dict() if ch is not None else {})}
              for pair, ch, note in _ordered(results)]
    return json.dumps({"no_change": NO_CHANGE, "briefs": briefs}, ensure_ascii=False, indent=1, sort_keys=True)


def html(results, title: str = "What changed") -> str:
    """One self-contained page: no script, no external file, every string from the data escaped."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    rows: dict[tuple, dict] = {}

    def anchor(value):
        """The id of the report's entry for this value's source rows ("row-3"), made from a counter."""
        if not value:
            return None
        key = (value.get("table"), value.get("source"), json.dumps(value.get("rows", []), sort_keys=True))
        if key not in rows:
            rows[key] = {"id": f"row-{len(rows) + 1}", "text": rows_text(value)}
        return rows[key]["id"]

    briefs = []
    for pair, ch, note in _ordered(results):
        if ch is not None:
            for c in ch.changed:
                for v in c.values:
                    anchor(v.old), anchor(v.new)
        briefs.append({"pair": pair, "ch": ch, "note": note})
    for (table, source, _), row in rows.items():
        # each row's description: the note text the brief prints for its source
        for b in briefs:
            if b["ch"] is not None and source in b["ch"].sources:
                row["description"] = b["ch"].sources[source]
                break
    return env.get_template("report.html.j2").render(
        title=title, briefs=briefs, anchor=anchor, rows=list(rows.values()), digest=_digest, no_change=NO_CHANGE)


def diff_paths(old, new) -> list[tuple[str, Changes | None, str]]:
    """Compare what is at two paths (see briefkit.diff.pairs_of): the results the readings take."""
    from .diff import changes, load_ledger, pairs_of

    results = []
    for pair, a, b in pairs_of(old, new):
        if a is None or b is None:
            results.append((pair, None, f"only in {'the new' if a is None else 'the old'} batch"))
        else:
            results.append((pair, changes(load_ledger(a), load_ledger(b)), ""))
    return results
