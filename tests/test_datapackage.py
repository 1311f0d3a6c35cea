"""The data package as its users meet it: open, slice a pair, validate, and broken packages reported."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from briefkit.datapackage import open_package
from briefkit.errors import DataPackageError, UnknownCountry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def small_package(tmp_path) -> Path:
    """A copy of data/ whose trade table holds only the pairs among PAK, BLR, RUS and CHN."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("trade.csv.gz"))
    trade = pd.read_csv(DATA / "trade.csv.gz", dtype=str, keep_default_na=False)
    keep = trade["reporter"].isin(["PAK", "BLR", "RUS", "CHN"]) & trade["partner"].isin(["PAK", "BLR", "RUS", "CHN"])
    with gzip.open(target / "trade.csv.gz", "wt", encoding="utf-8", newline="") as f:
        trade[keep].to_csv(f, index=False, lineterminator="\n")
    return target


def validate(package: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefkit.cli", "data", "validate", "--data", str(package)],
                          capture_output=True, text=True)


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` is the physical row number (the header is row 1)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[row - 2, column] = value
    table.to_csv(path, index=False, lineterminator="\n")


def test_the_shipped_package_is_valid():
    result = validate(DATA)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("valid: ")


def test_the_small_copy_is_valid(small_package):
    assert validate(small_package).returncode == 0


@pytest.mark.parametrize("table, row, column, value, expected", [
    ("statements", 3, "value", "about fifty", 'statements row 3, field "value": value "about fifty" is not a number'),
    ("events", 4, "title", "", 'events row 4, field "title": required value is missing'),
    ("events", 5, "source", "no-such-source", 'events row 5, field "source": value "no-such-source" is not in sources.id'),
    ("events", 6, "id", "pak-blr-recognition", 'events row 6: duplicate primary key (pak-blr-recognition), first seen on row 2'),
    ("events", 2, "country_b", "XXX", 'events row 2, field "country_b": value "XXX" is not in countries.iso3'),
    ("trade_totals", 7, "imports_cif", "-5", 'trade_totals row 7, field "imports_cif": value -5'),
    ("events", 3, "date", "July 2014", 'events row 3, field "date": value "July 2014" does not match the pattern'),
])
def test_each_broken_row_is_reported_with_table_row_and_field(small_package, table, row, column, value, expected):
    edit_csv(small_package / f"{table}.csv", row, column, value)
    result = validate(small_package)
    assert result.returncode == 1
    assert expected in result.stdout, result.stdout
    assert result.stdout.strip().endswith("rows")  # the closing count line


def test_an_unreadable_file_is_reported_not_raised(small_package):
    (small_package / "sources.csv").write_bytes(b"\x00\xff\xfe binary \x00")
    result = validate(small_package)
    assert result.returncode == 1
    assert "sources" in result.stdout and "Traceback" not in result.stderr


def test_a_missing_file_is_reported(small_package):
    (small_package / "memberships.csv").unlink()
    result = validate(small_package)
    assert result.returncode == 1
    assert "memberships" in result.stdout


def test_frictionless_accepts_the_package(small_package):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(small_package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_pair_gives_both_directions_both_reporters_and_the_facts():
    pair = open_package().pair("Pakistan", "Belarus")
    assert pair.codes == ("PAK", "BLR")
    assert set(zip(pair.trade["reporter"], pair.trade["partner"])) == {("PAK", "BLR"), ("BLR", "PAK")}
    raw = pd.read_csv(DATA / "trade.csv.gz")
    expected = raw[(raw.reporter == "BLR") & (raw.partner == "PAK") & (raw.year == 2019)].iloc[0]
    got = pair.trade[(pair.trade["reporter"] == "BLR") & (pair.trade["year"] == 2019)].iloc[0]
    assert got["exports_fob"] == pytest.approx(expected.exports_fob)
    assert "pak-blr-relations" in set(pair.events["id"])
    assert pair.front_matter["author"] == "Muhammad Taimur Fahad Khan"
    assert {"PAK", "BLR"} == set(pair.memberships["country"])
    assert "## Opening {#opening}" in pair.prose


def test_unknown_country_in_the_api_suggests():
    with pytest.raises(UnknownCountry, match="did you mean Belarus, BLR"):
        open_package().pair("PAK", "Belarusia")


def test_a_broken_row_stops_a_render_with_its_location(small_package):
    edit_csv(small_package / "statements.csv", 2, "value", "n/a")
    with pytest.raises(DataPackageError, match=r'statements row 2, field "value": value "n/a" is not a number.*briefkit data validate'):
        open_package(small_package).pair("PAK", "BLR")


def test_missing_package_says_how_to_point_at_one(tmp_path):
    with pytest.raises(DataPackageError, match="No data package at .*--data"):
        open_package(tmp_path)


def test_the_digest_sees_a_file_rewritten_in_the_same_process(small_package):
    """A kept kernel opens the package for every brief and hashes a file again only when stat says
    it changed: an edit that keeps the file's size must still change the digest, at once."""
    first = open_package(small_package).digest
    assert open_package(small_package).digest == first  # read again, the same package
    prose = next((small_package / "prose").glob("*.md"))
    text = prose.read_text(encoding="utf-8")
    prose.write_text(text[:-1] + ("x" if text[-1] != "x" else "y"), encoding="utf-8")  # same size
    assert open_package(small_package).digest != first
