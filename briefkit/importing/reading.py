"""Reading a trade file into the package's shapes, writing nothing: bytes -> rows -> records ->
annual values (trade, trade_totals) and product rows (trade_products), plus the file's source row.

The source row's `accessed` date: the date given (`accessed=`, `briefkit data import --accessed`),
else the file's own date, its modification time as the file system keeps it: a download keeps the
day it was saved, which is when the data were retrieved; the import day says nothing about the
data. The note on the row says which of the two it is. `scope` says so when the file holds one
flow only (for example exports as each exporter reports them, with no importer side).
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import UsageError
from .decoding import decode, load_bytes, parse
from .layouts import Layout, detect, get
from .records import TOTAL, Context, Countries
from .results import (MAX_LISTED, PRODUCT_COLUMNS, PRODUCT_ORDER, TRADE_COLUMNS, TRADE_ORDER, WORLD_COLUMNS,
                      WORLD_ORDER, BadRows, Imported, RowProblem, TradeFileError, UnknownLayout)
from .totals import annual, dedupe, listing, num_text, sort_rows

if TYPE_CHECKING:
    from .package import PackageFiles


def source_id(layout: Layout, path: Path, digest: str) -> str:
    stem = path.name
    for suffix in (".gz", ".csv", ".txt", ".tsv"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40].strip("-") or "file"
    base = slug if slug == layout.id_prefix or slug.startswith(layout.id_prefix + "-") else f"{layout.id_prefix}-{slug}"
    return f"{base}-{digest[:8]}"


def read(path: str | os.PathLike, *, package_dir: str | os.PathLike | None = None,
         layout: str | None = None, accessed: str | None = None, strict: bool = True) -> Imported:
    """Read a trade file into the package's shapes; nothing is written.

    `package_dir`: check countries against that package's countries table (default: pycountry
    plus the package's historical codes). `layout`: a LAYOUTS name instead of detecting it.
    `accessed`: YYYY-MM-DD for the source row (default: the file's own date). With `strict` (the
    default) a file with bad rows raises BadRows; otherwise they are returned in `problems`, and
    the tables hold the good rows only.
    """
    from .package import PackageFiles

    package = PackageFiles.open(package_dir) if package_dir is not None else None
    return read_into(Path(path), package, layout, accessed, strict)


def read_into(path: Path, package: "PackageFiles | None", layout_name: str | None,
              accessed: str | None, strict: bool) -> Imported:
    data = load_bytes(path)
    accessed, accessed_how = accessed_date(accessed, path)
    text, encoding = decode(data, path.name)
    table = parse(text, encoding, path.name)
    if layout_name:
        layout = get(layout_name)
        if not layout.matches(table.header):
            raise UnknownLayout(
                f"{path.name} is not a {layout.name} file: it lacks {', '.join(layout.missing(table.header))} "
                f"(columns found: {', '.join(table.header)})", table.header)
    else:
        layout = detect(table.header, path.name)
    countries, years = (package.countries(), package.year_range()) if package else (Countries(), (1948, 2030))
    ctx = Context(layout, table, layout.find(table.header), countries, years)
    ctx.problems.extend(table.problems)
    layout.convert(ctx)
    dedupe(ctx)
    problems = tuple(sorted(ctx.problems, key=lambda p: p.line))
    if problems and strict:
        raise BadRows(bad_rows_message(path.name, problems), problems)
    if not table.rows:
        raise TradeFileError(f"{path.name} has a {layout.name} header but no data rows")

    digest = hashlib.sha256(data).hexdigest()
    sid = source_id(layout, path, digest)
    bilateral, world_rows, check = annual(ctx, layout.unit)
    totals = pd.DataFrame(bilateral, columns=TRADE_COLUMNS[:-1], dtype=object).assign(source=sid)
    world = pd.DataFrame(world_rows, columns=WORLD_COLUMNS[:-1], dtype=object).assign(source=sid)
    products = pd.DataFrame(
        [{"reporter": r.reporter, "partner": r.partner, "year": str(r.year), "flow": r.flow,
          "classification": r.classification, "code": r.code, "description": r.description,
          "value_usd": num_text(r.value), "source": sid}
         for r in ctx.records if r.code != TOTAL and r.partner in countries.iso3],
        columns=PRODUCT_COLUMNS, dtype=object)
    totals, products = sort_rows(totals[TRADE_COLUMNS], TRADE_ORDER), sort_rows(products, PRODUCT_ORDER)
    world = sort_rows(world[WORLD_COLUMNS], WORLD_ORDER)
    if totals.empty and products.empty and world.empty and not problems:
        raise TradeFileError(
            f"{path.name} ({layout.name}) has no country rows to import: "
            + (skips(ctx.skipped) or "every row was left out"))

    flows = {r.flow for r in ctx.records}
    scope = ""
    if flows == {"exports"}:
        scope = "exports only, as each exporter reports them: no imports and no importer-reported (mirror) figures"
    elif flows == {"imports"}:
        scope = "imports only, as each importer reports them: no exports and no exporter-reported (mirror) figures"
    notes = ([f"read as {encoding} (the file is not UTF-8)"] if encoding != "utf-8" else []) + ctx.notes
    if ctx.skipped:
        notes.append("left out: " + skips(ctx.skipped))
    if scope:
        notes.append(f"the file holds {scope}")
    notes.append(f"accessed date {accessed}: {accessed_how}")
    levels = sorted({len(c) for c in products["code"]})
    years_seen = sorted({int(y) for y in pd.concat([totals["year"], world["year"], products["year"]])})
    note = (f"Imported with briefkit from {path.name} ({layout.name} layout, sha256 {digest[:16]}): "
            f"{len(table.rows):,} data rows, {span(years_seen)}; {len(totals):,} reporter-partner-year rows in trade"
            + (f", {len(world):,} reporter-year rows with the World in trade_totals" if len(world) else "")
            + f" (US$ million{'; annual flow values: ' + ctx.basis if ctx.basis else ''})"
            + (f", {len(products):,} product rows in trade_products "
               f"({'/'.join(map(str, levels))}-digit codes)" if len(products) else "")
            + "." + (f" {ctx.not_reported:,} rows flagged isReported = false by UN Comtrade (not the reporter's own "
                     "submission as such; kept, not marked estimated)." if ctx.not_reported else "")
            + f" Accessed date: {accessed_how}." + (f" {layout.terms}" if layout.terms else ""))
    source = {
        "id": sid, "kind": "dataset", "title": f"{layout.title} ({layout.name} layout): {path.name}",
        "author": "", "publisher": layout.publisher, "published": "", "accessed": accessed,
        "url": layout.url, "credit": "", "scope": scope, "note": note,
    }
    return Imported(path=path, layout=layout.name, totals=totals, products=products, source=source,
                    problems=problems, notes=tuple(notes + ["totals: " + listing(check, MAX_LISTED)] if check else notes),
                    rows_read=len(table.rows), world=world)


def span(years: list[int]) -> str:
    if not years:
        return "no years"
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def skips(skipped: Counter) -> str:
    return "; ".join(f"{what} ({n:,} {'row' if n == 1 else 'rows'})" for what, n in skipped.most_common())


def accessed_date(value: str | None, path: Path) -> tuple[str, str]:
    """(YYYY-MM-DD, how it was found): the date given, else the file's modification date."""
    if value is None:
        day = date.fromtimestamp(path.stat().st_mtime).isoformat()
        return day, "the file's own date (last modified); give the download date with --accessed if it differs"
    try:
        return date.fromisoformat(str(value)).isoformat(), "given by the importer"
    except ValueError:
        raise UsageError(f'accessed date "{value}" is not a date such as 2026-01-31') from None


def bad_rows_message(name: str, problems: tuple[RowProblem, ...]) -> str:
    n = len(problems)
    shown = "; ".join(str(p) for p in problems[:MAX_LISTED])
    more = f"; ... and {n - MAX_LISTED:,} more" if n > MAX_LISTED else ""
    rows = "row" if n == 1 else "rows"
    return (f"{name}: {n:,} bad {rows}, so nothing was imported. {shown}{more}. "
            "Fix or remove these rows, then import the file again.")
