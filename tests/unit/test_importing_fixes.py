"""The importer faults a reviewer found, each reproduced by a small file in tests/fixtures/importers/:
HS chapters written without their leading zero, Comtrade Plus World rows, isReported = false, the
source's accessed date; and the exporter-only UN Comtrade 2021 file, imported into a copy only."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from briefkit.importing import import_file, read, summary

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
ONE_DIGIT = FIXTURES / "comtrade_legacy_pak_chn_2019_one_digit.csv"
WORLD = FIXTURES / "TradeData_plus_pak_2022_world.csv"
EXPORTS_2021 = ROOT.parent / "shared" / "data-sources" / "comtrade-2021-exports" / "comtrade_all_exports_2021A.csv"
ACCESSED = "2024-01-05"


def chapter_sums(path: Path) -> dict[str, Decimal]:
    """US$ million per flow code: every row of aggregate level 2, whatever its code looks like."""
    sums = {"1": Decimal(0), "2": Decimal(0)}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Aggregate Level"] == "2":
                sums[row["Trade Flow Code"]] += Decimal(row["Trade Value (US$)"])
    return {k: v / 1_000_000 for k, v in sums.items()}


def without_columns(path: Path, target: Path, drop: set[str]) -> Path:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(target, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, [c for c in rows[0] if c not in drop], extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return target


@pytest.fixture
def package(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("trade.csv.gz"))
    trade = pd.read_csv(DATA / "trade.csv.gz", dtype=str, keep_default_na=False)
    trade[trade.reporter.isin(["PAK", "BLR", "CHN"])].to_csv(copy / "trade.csv.gz", index=False, lineterminator="\n")
    return copy


# ------------------------------------------------------------------- chapters without a zero

def test_one_digit_hs_chapters_count_in_the_totals():
    imported = read(ONE_DIGIT, package_dir=DATA, accessed=ACCESSED)
    row = imported.totals.iloc[0]
    expected = chapter_sums(ONE_DIGIT)
    assert (row.reporter, row.partner, row.year) == ("PAK", "CHN", "2019")
    assert Decimal(row.exports_fob) == expected["2"] == Decimal("2190.86")      # chapters 1-9 included
    assert Decimal(row.imports_cif) == expected["1"] == Decimal("6460.156")
    codes = set(imported.products.code)
    assert {"01", "03", "05", "07", "08", "09", "0303"} <= codes                  # main goods see chapters 01-09
    assert not codes & {"1", "3", "9", "303"}
    notes = " ".join(imported.notes)
    assert "product codes had lost their leading zero" in notes and "3 as 03" in notes
    assert "PAK 2019 exports: 1 partner US$2,190.9 million" in summary(imported)  # what a dry run shows


def test_one_digit_hs_chapters_without_an_aggregate_level_column(tmp_path):
    bare = without_columns(ONE_DIGIT, tmp_path / "no_level.csv", {"Aggregate Level"})
    imported = read(bare, package_dir=DATA, accessed=ACCESSED)
    assert Decimal(imported.totals.iloc[0].exports_fob) == Decimal("2190.86")
    assert "0303" in set(imported.products.code)


def test_one_digit_codes_of_unknown_classification_are_named_not_silently_dropped(tmp_path):
    bare = without_columns(ONE_DIGIT, tmp_path / "no_class.csv", {"Aggregate Level", "Classification"})
    imported = read(bare, package_dir=DATA, accessed=ACCESSED)
    assert Decimal(imported.totals.iloc[0].exports_fob) < Decimal("2190.86")
    assert "one-digit product code" in " ".join(imported.notes)


# ------------------------------------------------------------------- Plus: World rows, isReported

def test_plus_world_rows_become_trade_totals():
    imported = read(WORLD, package_dir=DATA, accessed=ACCESSED)
    world = imported.world_rows
    assert world[["reporter", "year", "exports_fob", "imports_cif"]].values.tolist() == [
        ["PAK", "2022", "27724.6", "71120.1"]]
    assert set(imported.totals.partner) == {"BLR", "CHN"}
    assert "= 10.0% of the World value US$27,724.6 million" in summary(imported)


def test_is_reported_false_is_kept_and_not_called_estimated():
    imported = read(WORLD, package_dir=DATA, accessed=ACCESSED)
    blr = imported.totals[imported.totals.partner == "BLR"].iloc[0]
    assert (blr.imports_cif, blr.imports_estimated) == ("16.53", "false")
    assert "2 rows have isReported = false" in " ".join(imported.notes)
    assert "2 rows flagged isReported = false" in imported.source["note"]


def test_import_writes_the_world_rows_and_a_reimport_replaces_them(package):
    first = import_file(WORLD, package, accessed=ACCESSED)
    sid = first.source["id"]
    totals = pd.read_csv(package / "trade_totals.csv", dtype=str, keep_default_na=False)
    mine = totals[totals.source == sid]
    assert mine[["reporter", "year", "exports_fob", "imports_cif"]].values.tolist() == [["PAK", "2022", "27724.6", "71120.1"]]
    assert "trade_totals.csv" in first.outcome.written and first.outcome.world_added == 1
    second = import_file(WORLD, package, accessed=ACCESSED)
    assert second.outcome.world_replaced == 1 and second.outcome.written == ()
    from briefkit.datapackage import open_package
    problems = [p for p in open_package(package).validate().problems
                if p.resource in ("trade", "trade_totals", "trade_products", "sources")]
    assert problems == []


# ------------------------------------------------------------------- accessed date

def test_accessed_is_the_files_own_date_not_the_import_day(tmp_path):
    copy = tmp_path / WORLD.name
    shutil.copy(WORLD, copy)
    saved = dt.datetime(2023, 3, 10, 12, 0).timestamp()
    os.utime(copy, (saved, saved))
    imported = read(copy, package_dir=DATA)
    assert imported.source["accessed"] == "2023-03-10" != dt.date.today().isoformat()
    assert "the file's own date" in imported.source["note"]
    assert read(copy, package_dir=DATA, accessed="2023-03-09").source["accessed"] == "2023-03-09"


# ------------------------------------------------------------------- the 2021 exporter-only file

def test_comtrade_2021_exports_come_in_as_exporter_reported_rows(package):
    if not EXPORTS_2021.exists():
        pytest.fail(f"{EXPORTS_2021} is missing: the shared data sources are expected next to the repository")
    imported = import_file(EXPORTS_2021, package, accessed="2023-03-10")
    src = imported.source
    assert src["scope"].startswith("exports only, as each exporter reports them")
    assert "re-disseminating them may need the written permission" in src["note"]
    trade = pd.read_csv(package / "trade.csv.gz", dtype=str, keep_default_na=False)
    mine = trade[trade.source == src["id"]].set_index(["reporter", "partner"])
    assert mine.loc[("CHN", "RUS"), "exports_fob"] == "67550.054714"          # PROVENANCE: 67,550,054,714
    assert mine.loc[("PAK", "BLR"), "exports_fob"] == "1.848910344"
    assert mine.loc[("BLR", "PAK"), "exports_fob"] == "13.8433"
    assert (mine["imports_cif"] == "").all()                                   # one side only
    world = pd.read_csv(package / "trade_totals.csv", dtype=str, keep_default_na=False)
    world = world[world.source == src["id"]].set_index("reporter")
    assert world.loc["CHN", "exports_fob"] == "3362301.613439"
    assert world.loc["PAK", "exports_fob"] == "28795.179085962"
    assert len(world) == 139        # 140 reporters; Taiwan reports as "Other Asia, nes", not a country here
    sources = pd.read_csv(DATA / "sources.csv", dtype=str, keep_default_na=False)
    assert not sources.id.str.contains("exports-2021").any()                   # not in the default package
