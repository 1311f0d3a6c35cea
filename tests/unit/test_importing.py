"""briefkit.importing on the real trade files in ../shared/data-sources and hand-made fixtures.

Expected values are computed here from the raw files with the csv module, independently of the
importer, and checked against the figures in each folder's PROVENANCE.md. Imports that write go
into a copy of data/ under tmp_path, never into the repository's data/.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from briefkit import importing as importers
from briefkit.errors import DataPackageError, UsageError
from briefkit.importing import (BadRows, NoSuchTradeFile, UnknownLayout, UnreadableTradeFile,
                                import_file, read, summary)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SOURCES = ROOT.parent / "shared" / "data-sources"
LEGACY = SOURCES / "comtrade-legacy-ibe-china" / "comtrade.csv"
BULK = SOURCES / "comtrade-bulk-india-china-2010" / "data" / "h3_china_india.csv"
DOTS = SOURCES / "imf-dots-2022" / "dots_focus_countries_1960_2020.csv.gz"
# Hand-made: no real Comtrade Plus download is available here (see fixtures/importers/README.md).
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
PLUS = FIXTURES / "TradeData_plus_tur_2022.csv"
ACCESSED = "2026-11-23"
LEGACY_CORE = ["Year", "Trade Flow Code", "Reporter ISO", "Partner ISO", "Commodity Code", "Trade Value (US$)"]


def need(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: the shared data sources are expected next to the repository")
    return path


SMALL = ("PAK", "BLR", "CHN", "RUS", "TUR", "USA", "CIV", "DEU", "IND")


@pytest.fixture(scope="session")
def small_trade() -> bytes:
    """trade.csv.gz with the rows of a few reporters only, written as the build writes it."""
    trade = pd.read_csv(DATA / "trade.csv.gz", dtype=str, keep_default_na=False)
    text = trade[trade.reporter.isin(SMALL)].to_csv(index=False, lineterminator="\n")
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    return out.getvalue()


@pytest.fixture
def package(tmp_path, small_trade) -> Path:
    """A private copy of the data package whose trade table holds a few reporters (imports rewrite it whole)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("trade.csv.gz"))
    (copy / "trade.csv.gz").write_bytes(small_trade)
    return copy


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def csv_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.DictReader(f))


def trade_row(totals: pd.DataFrame, reporter: str, partner: str, year: int) -> pd.Series:
    sel = totals[(totals.reporter == reporter) & (totals.partner == partner) & (totals.year == str(year))]
    assert len(sel) == 1, f"expected one row for {reporter}-{partner} {year}, got {len(sel)}"
    return sel.iloc[0]


def millions(dollars: int | Decimal) -> Decimal:
    return Decimal(dollars) / Decimal(1_000_000)


def read_trade(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "trade.csv.gz", dtype=str, keep_default_na=False)


# ------------------------------------------------------------------------------------ legacy

def legacy_chapter_sum(path: Path, reporter: str, partner: str, year: int, flow_code: str) -> int:
    return sum(int(r["Trade Value (US$)"]) for r in csv_rows(path)
               if (r["Reporter ISO"], r["Partner ISO"], r["Year"], r["Trade Flow Code"]) == (reporter, partner, str(year), flow_code)
               and len(r["Commodity Code"]) == 2)


def test_legacy_china_usa_2014_is_the_sum_of_its_2_digit_rows():
    imported = read(need(LEGACY), package_dir=DATA, accessed=ACCESSED)
    assert imported.layout == "comtrade-legacy"
    row = trade_row(imported.totals, "CHN", "USA", 2014)
    exports = legacy_chapter_sum(LEGACY, "CHN", "USA", 2014, "2")
    imports = legacy_chapter_sum(LEGACY, "CHN", "USA", 2014, "1")
    assert Decimal(row.exports_fob) == millions(exports)          # exact, in US$ million
    assert Decimal(row.imports_cif) == millions(imports)
    assert round(float(row.exports_fob) / 1000, 1) == 397.1       # PROVENANCE.md: US$397.1 bn
    assert round(float(row.imports_cif) / 1000, 1) == 160.1       # and US$160.1 bn
    assert (row.exports_estimated, row.imports_estimated) == ("false", "false")
    # 1 reporter x 5 partners x 5 years; every 2-digit row is a product row, none is lost.
    assert len(imported.totals) == 25
    assert len(imported.products) == len(csv_rows(LEGACY)) == 3184
    assert set(imported.products.classification) == {"S4"}
    assert imported.source["id"].startswith("comtrade-")
    assert imported.source["publisher"] == "UN Comtrade"
    assert imported.source["accessed"] == ACCESSED
    assert "comtrade.csv" in imported.source["title"] and "comtrade-legacy" in imported.source["title"]


def test_legacy_subset_of_columns_gives_the_same_totals(tmp_path):
    rows = csv_rows(need(LEGACY))
    subset = tmp_path / "china_core_columns.csv"
    with open(subset, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, LEGACY_CORE, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    full = read(LEGACY, package_dir=DATA, accessed=ACCESSED)
    core = read(subset, package_dir=DATA, accessed=ACCESSED)
    assert core.layout == "comtrade-legacy"
    columns = importers.TRADE_COLUMNS[:-1]
    pd.testing.assert_frame_equal(core.totals[columns], full.totals[columns])
    assert core.source["id"] != full.source["id"]
    assert list(core.products.value_usd) == list(full.products.value_usd)
    assert set(core.products.classification) == {"unspecified"}  # the subset has no Classification column


# ------------------------------------------------------------------------------------ bulk

def test_bulk_india_china_2010_from_2_digit_rows():
    imported = read(need(BULK), package_dir=DATA, accessed=ACCESSED)
    assert imported.layout == "comtrade-bulk"
    rows = csv_rows(BULK)
    chapters = {flow: sum(int(r["Value"]) for r in rows
                          if r["Trade Flow Code"] == flow and len(r["Commodity Code"]) == 2)
                for flow in ("1", "2")}
    totals = {r["Trade Flow Code"]: int(r["Value"]) for r in rows if r["Commodity Code"] == "TOTAL"}
    row = trade_row(imported.totals, "IND", "CHN", 2010)   # 699 -> IND, 156 -> CHN
    # The file has TOTAL rows, and they are what the importer uses ...
    assert Decimal(row.exports_fob) == millions(totals["2"])
    assert Decimal(row.imports_cif) == millions(totals["1"])
    # ... which differ from the 2-digit sums by a few dollars of rounding (17,439,991,278 vs ...281).
    assert abs(Decimal(row.exports_fob) - millions(chapters["2"])) < Decimal("0.0001")
    assert abs(Decimal(row.imports_cif) - millions(chapters["1"])) < Decimal("0.0001")
    assert round(float(row.exports_fob) / 1000, 2) == 17.44   # PROVENANCE.md: US$17.44 bn
    assert round(float(row.imports_cif) / 1000, 2) == 41.25   # and US$41.25 bn
    assert len(imported.totals) == 1
    # 2-, 4- and 6-digit rows all become product rows; the file's two TOTAL rows do not.
    levels = imported.products.code.str.len().value_counts().to_dict()
    assert levels == {2: 192, 4: 1976, 6: 6569}
    assert sum(levels.values()) == len(rows) - 2
    assert set(imported.products.classification) == {"H3"}
    hs03 = imported.products[(imported.products.code == "03") & (imported.products.flow == "exports")]
    assert list(hs03.value_usd) == ["245867739"]


# ------------------------------------------------------------------------------------ plus

def test_plus_fixture_crlf_trailing_comma_latin1():
    raw = PLUS.read_bytes()
    assert raw.count(b"\r\n") == 12 and raw.count(b",\r\n") == 11  # header without, rows with comma
    assert b"T\xfcrkiye" in raw and b"C\xf4te d'Ivoire" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")

    imported = read(PLUS, package_dir=DATA, accessed=ACCESSED)
    assert imported.layout == "comtrade-plus"
    civ = trade_row(imported.totals, "TUR", "CIV", 2022)
    assert civ.exports_fob == "412.3456789"        # the TOTAL row, US$ -> US$ million
    assert civ.imports_cif == "262.34567825"       # no TOTAL row: chapters 18 + 08
    assert (civ.exports_estimated, civ.imports_estimated) == ("false", "false")
    chn = trade_row(imported.totals, "TUR", "CHN", 2022)
    # isReported False: not the reporter's own submission as such, which is not an estimate
    assert chn.exports_fob == "3000" and chn.exports_estimated == "false"
    assert chn.imports_cif == "20000"              # chapter 85 only, heading 8517 not added
    assert len(imported.totals) == 2               # World is not a partner in trade ...
    world = imported.world_rows                    # ... it is the reporter's trade with the world
    assert world[["reporter", "year", "exports_fob", "imports_cif"]].values.tolist() == [["TUR", "2022", "254200", ""]]
    products = imported.products
    assert set(products.flow) == {"exports", "imports"}
    assert sorted(products.code) == ["08", "18", "72", "84", "85", "8517"]  # no TOTAL, RX or by-sea rows
    assert products.loc[products.code == "84", "description"].item().startswith("Nuclear reactors, boilers")
    assert products.loc[products.code == "72", "value_usd"].item() == "300000000.5"
    notes = " ".join(imported.notes)
    assert "re-exports" in notes and "motCode" in notes and "cp1252" in notes
    assert "1 rows have isReported = false" in notes and "not marked estimated" in notes


def test_plus_fixture_as_utf8_with_bom_and_header_trailing_comma(tmp_path):
    text = PLUS.read_bytes().decode("latin-1").replace("\r\n", "\n")
    header, rest = text.split("\n", 1)
    variant = tmp_path / "TradeData_utf8.csv"
    variant.write_bytes(b"\xef\xbb\xbf" + (header + ",\n" + rest).encode("utf-8"))
    original = read(PLUS, package_dir=DATA, accessed=ACCESSED)
    again = read(variant, package_dir=DATA, accessed=ACCESSED)
    columns = importers.TRADE_COLUMNS[:-1]
    pd.testing.assert_frame_equal(again.totals[columns], original.totals[columns])
    assert not any("cp1252" in n for n in again.notes)


# ------------------------------------------------------------------------------------ IMF DOTS

def test_imf_dots_slice_matches_the_trade_table(tmp_path):
    with gzip.open(need(DOTS), "rt", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = {name: i for i, name in enumerate(header)}
        slice_rows, pair_rows = [], []
        for row in reader:
            sides = {row[at["reporter_iso3"]], row[at["partner_iso3"]]}
            if sides == {"PAK", "BLR"}:
                pair_rows.append(row)
            elif row[at["reporter_iso3"]] in ("PAK", "BLR") and len(slice_rows) < 400:
                slice_rows.append(row)
    rows = slice_rows + pair_rows
    part = tmp_path / "dots_pak_blr_slice.csv.gz"
    with gzip.open(part, "wt", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    imported = read(part, package_dir=DATA, accessed=ACCESSED)
    assert imported.layout == "imf-dots"
    assert imported.source["publisher"] == "International Monetary Fund"
    assert imported.source["url"] == "https://data.imf.org"
    assert imported.products.empty
    trade = read_trade(DATA)
    trade = trade[(trade.source == "imf-dots") & trade.reporter.isin(["PAK", "BLR"])]
    trade = trade.set_index(["reporter", "partner", "year"]).sort_index()
    mine = imported.totals.set_index(["reporter", "partner", "year"]).sort_index()
    checked = 0
    for row in rows:
        r = dict(zip(header, row))
        if not r["reporter_iso3"] or not r["partner_iso3"] or r["reporter_iso3"] == r["partner_iso3"]:
            continue
        key = (r["reporter_iso3"], r["partner_iso3"], r["year"])
        flag = "exports_estimated" if r["flow"] == "exports_fob" else "imports_estimated"
        assert float(mine.loc[key, r["flow"]]) == pytest.approx(float(trade.loc[key, r["flow"]]), rel=1e-12)
        assert mine.loc[key, flag] == trade.loc[key, flag] == ("true" if r["estimated"] == "1" else "false")
        checked += 1
    assert checked > 300 and len(pair_rows) > 50
    assert float(trade_row(imported.totals, "BLR", "PAK", 2019).exports_fob) == pytest.approx(35.06, abs=0.005)


# ------------------------------------------------------------------------------------ errors

def test_unknown_layout_names_the_columns_and_the_layouts(tmp_path):
    odd = tmp_path / "foo.csv"
    odd.write_text("country,year,amount\nPAK,2020,1.5\n", encoding="utf-8")
    with pytest.raises(UnknownLayout) as err:
        read(odd)
    message = str(err.value)
    assert isinstance(err.value, DataPackageError)
    assert "Unknown trade file layout in foo.csv" in message
    assert "columns found: country, year, amount" in message
    for name in ("comtrade-plus", "comtrade-legacy", "comtrade-bulk", "imf-dots"):
        assert name in message
    assert "refYear" in message and "Trade Value (US$)" in message and "value_usd_millions" in message


def test_broken_file_names_both_lines_and_leaves_the_package_alone(tmp_path, package):
    lines = need(LEGACY).read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    column = header.index("Trade Value (US$)")
    for number, bad in ((3, "12x"), (8, "-5")):   # file lines 3 and 8 (the header is line 1)
        cells = next(csv.reader([lines[number - 1]]))
        cells[column] = bad
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        lines[number - 1] = out.getvalue()
    broken = tmp_path / "comtrade_broken.csv"
    broken.write_text("".join(lines), encoding="utf-8")
    before = fingerprint(package)
    with pytest.raises(BadRows) as err:
        import_file(broken, package, accessed=ACCESSED)
    message = str(err.value)
    assert "line 3:" in message and '"12x" is not a number' in message
    assert "line 8:" in message and "negative" in message
    assert "2 bad rows" in message and "nothing was imported" in message
    assert [p.line for p in err.value.problems] == [3, 8]
    assert fingerprint(package) == before


def test_unknown_country_and_missing_year_are_named(tmp_path):
    lines = need(BULK).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",156,", ",9999,", 1)     # line 2: partner code nobody knows
    lines[4] = lines[4].replace("2010,", ",", 1)          # line 5: no year
    broken = tmp_path / "h3_broken.csv"
    broken.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(BadRows) as err:
        read(broken, package_dir=DATA)
    message = str(err.value)
    assert "line 2: unknown partner code 9999" in message
    assert "line 5: Year is missing" in message
    relaxed = read(broken, package_dir=DATA, strict=False)
    assert [p.line for p in relaxed.problems] == [2, 5]


def test_unreadable_files_say_so(tmp_path):
    with pytest.raises(NoSuchTradeFile, match="No such file"):
        read(tmp_path / "nowhere.csv")
    assert issubclass(NoSuchTradeFile, UsageError)
    binary = tmp_path / "export.xlsx"
    binary.write_bytes(b"\x00\x01\x02\x03binary\x00" * 100)
    with pytest.raises(UnreadableTradeFile, match="binary"):
        read(binary)
    bad_gzip = tmp_path / "data.csv.gz"
    bad_gzip.write_bytes(b"\x1f\x8b\x08\x00" + b"not really gzip")
    with pytest.raises(UnreadableTradeFile, match="gzip"):
        read(bad_gzip)
    noise = tmp_path / "noise.csv"
    noise.write_bytes(bytes(range(1, 9)) * 400)
    with pytest.raises(UnreadableTradeFile, match="does not read as text"):
        read(noise)


def test_layout_registry():
    assert list(importers.LAYOUTS) == ["comtrade-plus", "comtrade-legacy", "comtrade-bulk", "imf-dots"]
    with pytest.raises(UsageError) as err:
        importers.get("comtrade-xml")
    assert "comtrade-plus, comtrade-legacy, comtrade-bulk, imf-dots" in str(err.value)
    for path, name in ((PLUS, "comtrade-plus"), (LEGACY, "comtrade-legacy"), (BULK, "comtrade-bulk")):
        text = path.read_bytes().decode("latin-1")
        header = next(csv.reader([text.splitlines()[0]]))
        assert [l.name for l in importers.LAYOUTS.values() if l.matches(header)] == [name]
    with gzip.open(DOTS, "rt", encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    assert [l.name for l in importers.LAYOUTS.values() if l.matches(header)] == ["imf-dots"]


# ------------------------------------------------------------------------------------ import_file

def test_import_then_reimport_replaces_rows(package):
    original = gzip.decompress((package / "trade.csv.gz").read_bytes()).decode("utf-8")
    sources_before = (package / "sources.csv").read_text(encoding="utf-8")

    first = import_file(LEGACY, package, accessed=ACCESSED)
    sid = first.source["id"]
    after_first = fingerprint(package)
    trade = read_trade(package)
    assert (trade.source == sid).sum() == 25
    row = trade_row(trade[trade.source == sid], "CHN", "USA", 2014)
    assert Decimal(row.exports_fob) == millions(legacy_chapter_sum(LEGACY, "CHN", "USA", 2014, "2"))
    products = pd.read_csv(package / "trade_products.csv", dtype=str, keep_default_na=False)
    assert (products.source == sid).sum() == 3184
    # Other rows keep their bytes: drop the new rows and the old text is back.
    text = gzip.decompress((package / "trade.csv.gz").read_bytes()).decode("utf-8")
    assert "".join(l for l in text.splitlines(keepends=True) if not l.endswith(f",{sid}\n")) == original
    sources_after = (package / "sources.csv").read_text(encoding="utf-8")
    assert sources_after.startswith(sources_before) and sources_after.count(f"\n{sid},") == 1
    assert (package / "trade.csv.gz").read_bytes()[4:8] == b"\x00\x00\x00\x00"  # gzip mtime field
    assert first.outcome.trade_replaced == 0 and not first.outcome.source_replaced

    second = import_file(LEGACY, package, accessed=ACCESSED)
    assert second.source["id"] == sid
    assert second.outcome.trade_replaced == 25 and second.outcome.products_replaced == 3184
    assert second.outcome.source_replaced and second.outcome.written == ()
    assert fingerprint(package) == after_first            # replaced, not duplicated
    report = summary(second)
    assert "comtrade-legacy" in report and "2010-2014" in report and "CHN" in report
    assert "Replaced the earlier import" in report

    # The package still validates where the import wrote.
    from briefkit.datapackage import open_package
    problems = [p for p in open_package(package).validate().problems
                if p.resource in ("trade", "trade_products", "sources")]
    assert problems == []


def test_dry_run_writes_nothing(package):
    before = fingerprint(package)
    imported = import_file(PLUS, package, dry_run=True, accessed=ACCESSED)
    assert fingerprint(package) == before
    assert imported.outcome.dry_run and imported.outcome.written == ()
    assert set(imported.outcome.changed) == {"sources.csv", "trade.csv.gz", "trade_products.csv", "trade_totals.csv"}
    assert "Dry run: nothing was written" in summary(imported)
    assert "Would add source" in summary(imported)


def test_plus_import_lands_in_both_tables(package):
    imported = import_file(PLUS, package, accessed=ACCESSED)
    sid = imported.source["id"]
    trade = read_trade(package)
    civ = trade_row(trade[trade.source == sid], "TUR", "CIV", 2022)
    assert (civ.exports_fob, civ.imports_cif) == ("412.3456789", "262.34567825")
    products = pd.read_csv(package / "trade_products.csv", dtype=str, keep_default_na=False)
    mine = products[products.source == sid]
    assert len(mine) == 6 and set(mine.reporter) == {"TUR"}
    # trade stays sorted by reporter, partner, year, source
    keys = list(zip(trade.reporter, trade.partner, trade.year.astype(int), trade.source))
    assert keys == sorted(keys)
    sources = csv_rows(package / "sources.csv")
    assert [s for s in sources if s["id"] == sid][0]["url"] == "https://comtradeplus.un.org"
