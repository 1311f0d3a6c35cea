"""trade_agreements and trade_agreement_members: preferential trade agreements from DESTA.

Source: desta-trade-agreements/DESTA_list_of_treaties_raw.csv, the DESTA list of treaties (codebook
v2.0) as kept in manytrade's data-raw: one `;`-separated row per entry (base treaty, negotiation,
protocol or amendment, consolidated text, accession, withdrawal), years only, members as ISO
numeric codes in c1..c91 with their role in mc1..mc91.

trade_agreements: one row per base treaty, negotiation and protocol (consolidated texts repeat a
protocol and are left out); `base_treaty` is the id of the entry that founded the agreement, so
protocols point to their treaty. `kind` is DESTA's typememb (bilateral, plurilateral, plurilateral
with a third country, region-region); signature and entry-into-force years are DESTA's (empty for
negotiations, and for entries not known to be in force).

trade_agreement_members: one row per membership spell of a state in an agreement (keyed by the
founding entry's id): the signatories of the founding entry (how "signatory", or "negotiating" for
a negotiation) from its signature year, states that accede later from the accession's year (the
states an accession entry lists that are not members yet), and withdrawals closing a spell
(`exit_year`; the withdrawing states are those whose mc is 1). DESTA_MEM (manytrade) is not used:
it drops the entry type, so withdrawals look like memberships there.

Codes: ISO numeric -> ISO3 through countries.m49, with 530 Netherlands Antilles -> ANT and DESTA's
900 Kosovo -> XKX.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .csvio import check_unique, log, read_str_csv

FILE = "desta-trade-agreements/DESTA_list_of_treaties_raw.csv"
SOURCE = "desta"
AGREEMENT_COLUMNS = ["id", "base_treaty", "name", "entry_type", "kind", "region", "signature_year",
                     "in_force_year", "wto_listed", "source"]
MEMBER_COLUMNS = ["agreement", "country", "spell", "entry_year", "exit_year", "how", "source"]
KINDS = {"1": "bilateral", "2": "plurilateral", "3": "plurilateral_third_country", "4": "region_region",
         "5": "accession", "6": "accession"}  # DESTA typememb; 5/6 only on a negotiated accession
ENTRY_TYPES = {"base_treaty": "base_treaty", "negotiation": "negotiation", "protocol or amendment": "protocol"}
EXTRA_CODES = {"530": "ANT", "900": "XKX"}
SLOTS = range(1, 92)


def _year(text: str) -> str:
    return text if text.isdigit() and len(text) == 4 else ""


def build(sources: Path, countries: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = read_str_csv(sources / FILE, sep=";")
    log(f"  read {FILE}: {len(raw):,} entries, {raw['base_treaty'].nunique()} base treaties")
    by_m49 = {m.lstrip("0"): iso for m, iso in zip(countries["m49"], countries["iso3"]) if m}
    by_m49.update(EXTRA_CODES)
    unmapped: set[str] = set()

    def members(row) -> list[tuple[str, str]]:
        out = []
        for i in SLOTS:
            code = row[f"c{i}"]
            if code in ("", "NA"):
                continue
            iso = by_m49.get(code.lstrip("0"))
            if iso is None:
                unmapped.add(code)
                continue
            out.append((iso, row[f"mc{i}"]))
        return out

    raw["_order"] = range(len(raw))
    raw["_year"] = raw["year"].map(lambda y: int(y) if _year(y) else 9999)
    founding: dict[str, str] = {}
    for base, group in raw[raw["entry_type"].isin(ENTRY_TYPES)].groupby("base_treaty", sort=False):
        own = group[group["number"] == base]
        first = own.iloc[0] if len(own) else group.sort_values(["_year", "_order"]).iloc[0]
        founding[base] = "desta-" + first["number"]

    agreements = raw[raw["entry_type"].isin(ENTRY_TYPES)]
    table = pd.DataFrame({
        "id": "desta-" + agreements["number"],
        "base_treaty": agreements["base_treaty"].map(founding),
        "name": agreements["name"].str.strip(),
        "entry_type": agreements["entry_type"].map(ENTRY_TYPES),
        "kind": agreements["typememb"].map(KINDS).fillna(""),
        "region": agreements["regioncon"].replace("NA", ""),
        "signature_year": agreements["year"].map(_year),
        "in_force_year": agreements["entryforceyear"].map(_year),
        "wto_listed": agreements["wto_listed"].map({"1": "true", "0": "false"}).fillna(""),
        "source": SOURCE,
    })[AGREEMENT_COLUMNS]

    spells: dict[tuple[str, str], list[dict]] = {}
    order = raw.sort_values(["_year", "_order"], kind="mergesort")
    for _, row in order.iterrows():
        base = founding.get(row["base_treaty"])
        if base is None:
            continue
        kind = row["entry_type"]
        year = _year(row["year"])
        if "desta-" + row["number"] == base:
            how = "negotiating" if kind == "negotiation" else "signatory"
            for iso, _ in members(row):
                spells.setdefault((base, iso), []).append({"entry_year": year, "exit_year": "", "how": how})
        elif kind == "accession":
            for iso, _ in members(row):
                current = spells.get((base, iso))
                if not current or current[-1]["exit_year"]:
                    spells.setdefault((base, iso), []).append({"entry_year": year, "exit_year": "", "how": "accession"})
        elif kind == "withdrawal":
            for iso, role in members(row):
                current = spells.get((base, iso))
                if role == "1" and current and not current[-1]["exit_year"]:
                    current[-1]["exit_year"] = year
    rows = [{"agreement": base, "country": iso, "spell": str(i + 1), **spell, "source": SOURCE}
            for (base, iso), items in spells.items() for i, spell in enumerate(items)]
    mem = pd.DataFrame(rows, columns=MEMBER_COLUMNS)
    if unmapped:
        log(f"  WARNING DESTA codes not in countries.m49, left out: {sorted(unmapped, key=int)}")
    check_unique(table, ["id"], "trade_agreements")
    check_unique(mem, ["agreement", "country", "spell"], "trade_agreement_members")
    table = table.sort_values("id", kind="mergesort", ignore_index=True)
    mem = mem.assign(_s=mem["spell"].astype(int))
    mem = mem.sort_values(["agreement", "country", "_s"], kind="mergesort", ignore_index=True).drop(columns="_s")
    log(f"  trade_agreements: {len(table):,} entries ({(table['entry_type'] == 'base_treaty').sum()} base "
        f"treaties); trade_agreement_members: {len(mem):,} spells, "
        f"{(mem['exit_year'] != '').sum()} ended by a withdrawal")
    return table, mem

