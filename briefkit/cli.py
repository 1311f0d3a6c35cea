"""The `briefkit` command. The only module that prints or exits.

    briefkit render PAK BLR [--to html,pdf] [--output build] [--data data/]
    briefkit batch PAK-BLR PAK-RUS | --file pairs.csv | --partners-of PAK [--min-trade 100 --year 2019]
    briefkit check [FOLDER...]
    briefkit data validate [--data data/]
    briefkit data import FILE [--data data/] [--dry-run]
    briefkit countries [QUERY]
    briefkit new PAK BLR [--notebook mine.ipynb]
    briefkit preview PAK BLR [--port 8000]
    briefkit lab
    briefkit diff OLD NEW [--html FILE] [--json]
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import sys

from .errors import BriefkitError, UsageError, did_you_mean, shown

# jsonschema (through nbformat) compiles an IRI grammar at import when rfc3987-syntax is installed,
# as JupyterLab's dependencies install it: ~1.5 s per process for a format nbformat never checks.
# The command line does without it; Python sessions that import briefkit are left alone.
sys.modules.setdefault("rfc3987_syntax", None)

RENDER_HELP = """\
Render the brief for a pair of countries: run notebooks/country_pair_brief.ipynb with papermill,
then export it. Writes OUTPUT/A-B/A-B.ipynb (executed), A-B.html and A-B.pdf (and A-B.docx with --to docx).

Countries may be ISO codes (PAK, PK, 586) or names (Pakistan, "Russian Federation").
The notebook's parameters are country_a, country_b, data (the data package folder), as_of (the
edition's date), title and author: `papermill --help-notebook notebooks/country_pair_brief.ipynb`
describes each. Relative paths are relative to the folder you run the command in.
Earlier good outputs are replaced only when the new ones are complete; one whose content
changed is kept under OUTPUT/A-B/editions/ (see --keep-editions and `briefkit diff`).
"""

NEW_HELP = """\
Start an analyst's brief for a pair: write PROSE/A-B.md in the data package with every section
heading and, in comments, an example of each placeholder; list it in briefs.csv (with a title,
author and date you can edit there) if the pair has no row yet. An existing prose file is never
overwritten. With --notebook, also write a copy of the brief's notebook to edit and render with
`briefkit render --notebook PATH A B`.
"""

PREVIEW_HELP = """\
Render the brief as HTML and serve it at http://127.0.0.1:PORT/ (this machine only); each time the
pair's prose file, a file of the data package or the notebook is saved, the brief is rendered again
in a kernel kept warm, and the page in the browser reloads itself. Stop with Ctrl-C.
"""


BATCH_HELP = """\
Render many briefs: each pair into OUTPUT/A-B/, with OUTPUT/manifest.json (per pair: status,
parameters, data digest, cache key, outputs, timings, the cause of any failure) and OUTPUT/index.html.

Pairs come from the command line (PAK-BLR, or Pakistan:Belarus), a file, a selection, or all three:
  --file pairs.csv    columns country_a,country_b (or pair), plus parameter columns such as data
  --file pairs.yaml   a list of "A-B", [A, B] or {country_a: A, country_b: B, data: ...}
  --partners-of PAK   PAK with every country it trades with
  --min-trade 100     pairs whose trade (either side's report, US$ million) is at least 100 in --year
A brief is rendered again only when the notebook, the templates, briefkit's code, library versions,
its parameters, its prose or the rows it reads (its two countries' rows, the sources it cites)
changed (--force renders all; --dry-run lists what would render and why). A failing brief never stops the
others; it is recorded with its cause. Exit code: 0 if every brief is ok or cached, 1 if any failed.
"""


DIFF_HELP = """\
What changed between two editions of a brief: claims added, removed and changed (each changed
value old -> new, with the source rows behind it), sections whose text changed (word by word),
notes added or removed. OLD and NEW are two claims ledgers (A-B.claims.json), two folders of one
brief (an edition under A-B/editions/, or the brief's folder itself), or two batch folders (then
brief by brief, changed briefs first). A change that moves no statement is reported as "no change
in what the brief says". Exit code: 0 whether or not anything changed; 1 if a ledger cannot be
read; 2 if the paths cannot be compared.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as briefkit's: one line, the value echoed safely, exit 2."""

    def error(self, message: str):
        self.exit(2, f"briefkit: error: {self.prog}: {shown(message, 300)} (see: {self.prog} --help)\n")


def formats(text: str) -> tuple[str, ...]:
    """--to: a comma-separated list of known formats, at least one."""
    from .render import FORMATS

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not chosen:
        raise argparse.ArgumentTypeError(f"no format named; choose from {', '.join(FORMATS)}")
    for fmt in chosen:
        if fmt not in FORMATS:
            hint = did_you_mean(fmt, FORMATS)
            raise argparse.ArgumentTypeError(f'unknown format "{shown(fmt, 20)}"{hint}; briefkit writes: {", ".join(FORMATS)}')
    return chosen


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{shown(text, 20)}" is not a whole number') from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not positive; give 1 or more")
    return value


def at_least_zero(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{shown(text, 20)}" is not a number') from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{shown(text, 20)} is not a number of US$ million ≥ 0")
    return value


def folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the output folder is empty; name one (default: build)")
    return text


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="briefkit", description="Reproducible country-pair policy briefs.")
    p.add_argument("--version", action=_Version, nargs=0, help="print briefkit's version and commit, and exit")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", help="render one brief", description=RENDER_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("country_a", help="first country: ISO code or name (it is named first in the title)")
    r.add_argument("country_b", help="second country")
    r.add_argument("--to", default="html,pdf", metavar="FORMATS", type=formats,
                   help="comma-separated output formats: html, pdf, docx (default: html,pdf)")
    r.add_argument("-o", "--output", default="build", metavar="DIR", type=folder,
                   help="output folder; the brief goes to DIR/A-B/ (default: build)")
    r.add_argument("--data", metavar="PATH",
                   help="data package folder or datapackage.json (default: $BRIEFKIT_DATA or the project's data/)")
    _brief_options(r)
    r.add_argument("--keep-editions", type=int, default=None, metavar="N",
                   help="keep the N newest earlier editions whose content differs under DIR/A-B/editions/ "
                        "(default: 5; 0 keeps none)")

    b = sub.add_parser("batch", help="render many briefs, with a cache and workers", description=BATCH_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("pairs", nargs="*", metavar="PAIR", help="a pair of countries: PAK-BLR or Pakistan:Belarus")
    b.add_argument("--file", action="append", default=[], metavar="FILE",
                   help="a CSV or YAML file of pairs and their parameters (may be repeated)")
    b.add_argument("--partners-of", metavar="COUNTRY", help="every pair of COUNTRY with a country it trades with")
    b.add_argument("--min-trade", type=at_least_zero, metavar="MILLIONS",
                   help="only pairs trading at least this many US$ million in --year (either side's report)")
    b.add_argument("--year", type=int, help="the year of --min-trade and --partners-of (default: the latest)")
    b.add_argument("--top", type=positive, metavar="N", help="keep the N most-traded pairs of the selection")
    b.add_argument("--to", default="html,pdf", metavar="FORMATS", type=formats,
                   help="html, pdf, docx, comma-separated (default: html,pdf)")
    b.add_argument("-o", "--output", default="build", metavar="DIR", type=folder, help="output folder (default: build)")
    b.add_argument("--data", metavar="PATH", help="data package folder (default: $BRIEFKIT_DATA or data/)")
    b.add_argument("-j", "--workers", type=positive, metavar="N", help="local worker processes (default: the number of cores)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask distributed scheduler, e.g. tcp://host:8786")
    b.add_argument("--force", action="store_true", help="render every brief, cached or not")
    b.add_argument("--dry-run", action="store_true",
                   help="list the briefs that would render and why, with counts by reason; render nothing")

    c = sub.add_parser("check", help="re-verify rendered briefs' claims against the data package",
                       description="Reads every A-B.claims.json under the given folders (default: build) and "
                                   "recomputes each stated figure and judgement from the data package's rows. "
                                   "Prints one line per violation; exit 1 if there is any.")
    c.add_argument("paths", nargs="*", default=["build"], metavar="FOLDER", help="folders or ledger files (default: build)")
    c.add_argument("--data", metavar="PATH", help="data package folder or datapackage.json")

    c = sub.add_parser("countries", help="list the countries briefs can be made for, with their codes",
                       description="Every country of the data package's countries table, by name, with its "
                                   "ISO code; with QUERY, those whose name or code contains it or whose name it is.")
    c.add_argument("query", nargs="?", help='part of a name or code ("bela"), or a name ("UAE")')
    c.add_argument("--data", metavar="PATH", help="data package folder or datapackage.json")

    n = sub.add_parser("new", help="start an analyst's prose (and notebook) for a pair", description=NEW_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("country_a", help="first country: ISO code or name")
    n.add_argument("country_b", help="second country")
    n.add_argument("--notebook", metavar="PATH", help="also write a copy of the brief's notebook here")
    n.add_argument("--data", metavar="PATH", help="data package folder or datapackage.json")
    n.add_argument("--title", help="the brief's title in briefs.csv (default: A-B Relations: An Assessment)")
    n.add_argument("--author", help="the author in briefs.csv (default: Country Desk)")

    w = sub.add_parser("preview", help="serve the brief's HTML and re-render it on every save",
                       description=PREVIEW_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    w.add_argument("country_a", help="first country: ISO code or name")
    w.add_argument("country_b", help="second country")
    w.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free port)")
    w.add_argument("-o", "--output", default="build/preview", metavar="DIR",
                   help="where the previewed HTML is written (default: build/preview)")
    w.add_argument("--data", metavar="PATH", help="data package folder or datapackage.json")
    w.add_argument("--no-browser", action="store_true", help="do not open a browser; print the address only")
    _brief_options(w)

    lab = sub.add_parser("lab", help="open JupyterLab at the project root with the brief's notebook",
                         description="Runs jupyter lab from the project's environment, rooted at the project "
                                     "(so data/prose/ is in the file browser), with the brief's notebook open; "
                                     "as root, adds --allow-root. Other options go to jupyter lab.")
    lab.add_argument("--notebook", metavar="PATH", help="open this notebook instead (it must lie in the project)")
    f = sub.add_parser("diff", help="what changed between two editions of a brief, or two batches",
                       description=DIFF_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    f.add_argument("old", help="the earlier edition: A-B.claims.json, an edition or brief folder, or a batch folder")
    f.add_argument("new", help="the later one, of the same kind")
    f.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report to FILE")
    f.add_argument("--json", action="store_true", help="print JSON instead of the summary")

    d = sub.add_parser("data", help="work with the data package")
    dsub = d.add_subparsers(dest="data_command", required=True)
    v = dsub.add_parser("validate", help="check every table against its schema and foreign keys")
    v.add_argument("--data", metavar="PATH", help="data package folder or datapackage.json")
    i = dsub.add_parser("import", help="bring a UN Comtrade or IMF DOTS file into the trade tables",
                        description="Detects the layout (Comtrade Plus, legacy, bulk; IMF DOTS), adds the annual "
                                    "totals to trade and the product rows to trade_products, and a source row for "
                                    "the file. All or nothing: a file with bad rows changes nothing.")
    i.add_argument("file", help="the CSV file to import")
    i.add_argument("--data", metavar="PATH", help="data package folder or datapackage.json")
    i.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    i.add_argument("--accessed", metavar="YYYY-MM-DD",
                   help="the day the file was downloaded, for its source row (default: the file's own date)")
    return p


def _brief_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the edition's date (default: the brief's own)")
    p.add_argument("--title", help="the title, in place of the one in briefs.csv")
    p.add_argument("--author", help="the author, in place of the one in briefs.csv")
    p.add_argument("--notebook", metavar="PATH", help="render this notebook (a copy made by briefkit new) "
                                                      "instead of notebooks/country_pair_brief.ipynb")


def _extra(args) -> dict:
    """The notebook parameters given on the command line, besides the countries and data."""
    given = {"as_of": args.as_of, "title": args.title, "author": args.author}
    return {k: v for k, v in given.items() if v is not None}


class _Version(argparse.Action):
    """--version, worked out only when asked for (it reads the git checkout)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(version())
        parser.exit()


def version() -> str:
    from importlib import metadata

    from .render import git_commit

    try:
        number = metadata.version("briefkit")
    except metadata.PackageNotFoundError:
        number = "unknown"
    commit = git_commit()
    return f"briefkit {number}" + (f" (commit {commit[:12]})" if commit else "")


def main(argv=None) -> int:
    # What the libraries log (papermill, nbclient, WeasyPrint) is not shown: the command's own line says what failed.
    logging.getLogger().addHandler(logging.NullHandler())
    p = parser()
    args, rest = p.parse_known_args(argv)  # only `lab` takes more: jupyter lab's own options
    if rest and args.command != "lab":
        p.error(f"unrecognized arguments: {' '.join(rest)}")
    args.jupyter_args = rest
    try:
        if args.command == "render":
            return _render(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "check":
            return _check(args)
        if args.command == "countries":
            return _countries(args)
        if args.command == "new":
            return _new(args)
        if args.command == "preview":
            return _preview(args)
        if args.command == "lab":
            return _lab(args)
        if args.command == "diff":
            return _diff(args)
        if args.data_command == "import":
            return _import(args)
        return _validate(args)
    except BriefkitError as exc:
        print(f"briefkit: error: {shown(exc, 1000)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("briefkit: interrupted; earlier outputs are untouched", file=sys.stderr)
        return 130


def _render(args) -> int:
    from .render import render

    notebook = {"notebook": args.notebook} if args.notebook else {}
    keep = {} if args.keep_editions is None else {"keep_editions": args.keep_editions}
    result = render(args.country_a, args.country_b, output=args.output, formats=args.to, data=args.data,
                    **notebook, **keep, **_extra(args))
    for warning in result.warnings:
        print(f"briefkit: warning: {shown(warning, 1000)}", file=sys.stderr)
    for fmt, path in result.files.items():
        print(f"{fmt:6} {path}")
    print(f"rendered {result.pair} in {result.seconds['total']:.1f} s")
    return 0


def _batch(args) -> int:
    from . import batch

    jobs = batch.jobs_from_pairs(args.pairs)
    for path in args.file:
        jobs += batch.jobs_from_file(path)
    if args.partners_of or args.min_trade is not None:
        from .datapackage import open_package

        jobs += batch.jobs_from_selection(open_package(args.data), args.partners_of, args.min_trade, args.year, args.top)
    elif args.year is not None or args.top is not None:
        raise UsageError("--year and --top choose among a selection: add --partners-of or --min-trade")
    if not jobs:
        raise UsageError("No pairs to render: name pairs (PAK-BLR), --file, --partners-of or --min-trade")
    formats = args.to
    if args.dry_run:
        plan = batch.plan_batch(jobs, args.output, formats, force=args.force, data=args.data)
        for task in plan.tasks:
            print(f"{task.pair}: {plan.reasons[task.pair]}")
        for pair in plan.failed:
            print(f"{pair}: fails: {plan.entries[pair].error['message']}")
        print(f"{len(plan.tasks)} of {len(plan.pairs)} brief(s) would render, {len(plan.cached)} up to date, "
              f"{len(plan.failed)} refused" + "".join(f"\n  {n:6} {reason}" for reason, n in plan.summary()))
        return 0
    show = batch.Bar(sys.stderr) if sys.stderr.isatty() else batch.log_lines(sys.stderr)
    try:
        manifest = batch.run_batch(jobs, args.output, workers=args.workers, scheduler=args.scheduler,
                                   force=args.force, formats=formats, data=args.data, progress=show)
    finally:
        if isinstance(show, batch.Bar):
            show.close()
    counts = ", ".join(f"{n} {status}" for status, n in manifest.summary.items())
    empty = f"; {len(manifest.empty)} with no data on the pair" if manifest.empty else ""
    print(f"{counts}{empty}; manifest {manifest.output / batch.MANIFEST}, index {manifest.output / batch.INDEX}")
    return 1 if manifest.failed else 0


def _check(args) -> int:
    from pathlib import Path

    from .check import check_ledgers
    from .datapackage import open_package

    report = check_ledgers([Path(p) for p in args.paths], open_package(args.data))
    print(report)
    return 0 if report.ok else 1


def _diff(args) -> int:
    from pathlib import Path

    from . import diffreport

    results = diffreport.diff_paths(args.old, args.new)
    if args.html:
        Path(args.html).write_text(diffreport.html(results), encoding="utf-8")
    print(diffreport.as_json(results) if args.json else diffreport.text(results), end="\n" if args.json else "")
    if args.html and not args.json:
        print(f"report {args.html}")
    return 0


def _validate(args) -> int:
    from .datapackage import open_package

    report = open_package(args.data).validate()
    print(report)
    return 0 if report.valid else 1


def _countries(args) -> int:
    from .countries import listing
    from .datapackage import open_package

    rows = listing(args.query, open_package(args.data)._country_names)
    if not rows:
        print(f'briefkit: no country matches "{args.query}"', file=sys.stderr)
        return 1
    for code, name in rows:
        print(f"{code}  {name}")
    return 0


def _new(args) -> int:
    from .workspace import start_brief

    for path in start_brief(args.country_a, args.country_b, data=args.data, notebook=args.notebook,
                            title=args.title, author=args.author):
        print(f"wrote {path}")
    return 0


def _preview(args) -> int:
    from .preview import preview

    preview(args.country_a, args.country_b, output=args.output, data=args.data, port=args.port,
            notebook=args.notebook, open_browser=not args.no_browser, **_extra(args))
    return 0


def _lab(args) -> int:
    from .execute import NOTEBOOK
    from .workspace import lab_command

    command = lab_command(args.notebook or NOTEBOOK, args.jupyter_args)
    print(" ".join(command), file=sys.stderr)
    sys.stderr.flush()
    os.execv(command[0], command)


def _import(args) -> int:
    from pathlib import Path

    from .datapackage import default_location, open_package
    from .importing import import_file, summary

    location = Path(args.data) if args.data else default_location()
    open_package(location)  # a package that is not there is named before the file is read
    directory = location.parent if location.name == "datapackage.json" else location
    print(summary(import_file(args.file, directory, dry_run=args.dry_run, accessed=args.accessed)))
    return 0


def run() -> None:
    """The console script: main(), then leave at once. Every output is written and closed by
    then; tearing down the ~1,700 modules a render imports would add ~0.3 s to each command."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
