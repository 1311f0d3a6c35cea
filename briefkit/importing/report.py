"""The paragraph `briefkit data import` prints: layout, rows, years, reporters, the annual totals the
file gives (so an undercount shows before anything is written), notes, and what changed or, on a
dry run, would change.
"""
from __future__ import annotations

from .reading import span
from .results import MAX_LISTED, Imported
from .totals import listing


def _plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


def summary(imported: Imported) -> str:
    """One paragraph for the command line."""
    reporters, partners = imported.reporters, imported.partners
    world = imported.world_rows
    parts = [
        f"{imported.path.name}: {imported.layout} layout, {imported.rows_read:,} data rows, {span(imported.years)}; "
        f"reporters {listing(reporters, 8)}; partners {listing(partners, 8)}.",
        f"{len(imported.totals):,} annual {_plural(len(imported.totals), 'row')} for trade (US$ million)"
        + (f", {len(world):,} for trade_totals (trade with the World)" if len(world) else "")
        + (f" and {len(imported.products):,} product rows for trade_products (US$)" if len(imported.products) else "")
        + f", source {imported.source['id']}.",
    ]
    parts += [note[0].upper() + note[1:] + "." for note in imported.notes]
    if imported.problems:
        parts.append(f"{len(imported.problems):,} bad rows: "
                     + "; ".join(str(p) for p in imported.problems[:MAX_LISTED]) + ".")
    out = imported.outcome
    if out is None:
        return " ".join(parts)
    if out.source_replaced or out.trade_replaced or out.products_replaced or out.world_replaced:
        verb = "Would replace" if out.dry_run else "Replaced"
        parts.append(f"{verb} the earlier import of this file ({out.trade_replaced:,} trade rows, "
                     f"{out.world_replaced:,} trade_totals rows, {out.products_replaced:,} product rows).")
    else:
        verb = "Would add" if out.dry_run else "Added"
        parts.append(f"{verb} source {imported.source['id']} to sources.csv.")
    if out.overlapping:
        parts.append(f"{out.overlapping:,} of the trade rows have a reporter, partner and year that another "
                     "source also covers; both are kept.")
    if out.older_versions:
        parts.append(f"Another version of this file is still imported as {', '.join(out.older_versions)}.")
    if out.dry_run:
        would = f"; an import would rewrite {', '.join(out.changed)}" if out.changed else ""
        parts.append(f"Dry run: nothing was written to {out.package_dir}{would}.")
    elif out.written:
        parts.append(f"Wrote {', '.join(out.written)} in {out.package_dir}.")
    else:
        parts.append(f"Nothing changed in {out.package_dir}: the package already held these rows.")
    return " ".join(parts)
