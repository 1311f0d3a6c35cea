"""A pair's slice of the new tables (arms transfers, UN ideal points, trade agreements, indicators)
and the computations it makes cheap: rank of a distance among all pairs of a session, rank of a
partner among a reporter's partners. Each fast path is checked against the plain computation."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from briefkit import alignment
from briefkit.datapackage import _ranks, open_package


@pytest.fixture(scope="module")
def package():
    return open_package()


@pytest.fixture(scope="module")
def pak_chn(package):
    return package.pair("PAK", "CHN")


def test_pair_carries_the_new_tables(pak_chn):
    assert set(pak_chn.arms["recipient"]) == {"PAK", "CHN"}
    j10 = pak_chn.arms[(pak_chn.arms["supplier"] == "CHN") & (pak_chn.arms["weapon_designation"] == "J-10C")]
    assert j10[["order_year", "number_ordered"]].values.tolist() == [[2021, 36]]
    assert set(pak_chn.ideal_points["country"]) == {"PAK", "CHN"}
    assert set(pak_chn.indicators["country"]) == {"PAK", "CHN"}
    assert set(pak_chn.indicators["indicator"]) == {"population", "gdp_usd"}
    fta = pak_chn.agreements.set_index("id").loc["desta-224"]
    assert (fta["signature_year"], fta["in_force_year"]) == (2006, 2007)
    assert set(pak_chn.agreements["id"]) == {"desta-223", "desta-224", "desta-225"}
    assert set(pak_chn.agreement_members["country"]) == {"PAK", "CHN"}


def test_agreements_are_those_both_sides_were_in(package):
    pair = package.pair("BLR", "RUS")
    members = package.table("trade_agreement_members")
    for base in pair.agreements["base_treaty"].unique():
        sides = set(members.loc[members["agreement"] == base, "country"])
        assert {"BLR", "RUS"} <= sides, base
    names = set(pair.agreements["name"])
    assert "Eurasian Economic Union (EAEU)" in names
    assert not (set(pair.agreements["name"]) & {"China Pakistan"})


def test_supplier_share_needs_every_supplier_of_the_recipient(package):
    """Russia's share of India's arms imports (PROVENANCE: 44,443.5 of 136,111.2 m TIV, 32.7%)."""
    pair = package.pair("IND", "RUS")
    to_india = pair.arms[pair.arms["recipient"] == "IND"]
    by_supplier = to_india.groupby("supplier_name")["tiv_delivered"].sum().sort_values(ascending=False)
    assert round(by_supplier.sum(), 1) == 136111.2
    assert round(by_supplier["Russia"], 1) == 44443.5
    assert list(by_supplier.index[:3]) == ["Russia", "Soviet Union", "United Kingdom"]
    assert round(by_supplier["Russia"] / by_supplier.sum(), 3) == 0.327


def test_distances_and_standing_of_pakistan_belarus(package):
    pair = package.pair("PAK", "BLR")
    d = alignment.distances(pair.ideal_points, "PAK", "BLR").set_index("session")
    assert round(d.loc[78, "distance"], 3) == 0.318
    points = pair.ideal_sessions[78]
    assert len(points) == 192
    standing = alignment.standing(points, d.loc[78, "distance"])
    brute = [abs(p - q) for p, q in itertools.combinations(points, 2)]
    assert standing.pairs == len(brute) == 192 * 191 // 2
    assert standing.closer == sum(x < d.loc[78, "distance"] for x in brute)


@pytest.mark.parametrize("seed", range(5))
def test_standing_matches_all_pairs(seed):
    rng = np.random.default_rng(seed)
    points = np.sort(np.round(rng.normal(size=60), 2))  # rounded: ties happen
    for distance in (0.0, 0.01, 0.5, float(points[-1] - points[0]), 10.0):
        s = alignment.standing(points, distance)
        brute = np.array([abs(p - q) for p, q in itertools.combinations(points, 2)])
        assert (s.closer, s.tied) == (int((brute < distance).sum()), int((brute == distance).sum()))


def _ranks_by_groupby(trade, reporter, partner):
    rows = trade[trade["reporter"] == reporter]
    table = pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "partner": rows["partner"].astype(str).to_numpy(),
                          "total": (rows["exports_fob"].fillna(0) + rows["imports_cif"].fillna(0)).to_numpy()})
    table = table[table["total"] > 0]
    table["rank"] = table.groupby("year")["total"].rank(ascending=False, method="min").astype(int)
    counts = table.groupby("year").size()
    mine = table[table["partner"] == partner][["year", "rank"]].copy()
    mine["partners"] = mine["year"].map(counts).astype(int)
    mine.insert(0, "reporter", reporter)
    return mine.sort_values("year").reset_index(drop=True)


@pytest.mark.parametrize("reporter, partner", [("PAK", "BLR"), ("BLR", "PAK"), ("CHN", "USA"), ("RUS", "IND")])
def test_partner_rank_matches_a_full_groupby(package, reporter, partner):
    trade = package.table("trade")
    fast = _ranks(trade[trade["reporter"] == reporter], reporter, partner)
    slow = _ranks_by_groupby(trade, reporter, partner)
    pd.testing.assert_frame_equal(fast.astype({"reporter": object}), slow.astype({"reporter": object}),
                                  check_dtype=False)


def test_pair_rows_equal_a_scan_of_each_table(package):
    pair = package.pair("BLR", "PAK")
    for name, column, got in (("arms_transfers", "recipient", pair.arms), ("indicators", "country", pair.indicators),
                              ("un_ideal_points", "country", pair.ideal_points),
                              ("memberships", "country", pair.memberships)):
        table = package.table(name)
        scan = table[table[column].isin(["BLR", "PAK"])].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, scan)
    trade = package.table("trade")
    scan = trade[((trade["reporter"] == "BLR") & (trade["partner"] == "PAK"))
                 | ((trade["reporter"] == "PAK") & (trade["partner"] == "BLR"))].reset_index(drop=True)
    pd.testing.assert_frame_equal(pair.trade, scan)
