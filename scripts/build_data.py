"""Build the tables of the briefkit data package from the shared public datasets.

Inputs (under --sources, default ../shared/data-sources next to the repo):
  imf-dots-2022/       IMF Direction of Trade Statistics, tidy long files
  country-metadata/    datasets/country-codes CSV and country_converter's country_data.tsv
  cow-igo-v3/          Correlates of War IGO v3 membership spells
  worldbank-population-gdp/  World Bank WDI total population and GDP (current US$), datahub copies
  sipri-arms-transfers/      SIPRI Arms Transfers Database trade register and a name -> ISO3 table
  unga-ideal-points/         UNGA ideal points (Bailey, Strezhnev & Voeten, June 2024)
  desta-trade-agreements/    DESTA list of treaties (with accessions and withdrawals)
  cia-factbook-organisations/  CIA World Factbook organisation participation, January 2026

Outputs (in data/):
  countries.csv      ISO3 codes, names, capitals (+ former states used by trade/COW data)
  trade.csv.gz       bilateral exports FOB / imports CIF per reporter, partner, year (US$ million)
  trade_totals.csv   each country reporter's trade with the "World" partner
  organisations.csv  IGOs that appear in memberships (COW ioname / orgname)
  memberships.csv    spells of a country's status in an IGO
  indicators.csv     population and GDP (current US$) per country and year, World Bank
                     aggregates (regions, income groups) left out
  arms_transfers.csv.gz       SIPRI deals (scripts/databuild/arms.py)
  un_ideal_points.csv         ideal points per country and UNGA session (databuild/unvotes.py)
  trade_agreements.csv, trade_agreement_members.csv  DESTA (databuild/agreements.py)
The forums a brief names get corrected and post-2014 memberships in databuild/forums.py.

Hand-entered rows: COW data end in 2014, so later facts (SCO enlargements, the EAEU,
BRICS) are typed into organisations.csv and memberships.csv by hand, each citing its
own source. Rows of the existing files whose source is neither `cow-igo` nor one that
databuild/forums.py writes are read before the files are rewritten and merged into the
rebuilt tables, so a rebuild keeps them.

The build is deterministic: rows are sorted, numbers are formatted with a fixed
rule and the gzip header carries no timestamp or file name, so two runs give
byte-identical files.

Usage: python scripts/build_data.py [--sources PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from databuild import agreements, arms, forums, unvotes  # noqa: E402
from databuild.csvio import check_unique, log, plain_number, read_str_csv, write_csv, write_csv_gz  # noqa: E402
from databuild.memberships import (MEMBERSHIP_COLUMNS, ORG_COLUMNS, build_memberships,  # noqa: E402,F401
                                   hand_rows, merge_hand_rows)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = REPO_ROOT.parent / "shared" / "data-sources"
DEFAULT_OUT = REPO_ROOT / "data"

DOTS_FILES = (  # order matters: on a conflict the first file's value is kept
    "imf-dots-2022/dots_bilateral_annual_2000_2020.csv.gz",
    "imf-dots-2022/dots_focus_countries_1960_2020.csv.gz",
)
WORLD = "World"  # IMF name of the world aggregate partner
FLOWS = ("exports_fob", "imports_cif")

COUNTRY_COLUMNS = ["iso3", "iso2", "m49", "name", "formal_name", "adjective", "capital", "current", "source"]
TRADE_COLUMNS = ["reporter", "partner", "year", "exports_fob", "exports_estimated",
                 "imports_cif", "imports_estimated", "source"]
TOTALS_COLUMNS = ["reporter", "year", "exports_fob", "exports_estimated",
                  "imports_cif", "imports_estimated", "source"]
INDICATOR_COLUMNS = ["country", "year", "indicator", "value", "source"]
INDICATOR_KEY = ["country", "indicator", "year"]

# World Bank WDI files (long: Country Name, Country Code, Year, Value):
# indicator name in indicators.csv -> (file under the sources folder, source id).
WB_FILES = {
    "population": ("worldbank-population-gdp/population/data/population.csv", "wb-population"),
    "gdp_usd": ("worldbank-population-gdp/gdp/data/gdp.csv", "wb-gdp"),
}
WB_YEARS = (1960, 2030)  # the schema's year range
# Codes of World Bank aggregates (regions, income and lending groups, demographic
# dividend groups, ...) in these files. They are not countries and are left out; any
# other code missing from countries.csv is logged as unmatched and left out too.
WB_AGGREGATES = frozenset("""
    AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX
    LAC LCN LDC LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST
    TEA TEC TLA TMN TSA TSS UMC WLD
""".split())

# Demonyms for the focus countries only; everything else is left empty.
ADJECTIVES = {
    "PAK": "Pakistani", "BLR": "Belarusian", "RUS": "Russian", "CHN": "Chinese",
    "IND": "Indian", "IRN": "Iranian", "AFG": "Afghan", "KAZ": "Kazakh",
    "UZB": "Uzbek", "TUR": "Turkish", "USA": "American",
}

# Kazakhstan: country-codes.csv (geonames) still gives "Nur-Sultan"; the city was
# renamed back to Astana in September 2022.
CAPITAL_OVERRIDES = {"KAZ": "Astana"}

# Codes used by the IMF or COW data that are not in country-codes.csv:
# readable name, formal name, and whether the entity still exists.
EXTRA_COUNTRIES = {
    "ANT": ("Netherlands Antilles", "Netherlands Antilles", False),
    "CSK": ("Czechoslovakia", "Czechoslovak Socialist Republic", False),
    "DDR": ("East Germany", "German Democratic Republic", False),
    "SCG": ("Serbia and Montenegro", "State Union of Serbia and Montenegro", False),
    "SUN": ("USSR", "Union of Soviet Socialist Republics", False),
    "XKX": ("Kosovo", "Republic of Kosovo", True),
    "YMD": ("South Yemen", "People's Democratic Republic of Yemen", False),
    "YUG": ("Yugoslavia", "Socialist Federal Republic of Yugoslavia", False),
}



def bool_text(flag: str) -> str:
    return {"1": "true", "0": "false", "": ""}[flag]


# --------------------------------------------------------------------------- trade

def load_dots(sources: Path) -> pd.DataFrame:
    parts = []
    for rel in DOTS_FILES:
        df = read_str_csv(sources / rel)
        log(f"  read {rel}: {len(df):,} rows")
        parts.append(df)
    dots = pd.concat(parts, ignore_index=True)
    before = len(dots)
    dots = dots.drop_duplicates(ignore_index=True)
    log(f"  union {before:,} rows, {before - len(dots):,} exact duplicates dropped -> {len(dots):,}")
    bad = ~dots["estimated"].isin(["0", "1"])
    if bad.any():
        raise SystemExit(f"unexpected estimated flags: {sorted(dots.loc[bad, 'estimated'].unique())}")
    if not dots["flow"].isin(FLOWS).all():
        raise SystemExit(f"unexpected flows: {sorted(set(dots['flow']) - set(FLOWS))}")
    values = pd.to_numeric(dots["value_usd_millions"], errors="raise")
    if (values < 0).any():
        raise SystemExit(f"{int((values < 0).sum())} negative trade values")
    return dots


def resolve_conflicts(df: pd.DataFrame, key: list[str], what: str) -> pd.DataFrame:
    """Keep one row per key. Rows are in source order (all-pairs file first, then the
    focus file, each in file order); the first row of a conflicting key is kept."""
    dup = df.duplicated(key, keep=False)
    if dup.any():
        n_keys = df.loc[dup, key].drop_duplicates().shape[0]
        log(f"  WARNING {what}: {n_keys:,} keys with conflicting values "
            f"({int(dup.sum()):,} rows); keeping the first in source order")
        df = df.drop_duplicates(key, keep="first")
    else:
        log(f"  {what}: no conflicting values for the same key")
    return df


def widen(df: pd.DataFrame, index: list[str]) -> pd.DataFrame:
    """Long (one row per flow) -> wide (exports_fob/imports_cif + estimated flags)."""
    out = None
    for flow in FLOWS:
        part = df.loc[df["flow"] == flow, index + ["value_usd_millions", "estimated"]]
        part = part.rename(columns={"value_usd_millions": flow,
                                    "estimated": flow.split("_")[0] + "_estimated"})
        out = part if out is None else out.merge(part, on=index, how="outer")
    out = out.fillna("")
    for flow in FLOWS:
        flag = flow.split("_")[0] + "_estimated"
        uniq = out[flow].unique()
        out[flow] = out[flow].map(dict(zip(uniq, map(plain_number, uniq))))
        out[flag] = out[flag].map(bool_text)
    out["year"] = out["year"].astype(int)
    out = out.sort_values(index, kind="mergesort", ignore_index=True)
    out["source"] = "imf-dots"
    return out


def build_trade(dots: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    key = ["reporter_iso3", "partner_iso3", "year", "flow"]
    both = dots[(dots["reporter_iso3"] != "") & (dots["partner_iso3"] != "")]
    log(f"  rows with both reporter and partner ISO3: {len(both):,} "
        f"(dropped {len(dots) - len(both):,} aggregate / unmapped rows)")
    self_rows = both["reporter_iso3"] == both["partner_iso3"]
    if self_rows.any():
        log(f"  dropped {int(self_rows.sum()):,} rows with reporter == partner")
        both = both[~self_rows]
    both = resolve_conflicts(both, key, "trade")
    both = both.drop(columns=["reporter", "partner"]).rename(
        columns={"reporter_iso3": "reporter", "partner_iso3": "partner"})
    trade = widen(both, ["reporter", "partner", "year"])[TRADE_COLUMNS]

    world = dots[(dots["reporter_iso3"] != "") & (dots["partner"] == WORLD)]
    if world.empty:
        raise SystemExit(f"no rows with partner == {WORLD!r}")
    world = resolve_conflicts(world, ["reporter_iso3", "year", "flow"], "trade_totals")
    world = world.drop(columns=["reporter"]).rename(columns={"reporter_iso3": "reporter"})
    totals = widen(world, ["reporter", "year"])[TOTALS_COLUMNS]
    return trade, totals


# ----------------------------------------------------------------------- countries

def readable_name(name: str) -> str:
    """'Kosovo, Rep. of' -> 'Kosovo' (fallback for codes not in EXTRA_COUNTRIES)."""
    return re.sub(r",\s*(Rep\.|Republic|Islamic Rep\.|People's Dem\. Rep\.)( of)?$", "", name).strip()


def build_countries(sources: Path, dots: pd.DataFrame, spells_codes: dict[str, str]) -> pd.DataFrame:
    meta = sources / "country-metadata"
    cc = read_str_csv(meta / "data" / "country-codes.csv")
    coco = read_str_csv(meta / "country_converter" / "country_data.tsv", sep="\t")
    short = dict(zip(coco["ISO3"], coco["name_short"]))
    cc = cc[cc["ISO3166-1-Alpha-3"] != ""]
    if cc["ISO3166-1-Alpha-3"].duplicated().any():
        raise SystemExit("duplicate ISO3 in country-codes.csv")

    rows = []
    for r in cc.to_dict("records"):
        iso3 = r["ISO3166-1-Alpha-3"]
        m49 = r["M49"]
        rows.append({
            "iso3": iso3,
            "iso2": r["ISO3166-1-Alpha-2"],
            "m49": m49.zfill(3) if m49 else "",
            "name": short.get(iso3) or r["CLDR display name"],
            "formal_name": r["official_name_en"] or r["UNTERM English Formal"],
            "adjective": ADJECTIVES.get(iso3, ""),
            "capital": CAPITAL_OVERRIDES.get(iso3, r["Capital"]),
            "current": "true",
            "source": "country-codes",
        })
    known = {row["iso3"] for row in rows}

    # Codes used in the IMF data (either side) or COW data but not in country-codes.csv.
    imf_names: dict[str, str] = {}
    for side in ("reporter", "partner"):
        pairs = dots[[side, side + "_iso3"]].drop_duplicates()
        for name, iso3 in pairs.itertuples(index=False):
            if iso3:
                imf_names.setdefault(iso3, name)
    extra = sorted((set(imf_names) | set(spells_codes)) - known)
    for iso3 in extra:
        source = "imf-dots" if iso3 in imf_names else "cow-igo"
        raw_name = imf_names.get(iso3) or spells_codes[iso3]
        if iso3 in EXTRA_COUNTRIES:
            name, formal, current = EXTRA_COUNTRIES[iso3]
        else:
            name, formal, current = readable_name(raw_name), raw_name, False
            log(f"  WARNING: {iso3} ({raw_name}) not in EXTRA_COUNTRIES; assuming a former state")
        rows.append({
            "iso3": iso3, "iso2": "", "m49": "", "name": name, "formal_name": formal,
            "adjective": "", "capital": "", "current": "true" if current else "false",
            "source": source,
        })
        log(f"  added {iso3} {name!r} (source {source}, {'source name ' + repr(raw_name)}, "
            f"current={'true' if current else 'false'})")
    countries = pd.DataFrame(rows, columns=COUNTRY_COLUMNS)
    return countries.sort_values("iso3", kind="mergesort", ignore_index=True)


# ---------------------------------------------------------------------- indicators

def integer_text(text: str) -> str:
    """'247504495' -> '247504495'; a value with a fraction is an error (population is a count)."""
    value = Decimal(text)
    if value != value.to_integral_value():
        raise SystemExit(f"population value {text!r} is not an integer")
    return str(int(value))


def build_indicators(sources: Path, countries: pd.DataFrame) -> pd.DataFrame:
    """Population and GDP rows of the World Bank files whose code is a country."""
    known = set(countries["iso3"])
    clash = sorted(WB_AGGREGATES & known)
    if clash:
        raise SystemExit(f"World Bank aggregate codes are also country codes: {clash}")
    parts = []
    dropped_aggregates: set[str] = set()
    unmatched: dict[str, str] = {}
    for indicator, (rel, source) in WB_FILES.items():
        df = read_str_csv(sources / rel)
        log(f"  read {rel}: {len(df):,} rows, {df['Country Code'].nunique()} codes")
        if list(df.columns) != ["Country Name", "Country Code", "Year", "Value"]:
            raise SystemExit(f"{rel}: unexpected columns {list(df.columns)}")
        empty = df["Value"] == ""
        if empty.any():
            log(f"  {rel}: {int(empty.sum())} rows without a value dropped")
            df = df[~empty]
        codes = df["Country Code"]
        aggregate = codes.isin(WB_AGGREGATES)
        dropped_aggregates |= set(codes[aggregate])
        other = ~aggregate & ~codes.isin(known)
        for code, name in df.loc[other, ["Country Code", "Country Name"]].drop_duplicates().itertuples(index=False):
            unmatched.setdefault(code, name)
        df = df[~aggregate & ~other]
        if not df["Year"].str.fullmatch(r"\d{4}").all():
            raise SystemExit(f"{rel}: years that are not four digits")
        years = df["Year"].astype(int)
        if not years.between(*WB_YEARS).all():
            raise SystemExit(f"{rel}: years outside {WB_YEARS[0]}-{WB_YEARS[1]}: "
                             f"{sorted(set(years[~years.between(*WB_YEARS)]))}")
        numbers = pd.to_numeric(df["Value"], errors="raise")
        if (numbers < 0).any():
            raise SystemExit(f"{rel}: {int((numbers < 0).sum())} negative values")
        fmt = integer_text if indicator == "population" else plain_number
        parts.append(pd.DataFrame({
            "country": df["Country Code"],
            "year": years,
            "indicator": indicator,
            "value": df["Value"].map(fmt),
            "source": source,
        }))
    log(f"  dropped {len(dropped_aggregates)} World Bank aggregate codes: {' '.join(sorted(dropped_aggregates))}")
    if unmatched:
        log(f"  WARNING: codes that are not aggregates but are missing from countries, dropped ({len(unmatched)}): "
            + ", ".join(f"{code} ({name})" for code, name in sorted(unmatched.items())))
    out = pd.concat(parts, ignore_index=True)
    if out.duplicated(INDICATOR_KEY).any():
        raise SystemExit("indicators: a country has two values for the same indicator and year:\n"
                         + out[out.duplicated(INDICATOR_KEY, keep=False)].to_string(index=False))
    out = out.sort_values(INDICATOR_KEY, kind="mergesort", ignore_index=True)[INDICATOR_COLUMNS]
    for indicator in WB_FILES:
        sel = out[out["indicator"] == indicator]
        log(f"  {indicator}: {len(sel):,} rows, {sel['country'].nunique()} countries, "
            f"{sel['year'].min()}-{sel['year'].max()}")
    return out


# ---------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                    help=f"shared data-sources folder (default {DEFAULT_SOURCES})")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help=f"output folder (default {DEFAULT_OUT})")
    args = ap.parse_args(argv)
    sources, out = args.sources.resolve(), args.out.resolve()
    if not sources.is_dir():
        raise SystemExit(f"sources folder not found: {sources}")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()

    log("IMF DOTS")
    dots = load_dots(sources)
    trade, totals = build_trade(dots)

    log("COW IGO")
    orgs, mem, cow_codes = build_memberships(sources)
    log("hand-entered organisations and memberships")
    orgs = merge_hand_rows(orgs, hand_rows(out / "organisations.csv", ORG_COLUMNS, forums.GENERATED),
                           ["id"], "organisations")
    mem = merge_hand_rows(mem, hand_rows(out / "memberships.csv", MEMBERSHIP_COLUMNS, forums.GENERATED),
                          ["country", "organisation", "status", "start_year"], "memberships")
    log("forums: corrections, post-2014 spells, Factbook statuses")
    mem, orgs = forums.apply(mem, orgs, sources)
    mem = mem.assign(start_year=mem["start_year"].astype(int))
    mem = mem.sort_values(["country", "organisation", "status", "start_year"], kind="mergesort",
                          ignore_index=True)[MEMBERSHIP_COLUMNS]
    unknown = sorted(set(mem["organisation"]) - set(orgs["id"]))
    if unknown:
        raise SystemExit(f"memberships name organisations missing from organisations.csv: {unknown}")

    log("countries")
    countries = build_countries(sources, dots, cow_codes)

    log("World Bank indicators")
    indicators = build_indicators(sources, countries)

    log("SIPRI arms transfers")
    arms_transfers = arms.build(sources, countries)
    log("UNGA ideal points")
    ideal_points = unvotes.build(sources, countries)
    log("DESTA trade agreements")
    agreement_table, agreement_members = agreements.build(sources, countries)

    # Every code used elsewhere must be a country.
    known = set(countries["iso3"])
    used = (set(trade["reporter"]) | set(trade["partner"]) | set(totals["reporter"])
            | set(mem["country"]) | set(indicators["country"]) | set(ideal_points["country"])
            | set(agreement_members["country"])
            | (set(arms_transfers["supplier"]) | set(arms_transfers["recipient"])) - {""})
    missing = sorted(used - known)
    if missing:
        raise SystemExit(f"codes missing from countries: {missing}")
    for name, df, pk in (
        ("countries", countries, ["iso3"]),
        ("trade", trade, ["reporter", "partner", "year", "source"]),
        ("trade_totals", totals, ["reporter", "year", "source"]),
        ("organisations", orgs, ["id"]),
        ("memberships", mem, ["country", "organisation", "status", "start_year"]),
        ("indicators", indicators, INDICATOR_KEY),
        ("arms_transfers", arms_transfers, ["id"]),
        ("un_ideal_points", ideal_points, ["country", "session"]),
        ("trade_agreements", agreement_table, ["id"]),
        ("trade_agreement_members", agreement_members, ["agreement", "country", "spell"]),
    ):
        check_unique(df, pk, name)

    log("writing")
    write_csv(countries, out / "countries.csv")
    write_csv_gz(trade, out / "trade.csv.gz")
    write_csv(totals, out / "trade_totals.csv")
    write_csv(orgs, out / "organisations.csv")
    write_csv(mem, out / "memberships.csv")
    write_csv(indicators, out / "indicators.csv")
    write_csv_gz(arms_transfers, out / "arms_transfers.csv.gz")
    write_csv(ideal_points, out / "un_ideal_points.csv")
    write_csv(agreement_table, out / "trade_agreements.csv")
    write_csv(agreement_members, out / "trade_agreement_members.csv")

    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    log(f"{out}: {total:,} bytes in all files ({total / 2**20:.1f} MiB)")
    if total > 40 * 2**20:
        log("WARNING: data folder exceeds 40 MB")
    log(f"done in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
