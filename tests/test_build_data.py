"""Checks on the tables built by scripts/build_data.py (real data, no fixtures).

Reads the committed tables in data/ and, for value checks, the shared source files
(../shared/data-sources next to the repo, as the build script defaults to).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SOURCES = REPO.parent / "shared" / "data-sources"
DOTS_FOCUS = SOURCES / "imf-dots-2022" / "dots_focus_countries_1960_2020.csv.gz"
WB = SOURCES / "worldbank-population-gdp"
WB_FILES = {  # indicator: (World Bank file, source id)
    "population": (WB / "population" / "data" / "population.csv", "wb-population"),
    "gdp_usd": (WB / "gdp" / "data" / "gdp.csv", "wb-gdp"),
}

TABLES = {
    # name: (file, primary key)
    "countries": ("countries.csv", ["iso3"]),
    "trade": ("trade.csv.gz", ["reporter", "partner", "year", "source"]),
    "trade_totals": ("trade_totals.csv", ["reporter", "year", "source"]),
    "organisations": ("organisations.csv", ["id"]),
    "memberships": ("memberships.csv", ["country", "organisation", "status", "start_year"]),
    "indicators": ("indicators.csv", ["country", "indicator", "year"]),
    "arms_transfers": ("arms_transfers.csv.gz", ["id"]),
    "un_ideal_points": ("un_ideal_points.csv", ["country", "session"]),
    "trade_agreements": ("trade_agreements.csv", ["id"]),
    "trade_agreement_members": ("trade_agreement_members.csv", ["agreement", "country", "spell"]),
}
NUMBER_COLUMNS = {"trade": ["exports_fob", "imports_cif"], "trade_totals": ["exports_fob", "imports_cif"]}


def _read(name: str) -> pd.DataFrame:
    path = DATA / TABLES[name][0]
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/build_data.py")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: _read(name) for name in TABLES}


@pytest.fixture(scope="module")
def source_dots() -> pd.DataFrame:
    if not DOTS_FOCUS.exists():
        pytest.skip(f"shared IMF DOTS source file not found at {DOTS_FOCUS}")
    return pd.read_csv(DOTS_FOCUS, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def source_wb() -> dict[str, pd.DataFrame]:
    """The World Bank files as read by the build: {indicator: frame of str cells}."""
    frames = {}
    for indicator, (path, _) in WB_FILES.items():
        if not path.exists():
            pytest.skip(f"shared World Bank source file not found at {path}")
        frames[indicator] = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frames


def _wb_value(wb: dict[str, pd.DataFrame], indicator: str, code: str, year: int) -> str:
    df = wb[indicator]
    values = list(df[(df["Country Code"] == code) & (df["Year"] == str(year))]["Value"])
    assert len(values) == 1, f"source has {values} for {code} {year} {indicator}"
    return values[0]


def _indicator(tables, country: str, indicator: str, year: int) -> pd.Series:
    ind = tables["indicators"]
    sel = ind[(ind.country == country) & (ind.indicator == indicator) & (ind.year == str(year))]
    assert len(sel) == 1, f"expected one indicators row for {country} {indicator} {year}, got {len(sel)}"
    return sel.iloc[0]


def _trade_row(trade: pd.DataFrame, reporter: str, partner: str, year: int) -> pd.Series:
    sel = trade[(trade.reporter == reporter) & (trade.partner == partner) & (trade.year == str(year))]
    assert len(sel) == 1, f"expected one trade row for {reporter}-{partner} {year}, got {len(sel)}"
    return sel.iloc[0]


def _source_value(dots: pd.DataFrame, reporter: str, partner: str, year: int, flow: str) -> float:
    sel = dots[(dots.reporter_iso3 == reporter) & (dots.partner_iso3 == partner)
               & (dots.year == str(year)) & (dots.flow == flow)]
    values = set(sel.value_usd_millions)
    assert len(values) == 1, f"source has {values} for {reporter}-{partner} {year} {flow}"
    return float(values.pop())


# ----------------------------------------------------------------------- structure

def test_columns_match_schemas(tables):
    for name, df in tables.items():
        schema = json.loads((DATA / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        assert list(df.columns) == [f["name"] for f in schema["fields"]], name
        for field in schema["fields"]:
            col = df[field["name"]]
            if field.get("constraints", {}).get("required"):
                assert (col != "").all(), f"{name}.{field['name']} has empty values"
            if field["type"] == "boolean":
                assert col.isin(["true", "false", ""]).all(), f"{name}.{field['name']}"
            if field["type"] == "integer":
                assert col[col != ""].str.fullmatch(r"-?\d+").all(), f"{name}.{field['name']}"
            if "enum" in field.get("constraints", {}):
                assert col.isin(field["constraints"]["enum"]).all(), f"{name}.{field['name']}"
            if "pattern" in field.get("constraints", {}):
                nonempty = col[col != ""]
                assert nonempty.str.fullmatch(field["constraints"]["pattern"]).all(), \
                    f"{name}.{field['name']} breaks pattern"


def test_no_duplicate_primary_keys(tables):
    for name, df in tables.items():
        pk = TABLES[name][1]
        dups = df[df.duplicated(pk, keep=False)]
        assert dups.empty, f"{name}: duplicate primary keys\n{dups.head()}"


def test_numbers_plain_and_non_negative(tables):
    for name, columns in NUMBER_COLUMNS.items():
        df = tables[name]
        for col in columns:
            text = df[col][df[col] != ""]
            assert text.str.fullmatch(r"\d+(\.\d+)?").all(), f"{name}.{col}: not a plain decimal"
            assert (text.astype(float) >= 0).all(), f"{name}.{col}: negative value"
        # an estimated flag is given exactly when its value is
        for col, flag in (("exports_fob", "exports_estimated"), ("imports_cif", "imports_estimated")):
            assert ((df[col] == "") == (df[flag] == "")).all(), f"{name}.{flag}"
        assert ((df.exports_fob != "") | (df.imports_cif != "")).all(), f"{name}: row with no values"


def test_codes_exist_in_countries(tables):
    iso3 = set(tables["countries"].iso3)
    used = {
        "trade.reporter": set(tables["trade"].reporter),
        "trade.partner": set(tables["trade"].partner),
        "trade_totals.reporter": set(tables["trade_totals"].reporter),
        "memberships.country": set(tables["memberships"].country),
        "indicators.country": set(tables["indicators"].country),
        "arms_transfers.supplier": set(tables["arms_transfers"].supplier) - {""},
        "arms_transfers.recipient": set(tables["arms_transfers"].recipient) - {""},
        "un_ideal_points.country": set(tables["un_ideal_points"].country),
        "trade_agreement_members.country": set(tables["trade_agreement_members"].country),
    }
    for where, codes in used.items():
        assert not codes - iso3, f"{where}: codes missing from countries: {sorted(codes - iso3)}"
    orgs = set(tables["memberships"].organisation)
    assert orgs == set(tables["organisations"].id)


def test_sources_exist(tables):
    sources = set(pd.read_csv(DATA / "sources.csv", dtype=str, keep_default_na=False).id)
    for name, df in tables.items():
        assert set(df.source) <= sources, f"{name}: unknown source ids {set(df.source) - sources}"
    assert set(tables["trade"].source) == {"imf-dots"}
    assert "cow-igo" in set(tables["memberships"].source)


def test_no_self_trade(tables):
    trade = tables["trade"]
    assert not (trade.reporter == trade.partner).any()


def test_sorted(tables):
    for name, df in tables.items():
        key = TABLES[name][1]
        keyed = df[key].copy()
        for col in ("year", "start_year", "session", "spell"):
            if col in keyed:
                keyed[col] = keyed[col].astype(int)
        assert keyed.equals(keyed.sort_values(key, ignore_index=True)), f"{name} not sorted"


# -------------------------------------------------------------------------- values

def test_pakistan_belarus_2019_reported_by_belarus(tables, source_dots):
    row = _trade_row(tables["trade"], "BLR", "PAK", 2019)
    exports, imports = float(row.exports_fob), float(row.imports_cif)
    assert exports == pytest.approx(_source_value(source_dots, "BLR", "PAK", 2019, "exports_fob"))
    assert imports == pytest.approx(_source_value(source_dots, "BLR", "PAK", 2019, "imports_cif"))
    assert round(exports, 2) == 35.06
    assert round(imports, 2) == 15.10
    assert exports + imports == pytest.approx(50.2, abs=0.05)


def test_russia_pakistan_2018_reported_by_russia(tables, source_dots):
    row = _trade_row(tables["trade"], "RUS", "PAK", 2018)
    total = float(row.exports_fob) + float(row.imports_cif)
    expected = (_source_value(source_dots, "RUS", "PAK", 2018, "exports_fob")
                + _source_value(source_dots, "RUS", "PAK", 2018, "imports_cif"))
    assert total == pytest.approx(expected)
    assert total == pytest.approx(730.9, abs=0.05)


def test_focus_trade_matches_source(tables, source_dots):
    """Every country-to-country value in the focus source file is in trade.csv.gz."""
    src = source_dots[(source_dots.reporter_iso3 != "") & (source_dots.partner_iso3 != "")]
    src = src.pivot_table(index=["reporter_iso3", "partner_iso3", "year"], columns="flow",
                          values="value_usd_millions", aggfunc="first").reset_index()
    src.columns.name = None
    src = src.rename(columns={"reporter_iso3": "reporter", "partner_iso3": "partner"})
    merged = src.merge(tables["trade"], on=["reporter", "partner", "year"], how="left",
                       suffixes=("_src", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), "source rows missing from trade"
    for flow in ("exports_fob", "imports_cif"):
        a = pd.to_numeric(merged[flow + "_src"])
        b = pd.to_numeric(merged[flow].replace("", None))
        assert (a.isna() == b.isna()).all(), flow
        both = a.notna()
        assert ((a[both] - b[both]).abs() <= 1e-9 * a[both].abs().clip(lower=1)).all(), flow


def test_trade_totals_world(tables, source_dots):
    totals = tables["trade_totals"]
    row = totals[(totals.reporter == "PAK") & (totals.year == "2019")]
    assert len(row) == 1
    src = source_dots[(source_dots.reporter_iso3 == "PAK") & (source_dots.partner == "World")
                      & (source_dots.year == "2019")].set_index("flow").value_usd_millions
    assert float(row.iloc[0].exports_fob) == pytest.approx(float(src["exports_fob"]))
    assert float(row.iloc[0].imports_cif) == pytest.approx(float(src["imports_cif"]))


# ----------------------------------------------------------------------- countries

def test_countries(tables):
    c = tables["countries"].set_index("iso3")
    assert c.loc["KAZ", "capital"] == "Astana"
    assert c.loc["PAK", "name"] == "Pakistan"
    assert c.loc["PAK", "adjective"] == "Pakistani"
    assert c.loc["PAK", "m49"] == "586"
    assert c.loc["AFG", "m49"] == "004"
    assert c.loc["NAM", "iso2"] == "NA"
    assert c.loc["SUN", "current"] == "false"
    assert c.loc["PAK", "current"] == "true"
    expected = {"BLR": "Belarus", "RUS": "Russia", "CHN": "China", "IND": "India", "IRN": "Iran",
                "USA": "United States", "KAZ": "Kazakhstan", "GBR": "United Kingdom"}
    for iso3, name in expected.items():
        assert c.loc[iso3, "name"] == name, iso3
    assert c.loc["TUR", "name"] in {"Turkey", "Türkiye"}
    assert (c.adjective != "").sum() == 11


# --------------------------------------------------------------------- memberships

def _spells(tables, country, org):
    m = tables["memberships"]
    return m[(m.country == country) & (m.organisation == org)]


def test_pakistan_un(tables):
    spells = _spells(tables, "PAK", "UN")
    assert len(spells) == 1
    s = spells.iloc[0]
    assert (s.status, s.start_year, s.end_year) == ("full", "1947", "")


def test_belarus_csto(tables):
    spells = _spells(tables, "BLR", "CSTO")
    assert len(spells) == 1
    s = spells.iloc[0]
    assert (s.status, s.start_year) == ("full", "2002")


def test_end_years(tables):
    m = tables["memberships"]
    ended = m[m.end_year != ""]
    cow = ended[ended.source == "cow-igo"]
    assert (cow.end_year.astype(int) < 2014).all(), "end_year 2014 must be written as empty"
    assert (ended.end_year.astype(int) >= ended.start_year.astype(int)).all()
    # Uzbekistan left the CSTO (suspended 2012): a closed spell
    uzb = _spells(tables, "UZB", "CSTO")
    assert list(uzb.end_year) == ["2011"]


# ------------------------------------------------------------ hand-entered rows (after 2014)

def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_data", REPO / "scripts" / "build_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hand_entered_memberships(tables):
    """Spells after the COW data end (2014) are typed in by hand, each with its own source."""
    m = tables["memberships"]
    generated = _load_build_script().forums.GENERATED  # corrections the build applies itself
    hand = m[(m.source != "cow-igo") & ~m.source.isin(generated)]
    assert not hand.empty
    early = hand[hand.start_year.astype(int) <= 2014]
    assert set(early.organisation) <= {"BRICS"}, "before 2015 only organisations COW lacks are hand-entered"
    for country in ("IND", "PAK"):
        s = _spells(tables, country, "SCO").set_index("status")
        assert (s.loc["full", "start_year"], s.loc["full", "end_year"]) == ("2017", "")
    blr = _spells(tables, "BLR", "SCO").set_index("status")
    # observer from 2015 until it became a full member at the Astana summit of July 2024
    assert (blr.loc["observer", "start_year"], blr.loc["observer", "end_year"]) == ("2015", "2024")
    assert blr.loc["full", "start_year"] == "2024"
    assert set(_spells(tables, "BLR", "EAEU").start_year) == {"2015"}
    assert set(m[(m.organisation == "EAEU") & (m.status == "full")].country) == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}
    assert set(m[(m.organisation == "EAEU") & (m.status == "observer")].country) == {"CUB", "MDA", "UZB"}  # Factbook
    orgs = tables["organisations"].set_index("id")
    assert orgs.loc["EAEU", "name"] == "Eurasian Economic Union"
    assert orgs.loc["EAEU", "source"] != "cow-igo"


def test_merge_hand_rows_keeps_them_sorted_and_lets_them_win():
    build = _load_build_script()
    key = ["country", "organisation", "status", "start_year"]
    built = pd.DataFrame({
        "country": ["AAA", "CCC"], "organisation": ["X", "X"], "status": ["full", "full"],
        "start_year": [1990, 1995], "end_year": ["", "2000"], "source": ["cow-igo", "cow-igo"],
    })
    hand = pd.DataFrame({
        "country": ["BBB", "CCC"], "organisation": ["X", "X"], "status": ["full", "full"],
        "start_year": ["2017", "1995"], "end_year": ["", ""], "source": ["s1", "s2"],
    })
    merged = build.merge_hand_rows(built, hand, key, "memberships")
    assert list(merged.country) == ["AAA", "BBB", "CCC"]
    assert merged.start_year.tolist() == [1990, 2017, 1995]
    assert merged.set_index("country").loc["CCC", "source"] == "s2"  # the hand row replaced COW's
    assert not merged.duplicated(key).any()
    with pytest.raises(SystemExit):
        build.merge_hand_rows(built, pd.concat([hand, hand]), key, "memberships")


def test_hand_rows_survive_a_rebuild(tmp_path):
    """Rebuilding into a folder that holds hand-entered rows keeps them, and reproduces data/ exactly."""
    if not (SOURCES / "cow-igo-v3").is_dir() or not DOTS_FOCUS.exists():
        pytest.skip(f"shared data sources not found at {SOURCES}")
    build = _load_build_script()
    for name in ("organisations.csv", "memberships.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    extra = "AFG,SCO,observer,2012,2020,true,test-source\n"
    with (tmp_path / "memberships.csv").open("a", encoding="utf-8") as f:
        f.write(extra)
    assert build.main(["--sources", str(SOURCES), "--out", str(tmp_path)]) == 0
    rebuilt = pd.read_csv(tmp_path / "memberships.csv", dtype=str, keep_default_na=False)
    row = rebuilt[(rebuilt.country == "AFG") & (rebuilt.organisation == "SCO") & (rebuilt.source == "test-source")]
    assert row[["status", "start_year", "end_year"]].values.tolist() == [["observer", "2012", "2020"]]
    committed = pd.read_csv(DATA / "memberships.csv", dtype=str, keep_default_na=False)
    assert len(rebuilt) == len(committed) + 1
    without = rebuilt[rebuilt.source != "test-source"].reset_index(drop=True)
    assert without.equals(committed), "a rebuild must keep every hand-entered row of data/memberships.csv"
    assert (tmp_path / "organisations.csv").read_bytes() == (DATA / "organisations.csv").read_bytes()
    for name in ("countries.csv", "trade.csv.gz", "trade_totals.csv", "indicators.csv", "arms_transfers.csv.gz",
                 "un_ideal_points.csv", "trade_agreements.csv", "trade_agreement_members.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


# ---------------------------------------------------------------------- indicators

def test_indicator_values_plain(tables):
    ind = tables["indicators"]
    assert set(ind.indicator) == set(WB_FILES)
    for indicator, (_, source) in WB_FILES.items():
        assert set(ind[ind.indicator == indicator].source) == {source}, indicator
    pop = ind[ind.indicator == "population"].value
    assert pop.str.fullmatch(r"[0-9]+").all(), "population must be written as integers"
    gdp = ind[ind.indicator == "gdp_usd"].value
    assert gdp.str.fullmatch(r"[0-9]+(\.[0-9]+)?").all(), "GDP must be a plain decimal, no exponent"
    digits = gdp.str.replace(".", "", regex=False).str.strip("0")
    assert (digits.str.len() <= 6).all(), "GDP is rounded to at most 6 significant digits"
    assert (ind.value.astype(float) > 0).all()
    years = ind.year.astype(int)
    assert years.between(1960, 2030).all()


def test_pakistan_population_2023(tables, source_wb):
    row = _indicator(tables, "PAK", "population", 2023)
    assert row.value == _wb_value(source_wb, "population", "PAK", 2023)
    assert int(row.value) == 247_504_495
    assert row.source == "wb-population"


def test_belarus_gdp_2022(tables, source_wb):
    row = _indicator(tables, "BLR", "gdp_usd", 2022)
    value = float(row.value)
    assert value == pytest.approx(float(_wb_value(source_wb, "gdp_usd", "BLR", 2022)), rel=5e-6)
    assert round(value / 1e9, 1) == 73.8
    assert row.source == "wb-gdp"
    assert round(float(_indicator(tables, "BLR", "gdp_usd", 2019).value) / 1e9, 1) == 64.4
    assert round(float(_indicator(tables, "PAK", "gdp_usd", 2023).value) / 1e9, 1) == 338.4


def test_indicators_match_source(tables, source_wb):
    """Every source row of a country (a code in countries.csv) is in indicators, with its value."""
    iso3 = set(tables["countries"].iso3)
    ind = tables["indicators"]
    for indicator, src in source_wb.items():
        src = src[src["Country Code"].isin(iso3)]
        src = src.rename(columns={"Country Code": "country", "Year": "year", "Value": "value"})
        mine = ind[ind.indicator == indicator]
        assert len(mine) == len(src), indicator
        merged = src.merge(mine, on=["country", "year"], how="left", suffixes=("_src", ""), indicator=True)
        assert (merged["_merge"] == "both").all(), f"{indicator}: source rows missing from indicators"
        a = pd.to_numeric(merged["value_src"])
        b = pd.to_numeric(merged["value"])
        if indicator == "population":
            assert (merged["value_src"] == merged["value"]).all()
        assert ((a - b).abs() <= 5e-6 * a.abs()).all(), indicator


def test_indicators_no_aggregates(tables, source_wb):
    build = _load_build_script()
    countries = set(tables["countries"].iso3)
    used = set(tables["indicators"].country)
    assert not used & build.WB_AGGREGATES
    assert not countries & build.WB_AGGREGATES, "an aggregate code is also a country code"
    assert {"WLD", "EAS", "ECS", "EUU", "HIC", "SAS"} <= build.WB_AGGREGATES
    source_codes = set().union(*(set(df["Country Code"]) for df in source_wb.values()))
    assert build.WB_AGGREGATES <= source_codes, "aggregate codes the source files do not have"
    # Aggregates and the Channel Islands (no ISO 3166 code) are the only source codes left out.
    assert source_codes - used == build.WB_AGGREGATES | {"CHI"}
    assert {"PAK", "BLR", "XKX"} <= used
