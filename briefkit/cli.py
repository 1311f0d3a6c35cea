"""The `briefkit` command. The only module that prints or exits.

    briefkit render PAK BLR [--to html,pdf] [--output build] [--data data/]
    briefkit batch PAK-BLR PAK-RUS | --file pairs.csv | --partners-of PAK [--min-trade 100 --year 2019]
    briefkit data validate [--data data/]
    briefkit data import FILE [--data data/] [--dry-run]
"""
from __future__ import annotations

import argparse
import os
import sys

from .errors import BriefkitError, UsageError

# jsonschema (through nbformat) compiles an IRI grammar at import when rfc3987-syntax is installed,
# as JupyterLab's dependencies install it: ~1.5 s per process for a format nbformat never checks.
# The command line does without it; Python sessions that import briefkit are left alone.
sys.modules.setdefault("rfc3987_syntax", None)

RENDER_HELP = """\
Render the brief for a pair of countries: run notebooks/country_pair_brief.ipynb with papermill,
then export it. Writes OUTPUT/A-B/A-B.ipynb (executed), A-B.html and A-B.pdf.

Countries may be ISO codes (PAK, PK, 586) or names (Pakistan, "Russian Federation").
The notebook's parameters are country_a, country_b and data (the data package folder).
Earlier good outputs are replaced only when the new ones are complete.
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="briefkit", description="Reproducible country-pair policy briefs.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", help="render one brief", description=RENDER_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("country_a", help="first country: ISO code or name (it is named first in the title)")
    r.add_argument("country_b", help="second country")
    r.add_argument("--to", default="html,pdf", metavar="FORMATS",
                   help="comma-separated output formats: html, pdf (default: html,pdf)")
    r.add_argument("-o", "--output", default="build", metavar="DIR",
                   help="output folder; the brief goes to DIR/A-B/ (default: build)")
    r.add_argument("--data", metavar="PATH",
                   help="data package folder or datapackage.json (default: $BRIEFKIT_DATA or the project's data/)")

    b = sub.add_parser("batch", help="render many briefs, with a cache and workers", description=BATCH_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("pairs", nargs="*", metavar="PAIR", help="a pair of countries: PAK-BLR or Pakistan:Belarus")
    b.add_argument("--file", action="append", default=[], metavar="FILE",
                   help="a CSV or YAML file of pairs and their parameters (may be repeated)")
    b.add_argument("--partners-of", metavar="COUNTRY", help="every pair of COUNTRY with a country it trades with")
    b.add_argument("--min-trade", type=float, metavar="MILLIONS",
                   help="only pairs trading at least this many US$ million in --year (either side's report)")
    b.add_argument("--year", type=int, help="the year of --min-trade and --partners-of (default: the latest)")
    b.add_argument("--top", type=int, metavar="N", help="keep the N most-traded pairs of the selection")
    b.add_argument("--to", default="html,pdf", metavar="FORMATS", help="html, pdf or html,pdf (default: html,pdf)")
    b.add_argument("-o", "--output", default="build", metavar="DIR", help="output folder (default: build)")
    b.add_argument("--data", metavar="PATH", help="data package folder (default: $BRIEFKIT_DATA or data/)")
    b.add_argument("-j", "--workers", type=int, metavar="N", help="local worker processes (default: the number of cores)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask distributed scheduler, e.g. tcp://host:8786")
    b.add_argument("--force", action="store_true", help="render every brief, cached or not")
    b.add_argument("--dry-run", action="store_true",
                   help="list the briefs that would render and why, with counts by reason; render nothing")

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
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "render":
            return _render(args)
        if args.command == "batch":
            return _batch(args)
        if args.data_command == "import":
            return _import(args)
        return _validate(args)
    except BriefkitError as exc:
        print(f"briefkit: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("briefkit: interrupted; earlier outputs are untouched", file=sys.stderr)
        return 130


def _render(args) -> int:
    from .render import render

    formats = tuple(f.strip() for f in args.to.split(",") if f.strip())
    result = render(args.country_a, args.country_b, output=args.output, formats=formats, data=args.data)
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
    formats = tuple(f.strip() for f in args.to.split(",") if f.strip())
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


def _validate(args) -> int:
    from .datapackage import open_package

    report = open_package(args.data).validate()
    print(report)
    return 0 if report.valid else 1


def _import(args) -> int:
    from pathlib import Path

    from .datapackage import default_location
    from .importers import import_file, summary

    location = Path(args.data) if args.data else default_location()
    directory = location.parent if location.name == "datapackage.json" else location
    print(summary(import_file(args.file, directory, dry_run=args.dry_run)))
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
