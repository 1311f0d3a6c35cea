"""Editions and diff on real renders: a copy of the data package is changed between renders.

A reordered trade file re-renders to the same brief (nothing kept); a corrected trade row keeps the
previous edition, and the diff between the two names the claims that use the row. The diff half
needs the claims ledger a render writes (A-B.claims.json): it is skipped, saying so, until then."""
from __future__ import annotations

import gzip
import json
import shutil

import pytest

from briefkit.diff import changes, load_ledger
from briefkit.editions import editions_of
from briefkit.render import render
from conftest import ROOT

ROW = ("PAK", "BLR", "2019")  # Pakistan's report of its trade with Belarus in 2019 (cited by the prose)
IMPORTS = ("32.3146", "40.5")  # its imports from Belarus, as the data have them and corrected
SENTENCE = ("Belarus mainly sells Pakistan tractors, fertilisers, machinery and defence equipment",
            "Belarus mainly sells Pakistan tractors, potash fertilisers and machinery")


def package(folder, rows=lambda rows: rows):
    """A copy of the project's data package with trade.csv.gz's data rows passed through `rows`.
    Only the rows of Pakistan's and Belarus's trade are kept (the brief reads no others), so that
    each new package is read in a second, not the half minute all 690,000 rows take."""
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns(".cache", "*.pickle"))
    path = folder / "trade.csv.gz"
    header, *lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines(keepends=True)
    lines = [line for line in lines if {"PAK", "BLR"} & set(line.split(",")[:2])]
    path.write_bytes(gzip.compress((header + "".join(rows(lines))).encode("utf-8"), mtime=0))
    return folder


def corrected(lines):
    """PAK's imports from BLR in 2019 corrected."""
    out = []
    for line in lines:
        cells = line.split(",")
        if tuple(cells[:3]) == ROW:
            assert cells[5] == IMPORTS[0]
            cells[5] = IMPORTS[1]
            line = ",".join(cells)
        out.append(line)
    return out


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """One brief rendered from the data, from the data reordered, then twice from the data corrected."""
    tmp = tmp_path_factory.mktemp("editions")
    out = tmp / "build"
    steps = {}
    for name, rows in (("original", lambda r: r), ("reordered", lambda r: list(reversed(r))),
                       ("corrected", corrected), ("again", corrected), ("edited", corrected)):
        data = tmp / name if name != "again" else tmp / "corrected"
        if not data.exists():
            package(data, rows)
        if name == "edited":  # the analyst rewrites one sentence of the prose
            prose = data / "prose" / "PAK-BLR.md"
            assert SENTENCE[0] in prose.read_text("utf-8")
            prose.write_text(prose.read_text("utf-8").replace(*SENTENCE), encoding="utf-8")
        result = render("PAK", "BLR", output=out, data=data)
        steps[name] = {"editions": editions_of(result.directory), "html": result.files["html"].read_text("utf-8")}
        ledger = result.directory / "PAK-BLR.claims.json"
        if ledger.exists():
            steps[name]["ledger"] = json.loads(ledger.read_text("utf-8"))
    return steps


def test_a_reordered_data_file_keeps_no_edition(editions):
    assert editions["reordered"]["editions"] == []
    assert editions["reordered"]["html"] == editions["original"]["html"].replace(
        *_digests(editions["original"]["html"], editions["reordered"]["html"]))


def _digests(a, b):
    """The colophon's data digest of two pages (they differ: the data file's bytes did)."""
    import re

    da, db = (re.search(r"digest ([0-9a-f]{16})", p).group(1) for p in (a, b))
    assert da != db
    return da, db


def test_a_corrected_row_keeps_the_previous_edition_once(editions):
    [kept] = editions["corrected"]["editions"]
    # the brief replaced was the one drafted from the reordered file: the edition is named for its data
    assert kept.name.endswith("-" + _digests(editions["reordered"]["html"], editions["corrected"]["html"])[0][:8])
    assert {"PAK-BLR.html", "PAK-BLR.ipynb", "PAK-BLR.pdf"} <= {p.name for p in kept.iterdir()}
    assert (kept / "PAK-BLR.html").read_text("utf-8") == editions["reordered"]["html"]
    assert editions["again"]["editions"] == [kept]  # the same brief again: nothing new kept


def needs_ledger(editions):
    if "ledger" not in editions["original"]:
        pytest.skip("needs the claims ledger a render writes (A-B.claims.json, issue 9)")


def test_a_reordered_data_file_changes_nothing_the_brief_says(editions):
    needs_ledger(editions)
    ch = changes(editions["original"]["ledger"], editions["reordered"]["ledger"])
    assert not ch.moved and ch.old["data_digest"] != ch.new["data_digest"]


def test_the_diff_of_a_corrected_row_is_exactly_the_claims_that_use_it(editions):
    needs_ledger(editions)
    old, new = editions["reordered"]["ledger"], editions["corrected"]["ledger"]
    ch = changes(old, new)
    key = {"reporter": ROW[0], "partner": ROW[1], "year": int(ROW[2])}
    citing = {c["id"] for c in old["claims"] for v in c["values"] if v.get("table") == "trade"
              and any(all(r.get(k) == x for k, x in key.items()) for r in v["rows"])}
    assert citing and {c.id for c in ch.changed} == citing
    assert not ch.added and not ch.removed and not ch.sections
    values = [v for c in ch.changed for v in c.values]
    # Pakistan's total for 2019 is its exports plus the corrected imports
    exports = next(float(line.split(",")[3]) for line in gzip.decompress(
        (ROOT / "data" / "trade.csv.gz").read_bytes()).decode().splitlines() if tuple(line.split(",")[:3]) == ROW)
    total = [v for v in values if v.new and v.new.get("measure") == "total" and v.new.get("reporter") == ROW[0]]
    assert [(v.old["number"], v.new["number"]) for v in total] == [
        (pytest.approx(exports + float(IMPORTS[0])), pytest.approx(exports + float(IMPORTS[1])))]
    assert total[0].new["text"] == f"US${exports + float(IMPORTS[1]):.1f} million"


def test_an_analysts_edited_sentence_is_a_text_change_of_that_sentence(editions):
    needs_ledger(editions)
    ch = changes(editions["corrected"]["ledger"], editions["edited"]["ledger"])
    assert not ch.added and not ch.removed and not ch.notes_added and not ch.notes_removed
    edits = [e for c in ch.changed for e in c.sentences] + [e for s in ch.sections for e in s.edits]
    assert len(edits) == 1 and not any(c.values for c in ch.changed)
    assert edits[0].old.startswith(SENTENCE[0]) and edits[0].new.startswith(SENTENCE[1])
