"""The disk cache of typed tables: versioned by pandas and the cache format, bounded in size."""
from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from briefkit import datapackage
from briefkit.datapackage import cache_version, open_package, prune_cache
from conftest import ROOT


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFKIT_CACHE", str(folder))
    return folder


def test_a_cached_table_is_named_by_its_file_pandas_and_the_cache_format(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(datapackage, "CACHE_ROWS", 10)  # cache even a small table
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("trade.csv.gz"))
    first = open_package(data).table("countries")
    [written] = cache.glob("countries-*.pickle")
    assert written.name.endswith(f"-pandas{pd.__version__}-v{datapackage.CACHE_FORMAT}.pickle")
    assert cache_version(pd.__version__) in written.name
    again = open_package(data).table("countries")          # read from the pickle
    pd.testing.assert_frame_equal(first, again)
    (data / "events.csv").write_text((data / "events.csv").read_text())  # other tables: same cache file
    assert list(cache.glob("countries-*.pickle")) == [written]


def test_the_cache_keeps_only_this_version_and_at_most_its_size(cache):
    cache.mkdir()
    now = cache_version(pd.__version__)
    old_pandas = cache / "trade-aaaa-pandas1.5.3-v2.pickle"
    old_format = cache / f"trade-bbbb-{now[:-3]}-v1.pickle"
    current = [cache / f"t{i}-cccc-{now}.pickle" for i in range(4)]
    for i, path in enumerate([old_pandas, old_format, *current]):
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))   # later files: used more recently
    removed = prune_cache(cache, limit=2500)
    assert sorted(removed) == sorted([old_pandas, old_format, current[0], current[1]])
    assert sorted(cache.iterdir()) == sorted(current[2:])   # the two most recently used fit in 2,500 bytes


def test_a_corrupt_cache_file_is_read_again_from_the_table(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(datapackage, "CACHE_ROWS", 10)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("trade.csv.gz"))
    expected = open_package(data).table("countries")
    [written] = cache.glob("countries-*.pickle")
    written.write_bytes(b"not a pickle")
    pd.testing.assert_frame_equal(open_package(data).table("countries"), expected)


def test_a_package_opened_again_finds_its_tables_indexed_and_a_changed_table_indexed_anew(cache, tmp_path):
    """A kept kernel opens the package for each brief: the index of a table's rows by a column is
    worked out once while that table lives, and again for a table whose file changed."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("trade.csv.gz"))
    made = []

    def indexed(table):
        made.append(table)
        return table.groupby("country", observed=True, sort=False).indices

    first = datapackage.derived(open_package(data).table("memberships"), "test index", indexed)
    again = datapackage.derived(open_package(data).table("memberships"), "test index", indexed)
    assert again is first and len(made) == 1
    path = data / open_package(data).resources["memberships"]["path"]
    rows = path.read_text().splitlines(keepends=True)
    path.write_text("".join(rows[:-1]))  # one membership fewer: a new table
    fewer = datapackage.derived(open_package(data).table("memberships"), "test index", indexed)
    assert len(made) == 2 and sum(map(len, fewer.values())) == sum(map(len, first.values())) - 1


def test_a_pair_read_through_kept_indexes_is_the_pair_read_afresh(monkeypatch):
    data = ROOT / "data"
    open_package(data).pair("PAK", "BLR")  # indexes kept
    kept = open_package(data).pair("PAK", "RUS")
    monkeypatch.setattr(datapackage, "_DERIVED", {})
    afresh = open_package(data).pair("PAK", "RUS")
    for name in ("trade", "memberships", "ranks", "arms", "ideal_points", "agreements", "indicators"):
        pd.testing.assert_frame_equal(getattr(kept, name), getattr(afresh, name))
    assert kept.organisations == afresh.organisations and kept.ideal_sessions.keys() == afresh.ideal_sessions.keys()
    for session, points in kept.ideal_sessions.items():
        assert list(points) == list(afresh.ideal_sessions[session])
