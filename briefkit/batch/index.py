"""OUT/index.html: one self-contained page (no scripts, nothing fetched) listing every brief.

Columns: the pair (linked to its HTML), its status, the two countries' names, the brief's title,
whether an analyst wrote it or it is drafted from the data, what changed since the last run (why
it was rendered, or "unchanged"), the outputs and the failed notebook, the time it took. Briefs
whose statements this run changed come first, with the counts and a link to their diff
(briefkit.editions).
"""
from __future__ import annotations

import html

from .manifest import CACHED, FAILED, MANIFEST, OK, Manifest

COLUMNS = ("Pair", "Status", "Countries", "Title", "Written", "Changed", "Outputs", "Time")
STYLE = """body{font:15px/1.45 "Noto Sans","DejaVu Sans",sans-serif;margin:2rem auto;max-width:80rem;color:#1a1a1a}
h1{font-size:1.4rem;color:#1f5130}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd;vertical-align:top;overflow-wrap:anywhere}
td:first-child{white-space:nowrap}
.status{font-weight:700;white-space:nowrap}.ok{color:#1f5130}.skipped-cached{color:#555}.failed{color:#a11}
.error{font-family:"DejaVu Sans Mono",monospace;font-size:.85em;white-space:pre-wrap;color:#a11}
.muted{color:#555;font-size:.9em}"""


def index_html(manifest: Manifest) -> str:
    from ..editions import latest_changes

    e = html.escape
    rows = []
    # what each brief rendered in this run changed in what it says (None: nothing, or not rendered)
    news = {p: latest_changes(manifest.output / p, p) if x.status == OK else None for p, x in manifest.entries.items()}
    for pair in sorted(manifest.entries, key=lambda p: (not (news[p] and news[p].moved), p)):
        entry = manifest.entries[pair]
        good = entry.status != FAILED
        links = " ".join(f'<a href="{e(entry.outputs[fmt])}">{fmt.upper()}</a>'
                         for fmt in ("html", "pdf", "ipynb") if fmt in entry.outputs and good)
        first = f'<a href="{e(entry.outputs["html"])}">{e(pair)}</a>' if "html" in entry.outputs and good else e(pair)
        detail = ""
        if entry.status == FAILED and entry.error:
            err = entry.error
            where = f"cell {err['cell']}: " if err.get("cell") is not None else ""
            notebook = f' <a href="{e(err["notebook"])}">failed notebook</a>' if err.get("notebook") else ""
            detail = f'<div class="error">{e(where + str(err.get("message", "")))}</div>{notebook}'
        names = " – ".join(str(n) for n in entry.names) if entry.names else ""
        written = {True: "analyst-written", False: "drafted", None: ""}[entry.analyst]
        if entry.empty:
            written += " (no data on this pair)"
        changed = "unchanged" if entry.status == CACHED else (entry.reason or "")
        if news[pair] and news[pair].moved:
            detail += (f'<div class="changed">{e(news[pair].summary)} (since {e(news[pair].since)}): '
                       f'<a href="{e(pair + "/" + news[pair].diff)}">what changed</a></div>')
        seconds = entry.seconds.get("total")
        rows.append(f'<tr><td>{first}</td><td class="status {e(entry.status)}">{e(entry.status)}</td>'
                    f"<td>{e(names)}</td><td>{e(entry.title or '')}</td><td>{e(written)}</td>"
                    f'<td class="muted">{e(changed)}</td><td>{links}{detail}</td>'
                    f'<td class="muted">{f"{seconds:.1f} s" if seconds else ""}</td></tr>')
    counts = ", ".join(f"{n} {status}" for status, n in manifest.summary.items())
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Briefs</title>"
            f"<style>{STYLE}</style></head><body><h1>Briefs</h1>"
            f'<p class="muted">This run: {e(counts)}. The manifest is <a href="{MANIFEST}">{MANIFEST}</a>.</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>\n")
