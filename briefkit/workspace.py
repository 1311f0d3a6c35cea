"""An analyst's workspace: a prose file to start from, a notebook of their own, JupyterLab.

    start_brief("PAK", "CHN")                    → data/prose/PAK-CHN.md (+ a briefs.csv row)
    start_brief("PAK", "CHN", notebook="mine.ipynb")   … and a copy of the brief's notebook
    lab_command()                                → the jupyter lab command line, rooted at the project

A prose file is linked to its pair by the `prose` column of briefs.csv (a path relative to the
package); a pair without a row gets one, with a title, author and date the analyst edits there.
Nothing that exists is overwritten.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import sys
from pathlib import Path

from .errors import UsageError
from .execute import NOTEBOOK, ROOT

AUTHOR = "Country Desk"


def start_brief(country_a: str, country_b: str, data=None, notebook=None, title: str | None = None,
                author: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Write the pair's prose skeleton (and a notebook copy); register the prose in briefs.csv.
    Returns the files written or changed. Refuses, changing nothing, if the prose or notebook exists."""
    from .datapackage import open_package
    from .params import check

    package = open_package(data)
    params = check(package, country_a, country_b)
    a, b = params.country_a, params.country_b
    briefs_path = package.directory / package.resources["briefs"]["path"]
    header, rows = _read_csv(briefs_path)
    row = next((r for r in rows if {r["country_a"], r["country_b"]} == {a, b}), None)
    relative = (row or {}).get("prose") or f"prose/{a}-{b}.md"
    prose = package.directory / relative
    copy = Path(notebook).absolute() if notebook else None
    for path in (prose, copy):
        if path is not None and path.exists():
            raise UsageError(f"{path} already exists: edit it, or move it away to start again "
                             f"(briefkit new never overwrites)")
    if copy is not None and copy.suffix != ".ipynb":
        raise UsageError(f"--notebook {notebook}: a notebook's name ends in .ipynb")

    names = {code: package.country(code)["name"] for code in (a, b)}
    prose.parent.mkdir(parents=True, exist_ok=True)
    with open(prose, "x", encoding="utf-8") as f:
        f.write(skeleton(package, a, b, names))
    written = [prose]
    changed = row is None or not row.get("prose")
    if row is None:
        institutes = _read_csv(package.directory / package.resources["institutes"]["path"])[1]
        rows.append({"pair": f"{a}-{b}", "country_a": a, "country_b": b,
                     "title": title or f"{names[a]}-{names[b]} Relations: An Assessment",
                     "author": author or AUTHOR, "date": (today or dt.date.today()).isoformat(),
                     "institute": institutes[0]["id"] if institutes else "", "prose": relative})
    elif not row.get("prose"):
        row["prose"] = relative
    if changed:
        _write_csv(briefs_path, header, rows)
        written.append(briefs_path)
    if copy is not None:
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NOTEBOOK, copy)
        written.append(copy)
    return written


def skeleton(package, a: str, b: str, names: dict[str, str]) -> str:
    """Every section heading, and in comments an example of each placeholder, using this pair's
    own rows where it has them so that an example can be copied as it is."""
    from .content.charts import CHARTS
    from .content.sections import SECTIONS
    from .prose_check import TABLES

    pair = package.pair(a, b)
    own = lambda t: t[((t["country_a"] == a) & (t["country_b"] == b)) | ((t["country_a"] == b) & (t["country_b"] == a))]
    event = next(iter(own(pair.events)["id"]), "EVENT-ID")
    statement = next(iter(own(pair.statements)["id"]), "STATEMENT-ID")
    years = sorted(set(pair.trade["year"].astype(int)))
    year = years[-1] if years else dt.date.today().year - 1
    source = next(iter(own(pair.events)["source"]), None) or next(iter(pair.sources["id"]), "SOURCE-ID")
    examples = [
        ("[@SOURCE]", f"[@{source}]", "a footnote to a row of sources.csv"),
        ("{{ event:ID }}", f"{{{{ event:{event} }}}}", "the date of a row of events.csv, as precise as its source"),
        ("{{ anniversary:ID }}", f"{{{{ anniversary:{event} }}}}", '"30th": whole years from that event to the brief\'s date'),
        ("{{ statement:ID }}", f"{{{{ statement:{statement} }}}}", "a figure of statements.csv, with its unit"),
        ("{{ trade:total:YEAR:ISO3 }}", f"{{{{ trade:total:{year}:{a} }}}}",
         "the pair's trade in YEAR as ISO3 reports it (also exports, imports)"),
        ("{{ figure:NAME }}", f"{{{{ figure:{next(iter(CHARTS))} }}}}",
         f"a numbered figure, on a line of its own ({', '.join(CHARTS)})"),
        ("{{ table:NAME }}", f"{{{{ table:{TABLES[0]} }}}}",
         f"a numbered table, on a line of its own ({', '.join(TABLES)})"),
    ]
    width = max(len(e[1]) for e in examples)
    lines = ["<!--", f"Analyst prose for the {names[a]}-{names[b]} brief. Each section is a level-2 heading with",
             "its id in braces; the opening prints without its heading. A section left empty keeps the",
             "text briefkit drafts from the data; what you write under a heading replaces it.",
             "Placeholders are filled from the data package when the brief is rendered, and footnoted;",
             "type no number yourself. Examples with this pair's own rows:", ""]
    lines += [f"  {example.ljust(width)}  {what}" for _, example, what in examples]
    lines += ["", "Check the prose with: briefkit data validate    Watch the brief as you write: briefkit preview "
              f"{a} {b}", "-->", ""]
    for section in SECTIONS:
        lines += [f"## {section.title or 'Opening'} {{#{section.id}}}", "", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def lab_command(notebook: Path = NOTEBOOK, extra: list[str] | None = None) -> list[str]:
    """jupyter lab from this environment, with the file browser at the project root (so that
    data/prose/ is in reach) and the brief's notebook open; --allow-root when run as root."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        found = shutil.which("jupyter")
        if found is None:
            raise UsageError("JupyterLab is not installed: pip install 'briefkit[lab]' (setup.sh does)")
        jupyter = Path(found)
    command = [str(jupyter), "lab", f"--ServerApp.root_dir={ROOT}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command + list(extra or []) + [str(Path(notebook).absolute())]


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    """Rewrite the table whole, atomically: a crash leaves the old file or the new one."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: row.get(k) or "" for k in header} for row in rows)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(tmp, path)
