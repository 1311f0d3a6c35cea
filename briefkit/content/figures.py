"""The derived figures of a pair: each one a Value that knows the rows it was computed from.

    f = Figures(pair, as_of=date(2024, 2, 2))
    f.value("PAK", 2020, "total")      # Value("US$48.3 million", refs, number=48.3, rows=(Row(trade …),))
    f.change("PAK", 2010, 2020)        # Value("up 12%", number=12.1, …) or None
    f.mirror(2020)                     # the flows on which the two reporters' records differ

Trade figures come from one series per reporter: the source with the most years for that reporter
(the IMF's DOTS, unless an import covers more). Rows of other sources are kept apart
(`other_rows`) so that no comparison silently mixes two sources.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..datapackage import PairData
from ..errors import DataPackageError, did_you_mean
from . import numbers
from .notes import Ref
from .settings import FORUMS, THRESHOLDS
from .values import Row, Value

MEASURE_WORDS = {"total": "trade with", "exports": "exports to", "imports": "imports from",
                 "balance": "trade balance with"}


class Figures:
    """Derived figures of one pair, computed from its PairData."""

    def __init__(self, pair: PairData, as_of: dt.date | None = None):
        self.pair = pair
        self.a, self.b = pair.codes
        self.as_of = as_of or dt.date.today()
        self.names = {self.a: str(pair.a["name"]), self.b: str(pair.b["name"])}
        self._series, self._other = {}, {}
        self._by_year: dict[str, dict] = {}  # reporter: {year: its main series' row}, made on first use
        for code in (self.a, self.b):
            self._series[code], self._other[code] = self._split(code)

    def other(self, code: str) -> str:
        return self.b if code == self.a else self.a

    def source_name(self, source_id: str) -> str:
        """How prose names a source: its publisher ("the International Monetary Fund")."""
        sources = self.pair.sources
        name = str(sources.loc[source_id, "publisher"]) if source_id in sources.index else source_id
        return name if name[:4].lower() == "the " else f"the {name}"

    # ---- trade series ------------------------------------------------------------------------
    def _split(self, reporter: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        t = self.pair.trade
        rows = t[(t["reporter"] == reporter) & (t["partner"] == self.other(reporter))]
        table = pd.DataFrame({
            "year": rows["year"].astype(int).to_numpy(),
            "exports": rows["exports_fob"].astype(float).to_numpy(),
            "imports": rows["imports_cif"].astype(float).to_numpy(),
            "exports_estimated": rows["exports_estimated"].astype("boolean").fillna(False).astype(bool).to_numpy(),
            "imports_estimated": rows["imports_estimated"].astype("boolean").fillna(False).astype(bool).to_numpy(),
            "source": rows["source"].astype(str).to_numpy(),
        })
        table["estimated"] = table["exports_estimated"] | table["imports_estimated"]
        table["total"] = table["exports"].fillna(0) + table["imports"].fillna(0)
        table.loc[table["exports"].isna() & table["imports"].isna(), "total"] = float("nan")
        table["balance"] = table["exports"] - table["imports"]
        table = table.dropna(subset=["total"])
        if table.empty:
            return table, table
        counts = table["source"].value_counts()
        main = sorted(counts.index, key=lambda s: (-counts[s], s))[0]
        series = table[table["source"] == main].sort_values("year").reset_index(drop=True)
        others = table[table["source"] != main].sort_values(["year", "source"]).reset_index(drop=True)
        return series, others

    def series(self, reporter: str) -> pd.DataFrame:
        """The reporter's main series: year, exports, imports, total, balance, estimated, source."""
        return self._series[reporter].copy()

    def other_rows(self, reporter: str) -> pd.DataFrame:
        """The reporter's figures from other sources than its main series (imported files)."""
        return self._other[reporter].copy()

    def years(self, reporter: str | None = None) -> list[int]:
        codes = (reporter,) if reporter else (self.a, self.b)
        return sorted({int(y) for c in codes for y in self._series[c]["year"]})

    def common_years(self) -> list[int]:
        """Years for which both reporters' main series have a figure."""
        return sorted(set(self.years(self.a)) & set(self.years(self.b)))

    def main_source(self, reporter: str) -> str | None:
        s = self._series[reporter]
        return None if s.empty else str(s["source"].iloc[0])

    def row(self, reporter: str, year: int) -> pd.Series | None:
        """The reporter's main-series row for `year` (the first, should a year repeat), or None."""
        rows = self._by_year.get(reporter)
        if rows is None:
            s = self._series[reporter]
            rows = self._by_year[reporter] = {}
            for i, y in enumerate(s["year"].tolist()):
                if y not in rows:
                    rows[y] = s.iloc[i]
        return rows.get(year)

    def number(self, reporter: str, year: int, measure: str = "total") -> float | None:
        row = self.row(reporter, year)
        if row is None or pd.isna(row[measure]):
            return None
        return float(row[measure])

    def _trade_row(self, reporter: str, year: int, source: str) -> Row:
        return Row("trade", (("reporter", reporter), ("partner", self.other(reporter)), ("year", int(year)),
                            ("source", source)), source)

    def trade_ref(self, reporter: str, year: int, measure: str = "total", row: pd.Series | None = None) -> Ref:
        row = self.row(reporter, year) if row is None else row
        name, other = self.names[reporter], self.names[self.other(reporter)]
        return Ref(str(row["source"]), f"{name}'s {MEASURE_WORDS[measure]} {other}, {year}, as {name} reports it")

    def value(self, reporter: str, year: int, measure: str = "total", row: pd.Series | None = None) -> Value:
        """total / exports / imports / balance of `reporter`'s figures for `year` (main series
        unless a row of another source is given)."""
        row = self.row(reporter, year) if row is None else row
        if row is None or pd.isna(row[measure]):
            span = self.years(reporter)
            have = f"{span[0]}-{span[-1]}" if span else "no years"
            raise DataPackageError(
                f"No {measure} reported by {reporter} with {self.other(reporter)} for {year} "
                f"(the trade table has {have})")
        number = float(row[measure])
        text = numbers.usd_million(number)
        flag = row["estimated"] if measure in ("total", "balance") else row[f"{measure}_estimated"]
        if flag:
            text += " (an IMF estimate)" if str(row["source"]).startswith("imf") else " (an estimate)"
        return Value(text, (self.trade_ref(reporter, year, measure, row),), number=number, unit="usd_million",
                     measure=measure, year=int(year), reporter=reporter, partner=self.other(reporter),
                     rows=(self._trade_row(reporter, year, str(row["source"])),))

    def change(self, reporter: str, start: int, end: int) -> Value | None:
        """Percentage change of the reporter's total between two years of its main series."""
        first, last = self.number(reporter, start), self.number(reporter, end)
        if first is None or last is None or min(first, last) < THRESHOLDS["negligible_trade"]:
            return None
        pct = (last / first - 1) * 100
        word = "up" if pct >= 0 else "down"
        source = self.main_source(reporter)
        return Value(f"{word} {numbers.percent(pct)}", (self.trade_ref(reporter, start), self.trade_ref(reporter, end)),
                     number=pct, unit="percent", measure="change", year=end, reporter=reporter,
                     partner=self.other(reporter),
                     rows=(self._trade_row(reporter, start, source), self._trade_row(reporter, end, source)))

    def peak(self, reporter: str, since: int | None = None) -> tuple[int, float] | None:
        s = self._series[reporter]
        if since is not None:
            s = s[s["year"] >= since]
        if s.empty:
            return None
        top = s.loc[s["total"].idxmax()]
        return int(top["year"]), float(top["total"])

    def share(self, reporter: str, year: int) -> Value | None:
        """The pair's share of the reporter's trade with the world, in percent."""
        totals = self.pair.totals
        world = totals[(totals["reporter"] == reporter) & (totals["year"] == year)]
        row = self.row(reporter, year)
        if world.empty or row is None:
            return None
        w = world.iloc[0]
        whole = sum(0.0 if pd.isna(w[c]) else float(w[c]) for c in ("exports_fob", "imports_cif"))
        if whole <= 0 or row["total"] < THRESHOLDS["negligible_trade"]:
            return None
        pct = float(row["total"]) / whole * 100
        world_ref = Ref(str(w["source"]), f"{self.names[reporter]}'s trade with the world, {year}")
        return Value(numbers.percent(pct), (self.trade_ref(reporter, year), world_ref), number=pct, unit="percent",
                     measure="share", year=int(year), reporter=reporter, partner=self.other(reporter),
                     rows=(self._trade_row(reporter, year, str(row["source"])),
                           Row("trade_totals", (("reporter", reporter), ("year", int(year)), ("source", str(w["source"]))),
                               str(w["source"]))))

    def rank(self, reporter: str, year: int) -> Value | None:
        r = self.pair.ranks
        match = r[(r["reporter"] == reporter) & (r["year"] == year)]
        row = self.row(reporter, year)
        if match.empty or row is None:
            return None
        m = match.iloc[0]
        ref = Ref(str(row["source"]), f"{self.names[reporter]}'s trade with each of its {m['partners']} partners, {year}")
        return Value(f"{numbers.ordinal(int(m['rank']))} of {int(m['partners'])}", (ref,), number=int(m["rank"]),
                     unit="rank", measure="rank", year=int(year), reporter=reporter, partner=self.other(reporter),
                     rows=(self._trade_row(reporter, year, str(row["source"])),))

    def mirror(self, year: int) -> list[dict]:
        """Flows whose two reports differ by more than the mirror threshold.

        Each: exporter, importer, fob (exporter's Value), cif (importer's Value), and `importer_higher`
        (True when the importer's CIF figure is the larger, the direction valuation can explain).
        """
        gaps = []
        for exporter in (self.a, self.b):
            importer = self.other(exporter)
            fob, cif = self.number(exporter, year, "exports"), self.number(importer, year, "imports")
            if fob is None or cif is None:
                continue
            high = max(fob, cif)
            if high - min(fob, cif) > max(THRESHOLDS["mirror_gap"] * high, THRESHOLDS["mirror_floor"]):
                gaps.append({"exporter": exporter, "importer": importer, "importer_higher": cif > fob,
                             "fob": self.value(exporter, year, "exports"), "cif": self.value(importer, year, "imports")})
        return gaps

    # ---- facts that are rows -------------------------------------------------------------------
    def events(self, kind: str | tuple[str, ...] | None = None) -> pd.DataFrame:
        ev = self.pair.events
        ev = ev[ev["country_a"].isin([self.a, self.b]) & ev["country_b"].isin([self.a, self.b])]
        if kind:
            ev = ev[ev["kind"].isin([kind] if isinstance(kind, str) else list(kind))]
        return ev.sort_values(["date", "id"])

    def event_value(self, row: pd.Series) -> Value:
        return Value(numbers.event_date(row["date"]), (Ref(str(row["source"])),), unit="date", measure="event",
                     year=int(str(row["date"])[:4]), rows=(Row("events", (("id", row["id"]),), str(row["source"])),))

    def event(self, event_id: str) -> pd.Series:
        return _row(self.pair.events, event_id, "events")

    def statement(self, statement_id: str) -> pd.Series:
        return _row(self.pair.statements, statement_id, "statements")

    def statement_value(self, row: pd.Series) -> Value:
        year = pd.Timestamp(row["period_start"]).year if pd.notna(row.get("period_start")) else None
        return Value(numbers.statement(row["value"], row["unit"]), (Ref(str(row["source"])),),
                     number=float(row["value"]), unit=str(row["unit"]), measure=str(row["measure"]), year=year,
                     rows=(Row("statements", (("id", row["id"]),), str(row["source"])),))

    def pair_statements(self, measure: str | None = None) -> pd.DataFrame:
        st = self.pair.statements
        mine = st["country_a"].isin([self.a, self.b]) & st["country_b"].isin([self.a, self.b])
        if measure:
            mine &= st["measure"] == measure
        return st[mine].sort_values("id")

    def shared_memberships(self) -> pd.DataFrame:
        """Forums both sides are in (any status) at the brief's date, one row per organisation with
        each side's status, start year and source."""
        m = self.pair.memberships
        # in force at the brief's date: a spell that starts in year Y is certain only from Y+1
        started = m["start_year"].isna() | (m["start_year"] < self.as_of.year)
        ended = m["end_year"].notna() & (m["end_year"] < self.as_of.year)
        current = m[started & ~ended & m["organisation"].isin(FORUMS)]
        current = current.sort_values(["country", "organisation", "start_year"]).drop_duplicates(
            ["country", "organisation"], keep="last")
        sides = [current[current["country"] == code] for code in (self.a, self.b)]
        joined = sides[0].merge(sides[1], on="organisation", suffixes=("_a", "_b"))
        return joined.sort_values("organisation").reset_index(drop=True)

    def organisation_name(self, org_id: str) -> str:
        return str(self.pair.organisations.get(org_id, org_id))


def _row(table: pd.DataFrame, row_id: str, name: str) -> pd.Series:
    match = table[table["id"] == row_id]
    if match.empty:
        hint = did_you_mean(row_id, [str(i) for i in table["id"]])
        raise DataPackageError(f'No row "{row_id}" in {name}.csv for this pair{hint}')
    return match.iloc[0]
