"""Cache keys per brief, the plan, the manifest and the index, without a kernel: the briefs are
stand-in files written by an injected runner (tests/batch_doubles.py), the data package is real."""
from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from batch_doubles import write_stub_outputs
from briefkit import cli
from briefkit.batch import CACHED, OK, DataIndex, Manifest, jobs_from_pairs, plan_batch, run_batch
from briefkit.batch.index import COLUMNS
from briefkit.batch.keys import changes
from briefkit.datapackage import open_package
from conftest import ROOT


KEEP = {"PAK", "BLR", "CHN", "IND", "USA", "RUS", "DEU", "FRA", "JPN", "GBR", "TUR", "KAZ", "UKR", "POL", "ITA"}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """The package with its trade rows cut to those between 15 countries: quick to read again."""
    copy = tmp_path_factory.mktemp("snapshot") / "data"
    shutil.copytree(ROOT / "data", copy)
    lines = gzip.decompress((copy / "trade.csv.gz").read_bytes()).decode().splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if line[:3] in KEEP and line[4:7] in KEEP]
    (copy / "trade.csv.gz").write_bytes(gzip.compress("".join(kept).encode(), mtime=0))
    return copy


def edited(data: Path, folder: Path, edit) -> Path:
    """A copy of the package with trade.csv.gz's lines passed through edit(lines)."""
    copy = folder / "data"
    shutil.copytree(data, copy)
    lines = gzip.decompress((copy / "trade.csv.gz").read_bytes()).decode().splitlines(keepends=True)
    (copy / "trade.csv.gz").write_bytes(gzip.compress("".join(edit(lines)).encode(), mtime=0))
    return copy


def set_exports(lines: list[str], prefix: str, value: float) -> list[str]:
    i = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    fields = lines[i].split(",")
    fields[3] = f"{value:.6f}"
    return [*lines[:i], ",".join(fields), *lines[i + 1:]]


def parts(data: Path, a: str, b: str) -> dict:
    return DataIndex.build(open_package(data)).parts(a, b, ["imf-dots"])


# ---- what a brief reads -------------------------------------------------------------------------
def test_a_change_to_one_countrys_rows_changes_only_the_briefs_naming_it(data, tmp_path):
    changed = edited(data, tmp_path, lambda lines: set_exports(lines, "BLR,DEU,2019,", 12345.0))
    assert changes(parts(data, "PAK", "BLR"), parts(changed, "PAK", "BLR")) == ["data of BLR (trade)"]
    assert changes(parts(data, "DEU", "FRA"), parts(changed, "DEU", "FRA")) == ["data of DEU (trade)"]
    assert parts(data, "IND", "USA") == parts(changed, "IND", "USA")   # reads neither BLR's nor DEU's rows


def test_a_change_that_moves_a_partner_rank_changes_the_briefs_whose_rank_moved(data, tmp_path):
    package = open_package(data)
    trade = package.table("trade")
    year = int(trade["year"].max())
    mine = trade[(trade["reporter"] == "BLR") & (trade["year"] == year)]
    totals = (mine["exports_fob"].fillna(0) + mine["imports_cif"].fillna(0)).to_numpy()
    ranked = [p for _, p in sorted(zip(-totals, mine["partner"].astype(str)))]
    second, third = ranked[1], ranked[2]
    lift = float(totals.max()) * 2  # BLR now reports more trade with its third partner than with any other
    changed = edited(data, tmp_path, lambda lines: set_exports(lines, f"BLR,{third},{year},", lift))

    def rank(folder: Path, partner: str) -> int:
        ranks = open_package(folder).pair("BLR", partner).ranks
        return int(ranks[(ranks["reporter"] == "BLR") & (ranks["year"] == year)]["rank"].iloc[0])

    assert (rank(data, second), rank(changed, second)) == (2, 3)   # its own row is the same; its rank is not
    assert changes(parts(data, "BLR", second), parts(changed, "BLR", second)) == ["data of BLR (trade)"]
    assert rank(changed, third) == 1
    others = sorted({"IND", "USA", "JPN", "FRA"} - {second, third})[:2]
    assert parts(data, *others) == parts(changed, *others)


def test_a_whole_table_input_is_read_by_every_brief(data, tmp_path):
    base = tmp_path / "base" / "data"
    shutil.copytree(data, base)
    schema = json.loads((base / "schemas" / "indicators.json").read_text())
    (base / "schemas" / "indicators.json").write_text(json.dumps(schema | {"briefkit:scope": "whole-table"}))
    assert open_package(base).validate().valid
    changed = tmp_path / "changed" / "data"
    shutil.copytree(base, changed)
    rows = (changed / "indicators.csv").read_text().splitlines(keepends=True)
    i = next(i for i, line in enumerate(rows) if line.startswith("DEU,"))
    fields = rows[i].split(",")
    fields[3] = fields[3] + "1"  # one figure of Germany's gains a digit
    rows[i] = ",".join(fields)
    (changed / "indicators.csv").write_text("".join(rows))
    assert changes(parts(base, "PAK", "BLR"), parts(changed, "PAK", "BLR")) == ["data (indicators)"]
    assert parts(data, "PAK", "BLR").get("shared") is None      # unmarked, it is read per country


def test_a_pair_with_no_row_naming_both_countries_is_empty(data):
    index = DataIndex.build(open_package(data))
    assert not index.empty("PAK", "BLR") and not index.empty("BLR", "PAK")
    trade = open_package(data).table("trade")
    with_rows = set(zip(trade["reporter"].astype(str), trade["partner"].astype(str)))
    countries = sorted(open_package(data).table("countries")["iso3"].astype(str))
    pair = next((a, b) for a in countries for b in countries
                if a < b and (a, b) not in with_rows and (b, a) not in with_rows and "PAK" not in (a, b))
    assert index.empty(*pair)
    assert index.analyst("PAK", "BLR") and not index.analyst("IND", "USA")


# ---- the plan, the manifest, the index ------------------------------------------------------------
PAIRS = ["PAK-BLR", "BLR-CHN", "IND-USA"]


@pytest.fixture
def rendered(data, tmp_path) -> Path:
    """Three stand-in briefs rendered into out/."""
    out = tmp_path / "out"
    m = run_batch(jobs_from_pairs(PAIRS), out, formats=("html",), data=data, runner=write_stub_outputs)
    assert m.ok == PAIRS
    return out


def test_one_countrys_data_rerenders_its_briefs_and_leaves_the_rest_cached(rendered, data, tmp_path):
    changed = edited(data, tmp_path, lambda lines: set_exports(lines, "BLR,DEU,2019,", 1.0))
    plan = plan_batch(jobs_from_pairs(PAIRS), rendered, ("html",), data=changed)
    assert plan.reasons == {"PAK-BLR": "changed: data of BLR (trade)", "BLR-CHN": "changed: data of BLR (trade)"}
    assert plan.cached == ["IND-USA"]
    assert plan.summary() == [("changed: data of BLR (trade)", 2)]


def test_one_prose_file_rerenders_exactly_one_brief(rendered, data, tmp_path):
    changed = tmp_path / "prose" / "data"
    shutil.copytree(data, changed)
    with open(changed / "prose" / "PAK-BLR.md", "a", encoding="utf-8") as f:
        f.write("\n<!-- reviewed -->\n")
    plan = plan_batch(jobs_from_pairs(PAIRS), rendered, ("html",), data=changed)
    assert plan.reasons == {"PAK-BLR": "changed: prose"}


def test_a_cited_source_row_is_part_of_the_key(rendered, data, tmp_path):
    changed = tmp_path / "sources" / "data"
    shutil.copytree(data, changed)
    text = (changed / "sources.csv").read_text(encoding="utf-8")
    edited_text = text.replace(",Direction of Trade Statistics (DOTS),", ",Direction of Trade Statistics,", 1)
    assert edited_text != text
    (changed / "sources.csv").write_text(edited_text, encoding="utf-8")
    plan = plan_batch(jobs_from_pairs(PAIRS), rendered, ("html",), data=changed)
    assert set(plan.reasons.values()) == {"changed: sources"} and len(plan.reasons) == 3  # all cite imf-dots


@pytest.mark.parametrize("field, value, reason", [
    ("inputs", None, "inputs is null"), ("status", None, "status is null"), ("outputs", None, "outputs is null"),
    ("files", {"html": None}, "files holds a record that is not an object"), (None, None, "the entry is null, not an object"),
])
def test_a_hand_edited_null_in_the_manifest_renders_that_brief_again(field, value, reason, rendered, data):
    manifest = json.loads((rendered / "manifest.json").read_text())
    if field is None:
        manifest["pairs"]["PAK-BLR"] = None
    else:
        manifest["pairs"]["PAK-BLR"][field] = value
    (rendered / "manifest.json").write_text(json.dumps(manifest))
    m = run_batch(jobs_from_pairs(PAIRS), rendered, formats=("html",), data=data, runner=write_stub_outputs)
    assert m.entries["PAK-BLR"].reason == f"manifest entry unreadable ({reason})"
    assert m.ok == ["PAK-BLR"] and m.cached == ["BLR-CHN", "IND-USA"]
    assert Manifest.read(rendered).entries["PAK-BLR"].status == OK


def test_dry_run_lists_what_would_render_and_why_and_writes_nothing(rendered, data, tmp_path, capsys):
    changed = edited(data, tmp_path, lambda lines: set_exports(lines, "BLR,DEU,2019,", 1.0))
    before = {p: p.read_bytes() for p in rendered.rglob("*") if p.is_file()}
    code = cli.main(["batch", *PAIRS, "PAK-RUS", "PAK-XXX", "--to", "html", "-o", str(rendered),
                     "--data", str(changed), "--dry-run"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out == ["PAK-BLR: changed: data of BLR (trade)", "BLR-CHN: changed: data of BLR (trade)", "PAK-RUS: new",
                   'PAK-XXX: fails: command line: Unknown country "XXX" (use an ISO 3166 code such as PAK or a '
                   "name such as Pakistan)",
                   "3 of 5 brief(s) would render, 1 up to date, 1 refused",
                   "       2 changed: data of BLR (trade)", "       1 new"]
    assert {p: p.read_bytes() for p in rendered.rglob("*") if p.is_file()} == before


def test_the_index_names_countries_titles_authorship_status_and_changes(rendered, data, tmp_path):
    changed = tmp_path / "prose" / "data"
    shutil.copytree(data, changed)
    with open(changed / "prose" / "PAK-BLR.md", "a", encoding="utf-8") as f:
        f.write("\n<!-- reviewed -->\n")
    m = run_batch(jobs_from_pairs(PAIRS), rendered, formats=("html",), data=changed, runner=write_stub_outputs)
    assert m.ok == ["PAK-BLR"] and m.cached == ["BLR-CHN", "IND-USA"]
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<th>([^<]*)</th>", index) == list(COLUMNS)
    rows = {re.search(r">([A-Z]{3}-[A-Z]{3})<", r).group(1): re.findall(r"<td[^>]*>(.*?)</td>", r)
            for r in re.findall(r"<tr><td>.*?</tr>", index)}
    assert rows["PAK-BLR"][1:6] == ["ok", "Pakistan – Belarus", "Stub PAK-BLR", "analyst-written", "changed: prose"]
    assert rows["IND-USA"][1:6] == [CACHED, "India – United States", "Stub IND-USA", "drafted", "unchanged"]
    assert rows["BLR-CHN"][1:6] == [CACHED, "Belarus – China", "Stub BLR-CHN", "analyst-written", "unchanged"]
