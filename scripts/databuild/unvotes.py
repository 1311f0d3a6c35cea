"""un_ideal_points: UN General Assembly ideal points per state and session (Bailey, Strezhnev and
Voeten, June 2024 release, file IdealpointestimatesAll_Jun2024.csv).

One row per state and session: the COW state code (the source's key), an ISO3 `country`, the
session and the year it opened (1945 + session), the number of recorded votes used, the ideal
point and the quantiles of its uncertainty distribution (0, 5, 10, 50, 90, 95, 100 %), and the
share of votes on which the state voted as the USA, Russia (USSR), Brazil, China (PRC), India and
Israel did. The primary key is (country, session).

Codes (the source's iso3c is not unique and not always ISO): COW 678 Yemen Arab Republic -> YEM and
680 South Yemen -> YMD (as in memberships); CSK, DDR kept (former states in countries); COW 345
"Yugoslavia", which the source continues for Serbia, -> YUG to 2002, SCG for sessions opening
2003-2005, SRB from 2006; Germany 260 (German Federal Republic, sessions 28-45) and 255 (46-78) are
both DEU and never overlap.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .csvio import check_unique, log, plain_number, read_str_csv

FILE = "unga-ideal-points/IdealpointestimatesAll_Jun2024.csv"
SOURCE = "unga-ideal-points"
COLUMNS = ["country", "session", "year", "ccode", "name", "votes", "ideal_point", "q0", "q5", "q10",
           "q50", "q90", "q95", "q100", "agree_usa", "agree_rus", "agree_bra", "agree_chn",
           "agree_ind", "agree_isr", "source"]
RENAME = {
    "NVotesAll": "votes", "IdealPointAll": "ideal_point", "QO%All": "q0", "Q5%All": "q5",
    "Q10%All": "q10", "Q50%All": "q50", "Q90%All": "q90", "Q95%All": "q95", "Q100%All": "q100",
    "USAgree": "agree_usa", "RUSSAgree": "agree_rus", "BrazilAgree": "agree_bra",
    "ChinaAgree": "agree_chn", "IndiaAgree": "agree_ind", "IsraelAgree": "agree_isr",
    "Countryname": "name",
}
CCODE_ISO3 = {"678": "YEM", "680": "YMD"}
NUMBERS = ["ideal_point", "q0", "q5", "q10", "q50", "q90", "q95", "q100",
           "agree_usa", "agree_rus", "agree_bra", "agree_chn", "agree_ind", "agree_isr"]


def yugoslavia(year: int) -> str:
    if year <= 2002:
        return "YUG"
    return "SCG" if year <= 2005 else "SRB"


def build(sources: Path, countries: pd.DataFrame) -> pd.DataFrame:
    df = read_str_csv(sources / FILE)
    log(f"  read {FILE}: {len(df):,} rows, {df['ccode'].nunique()} states")
    df = df.rename(columns=RENAME)
    df["year"] = (df["session"].astype(int) + 1945).astype(str)
    df["country"] = [
        yugoslavia(int(y)) if c == "345" else CCODE_ISO3.get(c, iso)
        for c, iso, y in zip(df["ccode"], df["iso3c"], df["year"])]
    missing = sorted(set(df["country"]) - set(countries["iso3"]))
    if missing:
        raise SystemExit(f"{FILE}: codes missing from countries: {missing}")
    for col in NUMBERS:
        values = df[col].replace("NA", "")
        uniq = values.unique()
        df[col] = values.map(dict(zip(uniq, map(plain_number, uniq))))
    df["source"] = SOURCE
    out = df[COLUMNS]
    check_unique(out, ["country", "session"], "un_ideal_points")
    out = out.assign(_s=out["session"].astype(int))
    out = out.sort_values(["country", "_s"], kind="mergesort", ignore_index=True).drop(columns="_s")
    log(f"  un_ideal_points: {len(out):,} rows, {out['country'].nunique()} countries, "
        f"sessions {out['session'].astype(int).min()}-{out['session'].astype(int).max()}")
    return out
