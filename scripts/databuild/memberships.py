"""organisations and memberships from Correlates of War IGO v3, and the hand-entered rows kept across builds.

COW spells (cow-igo-v3/igo_membership_spells_1816_2014.csv) become rows of memberships with status
full / associate / observer; an end year of 2014 (the data's last) is written empty, "still a
member". Rows of the existing files whose source is neither COW nor one the build itself writes
(`generated`) were entered by hand: they are read before the files are rewritten and merged back.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .csvio import log, read_str_csv

ORG_COLUMNS = ["id", "name", "source"]
MEMBERSHIP_COLUMNS = ["country", "organisation", "status", "start_year", "end_year", "start_known", "source"]

# COW's iso3 column was added by name matching with country_converter, which maps
# two former states onto their successors. That is wrong for a by-ISO3 table and,
# for Yemen, makes the primary key non-unique (COW 678 Yemen Arab Republic and
# 680 Yemen People's Republic both -> YEM with the same spells, e.g. OIC 1969-1989).
# Use the ISO 3166-3 codes of the former states instead (the IMF data use them too).
# COW 678 (North Yemen) keeps YEM: ISO's YEM was North Yemen's code before 1990.
COW_ISO3_OVERRIDES = {
    "315": "CSK",  # Czechoslovakia (COW gives CZE)
    "680": "YMD",  # Yemen People's Republic / South Yemen (COW gives YEM)
}
COW_LAST_YEAR = 2014  # end_year == 2014 means "still a member when the data end"
COW_SOURCE = "cow-igo"  # rows with any other source were entered by hand and are carried over


def build_memberships(sources: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Return organisations, memberships and {iso3: COW state name} of the states kept."""
    spells = read_str_csv(sources / "cow-igo-v3" / "igo_membership_spells_1816_2014.csv")
    log(f"  read igo_membership_spells: {len(spells):,} rows")
    for ccode, iso3 in COW_ISO3_OVERRIDES.items():
        sel = spells["ccode"] == ccode
        if sel.any():
            name = spells.loc[sel, "statenme"].iloc[0]
            old = spells.loc[sel, "iso3"].iloc[0]
            log(f"  COW {ccode} {name}: iso3 {old or '(empty)'} -> {iso3} ({int(sel.sum())} spells)")
            spells.loc[sel, "iso3"] = iso3
    empty = spells[spells["iso3"] == ""]
    dropped = empty.groupby("statenme").size()
    log(f"  dropped {len(empty):,} spells of states without ISO3: "
        + ", ".join(f"{k} ({v})" for k, v in dropped.items()))
    spells = spells[spells["iso3"] != ""].copy()
    bad = ~spells["status"].isin(["full", "associate", "observer"])
    if bad.any():
        raise SystemExit(f"unexpected status values: {sorted(spells.loc[bad, 'status'].unique())}")

    start = spells["start_year"].astype(int)
    end = spells["end_year"].astype(int)
    if (end < start).any():
        raise SystemExit("spells ending before they start")
    mem = pd.DataFrame({
        "country": spells["iso3"],
        "organisation": spells["ioname"],
        "status": spells["status"],
        "start_year": start,
        "end_year": end.map(lambda y: "" if y == COW_LAST_YEAR else str(y)),
        "start_known": "true",
        "source": COW_SOURCE,
    })
    pk = ["country", "organisation", "status", "start_year"]
    dup = mem.duplicated(pk, keep=False)
    if dup.any():
        log(f"  WARNING memberships: {int(dup.sum())} spells share a primary key; "
            "keeping the one with the latest end")
        log(mem[dup].sort_values(pk).to_string(index=False))
        mem["_end"] = end.where(end != COW_LAST_YEAR, 10_000)
        mem = mem.sort_values(pk + ["_end"], ascending=[True] * 4 + [False])
        mem = mem.drop_duplicates(pk, keep="first").drop(columns="_end")
    else:
        log("  memberships: primary key (country, organisation, status, start_year) is unique")
    mem = mem.sort_values(pk, kind="mergesort", ignore_index=True)[MEMBERSHIP_COLUMNS]

    orgs = spells[["ioname", "orgname"]].drop_duplicates()
    if orgs["ioname"].duplicated().any():
        raise SystemExit("an IGO abbreviation has two names")
    orgs = pd.DataFrame({"id": orgs["ioname"], "name": orgs["orgname"].str.strip(), "source": COW_SOURCE})
    orgs = orgs[orgs["id"].isin(set(mem["organisation"]))]
    orgs = orgs.sort_values("id", kind="mergesort", ignore_index=True)[ORG_COLUMNS]
    states = spells[["iso3", "statenme"]].drop_duplicates("iso3")
    return orgs, mem, dict(zip(states["iso3"], states["statenme"]))


def hand_rows(path: Path, columns: list[str], generated: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Rows of an existing table whose source is neither COW nor `generated`: entered by hand, to be kept.

    A memberships file written before the start_known column existed is read with start_known true.
    """
    if not path.exists():
        return pd.DataFrame(columns=columns)
    old = read_str_csv(path)
    if "start_known" in columns and "start_known" not in old.columns:
        old.insert(columns.index("start_known"), "start_known", "true")
    if list(old.columns) != columns:
        raise SystemExit(f"{path.name}: columns {list(old.columns)} differ from {columns}; "
                         "cannot carry hand-entered rows over")
    hand = old[(old["source"] != COW_SOURCE) & ~old["source"].isin(generated)].reset_index(drop=True)
    if (hand["source"] == "").any():
        raise SystemExit(f"{path.name}: hand-entered rows without a source")
    return hand


def merge_hand_rows(built: pd.DataFrame, hand: pd.DataFrame, key: list[str], what: str) -> pd.DataFrame:
    """Add hand-entered rows to a table built from COW, sorted by `key` as the build sorts.

    A hand row whose key is also a built row replaces it (it was typed in to correct or
    extend the data); the replacement is logged. Integer key columns (start_year) are
    compared and sorted as integers.
    """
    if hand.empty:
        log(f"  {what}: no hand-entered rows")
        return built
    hand = hand.copy()
    for col in key:
        if pd.api.types.is_integer_dtype(built[col]):
            bad = ~hand[col].str.fullmatch(r"\d+")
            if bad.any():
                raise SystemExit(f"{what}: hand-entered rows with a non-integer {col}:\n"
                                 + hand[bad].to_string(index=False))
            hand[col] = hand[col].astype(int)
    if hand.duplicated(key).any():
        raise SystemExit(f"{what}: hand-entered rows share a primary key:\n"
                         + hand[hand.duplicated(key, keep=False)].to_string(index=False))
    keys = pd.MultiIndex.from_frame(hand[key])
    clash = pd.MultiIndex.from_frame(built[key]).isin(keys)
    if clash.any():
        log(f"  WARNING {what}: {int(clash.sum())} hand-entered rows replace built rows with the same key:")
        log(built[clash].to_string(index=False))
    merged = pd.concat([built[~clash], hand[built.columns]], ignore_index=True)
    merged = merged.sort_values(key, kind="mergesort", ignore_index=True)
    log(f"  {what}: kept {len(hand)} hand-entered rows -> {len(merged):,} rows")
    return merged
