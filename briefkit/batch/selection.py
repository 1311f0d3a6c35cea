"""Selections: pairs chosen from the package's `trade` table (--partners-of, --min-trade, --top)."""
from __future__ import annotations

from ..errors import UsageError
from .jobs import Job


def jobs_from_selection(package, partners_of: str | None = None, min_trade: float | None = None,
                        year: int | None = None, top: int | None = None) -> list[Job]:
    """Pairs chosen from the package's `trade` table.

    partners_of="PAK": PAK with every country it trades with (in `year`, or in any year).
    min_trade=100: only pairs whose trade in `year` (default: the latest year in the table), as
    reported by either side (exports + imports, US$ million), is at least this.
    Pairs come most-traded first; `top` keeps the first N.
    """
    import numpy as np
    import pandas as pd

    trade = package.table("trade")
    if min_trade is not None and year is None:
        year = int(trade["year"].max())
    if year is not None:
        if not (trade["year"] == year).any():
            raise UsageError(f"No trade in {year}: the trade table covers "
                             f"{int(trade['year'].min())}–{int(trade['year'].max())}")
        trade = trade[trade["year"] == year]
    home = None
    if partners_of is not None:
        home = package.resolve(partners_of)
        trade = trade[(trade["reporter"] == home) | (trade["partner"] == home)]
    reporter = trade["reporter"].astype(str).to_numpy()
    partner = trade["partner"].astype(str).to_numpy()
    if home is None:  # an unordered pair: alphabetical order
        first, second = np.where(reporter < partner, reporter, partner), np.where(reporter < partner, partner, reporter)
    else:
        first = np.full(len(trade), home, dtype=object)
        second = np.where(reporter == home, partner, reporter)
    total = (trade["exports_fob"].fillna(0) + trade["imports_cif"].fillna(0)).to_numpy()
    frame = pd.DataFrame({"a": first, "b": second, "year": trade["year"].to_numpy(), "total": total})
    # a pair's trade in a year: the larger of the two reporters' figures; then summed over the years
    per_year = frame.groupby(["a", "b", "year"], sort=False)["total"].max()
    pairs = per_year.groupby(level=["a", "b"], sort=False).sum().reset_index()
    known = set(package.table("countries")["iso3"])
    pairs = pairs[pairs["a"].isin(known) & pairs["b"].isin(known) & (pairs["a"] != pairs["b"])]
    pairs = pairs[pairs["total"] >= min_trade] if min_trade is not None else pairs[pairs["total"] > 0]
    pairs = pairs.sort_values(["total", "a", "b"], ascending=[False, True, True], kind="stable")
    if top is not None:
        pairs = pairs.head(top)
    what = f"partners of {home}" if home else "pairs"
    rule = f", trade ≥ {min_trade:g}" if min_trade is not None else ""
    origin = f"selection ({what}{rule}{f' in {year}' if year else ''})"
    return [Job(f"{a}-{b}", a, b, {}, origin) for a, b in zip(pairs["a"], pairs["b"])]

