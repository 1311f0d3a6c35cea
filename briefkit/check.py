"""`briefkit check`: re-verify every claim of rendered briefs against the data package.

    report = check_ledgers([Path("build")], open_package())
    print(report)          # one line per violation: brief, claim, reason

The checker reads the ledgers (A-B.claims.json) and recomputes each stated figure and judgement
from the package's rows with code of its own, not the rules', so that a rule's mistake shows:

- every value against its row: the number, the printed amount, the year, the source;
- "(an IMF estimate)" only on a row of the IMF flagged as estimated;
- the balance: the side said to be favoured, against both reporters' records (or the one named);
- direction words (grew, fell, rose, up, down, below its peak) against the figures they judge.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .recompute import check_new_value
from .errors import DataPackageError, UsageError

MONEY = re.compile(r"US\$([\d,.]+) (billion|million|thousand)")
PERCENT = re.compile(r"(\d[\d.,]*)%")
SCALE = {"billion": 1000.0, "million": 1.0, "thousand": 0.001}


@dataclass(frozen=True)
class Violation:
    brief: str
    claim: str
    reason: str

    def __str__(self) -> str:
        return f"{self.brief} {self.claim}: {self.reason}"


@dataclass(frozen=True)
class CheckReport:
    briefs: int
    claims: int
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    def __str__(self) -> str:
        lines = [str(v) for v in self.violations]
        lines.append(f"{self.briefs} brief{'s' if self.briefs != 1 else ''}, {self.claims} claim{'s' if self.claims != 1 else ''} checked: "
                     f"{len(self.violations)} violation{'s' if len(self.violations) != 1 else ''}")
        return "\n".join(lines)


def find_ledgers(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_file() and path.name.endswith(".claims.json"):
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.rglob("*.claims.json") if "editions" not in p.parts)
        else:
            raise UsageError(f"No ledger at {path}: give a folder of rendered briefs or an A-B.claims.json file")
    return found


class Rows:
    """The package's tables, indexed for lookups by primary key."""

    def __init__(self, package):
        trade = package.table("trade")
        self.trade = trade.set_index(["reporter", "partner", "year", "source"]).sort_index()
        self.totals = package.table("trade_totals").set_index(["reporter", "year", "source"]).sort_index()
        self.statements = package.table("statements").set_index("id")
        self.events = package.table("events").set_index("id")
        self.sources = package.table("sources").set_index("id")
        self._trade_all = trade
        self._by_reporter: dict = {}
        self._package = package
        self._tables: dict = {}

    def other(self, name: str) -> pd.DataFrame | None:
        """A table the checker reads only for some claims (arms, ideal points, agreements,
        indicators), read on first use; None where the package has no such table."""
        if name not in self._tables:
            try:
                self._tables[name] = self._package.table(name)
            except (KeyError, DataPackageError):
                self._tables[name] = None
        return self._tables[name]

    def ids(self, name: str) -> frozenset:
        """The ids of a table's rows, as a set (read once)."""
        key = f"{name}#ids"
        if key not in self._tables:
            table = self.other(name)
            self._tables[key] = frozenset() if table is None else frozenset(table["id"].astype(str))
        return self._tables[key]

    def trade_row(self, r: dict):
        key = (r["reporter"], r["partner"], int(r["year"]), r["source"])
        try:
            row = self.trade.loc[key]
        except KeyError:
            return None
        return row.iloc[0] if isinstance(row, pd.DataFrame) else row

    def trade_measure(self, r: dict, measure: str) -> float | None:
        row = self.trade_row(r)
        if row is None:
            return None
        ex, im = row["exports_fob"], row["imports_cif"]
        if measure == "exports":
            return None if pd.isna(ex) else float(ex)
        if measure == "imports":
            return None if pd.isna(im) else float(im)
        if measure == "balance":
            return None if pd.isna(ex) or pd.isna(im) else float(ex) - float(im)
        return (0.0 if pd.isna(ex) else float(ex)) + (0.0 if pd.isna(im) else float(im))

    def trade_rows(self, reporter: str, partner: str, year: int):
        """The reporter's row for the year: the IMF's where there is one, else the first source's."""
        try:
            found = self.trade.loc[(reporter, partner, int(year))]
        except KeyError:
            return None
        if "imf-dots" in found.index:
            return found.loc["imf-dots"]
        return found.iloc[0]

    def rank(self, reporter: str, partner: str, year: int, source: str) -> tuple[int, int] | None:
        if (reporter, year) not in self._by_reporter:
            t = self._trade_all
            self._by_reporter[(reporter, year)] = t[(t["reporter"] == reporter) & (t["year"] == year)]
        rows = self._by_reporter[(reporter, year)]
        totals = rows.groupby("partner", observed=True)[["exports_fob", "imports_cif"]].sum(min_count=1).fillna(0).sum(axis=1)
        totals = totals[totals > 0]
        if partner not in totals.index:
            return None
        return int((totals > totals[partner]).sum()) + 1, int(len(totals))


def check_ledgers(paths: list[Path], package) -> CheckReport:
    ledgers = find_ledgers(paths)
    rows = Rows(package)
    violations, claims = [], 0
    for path in ledgers:
        try:
            ledger = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            violations.append(Violation(path.name, "-", f"unreadable ledger ({exc})"))
            continue
        for claim in ledger.get("claims", []):
            claims += 1
            for reason in check_claim(claim, ledger, rows):
                violations.append(Violation(ledger.get("pair", path.name), claim.get("id", "?"), reason))
    return CheckReport(len(ledgers), claims, tuple(violations))


def check_claim(claim: dict, ledger: dict, rows: Rows) -> list[str]:
    problems = []
    for value in claim.get("values", []):
        problems += _check_value(value, rows)
    problems += _check_balance(claim, ledger, rows)
    problems += _check_directions(claim, ledger, rows)
    return problems


# ---- values against rows -------------------------------------------------------------------------

def _printed_money(text: str) -> tuple[float, float] | None:
    """The amount a text prints, in US$ million, and half a unit of its last printed digit."""
    m = MONEY.search(text)
    if not m:
        return None
    digits = m.group(1).replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits) * SCALE[m.group(2)], 0.5 * 10 ** -decimals * SCALE[m.group(2)]


def _close(printed: tuple[float, float], actual: float) -> bool:
    """The printed amount is the actual one rounded to the digits it shows."""
    amount, half = printed
    return abs(amount - abs(actual)) <= half + 1e-9


def _check_value(value: dict, rows: Rows) -> list[str]:
    out = []
    table, measure, number, text = value.get("table"), value.get("measure"), value.get("number"), value.get("text", "")
    keys = value.get("rows", [])
    for key in keys:
        if key.get("source") not in rows.sources.index:
            out.append(f'value "{text}": source "{key.get("source")}" is not in sources.csv')
    if table == "trade" and measure in ("total", "exports", "imports", "balance"):
        actual = rows.trade_measure(keys[0], measure)
        if actual is None:
            return out + [f'value "{text}": no {measure} in the trade row {keys[0]}']
        if number is None or abs(number - actual) > 1e-6 * max(1.0, abs(actual)):
            out.append(f'value "{text}": the ledger says {number}, the row gives {actual:.6g}')
        printed = _printed_money(text)
        if printed is not None and not _close(printed, actual):
            out.append(f'value "{text}": prints {printed[0]:g} million, the row gives {abs(actual):.6g}')
        row = rows.trade_row(keys[0])
        if "IMF estimate" in text:
            flags = {"exports": ("exports_estimated",), "imports": ("imports_estimated",)}.get(
                measure, ("exports_estimated", "imports_estimated"))
            flag = any(row[c] is not pd.NA and not pd.isna(row[c]) and bool(row[c]) for c in flags)
            if not str(keys[0]["source"]).startswith("imf") or not bool(flag):
                out.append(f'value "{text}": labelled an IMF estimate, but the row ({keys[0]["source"]}) is not one')
    elif table == "trade" and measure in ("change", "change_from_peak"):
        first, last = (rows.trade_measure(k, "total") for k in keys[:2])
        if keys[0]["source"] != keys[1]["source"]:
            out.append(f'value "{text}": compares two sources ({keys[0]["source"]}, {keys[1]["source"]}) without saying so')
        if first and last is not None:
            pct = (last / first - 1) * 100
            word = "down" if pct < 0 else "up"
            if measure == "change" and not text.startswith(word):
                out.append(f'value "{text}": the rows give {pct:+.1f}%')
            m = PERCENT.search(text)
            if m and abs(float(m.group(1)) - abs(pct)) > max(0.06 * abs(pct), 0.6):
                out.append(f'value "{text}": the rows give {abs(pct):.1f}%')
    elif table == "trade" and measure == "rank":
        k = keys[0]
        found = rows.rank(k["reporter"], k["partner"], int(k["year"]), k["source"])
        if found is None or not text.startswith(_ordinal(found[0])):
            out.append(f'value "{text}": the trade rows rank the partner {found}')
    elif table == "statements":
        sid = keys[0]["id"]
        if sid not in rows.statements.index:
            out.append(f'value "{text}": no statement "{sid}"')
        elif number is not None and abs(float(rows.statements.loc[sid, "value"]) - number) > 1e-9:
            out.append(f'value "{text}": the statement gives {rows.statements.loc[sid, "value"]}')
        elif keys[0]["source"] != rows.statements.loc[sid, "source"]:
            out.append(f'value "{text}": cites {keys[0]["source"]}, the statement\'s source is {rows.statements.loc[sid, "source"]}')
    elif table in ("arms_transfers", "un_ideal_points", "trade_agreements") or measure == "gdp_share":
        out += check_new_value(value, rows)
    elif table == "events" and measure == "event":
        eid = keys[0]["id"]
        if eid not in rows.events.index:
            out.append(f'value "{text}": no event "{eid}"')
        elif str(rows.events.loc[eid, "date"])[:4] not in text:
            out.append(f'value "{text}": the event is dated {rows.events.loc[eid, "date"]}')
    return out


def _total(row) -> float:
    return sum(0.0 if pd.isna(row[c]) else float(row[c]) for c in ("exports_fob", "imports_cif"))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---- judgements ----------------------------------------------------------------------------------

def _year(claim: dict, text: str) -> int | None:
    stated = re.search(r"balance in (\d{4})", text)
    if stated:
        return int(stated.group(1))
    for measure in ("balance_favours", "balance", "total"):
        years = [v["year"] for v in claim.get("values", []) if v.get("measure") == measure and v.get("year")]
        if years:
            return max(years)
    found = re.findall(r"\b(?:19|20)\d\d\b", text)
    return int(found[-1]) if found else None


def _favoured(rows: Rows, reporter: str, partner: str, year: int) -> str | None:
    """The side the reporter's own records give the surplus in `year` (its main source: the IMF's first)."""
    found = rows.trade_rows(reporter, partner, year)
    if found is None:
        return None
    ex, im = found["exports_fob"], found["imports_cif"]
    if pd.isna(ex) or pd.isna(im) or ex == im:
        return None
    return reporter if ex > im else partner


def _check_balance(claim: dict, ledger: dict, rows: Rows) -> list[str]:
    """The side a balance is said to favour, against the records the sentence names (both when it
    names none)."""
    text, names = claim.get("text", ""), ledger.get("countries", {})
    if "balance" not in text and "favour" not in text:
        return []
    code_of = {name: code for code, name in names.items()}
    alt = "|".join(re.escape(n) for n in sorted(code_of, key=len, reverse=True))
    whose = rf"({alt})(?:'s|')"
    said = []   # (the reporters whose records are meant, the side said to be favoured)
    for m in re.finditer(rf"{whose} (?:figures|records) show a surplus of [^;]*? for ({alt})\b", text):
        said.append(([code_of[m.group(1)]], code_of[m.group(2)]))
    for m in re.finditer(rf"{whose} (?:figures|records) show trade roughly balanced \([^)]*? in {whose} favour\)", text):
        said.append(([code_of[m.group(1)]], code_of[m.group(2)]))
    m = re.search(rf"^By {whose} records, (?:the balance in \d{{4}} favoured|trade in \d{{4}} was roughly balanced "
                  rf"\([^)]*? in) ({alt})\b", text)
    if not said and m:
        said.append(([code_of[m.group(1)]], code_of[m.group(2)]))
    m = re.search(rf"balance (?:in \d{{4}} )?favou?r(?:s|ed|ing) ({alt})\b", text) or re.search(rf"\bin {whose} favour", text)
    if not said and m:
        said.append((list(names), code_of[m.group(1)]))
    year = _year(claim, text) if said else None
    out = []
    for reporters, side in said:
        for rep in reporters:
            partner = next(c for c in names if c != rep)
            view = _favoured(rows, rep, partner, year)
            if view != side:
                out.append(f"says the balance in {year} favours {names[side]} by {names[rep]}'s records, which "
                           f"{'favour ' + names[view] if view else 'give no balance'}")
    return out


def _check_directions(claim: dict, ledger: dict, rows: Rows) -> list[str]:
    text, names = claim.get("text", ""), ledger.get("countries", {})
    out = []
    m = re.search(r"\b(grew|fell|rose)\b.*?(?:between (\d{4}) and (\d{4})|in (\d{4}))", text)
    if m and ("by both sides' records" in text or "by both sides' figures" in text):
        start, end = (int(m.group(2)), int(m.group(3))) if m.group(2) else (int(m.group(4)) - 1, int(m.group(4)))
        up = m.group(1) in ("grew", "rose")
        for rep in names:
            partner = next(c for c in names if c != rep)
            first, last = (rows.trade_rows(rep, partner, y) for y in (start, end))
            if first is None or last is None:
                out.append(f"says trade {m.group(1)} between {start} and {end} by both sides' records, but "
                           f"{names[rep]}'s records lack one of the years")
                continue
            a, b = (_total(r) for r in (first, last))
            if (b > a) != up:
                out.append(f"says trade {m.group(1)} between {start} and {end} by both sides' records, but "
                           f"{names[rep]}'s figures go from {a:.1f} to {b:.1f}")
    if "below its peak" in text:
        peaks = [v for v in claim.get("values", []) if v.get("measure") == "total"]
        below = [v for v in claim.get("values", []) if v.get("measure") == "change_from_peak"]
        for peak, drop in zip(peaks, below):
            latest = rows.trade_measure(drop["rows"][1], "total")
            if latest is None or latest >= peak["number"]:
                out.append(f'says trade is below its peak of {peak["text"]}, but the latest figure is {latest}')
    return out
