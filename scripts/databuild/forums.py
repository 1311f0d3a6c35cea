"""Memberships of the forums a brief names: COW's spells corrected and carried past 2014.

COW IGO v3 (memberships built in build_data.py) ends in 2014 and has known faults for these bodies:
it starts the UN membership of Belarus and Ukraine at their 1991 independence, dates the SCO from
the Shanghai Five (1996) and every CICA member from 2006 (COW's first CICA year), knows no
observers or dialogue partners of the SCO or CICA, and leaves the Eurasian Economic Community
open although it ended with 2014. This module applies corrections, each citing a
source row in sources.csv, and then adds the status the CIA World Factbook lists (January 2026)
for (country, forum) pairs no other row covers.

Rows whose start year is only the year a source shows the status (not when it began) have
`start_known` false: the Factbook's rows carry 2026, the snapshot's year; a news item's rows the
year of the item. Factbook lists lag by years, so they never override a dated source and never
give a start year of their own.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .csvio import log, read_str_csv

FACTBOOK = "cia-factbook-organisations/factbook_io_participation_long.csv"
FACTBOOK_SOURCE = "cia-factbook-2026"
FACTBOOK_YEAR = 2026
COCO = "country-metadata/country_converter/country_data.tsv"
# Factbook token -> organisation id, for the forums a brief names.
FORUM_TOKENS = {
    "UN": "UN", "SCO": "SCO", "CICA": "CICA", "BRICS": "BRICS", "EAEU": "EAEU", "CSTO": "CSTO",
    "CIS": "CIS", "OIC": "OIC", "ECO": "ECO", "SAARC": "SAARC", "NAM": "NAM", "WTO": "WTO",
    "ASEAN": "ASEAN", "ARF": "ARF", "G-20": "G20",
}  # EAEC is left out: dissolved at the end of 2014, the Factbook still lists it
FACTBOOK_STATUS = {"member": "full", "observer": "observer", "dialogue partner": "dialogue_partner",
                   "partner": "partner"}

# Current names of forums whose COW name is abbreviated or outdated; (name, source).
NAMES = {
    "OIC": ("Organisation of Islamic Cooperation", "oic-2011-06-28-name"),
    "SAARC": ("South Asian Association for Regional Cooperation", "cow-igo"),
    "WTO": ("World Trade Organization", "cow-igo"),
    "ARF": ("ASEAN Regional Forum", FACTBOOK_SOURCE),
    "G20": ("G20", FACTBOOK_SOURCE),
}

SCO_FOUNDED, SCO_SOURCE = 2001, "prensalatina-2023-07-04-belarus-sco"
CICA_SOURCE = "chinadaily-2014-05-20-cica"
EAEC_SOURCE = "tass-2014-10-10-eaec"  # the Eurasian Economic Community ends with 2014, replaced by the EAEU
# The 16 states at the first CICA summit (2002): the Kremlin's list of members less Thailand,
# which China Daily dates to 2006 with the Republic of Korea.
CICA_2002 = ("AFG", "AZE", "CHN", "EGY", "IND", "IRN", "ISR", "KAZ", "KGZ", "MNG", "PAK", "PSE",
             "RUS", "TJK", "TUR", "UZB")
# Rows typed from sources that state them: country, organisation, status, start, end, start_known, source.
ROWS = [
    ("BLR", "SCO", "dialogue_partner", 2010, 2015, True, SCO_SOURCE),
    ("BLR", "SCO", "observer", 2015, 2024, True, SCO_SOURCE),
    ("AFG", "SCO", "observer", 2023, None, False, SCO_SOURCE),
    ("MNG", "SCO", "observer", 2023, None, False, SCO_SOURCE),
    ("ARM", "SCO", "dialogue_partner", 2023, None, False, SCO_SOURCE),
    ("AZE", "SCO", "dialogue_partner", 2023, None, False, SCO_SOURCE),
    ("KHM", "SCO", "dialogue_partner", 2023, None, False, SCO_SOURCE),
    ("NPL", "SCO", "dialogue_partner", 2023, None, False, SCO_SOURCE),
    ("LKA", "SCO", "dialogue_partner", 2023, None, False, SCO_SOURCE),
    ("TUR", "SCO", "dialogue_partner", 2023, None, False, SCO_SOURCE),
    ("KWT", "CICA", "full", 2022, None, True, "urdupoint-2022-10-13-belarus-cica"),
    ("BLR", "CICA", "observer", 2022, None, False, "urdupoint-2022-10-13-belarus-cica"),
    ("LKA", "CICA", "full", 2022, None, False, "icaf-2022-02-09-cica"),
]
# Every source this module cites: rows with these sources are rebuilt, never carried over by hand.
GENERATED = frozenset({FACTBOOK_SOURCE, SCO_SOURCE, CICA_SOURCE, EAEC_SOURCE, "country-converter", "oic-2011-06-28-name",
                       "urdupoint-2022-10-13-belarus-cica", "icaf-2022-02-09-cica"})
# Belarus and Ukraine sat in the UN from 1945 as the Byelorussian and Ukrainian SSR.
UN_FOUNDERS = ("BLR", "UKR")


def apply(mem: pd.DataFrame, orgs: pd.DataFrame, sources: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """memberships and organisations with the corrections above, then the Factbook's statuses."""
    mem = mem.copy()
    mem = _un_founders(mem, sources)
    mem = _restart(mem, "SCO", {"1996"}, SCO_FOUNDED, SCO_SOURCE)
    cica = mem["organisation"].eq("CICA") & mem["country"].isin(CICA_2002)
    mem = _restart(mem, "CICA", {"2006"}, 2002, CICA_SOURCE, only=cica)
    present = set(mem.loc[mem["organisation"] == "CICA", "country"])
    typed = [(c, "CICA", "full", 2002, None, True, CICA_SOURCE) for c in CICA_2002 if c not in present]
    mem = _add(mem, typed + ROWS)
    eaec = (mem["organisation"] == "EAEC") & (mem["end_year"].astype(str) == "")
    log(f"  EAEC: {int(eaec.sum())} open spells end in 2014 ({EAEC_SOURCE})")
    mem.loc[eaec, ["end_year", "source"]] = ["2014", EAEC_SOURCE]
    mem = _factbook(mem, sources)
    orgs = _names(orgs)
    return mem, orgs


def _un_founders(mem: pd.DataFrame, sources: Path) -> pd.DataFrame:
    coco = read_str_csv(sources / COCO, sep="\t")
    joined = dict(zip(coco["ISO3"], coco["UNmember"]))
    for code in UN_FOUNDERS:
        if joined.get(code) != "1945":
            raise SystemExit(f"country_converter gives {code} UN membership {joined.get(code)!r}, not 1945")
        sel = (mem["country"] == code) & (mem["organisation"] == "UN") & (mem["status"] == "full")
        if sel.sum() != 1:
            raise SystemExit(f"expected one COW UN spell for {code}, found {int(sel.sum())}")
        log(f"  {code} UN: start {mem.loc[sel, 'start_year'].iloc[0]} -> 1945 (country-converter UNmember)")
        mem.loc[sel, ["start_year", "source"]] = [1945, "country-converter"]
    un = mem[(mem["organisation"] == "UN") & (mem["status"] == "full")]
    first = un.groupby("country")["start_year"].min()
    differ = [f"{c} {first[c]}/{joined[c]}" for c in first.index
              if joined.get(c, "").isdigit() and int(joined[c]) != int(first[c])]
    if differ:
        log(f"  UN start years that differ between COW and country_converter (kept as COW): {', '.join(differ)}")
    return mem


def _restart(mem, org, old_starts, year, source, only=None) -> pd.DataFrame:
    sel = (mem["organisation"] == org) & mem["start_year"].astype(str).isin(old_starts)
    if only is not None:
        sel &= only
    log(f"  {org}: {int(sel.sum())} spells starting {'/'.join(sorted(old_starts))} start in {year} ({source})")
    mem.loc[sel, ["start_year", "source"]] = [year, source]
    return mem


def _add(mem: pd.DataFrame, rows: list[tuple]) -> pd.DataFrame:
    new = pd.DataFrame([{
        "country": c, "organisation": o, "status": s, "start_year": start,
        "end_year": "" if end is None else str(end), "source": src,
        "start_known": "true" if known else "false"} for c, o, s, start, end, known, src in rows])
    key = ["country", "organisation", "status", "start_year"]
    clash = pd.MultiIndex.from_frame(mem[key].astype(str)).isin(pd.MultiIndex.from_frame(new[key].astype(str)))
    if clash.any():
        log(f"  typed rows replace {int(clash.sum())} rows with the same key")
    return pd.concat([mem[~clash], new], ignore_index=True)


def _factbook(mem: pd.DataFrame, sources: Path) -> pd.DataFrame:
    fb = read_str_csv(sources / FACTBOOK)
    fb = fb[fb["organisation"].isin(FORUM_TOKENS) & fb["status"].isin(FACTBOOK_STATUS) & (fb["iso3"] != "")]
    fb = fb.assign(org=fb["organisation"].map(FORUM_TOKENS), st=fb["status"].map(FACTBOOK_STATUS))
    covered = set(zip(mem["country"], mem["organisation"]))
    known = set(read_str_csv(sources / "country-metadata/data/country-codes.csv")["ISO3166-1-Alpha-3"])
    rows, lagging = [], []
    for c, o, s in fb[["iso3", "org", "st"]].drop_duplicates().itertuples(index=False):
        if (c, o) in covered:
            current = mem[(mem["country"] == c) & (mem["organisation"] == o) & (mem["end_year"].astype(str) == "")]
            if s not in set(current["status"]):
                lagging.append(f"{c} {o} {s}")
            continue
        if c in known:
            rows.append((c, o, s, FACTBOOK_YEAR, None, False, FACTBOOK_SOURCE))
    if lagging:
        log(f"  Factbook statuses that differ from dated rows (dated rows kept): {', '.join(sorted(lagging))}")
    listed = set(zip(fb["iso3"], fb["org"]))
    profiles = set(fb["iso3"])
    open_spells = mem[(mem["end_year"].astype(str) == "") & mem["organisation"].isin(set(FORUM_TOKENS.values()))
                      & mem["country"].isin(profiles)]
    unlisted = sorted({f"{c} {o}" for c, o in zip(open_spells["country"], open_spells["organisation"])
                       if (c, o) not in listed})
    if unlisted:
        log(f"  open spells the Factbook does not list in 2026 (an exit after 2014? kept: no dated source here): "
            f"{', '.join(unlisted)}")
    log(f"  Factbook (Jan 2026): {len(rows)} statuses added for (country, forum) pairs no other row covers")
    return _add(mem, rows)


def _names(orgs: pd.DataFrame) -> pd.DataFrame:
    orgs = orgs.copy()
    for org_id, (name, source) in NAMES.items():
        if org_id in set(orgs["id"]):
            orgs.loc[orgs["id"] == org_id, ["name", "source"]] = [name, source]
        else:
            orgs = pd.concat([orgs, pd.DataFrame([{"id": org_id, "name": name, "source": source}])],
                             ignore_index=True)
    return orgs.sort_values("id", kind="mergesort", ignore_index=True)
