"""The cross-checks of each data source's PROVENANCE.md, read from the built tables and, where a
figure could be built wrong, recomputed from the source file itself. No kernel."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SOURCES = ROOT.parent / "shared" / "data-sources"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def arms() -> pd.DataFrame:
    return _read("arms_transfers.csv.gz")


@pytest.fixture(scope="module")
def memberships() -> pd.DataFrame:
    return _read("memberships.csv")


def _databuild(module: str):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module(f"databuild.{module}")
    finally:
        sys.path.pop(0)


# ---------------------------------------------------------------------------------- SIPRI

def test_china_pakistan_j10c(arms):
    deal = arms[(arms.supplier == "CHN") & (arms.recipient == "PAK") & (arms.weapon_designation == "J-10C")]
    assert len(deal) == 1
    d = deal.iloc[0]
    assert (d.order_year, d.number_ordered, d.number_delivered) == ("2021", "36", "25")
    assert (d.delivery_years, d.first_delivery, d.last_delivery) == ("2022; 2023", "2022", "2023")
    assert (d.weapon_description, float(d.tiv_delivered)) == ("FGA aircraft", 937.5)
    assert d.order_year_uncertain == "false" and d.number_delivered_uncertain == "true"
    assert "$1.4 b deal" in d.comments


@pytest.mark.parametrize("side, name, code, total", [
    ("supplier", "Russia", "RUS", 157677.4), ("supplier", "Soviet Union", "SUN", 452241.1),
    ("supplier", "China", "CHN", 65671.9), ("supplier", "Belarus", "BLR", 3421.6),
    ("recipient", "India", "IND", 136111.2), ("recipient", "Pakistan", "PAK", 44833.8),
    ("recipient", "China", "CHN", 82473.1), ("recipient", "Belarus", "BLR", 1976.2),
])
def test_tiv_sums_match_sipri_tables(arms, side, name, code, total):
    rows = arms[arms[side] == code]
    assert set(rows[f"{side}_name"]) == {name}
    assert round(pd.to_numeric(rows.tiv_delivered).sum(), 1) == pytest.approx(total, abs=0.05)


def test_register_total_and_every_deal_kept(arms):
    assert len(arms) == 28347
    assert round(pd.to_numeric(arms.tiv_delivered).sum(), 1) == pytest.approx(2092229.8, abs=0.2)
    cp = arms[(arms.supplier == "CHN") & (arms.recipient == "PAK")]
    assert len(cp) == 123 and round(pd.to_numeric(cp.tiv_delivered).sum(), 1) == 21369.5


def test_non_state_sides_are_kept_and_flagged(arms):
    houthis = arms[arms.recipient_name == "Houthi rebels (Yemen)*"]
    assert not houthis.empty
    assert set(houthis.recipient) == {""} and set(houthis.recipient_kind) == {"non_state_actor"}
    assert set(arms.loc[arms.supplier_name == "unknown supplier(s)", "supplier_kind"]) == {"unknown"}
    assert set(arms.loc[arms.recipient_name == "NATO**", "recipient_kind"]) == {"international_organisation"}
    # country_converter would have mapped these to a state; they must not carry one
    assert set(arms.loc[arms.recipient_name == "Northern Cyprus", "recipient"]) == {""}


def test_the_two_broken_deals_are_rejoined(arms):
    # each was cut after its comment; the TIV columns are on the next physical line
    thai = arms[(arms.recipient == "THA") & (arms.supplier == "UKR") & (arms.weapon_designation == "BTR-3")
                & (arms.order_year == "2008") & (arms.weapon_description == "APC")]
    un = arms[(arms.recipient_name == "United Nations**") & (arms.weapon_designation == "Hermes-900")]
    assert thai[["tiv_per_unit", "tiv_order", "tiv_delivered"]].values.tolist() == [["0.25", "3.5", "3.25"]]
    assert un[["tiv_per_unit", "tiv_order", "tiv_delivered"]].values.tolist() == [["3", "9", "9"]]
    assert un.iloc[0].comments == "3-year lease; for use with UN peacekeeping forces in Mali"
    assert not arms.weapon_designation.eq("").any()


def test_deal_ids_are_stable_hashes_of_the_register():
    arms_module = _databuild("arms")
    raw = arms_module.read_register(SOURCES / arms_module.REGISTER)
    ids = arms_module.deal_ids(raw)
    assert len(set(ids)) == len(raw) == 28347
    assert ids == arms_module.deal_ids(raw.copy())
    assert sum(i.count("-") == 2 for i in ids) == 9  # the register's exact repeats get -2


# ---------------------------------------------------------------------------------- DESTA

def test_china_pakistan_fta(tmp_path):
    agreements, members = _read("trade_agreements.csv"), _read("trade_agreement_members.csv")
    fta = agreements[agreements.id == "desta-224"].iloc[0]
    assert (fta["name"], fta.signature_year, fta.in_force_year, fta.kind) == ("China Pakistan", "2006", "2007", "bilateral")
    assert set(members.loc[members.agreement == "desta-224", "country"]) == {"CHN", "PAK"}
    services = agreements[agreements.name == "China Pakistan Services"].iloc[0]
    assert (services.base_treaty, services.entry_type, services.signature_year) == ("desta-224", "protocol", "2009")


def test_withdrawal_closes_a_spell_instead_of_adding_one():
    members = _read("trade_agreement_members.csv")
    venezuela = members[(members.agreement == "desta-26") & (members.country == "VEN")]
    assert venezuela[["entry_year", "exit_year", "how"]].values.tolist() == [["1973", "2006", "accession"]]


def test_eaeu_members_in_desta():
    agreements, members = _read("trade_agreements.csv"), _read("trade_agreement_members.csv")
    eaeu = agreements[agreements.name == "Eurasian Economic Union (EAEU)"]
    assert eaeu[["signature_year", "in_force_year"]].values.tolist()[0] == ["2014", "2015"]
    assert set(members.loc[members.agreement == eaeu.iloc[0].base_treaty, "country"]) >= {"BLR", "KAZ", "RUS"}


# ---------------------------------------------------------------------------------- UN votes

def test_ideal_points_session_78():
    points = _read("un_ideal_points.csv").set_index(["country", "session"])
    assert round(float(points.loc[("PAK", "78"), "ideal_point"]), 3) == -0.421
    assert round(float(points.loc[("BLR", "78"), "ideal_point"]), 3) == -0.739
    assert points.loc[("PAK", "78"), "year"] == "2023"
    assert round(abs(float(points.loc[("PAK", "78"), "ideal_point"]) - float(points.loc[("BLR", "78"), "ideal_point"])), 3) == 0.318


def test_codes_that_need_care():
    points = _read("un_ideal_points.csv")
    by = points.groupby("ccode")["country"].unique()
    assert set(by["678"]) == {"YEM"} and set(by["680"]) == {"YMD"}
    assert set(by["345"]) == {"YUG", "SCG", "SRB"}
    assert set(by["255"]) == set(by["260"]) == {"DEU"}
    blr = points[points.country == "BLR"]
    assert blr.session.astype(int).min() == 1  # a founding member as the Byelorussian SSR


# ---------------------------------------------------------------------------------- forums

def _spell(m, country, org, status):
    rows = m[(m.country == country) & (m.organisation == org) & (m.status == status)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_belarus_un_member_since_1945(memberships):
    blr = _spell(memberships, "BLR", "UN", "full")
    assert (blr.start_year, blr.end_year, blr.start_known, blr.source) == ("1945", "", "true", "country-converter")


def test_pakistan_and_belarus_in_sco_and_cica_with_each_status(memberships):
    m = memberships
    assert _spell(m, "PAK", "SCO", "full").start_year == "2017"
    assert _spell(m, "BLR", "SCO", "dialogue_partner")[["start_year", "end_year"]].tolist() == ["2010", "2015"]
    assert _spell(m, "BLR", "SCO", "observer")[["start_year", "end_year"]].tolist() == ["2015", "2024"]
    assert _spell(m, "BLR", "SCO", "full")[["start_year", "end_year", "source"]].tolist() == [
        "2024", "", "newsaz-2024-07-04-belarus-sco"]
    pak_cica = _spell(m, "PAK", "CICA", "full")
    assert (pak_cica.start_year, pak_cica.source) == ("2002", "chinadaily-2014-05-20-cica")
    blr_cica = _spell(m, "BLR", "CICA", "observer")
    assert (blr_cica.end_year, blr_cica.start_known) == ("", "false")  # observer; the sources give no start
    assert m[(m.country == "BLR") & (m.organisation == "CICA") & (m.status == "full")].empty


def test_sco_dates_from_2001_and_cica_members_joined_in_different_years(memberships):
    m = memberships
    sco = m[(m.organisation == "SCO") & (m.status == "full")].set_index("country").start_year
    assert {c: sco[c] for c in ("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB")} == dict.fromkeys(
        ("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"), "2001")
    cica = m[(m.organisation == "CICA") & (m.status == "full")].set_index("country").start_year
    assert (cica["PAK"], cica["THA"], cica["JOR"], cica["VNM"], cica["BHR"], cica["KWT"]) == (
        "2002", "2006", "2008", "2010", "2011", "2022")


def test_observers_stay_observers_and_factbook_gives_no_dates(memberships):
    m = memberships
    fb = m[m.source == "cia-factbook-2026"]
    assert not fb.empty and set(fb.start_year) == {"2026"} and set(fb.start_known) == {"false"}
    assert _spell(m, "RUS", "OIC", "observer").source in {"cow-igo", "cia-factbook-2026"}
    assert _spell(m, "CHN", "ASEAN", "dialogue_partner").source == "cia-factbook-2026"
    # the Factbook still lists India as an SCO observer in 2026; the dated source wins
    assert m[(m.country == "IND") & (m.organisation == "SCO")].status.tolist() == ["full"]


def test_current_names():
    orgs = _read("organisations.csv").set_index("id")
    assert orgs.loc["OIC", "name"] == "Organisation of Islamic Cooperation"
    assert orgs.loc["OIC", "source"] == "oic-2011-06-28-name"


def test_every_membership_source_is_a_sources_row_with_a_checkable_origin(memberships):
    sources = _read("sources.csv").set_index("id")
    used = set(memberships.source) | set(_read("organisations.csv").source)
    assert used <= set(sources.index)
    for sid in used - {"cow-igo", "country-converter", "cia-factbook-2026"}:
        assert sources.loc[sid, "url"] or "republished" in sources.loc[sid, "note"], sid


def test_credit_lines():
    sources = _read("sources.csv").set_index("id")
    assert sources.loc["sipri-arms", "credit"] == "Information from the SIPRI Arms Transfers Database"
    assert sources.loc["imf-dots", "credit"] == "Source: IMF Direction of Trade Statistics"
    assert "doi:10.7910/DVN/LEJUQZ" in sources.loc["unga-ideal-points", "credit"]


def test_each_resource_declares_its_own_terms():
    import json

    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for name, resource in by_name.items():
        assert resource.get("licenses"), f"{name} has no licenses"
        for licence in resource["licenses"]:
            assert licence.get("name") and licence.get("title"), name
            # the only address written is one that can be checked: Creative Commons' own
            assert licence.get("path", "https://creativecommons.org/licenses/by/4.0/") == \
                "https://creativecommons.org/licenses/by/4.0/", name
    assert "SIPRI Arms Transfers Database" in by_name["arms_transfers"]["licenses"][0]["title"]
    assert by_name["trade"]["licenses"][0]["name"] == "IMF-terms-of-use"
    assert by_name["trade_products"]["licenses"][0]["name"] == "UN-Comtrade-terms"
    assert "CC-BY-4.0" not in {l["name"] for l in by_name["arms_transfers"]["licenses"]}
