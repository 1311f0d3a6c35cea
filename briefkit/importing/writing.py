"""Merging an imported file into the package: its rows in trade, trade_totals and trade_products and
its row in sources, all or nothing.

Every check runs first (the new rows against the package's Table Schemas and foreign keys), then
each changed file is written to a temporary name and renamed into place; a dry run does everything
but the writing. Importing the same file again replaces the rows of its own source id; other
sources' rows keep their bytes. sources.csv is written in the columns its header has, so a package
made before the credit and scope columns existed takes an import too.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..errors import DataPackageError
from ..tableschema import check_foreign_keys, check_table
from .package import PackageFiles, csv_text, gzip_bytes, records
from .reading import read_into
from .results import (MAX_LISTED, PRODUCT_COLUMNS, PRODUCT_ORDER, SOURCE_COLUMNS, TRADE_COLUMNS, TRADE_ORDER,
                      WORLD_COLUMNS, WORLD_ORDER, Imported, Outcome)
from .totals import sort_rows

OLD_SOURCE_COLUMNS = [c for c in SOURCE_COLUMNS if c not in ("credit", "scope")]


def check_new_rows(imported: Imported, package: PackageFiles, source_ids: list[str], columns: list[str]) -> None:
    """The new rows against the package's schemas and foreign keys; raise before anything is written."""
    names = ("trade", "trade_totals", "trade_products", "sources")
    schemas = {name: package.schema(name) for name in names}
    source_row = pd.DataFrame([{c: imported.source.get(c, "") for c in columns}], columns=columns, dtype=object)
    found, typed = [], {}
    for name, frame in (("trade", imported.totals), ("trade_totals", imported.world_rows),
                        ("trade_products", imported.products), ("sources", source_row)):
        typed[name], problems = check_table(frame, schemas[name], name)
        found += problems
    countries = package.countries()
    typed["countries"] = pd.DataFrame({"iso3": pd.array(sorted(countries.iso3), dtype="string")})
    typed["sources"] = pd.DataFrame({"id": pd.array(source_ids, dtype="string")})
    found += check_foreign_keys(typed, {n: schemas[n] for n in ("trade", "trade_totals", "trade_products")})
    if found:
        shown = "; ".join(str(p) for p in found[:MAX_LISTED])
        more = f"; ... and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
        raise DataPackageError(
            f"{imported.path.name}: the rows made from it do not fit the package's schemas, so nothing was "
            f"written: {shown}{more}")


def import_file(path: str | os.PathLike, package_dir: str | os.PathLike | None = None, *,
                dry_run: bool = False, accessed: str | None = None, layout: str | None = None) -> Imported:
    """Read `path` and merge it into the package at `package_dir` (default: the shared package).

    Adds (or, for a file imported before, replaces) its rows in trade, trade_totals and
    trade_products and its row in sources. Returns the Imported with `outcome` filled in.
    """
    package = PackageFiles.open(package_dir)
    imported = read_into(Path(path), package, layout, accessed, strict=True)
    sid = imported.source["id"]

    # sources.csv: replace this file's row (same id) or append one; other rows keep their bytes.
    rows = records(package.text("sources"))
    header = [c.strip() for c in rows[0][0]] if rows else []
    if header not in (SOURCE_COLUMNS, OLD_SOURCE_COLUMNS):
        raise DataPackageError(f"{package.path('sources')} does not start with the header {','.join(SOURCE_COLUMNS)}")
    kept = [rows[0]] + [r for r in rows[1:] if not (r[0] and r[0][0] == sid)]
    source_replaced = len(kept) != len(rows)
    other_ids = [r[0][0] for r in kept[1:] if r[0]]
    base = sid.rsplit("-", 1)[0]
    older = tuple(i for i in other_ids if re.fullmatch(re.escape(base) + r"-[0-9a-f]{8}", i))
    check_new_rows(imported, package, other_ids + [sid], header)
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([imported.source.get(c, "") for c in header])
    body = "".join(raw for _, raw in kept)
    if body and not body.endswith(("\n", "\r")):
        body += "\n"

    trade = package.frame("trade", TRADE_COLUMNS)
    mine = trade["source"] == sid
    others = trade[~mine]
    keys = set(zip(others["reporter"], others["partner"], others["year"]))
    overlapping = sum(k in keys for k in zip(imported.totals["reporter"], imported.totals["partner"], imported.totals["year"]))
    world = package.frame("trade_totals", WORLD_COLUMNS)
    mine_w = world["source"] == sid
    products = package.frame("trade_products", PRODUCT_COLUMNS)
    mine_p = products["source"] == sid
    texts = {  # sources first: a new source row on its own leaves the package valid
        "sources": body + line.getvalue(),
        "trade_products": csv_text(sort_rows(pd.concat([products[~mine_p], imported.products], ignore_index=True),
                                             PRODUCT_ORDER)),
        "trade_totals": csv_text(sort_rows(pd.concat([world[~mine_w], imported.world_rows], ignore_index=True),
                                           WORLD_ORDER)),
        "trade": csv_text(sort_rows(pd.concat([others, imported.totals], ignore_index=True), TRADE_ORDER)),
    }
    changed = [name for name, text in texts.items() if text != package.text(name)]
    written = [] if dry_run else _write(package, texts, changed)
    outcome = Outcome(
        package_dir=package.directory, dry_run=dry_run,
        trade_added=len(imported.totals), trade_replaced=int(mine.sum()),
        products_added=len(imported.products), products_replaced=int(mine_p.sum()),
        source_replaced=source_replaced, overlapping=overlapping, older_versions=older,
        changed=tuple(package.path(n).name for n in changed), written=tuple(written),
        world_added=len(imported.world_rows), world_replaced=int(mine_w.sum()))
    return replace(imported, outcome=outcome)


def _write(package: PackageFiles, texts: dict[str, str], changed: list[str]) -> list[str]:
    """Each changed file to a temporary name, then all renamed into place."""
    written: list[str] = []
    temps: list[tuple[Path, Path]] = []
    try:
        for name in changed:
            data = texts[name].encode(package.encoding(name))
            if package.compressed(name):
                data = gzip_bytes(data)
            target = package.path(name)
            temp = target.with_name(f".{target.name}.import-{os.getpid()}.tmp")
            temps.append((temp, target))
            temp.write_bytes(data)
        for temp, target in temps:
            os.replace(temp, target)
            written.append(target.name)
    except OSError as exc:
        state = (f"only {', '.join(written)} had been replaced; import the file again to finish"
                 if written else "nothing was changed")
        raise DataPackageError(f"Cannot write to the data package {package.directory}: {exc}; {state}") from None
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
    return written
