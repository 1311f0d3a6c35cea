"""The `briefkit` command. The only module that prints or exits.

    briefkit render PAK BLR [--to html,pdf] [--output build] [--data data/]
    briefkit data validate [--data data/]
    briefkit data import FILE [--data data/] [--dry-run]
"""
from __future__ import annotations

import argparse
import sys

from .errors import BriefkitError

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


if __name__ == "__main__":
    sys.exit(main())
