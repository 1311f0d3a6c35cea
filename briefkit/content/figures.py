"""Figures derived from a pair's data, and the values that prose placeholders stand for.

Every value carries the ids of the source rows it was computed from, so the brief can footnote it.
Placeholders in analyst prose look like ``{{ kind:arg:arg }}``; RESOLVERS maps each kind to a
function of (Facts, args) → Value.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .datapackage import PairData
from .citations import Ref, present
from .errors import DataPackageError

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass(frozen=True)
class Value:
    """A number or date as printed, with the source rows behind it."""

    text: str
    refs: tuple[Ref, ...]


# ---- formatting ----------------------------------------------------------------------------------

def usd_million(value: float) -> str:
    """50.2 → US$50.2 million; 1000 → US$1 billion; 0.35 → US$350 thousand."""
    if value >= 1000:
        return f"US${_trim(f'{value / 1000:,.2f}')} billion"
    if value >= 1:
        return f"US${_trim(f'{value:,.1f}')} million"
    return f"US${value * 1000:,.0f} thousand"


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def event_date(text: str) -> str:
    """'1994-02-03' → February 3, 1994; '2014-07' → July 2014; '2015' → 2015."""
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_statement(row: pd.Series) -> str:
    unit, value = row["unit"], float(row["value"])
    if unit == "usd_million":
        return usd_million(value)
    if unit == "percent":
        return f"{value:g}%"
    return f"{value:g} times"


# ---- facts of a pair -----------------------------------------------------------------------------

# The forums a brief names among shared memberships; the memberships table holds many more bodies
# (weights and measures, commodity councils) that say little about a relationship.
FORUMS = ("UN", "SCO", "BRICS", "CICA", "CIS", "CSTO", "EAEU", "EAEC", "ECO", "OIC", "SAARC", "ASEAN",
          "NAM", "WTO", "G20", "APEC", "ARF", "CoE", "OSCE", "AU", "LAS", "GCC", "OPEC", "CSTO")
MIRROR_GAP = 0.25      # reporters "disagree" when the same flow differs by more than 25% of the larger figure
MIRROR_FLOOR = 1.0     # ... and by at least US$1 million: tiny flows differ by rounding alone
TINY = 0.05            # below US$50 thousand a year, trade is "negligible": no growth rates or shares


class Facts:
    """Derived figures of one pair, computed from its PairData."""

    def __init__(self, pair: PairData, as_of: dt.date | None = None):
        self.pair = pair
        self.a, self.b = pair.codes
        self.as_of = as_of or dt.date.today()
        self.names = {self.a: pair.a["name"], self.b: pair.b["name"]}
        self._trade = {code: self._trade_table(code) for code in (self.a, self.b)}

    def _other(self, code: str) -> str:
        return self.b if code == self.a else self.a

    # ---- trade -------------------------------------------------------------------------------
    def _trade_table(self, reporter: str) -> pd.DataFrame:
        other = self._other(reporter)
        t = self.pair.trade
        rows = t[(t["reporter"] == reporter) & (t["partner"] == other)]
        # One figure a year: where imported files overlap the main series, the longest series wins
        # (ties by source id), so a brief's line never mixes two sources' figures for one year.
        series = rows["source"].astype(str).value_counts()
        order = {src: i for i, src in enumerate(sorted(series.index, key=lambda s: (-series[s], s)))}
        rows = (rows.assign(_order=rows["source"].astype(str).map(order)).sort_values(["year", "_order"])
                .drop_duplicates("year"))
        out = pd.DataFrame({
            "year": rows["year"].astype(int).to_numpy(),
            "exports": rows["exports_fob"].astype(float).to_numpy(),
            "imports": rows["imports_cif"].astype(float).to_numpy(),
            "exports_estimated": rows["exports_estimated"].fillna(False).astype(bool).to_numpy(),
            "imports_estimated": rows["imports_estimated"].fillna(False).astype(bool).to_numpy(),
            "source": rows["source"].astype(str).to_numpy(),
        })
        out["estimated"] = out["exports_estimated"] | out["imports_estimated"]
        out["total"] = out["exports"].fillna(0) + out["imports"].fillna(0)
        out.loc[out["exports"].isna() & out["imports"].isna(), "total"] = float("nan")
        out["balance"] = out["exports"] - out["imports"]
        return out

    def trade_by_year(self, reporter: str) -> pd.DataFrame:
        """Trade of the pair as `reporter` reports it: year, exports, imports, total, balance, estimated.

        exports = reporter's exports to the other side; balance = exports - imports.
        """
        return self._trade[reporter].copy()

    def _trade_row(self, year: int, reporter: str) -> pd.Series:
        table = self._trade[reporter]
        row = table[table["year"] == year]
        if row.empty or pd.isna(row["total"].iloc[0]):
            years = table.dropna(subset=["total"])["year"]
            span = f"{years.min()}-{years.max()}" if len(years) else "no years"
            raise DataPackageError(
                f"No trade reported by {reporter} with {self._other(reporter)} for {year} "
                f"(the trade table has {span})")
        return row.iloc[0]

    def trade_ref(self, year: int, reporter: str, what: str = "trade with") -> Ref:
        row = self._trade_row(year, reporter)
        other = self.names[self._other(reporter)]
        return Ref(row["source"], f"{self.names[reporter]}'s {what} {other}, {year}, as {self.names[reporter]} reports it")

    def trade_value(self, year: int, reporter: str, column: str = "total") -> Value:
        """total / exports / imports / balance (absolute) of `reporter`'s figures for `year`."""
        row = self._trade_row(year, reporter)
        number = row[column]
        if pd.isna(number):
            raise DataPackageError(f"{reporter} reports no {column} with {self._other(reporter)} for {year}")
        text = usd_million(abs(number))
        estimated = row["estimated"] if column in ("total", "balance") else row[f"{column}_estimated"]
        if estimated:
            text += " (an IMF estimate)"
        what = {"total": "trade with", "exports": "exports to", "imports": "imports from",
                "balance": "trade balance with"}[column]
        return Value(text, (self.trade_ref(year, reporter, what),))

    def trade_total(self, year: int, reporter: str) -> Value:
        return self.trade_value(year, reporter, "total")

    def years(self) -> list[int]:
        """Years in which either side reports trade with the other."""
        ys = set()
        for table in self._trade.values():
            ys.update(table.dropna(subset=["total"])["year"].tolist())
        return sorted(ys)

    def main_reporter(self, year: int) -> str | None:
        """The side whose figure for `year` to lead with: reported (not estimated) first, then the larger."""
        options = []
        for code, table in self._trade.items():
            row = table[table["year"] == year]
            if not row.empty and pd.notna(row["total"].iloc[0]):
                options.append((bool(row["estimated"].iloc[0]), -float(row["total"].iloc[0]), code))
        return min(options)[2] if options else None

    def change(self, start: int, end: int, reporter: str) -> Value | None:
        """Percentage change in `reporter`'s total between two years; None when not meaningful."""
        try:
            first, last = self._trade_row(start, reporter), self._trade_row(end, reporter)
        except DataPackageError:
            return None
        if first["total"] < TINY or last["total"] < TINY:
            return None
        pct = (last["total"] / first["total"] - 1) * 100
        word = "up" if pct >= 0 else "down"
        return Value(f"{word} {abs(pct):.0f}%", (self.trade_ref(start, reporter), self.trade_ref(end, reporter)))

    def share(self, year: int, reporter: str) -> Value | None:
        """The pair's share of `reporter`'s trade with the world, in percent."""
        totals = self.pair.totals
        world = totals[(totals["reporter"] == reporter) & (totals["year"] == year)]
        try:
            row = self._trade_row(year, reporter)
        except DataPackageError:
            return None
        if world.empty:
            return None
        w = world.iloc[0]
        whole = (0 if pd.isna(w["exports_fob"]) else w["exports_fob"]) + (0 if pd.isna(w["imports_cif"]) else w["imports_cif"])
        if whole <= 0 or row["total"] < TINY:
            return None
        pct = row["total"] / whole * 100
        text = f"{pct:.1f}%" if pct >= 0.1 else "less than 0.1%"
        world_ref = Ref(w["source"], f"{self.names[reporter]}'s trade with the world, {year}")
        return Value(text, (self.trade_ref(year, reporter), world_ref))

    def rank(self, year: int, reporter: str) -> Value | None:
        r = self.pair.ranks
        row = r[(r["reporter"] == reporter) & (r["year"] == year)]
        if row.empty:
            return None
        row = row.iloc[0]
        ref = Ref(self._trade_row(year, reporter)["source"],
                  f"{self.names[reporter]}'s trade with each of its {row['partners']} partners, {year}")
        return Value(f"{ordinal(int(row['rank']))} of {row['partners']}", (ref,))

    def mirror_gaps(self, year: int) -> list[tuple[str, Value, Value]]:
        """Flows whose two reports differ by more than MIRROR_GAP: (exporter, exporter's figure, importer's)."""
        gaps = []
        for exporter in (self.a, self.b):
            importer = self._other(exporter)
            ex, im = self._trade[exporter], self._trade[importer]
            ex_row, im_row = ex[ex["year"] == year], im[im["year"] == year]
            if ex_row.empty or im_row.empty:
                continue
            fob, cif = ex_row["exports"].iloc[0], im_row["imports"].iloc[0]
            if pd.isna(fob) or pd.isna(cif):
                continue
            high = max(fob, cif)
            if high - min(fob, cif) > max(MIRROR_GAP * high, MIRROR_FLOOR):
                gaps.append((exporter, self.trade_value(year, exporter, "exports"),
                             self.trade_value(year, importer, "imports")))
        return gaps

    # ---- facts that are rows -------------------------------------------------------------------
    def pair_events(self, kind: str | tuple[str, ...] | None = None) -> pd.DataFrame:
        ev = self.pair.events
        both = ev["country_a"].isin([self.a, self.b]) & ev["country_b"].isin([self.a, self.b])
        ev = ev[both]
        if kind:
            ev = ev[ev["kind"].isin([kind] if isinstance(kind, str) else list(kind))]
        return ev.sort_values(["date", "id"])

    def event(self, event_id: str) -> pd.Series:
        return _row(self.pair.events, event_id, "events")

    def statement(self, statement_id: str) -> pd.Series:
        return _row(self.pair.statements, statement_id, "statements")

    def pair_statements(self, measure: str) -> pd.DataFrame:
        st = self.pair.statements
        both = st["country_a"].isin([self.a, self.b]) & st["country_b"].isin([self.a, self.b])
        return st[both & (st["measure"] == measure)]

    def shared_memberships(self, forums_only: bool = True) -> pd.DataFrame:
        """Organisations both sides belong to now (a spell with no end year), with the year each joined."""
        m = self.pair.memberships
        # in force at the brief's date: a spell that starts in year Y is certain only from Y+1
        # (a brief of February 2024 must not count a membership that began in July 2024)
        started = m["start_year"].isna() | (m["start_year"] < self.as_of.year)
        current = m[m["end_year"].isna() & started]
        if forums_only:
            current = current[current["organisation"].isin(FORUMS)]
        sides = [current[current["country"] == code] for code in (self.a, self.b)]
        joined = sides[0].merge(sides[1], on="organisation", suffixes=("_a", "_b"))
        joined = joined.sort_values(["start_year_a", "start_year_b", "status_a"], na_position="last")
        return joined.drop_duplicates("organisation").sort_values("organisation").reset_index(drop=True)


def _row(table: pd.DataFrame, row_id: str, name: str) -> pd.Series:
    match = table[table["id"] == row_id]
    if match.empty:
        close = difflib.get_close_matches(row_id, list(table["id"]), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise DataPackageError(f'No row "{row_id}" in {name}.csv for this pair{hint}')
    return match.iloc[0]


# ---- placeholders --------------------------------------------------------------------------------

def _event(facts: Facts, args: list[str]) -> Value:
    row = facts.event(args[0])
    return Value(event_date(row["date"]), (Ref(row["source"]),))


def _anniversary(facts: Facts, args: list[str]) -> Value:
    row = facts.event(args[0])
    start = int(str(row["date"])[:4])
    return Value(ordinal(facts.as_of.year - start), (Ref(row["source"]),))


def _statement(facts: Facts, args: list[str]) -> Value:
    row = facts.statement(args[0])
    return Value(format_statement(row), (Ref(row["source"]),))


def _trade(facts: Facts, args: list[str]) -> Value:
    if len(args) != 3 or args[0] not in ("total", "exports", "imports"):
        raise DataPackageError(
            f"trade placeholders read {{{{ trade:total|exports|imports:YEAR:ISO3 }}}}, not trade:{':'.join(args)}")
    return facts.trade_value(int(args[1]), args[2], args[0])


RESOLVERS: dict[str, Callable[[Facts, list[str]], Value]] = {
    "event": _event,
    "anniversary": _anniversary,
    "statement": _statement,
    "trade": _trade,
}


def resolve(facts: Facts, placeholder: str) -> Value:
    """'statement:pak-blr-2019-trade' → Value('US$50.2 million', ('blr-emb-pak-trade',))."""
    kind, *args = [p.strip() for p in placeholder.split(":")]
    if kind not in RESOLVERS:
        close = difflib.get_close_matches(kind, list(RESOLVERS), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise DataPackageError(
            f'Unknown placeholder kind "{kind}" in {{{{ {placeholder} }}}}{hint}; known: {", ".join(RESOLVERS)}')
    return RESOLVERS[kind](facts, args)


# ---- sentences: what the data show, for pairs (or sections) without analyst prose ---------------
# A paragraph is a list of parts: plain text, or a Value that the brief prints with its footnotes.
# Every generator returns [] when the data have nothing to say, and the section is then left out.

Paragraph = list  # of str | Value


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _refs(rows: pd.DataFrame) -> tuple[Ref, ...]:
    return tuple(dict.fromkeys(Ref(s) for s in rows["source"]))


def opening(f: Facts) -> list[Paragraph]:
    """A hook: a round anniversary of relations, a recent visit or session, or the latest turn in trade."""
    a, b = f.names[f.a], f.names[f.b]
    relations = f.pair_events("relations")
    if not relations.empty:
        row = relations.iloc[0]
        years = f.as_of.year - int(str(row["date"])[:4])
        if years > 0 and years % 5 == 0:
            return [[f"{f.as_of.year} marks the ", Value(ordinal(years), (Ref(row["source"]),)),
                     f" anniversary of diplomatic relations between {a} and {b}, established on ",
                     Value(event_date(row["date"]), (Ref(row["source"]),)), "."]]
    recent = f.pair_events(("visit", "session"))
    recent = recent[recent["date"].str[:4].astype(int) >= f.as_of.year - 3]
    if not recent.empty:
        row = recent.iloc[-1]
        who = f"{row['person']}, {row['role']}," if present(row.get("person")) else "the two sides"
        what = row["title"] if row["kind"] == "session" else f"the visit of {who} to {row['place']}"
        if row["kind"] != "session" and not present(row.get("place")):
            what = f"{row['title'].rstrip('.')}"
        return [[f"The latest high-level contact between {a} and {b} on record is {what}, in ",
                 Value(event_date(row["date"]), (Ref(row["source"]),)), "."]]
    turn = trade_turn(f)
    return [turn] if turn else []


def trade_turn(f: Facts) -> Paragraph | None:
    years = f.years()
    if not years:
        return None
    last = years[-1]
    who = f.main_reporter(last)
    value = f.trade_total(last, who)
    parts: Paragraph = [f"In {last}, trade between {f.names[f.a]} and {f.names[f.b]} came to ", value,
                        f" by {f.names[who]}'s count"]
    change = f.change(last - 1, last, who)
    if change:
        parts += [", ", change, " on the year before"]
    parts.append(".")
    return parts


def history(f: Facts) -> list[Paragraph]:
    a, b = f.names[f.a], f.names[f.b]
    milestones = f.pair_events(("recognition", "relations", "embassy", "agreement", "mechanism", "session"))
    if milestones.empty:
        return []
    first = milestones.iloc[0]
    parts: Paragraph = [f"The recorded history of relations between {a} and {b} opens in ",
                        Value(event_date(first["date"]), (Ref(first["source"]),)),
                        f" ({first['title'].rstrip('.')})"]
    relations = f.pair_events("relations")
    if not relations.empty and relations.iloc[0]["id"] != first["id"]:
        row = relations.iloc[0]
        years = f.as_of.year - int(str(row["date"])[:4])
        parts += ["; diplomatic relations followed on ", Value(event_date(row["date"]), (Ref(row["source"]),)),
                  f", {_counted(years, 'year', 'years')} before this brief"]
    parts.append(". The milestones on record are listed below.")
    return [parts]


def visits(f: Facts) -> list[Paragraph]:
    rows = f.pair_events("visit")
    if rows.empty:
        return []
    last = rows.iloc[-1]
    first_year, last_year = str(rows.iloc[0]["date"])[:4], str(last["date"])[:4]
    span = f"in {first_year}" if first_year == last_year else f"between {first_year} and {last_year}"
    parts: Paragraph = ["The record lists ", Value(_counted(len(rows), "high-level visit", "high-level visits"), _refs(rows)),
                        f" {span}"]
    if present(last.get("person")):
        parts += [f"; the latest was by {last['person']} ({last['role']}) in ",
                  Value(event_date(last["date"]), (Ref(last["source"]),))]
    parts.append(".")
    return [parts]


def agreements(f: Facts) -> list[Paragraph]:
    rows = f.pair_events("agreement")
    if rows.empty:
        return []
    return [["The two sides have signed ", Value(_counted(len(rows), "agreement", "agreements"), _refs(rows)),
             " on record, listed below."]]


def mechanisms(f: Facts) -> list[Paragraph]:
    rows = f.pair_events("mechanism")
    if rows.empty:
        return []
    parts: Paragraph = ["Standing mechanisms include "]
    for i, (_, row) in enumerate(rows.iterrows()):
        if i:
            parts.append(", and the " if i == len(rows) - 1 else ", the ")
        else:
            parts.append("the ")
        parts += [f"{row['title']} (since ", Value(event_date(row["date"]), (Ref(row["source"]),)), ")"]
    sessions = f.pair_events("session")
    if not sessions.empty:
        last = sessions.iloc[-1]
        parts += [f". The latest session on record is the {last['title']}, in ",
                  Value(event_date(last["date"]), (Ref(last["source"]),))]
    parts.append(".")
    return [parts]


def trade(f: Facts) -> list[Paragraph]:
    """Level, trend, balance, shares and ranks, disagreements between the records, targets."""
    years = f.years()
    if not years:
        return []
    a, b = f.names[f.a], f.names[f.b]
    last = years[-1]
    who = f.main_reporter(last)
    other = f._other(who)
    paragraphs: list[Paragraph] = []
    if f._trade_row(last, who)["total"] == 0:
        return [[f"The IMF's Direction of Trade Statistics hold records for {a} and {b} from {years[0]} to {last}, "
                 f"but neither side recorded any trade with the other in {last}", Value("", (f.trade_ref(last, who),)), "."]]
    level: Paragraph = [f"The IMF's Direction of Trade Statistics record trade between {a} and {b} from {years[0]} to {last}. "
                        f"In {last}, {f.names[who]} reported ", f.trade_total(last, who), f" of trade with {f.names[other]}"]
    if f._trade_row(last, who)["total"] < TINY:
        level.append(", a negligible amount")
    try:
        level += [f", and {f.names[other]} reported ", f.trade_total(last, other)]
    except DataPackageError:
        pass
    level.append(".")
    for span in (10, 5):
        change = f.change(last - span, last, who)
        if change:
            level += [f" By {f.names[who]}'s figures, that is ", change, f" on {last - span}."]
            break
    paragraphs.append(level)

    row = f._trade_row(last, who)
    if pd.notna(row["balance"]) and row["total"] >= TINY:
        if abs(row["balance"]) < TINY:
            paragraphs.append([f"Trade was roughly balanced in {last}."])
        else:
            favoured = who if row["balance"] > 0 else other
            paragraphs.append([f"The balance favours {f.names[favoured]}: in {last} {f.names[who]}'s exports exceeded its imports "
                               if favoured == who else
                               f"The balance favours {f.names[favoured]}: in {last} {f.names[who]}'s imports exceeded its exports ",
                               "by ", f.trade_value(last, who, "balance"), "."])

    shares: Paragraph = []
    for code in (f.a, f.b):
        share, rank = f.share(last, code), f.rank(last, code)
        if share and rank:
            shares += [f"{f.names[f._other(code)]} accounted for ", share, f" of {f.names[code]}'s recorded trade in {last}, ranking ",
                       rank, " among its partners. "]
    if shares:
        shares[-1] = shares[-1].rstrip()
        paragraphs.append(shares)

    for exporter, fob, cif in f.mirror_gaps(last):
        importer = f._other(exporter)
        paragraphs.append([f"The two sides' records disagree on the same flow. For {last}, {f.names[exporter]} reported exports to "
                           f"{f.names[importer]} of ", fob, f", while {f.names[importer]} reported imports from {f.names[exporter]} of ",
                           cif, f" (a difference of more than {MIRROR_GAP:.0%}; exports are valued FOB and imports CIF, "
                           "and timing and attribution differ)."])

    for _, target in f.pair_statements("trade_target").iterrows():
        total = row["total"]
        if total >= TINY and float(target["value"]) > total:
            start = f" set in {pd.Timestamp(target['period_start']).year}" if pd.notna(target["period_start"]) else ""
            paragraphs.append(["The declared goal of ", Value(format_statement(target), (Ref(target["source"]),)),
                               f" in annual trade{start} is {float(target['value']) / total:.0f} times the latest recorded level of ",
                               f.trade_total(last, who), "."])
    return paragraphs


def composition(f: Facts, top: int = 5) -> list[Paragraph]:
    """The main goods each side sells the other, from product-level rows where the package has them."""
    rows = main_products(f, top)
    paragraphs = []
    for (exporter, year), group in rows.groupby(["exporter", "year"], sort=False):
        parts: Paragraph = [f"By {f.names[exporter]}'s records for {year}, its main exports to {f.names[f._other(exporter)]} were "]
        for i, (_, r) in enumerate(group.iterrows()):
            if i:
                parts.append(", and " if i == len(group) - 1 else ", ")
            parts += [f"{_lower_first(r['description'])} (", Value(usd_million(r["value_usd"] / 1e6), (r["ref"],)), ")"]
        parts.append(".")
        paragraphs.append(parts)
    return paragraphs


def main_products(f: Facts, top: int = 5) -> pd.DataFrame:
    """Top products by value of each side's exports to the other, in the latest year with product rows.

    Uses one classification and its 2-digit level, so nothing is counted twice.
    """
    products = f.pair.products
    columns = ["exporter", "year", "code", "description", "value_usd", "ref"]
    if products is None or products.empty:
        return pd.DataFrame(columns=columns)
    p = products[(products["flow"] == "exports") & (products["code"].str.len() == 2)]
    out = []
    for exporter in (f.a, f.b):
        mine = p[p["reporter"] == exporter]
        if mine.empty:
            continue
        year = int(mine["year"].max())
        mine = mine[mine["year"] == year]
        mine = mine[mine["classification"] == mine["classification"].iloc[0]]
        best = mine.sort_values(["value_usd", "code"], ascending=[False, True]).head(top)
        for _, r in best.iterrows():
            ref = Ref(r["source"], f"{f.names[exporter]}'s exports to {f.names[f._other(exporter)]} by product "
                                   f"({r['classification']} {r['code']}), {year}")
            out.append([exporter, year, r["code"], r["description"], float(r["value_usd"]), ref])
    return pd.DataFrame(out, columns=columns)


def _lower_first(text: str) -> str:
    text = str(text).strip()
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def defence(f: Facts) -> list[Paragraph]:
    rows = f.pair_events(("defence", "energy"))
    if rows.empty:
        return []
    parts: Paragraph = ["Security and energy ties on record: "]
    for i, (_, row) in enumerate(rows.iterrows()):
        if i:
            parts.append("; ")
        parts += [f"{row['title'].rstrip('.')} (", Value(event_date(row["date"]), (Ref(row["source"]),)), ")"]
    parts.append(".")
    return [parts]


def multilateral(f: Facts) -> list[Paragraph]:
    shared = f.shared_memberships()
    if shared.empty:
        return []
    names = [f.pair.organisations.get(o, o) for o in shared["organisation"]]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return [[f"{f.names[f.a]} and {f.names[f.b]} sit together in ",
             Value(_counted(len(shared), "major forum", "major forums"),
                   tuple(dict.fromkeys(Ref(s) for s in list(shared["source_a"]) + list(shared["source_b"])))),
             f": {listed}. {'It gives' if len(names) == 1 else 'These give'} them regular occasions to meet "
             "and to coordinate positions."]]


def challenges(f: Facts) -> list[Paragraph]:
    years = f.years()
    if len(years) < 3:
        return []
    last = years[-1]
    who = f.main_reporter(last)
    table = f.trade_by_year(who).dropna(subset=["total"])
    peak = table.loc[table["total"].idxmax()]
    paragraphs: list[Paragraph] = []
    latest = f._trade_row(last, who)["total"]
    if peak["year"] != last and peak["total"] >= TINY and latest < 0.75 * peak["total"]:
        paragraphs.append([f"Trade has not regained its peak: by {f.names[who]}'s figures it reached ",
                           f.trade_total(int(peak["year"]), who), f" in {int(peak['year'])}, against ",
                           f.trade_total(last, who), f" in {last}."])
    row = f._trade_row(last, who)
    if pd.notna(row["exports"]) and pd.notna(row["imports"]) and min(row["exports"], row["imports"]) >= TINY:
        ratio = max(row["exports"], row["imports"]) / min(row["exports"], row["imports"])
        if ratio >= 3:
            bigger = who if row["exports"] > row["imports"] else f._other(who)
            paragraphs.append([f"Trade is lopsided: in {last} {f.names[bigger]} sold about {ratio:.0f} times as much as it bought",
                               " (", f.trade_value(last, who, "exports"), " against ", f.trade_value(last, who, "imports"),
                               f" in {f.names[who]}'s figures)."])
    return paragraphs


def conclusion(f: Facts) -> list[Paragraph]:
    years = f.years()
    visits_n, agreements_n = len(f.pair_events("visit")), len(f.pair_events("agreement"))
    if not years and not visits_n and not agreements_n:
        return []
    parts: Paragraph = []
    if years:
        last = years[-1]
        who = f.main_reporter(last)
        parts += [f"{f.names[f.a]} and {f.names[f.b]} traded goods worth ", f.trade_total(last, who),
                  f" in {last} by {f.names[who]}'s count"]
        change = f.change(last - 10, last, who)
        if change:
            parts += [", ", change, " on a decade earlier"]
        parts.append(". ")
    if visits_n or agreements_n:
        ev = f.pair_events(("visit", "agreement"))
        parts += ["The record holds ", Value(f"{_counted(visits_n, 'high-level visit', 'high-level visits')} and "
                                             f"{_counted(agreements_n, 'agreement', 'agreements')}", _refs(ev)),
                  ", the frame on which closer ties can be built."]
    else:
        parts.append("Few political milestones are on record, and closer ties would first need a denser agenda of visits "
                     "and agreements.")
    return [parts]
