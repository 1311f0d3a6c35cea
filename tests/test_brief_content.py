"""What a reviewer checks in the briefs of many pairs: facts present, every number footnoted, no
broken text, sections left out when empty, any script and any character shown safely."""
from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from briefkit.content.numbers import statement as statement_text
from briefkit.render import render
from conftest import ROOT, squash

DATA = ROOT / "data"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z]+):([^{}]+?)\s*\}\}|\[@([A-Za-z0-9_-]+)\]")


def pdf_text(path: Path) -> str:
    """pdftotext (poppler), normalised: presentation forms folded, whitespace collapsed."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return squash(unicodedata.normalize("NFKC", out))


def visible_text(html: str) -> str:
    """The brief's running text as a reader sees it: no styles, no footnote texts or calls."""
    import html as htmllib
    body = html[html.index('<article class="brief">'):]
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    body = re.sub(r'<section class="notes">.*?</section>', "", body, flags=re.S)
    body = re.sub(r'<span class="fn[^"]*"[^>]*>.*?</span>', "", body, flags=re.S)
    body = re.sub(r'<sup class="fn-call[^"]*"[^>]*>.*?</sup>', "", body, flags=re.S)
    body = re.sub(r"</(p|h2|h3|td|th|caption|div|figcaption|span)>", " ", body)
    return squash(htmllib.unescape(re.sub(r"<[^>]+>", "", body)))


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return tmp_path_factory.mktemp("briefs")


@pytest.fixture(scope="module")
def seed_pairs(build):
    return {pair: render(*pair.split("-"), output=build) for pair in ("PAK-RUS", "BLR-CHN")}


@pytest.mark.parametrize("pair", ["PAK-BLR", "PAK-RUS", "BLR-CHN"])
def test_seed_pair_prints_every_stated_figure_and_cited_source(pair, pak_blr, seed_pairs):
    rendered = pak_blr if pair == "PAK-BLR" else seed_pairs[pair]
    text = pdf_text(rendered.files["pdf"])
    statements = pd.read_csv(DATA / "statements.csv").set_index("id")
    sources = pd.read_csv(DATA / "sources.csv").set_index("id")
    prose = (DATA / "prose" / f"{pair}.md").read_text(encoding="utf-8")
    prose = re.sub(r"<!--.*?-->", "", prose, flags=re.S)
    checked = 0
    for kind, arg, source_id in PLACEHOLDER.findall(prose):
        if kind == "statement":
            assert statement_text(statements.loc[arg, "value"], statements.loc[arg, "unit"]) in text, arg
            title = sources.loc[statements.loc[arg, "source"], "title"]
            assert squash(unicodedata.normalize("NFKC", title)) in text, title
            checked += 1
        elif source_id:
            title = squash(unicodedata.normalize("NFKC", sources.loc[source_id, "title"]))
            assert title in text, source_id
            checked += 1
    assert checked >= 3


def test_seed_pair_keeps_both_disputed_figures(seed_pairs):
    """Russia-Pakistan trade in 2018: two sources disagree, and the brief keeps both."""
    text = pdf_text(seed_pairs["PAK-RUS"].files["pdf"])
    assert "US$730 million" in text and "US$800 million" in text


@pytest.fixture(scope="module")
def other_pairs(build):
    return {p: render(*p.split("-"), output=build, formats=("html",)) for p in ("IND-RUS", "PAK-CHN", "KAZ-CHN", "TUR-PAK")}


@pytest.mark.parametrize("pair", ["IND-RUS", "PAK-CHN", "KAZ-CHN", "TUR-PAK"])
def test_any_pair_with_trade_gets_a_complete_drafted_brief(pair, other_pairs):
    html = other_pairs[pair].files["html"].read_text(encoding="utf-8")
    text = visible_text(html)
    for bad in (" nan", "NaN", "None", "NaT", "<NA>", "{{", "}}", " .", " ,", "..", "US$-", "of of"):
        assert bad not in text, f"{bad!r} in {pair}"
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[:1] == ["Trade:"]  # the heading names what the section holds: trade alone
    assert "Conclusion:" in headings
    assert "What Next? Steps to Enhance bilateral cooperation:" not in headings  # the analyst's call
    assert len(re.findall(r'<figure class="chart"', html)) == 4   # three of trade, one of UN alignment
    for svg in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html):
        assert len(svg) > 5000  # a drawn chart, not an empty frame
    for section in re.findall(r'<section class="brief-section" id="\w+">(.*?)</section>', html, flags=re.S):
        assert re.search(r"<p>.+?</p>", section, flags=re.S)


def test_every_number_in_drafted_prose_has_a_footnote(other_pairs):
    html = other_pairs["IND-RUS"].files["html"].read_text(encoding="utf-8")
    paragraphs = re.findall(r"<p>(.*?)</p>", html, flags=re.S)
    for p in paragraphs:
        for money in re.finditer(r"US\$[\d.,]+ (?:million|billion|thousand)(?: \(an IMF estimate\))?", p):
            after = p[money.end():money.end() + 40]
            assert after.startswith('<sup class="fn-call'), f"no footnote after {money.group(0)!r}"


def test_drafted_trade_sentences_state_the_data(other_pairs):
    text = visible_text(other_pairs["IND-RUS"].files["html"].read_text(encoding="utf-8"))
    trade = pd.read_csv(DATA / "trade.csv.gz")
    rus = trade[(trade.reporter == "RUS") & (trade.partner == "IND") & (trade.year == 2020)].iloc[0]
    ind = trade[(trade.reporter == "IND") & (trade.partner == "RUS") & (trade.year == 2020)].iloc[0]
    assert f"Russia reported US${(rus.exports_fob + rus.imports_cif) / 1000:.2f} billion" in text
    assert f"India reported US${(ind.exports_fob + ind.imports_cif) / 1000:.2f} billion" in text
    # the records of India's exports to Russia differ by more than the stated threshold
    assert "The two sides' records of one flow differ by more than 25%" in text
    # both sides' records give Russia the surplus, so it is stated as a fact
    assert "The balance favours Russia by both sides' records" in text


@pytest.fixture(scope="module")
def sparse_package(tmp_path_factory) -> Path:
    """The package with trade for only four countries: Tuvalu has none."""
    target = tmp_path_factory.mktemp("sparse") / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("trade.csv.gz"))
    trade = pd.read_csv(DATA / "trade.csv.gz", dtype=str, keep_default_na=False)
    keep = trade.reporter.isin(["PAK", "BLR", "RUS", "CHN"]) & trade.partner.isin(["PAK", "BLR", "RUS", "CHN"])
    with gzip.open(target / "trade.csv.gz", "wt", encoding="utf-8", newline="") as f:
        trade[keep].to_csv(f, index=False, lineterminator="\n")
    return target


def test_a_pair_with_almost_no_data_leaves_sections_out(sparse_package, build):
    result = render("Pakistan", "Tuvalu", output=build, data=sparse_package)
    html = result.files["html"].read_text(encoding="utf-8")
    # no trade: no trade section, chart or conclusion; SIPRI's empty register and the UN votes are findings
    assert re.findall(r"<h2>(.*?)</h2>", html) == ["Defence and Security: Arms Transfers:", "Multilateral Cooperation:",
                                                   "Alignment at the UN:", "Conclusion:", "Notes"]
    assert len(re.findall(r"<figure", html)) == 1 and "Distance between the UN Votes of Pakistan &amp; Tuvalu" in html
    text = pdf_text(result.files["pdf"])
    assert "PAKISTAN-TUVALU RELATIONS: A DATA BRIEF" in text
    assert "The data package holds no trade figures, events or stated figures for Pakistan and Tuvalu" in text
    assert "Pakistan and Tuvalu are both members of one forum" in text
    assert "nan" not in text.lower().split()


SPECIAL = """& % $ # _ { } ~ ^ \\ < > " '"""


def test_scripts_and_special_characters_show_in_html_and_pdf_and_cannot_inject(sparse_package, build):
    title = f"Pakistan (پاکستان) and Belarus (Беларусь), China (中国): {SPECIAL}"
    prose = (f"## Opening {{#opening}}\n\nNames in their own scripts: پاکستان, Беларусь, 中国. "
             f"Characters: {SPECIAL} <script>alert('x')</script> <b>bold?</b> [@sp-source]\n")
    (sparse_package / "prose" / "SPECIAL.md").write_text(prose, encoding="utf-8")
    briefs = pd.read_csv(sparse_package / "briefs.csv", dtype=str, keep_default_na=False)
    row = briefs[briefs.pair == "PAK-BLR"].iloc[0].copy()
    row["title"], row["prose"], row["author"] = title, "prose/SPECIAL.md", "Ана Иванова & 王芳"
    briefs = pd.concat([briefs[briefs.pair != "PAK-BLR"], row.to_frame().T])
    briefs.to_csv(sparse_package / "briefs.csv", index=False, lineterminator="\n")
    with open(sparse_package / "sources.csv", "a", encoding="utf-8") as f:
        f.write(f'sp-source,page,"Quotes "" & <i>tags</i> — Москва 北京",,Publisher #1 {{x}},,2024-01-02,'
                "https://example.org/a_b?c=1&d=2,,,\n")  # credit, scope and note empty
    result = render("PAK", "BLR", output=build / "special", data=sparse_package)
    html = result.files["html"].read_text(encoding="utf-8")
    assert "<script" not in html and "<b>bold?</b>" not in html and "<i>tags</i>" not in html
    assert "&lt;script&gt;" in html
    text = pdf_text(result.files["pdf"])
    for piece in ("Беларусь", "中国", "Ана Иванова & 王芳", "Москва 北京", "Publisher #1 {x}",
                  "<script>alert('x')</script>", '"Quotes " & <i>tags</i>', SPECIAL):
        assert piece in text, piece
    assert unicodedata.normalize("NFKC", "پاکستان") in text or "پاکستان"[::-1] in text
    assert f"BELARUS (БЕЛАРУСЬ), CHINA (中国): {SPECIAL}" in text  # the title, in capitals
    fonts = subprocess.run(["pdffonts", str(result.files["pdf"])], capture_output=True, text=True).stdout
    assert "CJK-SC" in fonts        # Chinese drawn with the house CJK face, not boxes
    assert "Naskh-Arabic" in fonts  # Urdu with the house Arabic-script face


def test_product_rows_give_a_composition_paragraph_and_table(tmp_path, build):
    """Import a real Comtrade file into a copy of the package: the CHN-USA brief names the main goods."""
    from briefkit.importers import import_file

    package = tmp_path / "data"
    shutil.copytree(DATA, package)
    comtrade = ROOT.parent / "shared" / "data-sources" / "comtrade-legacy-ibe-china" / "comtrade.csv"
    if not comtrade.exists():
        pytest.skip(f"{comtrade} is not here")
    import_file(comtrade, package)
    html = render("CHN", "USA", output=build, data=package, formats=("html",)).files["html"].read_text(encoding="utf-8")
    text = visible_text(html)
    raw = pd.read_csv(comtrade)
    exports = raw[(raw["Year"] == 2014) & (raw["Trade Flow"] == "Export") & (raw["Partner ISO"] == "USA")]
    top = exports.sort_values("Trade Value (US$)", ascending=False).iloc[0]
    assert "By China's records for 2014, its main exports to United States were" in text
    assert f"({top['Commodity Code']:02d}" not in text  # codes sit in the table, not the sentence
    assert f"US${top['Trade Value (US$)'] / 1e9:.2f} billion" in text
    assert "Table 1 (Main Goods Traded between China & United States)" in text
    # the IMF series stays the one charted and stated: one figure a year, never two sources mixed
    assert "The package's trade figures for China and United States, from the International Monetary Fund, run from" in text


def test_kazakhstan_china_brief_says_who_reports_what(other_pairs):
    """KAZ-CHN 2020: each side's own records show itself with the surplus; the brief says so and
    offers no valuation argument for China's exports, which Kazakhstan records far lower."""
    text = visible_text(other_pairs["KAZ-CHN"].files["html"].read_text(encoding="utf-8"))
    assert "The balance favours" not in text
    assert "US$1.98 billion for China" in text and "US$2.66 billion for Kazakhstan" in text
    gap = text[text.index("China reported exports to Kazakhstan"):]
    assert "cannot explain" in gap[:400] and "freight and insurance" not in gap[:400]
    assert "below its peak since 2010" in text and "2013" in text
    assert "Few political milestones" not in text


def test_drafted_ledger_passes_the_checker(other_pairs):
    from briefkit.check import check_ledgers
    from briefkit.datapackage import open_package

    report = check_ledgers([other_pairs[p].directory for p in other_pairs], open_package())
    assert report.briefs == 4 and report.claims > 30
    assert report.ok, str(report)


@pytest.mark.parametrize("pair", ["PAK-BLR", "PAK-RUS", "BLR-CHN"])
def test_every_statement_of_a_seed_pair_is_printed_and_footnoted(pair, pak_blr, seed_pairs):
    """Each figure the statements table holds for a seed pair is stated in its brief, with a note
    that cites the statement's own source."""
    import json

    rendered = pak_blr if pair == "PAK-BLR" else seed_pairs[pair]
    ledger = json.loads(rendered.files["claims"].read_text(encoding="utf-8"))
    notes = {n["number"]: n["source"] for n in ledger["notes"]}
    statements = pd.read_csv(DATA / "statements.csv", dtype=str, keep_default_na=False)
    a, b = pair.split("-")
    mine = statements[statements.country_a.isin([a, b]) & statements.country_b.isin([a, b])]
    for _, st in mine.iterrows():
        found = [c for c in ledger["claims"] for v in c["values"]
                 if v["table"] == "statements" and v["rows"][0]["id"] == st["id"]]
        assert found, f"{st['id']} is not stated in the {pair} brief"
        assert any(notes[n] == st["source"] for c in found for n in c["notes"]), f"{st['id']} has no note to its source"


# ---- arms transfers, UN alignment, trade agreements: checked against the source files ----------

SHARED = ROOT.parent / "shared" / "data-sources"


def sipri_register() -> list[dict]:
    """The SIPRI trade register as generated (Latin-1, preamble lines before the header)."""
    import csv

    lines = (SHARED / "sipri-arms-transfers" / "sipri_trade-register.csv").read_text(encoding="latin-1").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Recipient,Supplier,"))
    rows = list(csv.reader(lines[start + 1:]))
    return [{"recipient": r[0], "supplier": r[1], "order": r[2], "ordered": r[4], "weapon": r[6],
             "years": [int(y) for y in r[10].split(";") if y.strip().isdigit()],
             "tiv": float(r[15] or 0)} for r in rows if len(r) >= 16]


def un_point(iso3: str, session: int) -> float:
    import csv

    with open(SHARED / "unga-ideal-points" / "IdealpointestimatesAll_Jun2024.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["iso3c"] == iso3 and r["session"] == str(session))
    return float(row["IdealPointAll"])


@pytest.fixture(scope="module")
def pak_chn(build):
    return render("PAK", "CHN", output=build)


def claims_of(rendered) -> dict:
    import json

    record = json.loads(rendered.files["claims"].read_text(encoding="utf-8"))
    return {c["id"]: c for c in record["claims"]}


def test_pak_chn_carries_the_new_sections_as_the_source_files_give_them(pak_chn):
    html = pak_chn.files["html"].read_text(encoding="utf-8")
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    order = [h for h in headings if h in ("Defence and Security: Arms Transfers:", "Trade Agreements:",
                                          "Multilateral Cooperation:", "Alignment at the UN:")]
    assert order == ["Defence and Security: Arms Transfers:", "Trade Agreements:", "Multilateral Cooperation:",
                     "Alignment at the UN:"]
    text, pdf = visible_text(html), pdf_text(pak_chn.files["pdf"])
    # SIPRI: China → Pakistan, J-10C, 36 ordered in 2021 (the PROVENANCE cross-check), in the table of deals
    j10 = [r for r in sipri_register() if r["supplier"] == "China" and r["recipient"] == "Pakistan" and r["weapon"] == "J-10C"]
    assert [(r["order"], r["ordered"]) for r in j10] == [("2021", "36")]
    assert "2021 China → Pakistan J-10C (FGA aircraft) 36 (est.) 25 (est.) 2022, 2023" in text
    assert "Table 1 (Arms Transfers: Latest Orders between Pakistan & China)" in pdf
    # the TIV total China → Pakistan, summed from the register file, as printed (no currency sign)
    total = sum(r["tiv"] for r in sipri_register() if r["supplier"] == "China" and r["recipient"] == "Pakistan")
    assert f"with {total:,.0f} million TIV delivered" in text
    assert "Information from the SIPRI Arms Transfers Database." in pdf
    # DESTA: the China-Pakistan FTA signed 2006, in force 2007
    assert "the China Pakistan agreement (bilateral, signed in 2006, in force from 2007)" in text
    # UN: Pakistan's session-78 ideal point is -0.421; the distance to China's, as printed
    pak, chn = un_point("PAK", 78), un_point("CHN", 78)
    assert round(pak, 3) == -0.421
    assert f"placed Pakistan and China {abs(pak - chn):.2f} apart" in text
    assert "Figure 4 (Distance between the UN Votes of Pakistan & China)" in pdf
    ledger = claims_of(pak_chn)
    distance = next(v for v in ledger["alignment/alignment.standing"]["values"] if v["measure"] == "distance")
    assert distance["number"] == pytest.approx(abs(pak - chn), abs=1e-6)


def test_ind_rus_share_among_suppliers_recomputed_from_the_register(other_pairs):
    text = visible_text(other_pairs["IND-RUS"].files["html"].read_text(encoding="utf-8"))
    # deliveries of 2015-2024 to India, each deal's TIV spread evenly over its delivery years
    by = {}
    for r in sipri_register():
        if r["recipient"] == "India" and r["years"]:
            inside = sum(2015 <= y <= 2024 for y in r["years"])
            by[r["supplier"]] = by.get(r["supplier"], 0.0) + r["tiv"] * inside / len(r["years"])
    share = by["Russia"] / sum(by.values()) * 100
    assert f"Russia delivered {by['Russia']:,.0f} million TIV of major arms to India: {share:.0f}% of India's" in text
    assert "It records no transfers of major arms from India to Russia since 1950." in text
    assert "Alignment at the UN:" in other_pairs["IND-RUS"].files["html"].read_text(encoding="utf-8")
    assert f"placed India and Russia {abs(un_point('IND', 78) - un_point('RUS', 78)):.2f} apart" in text


def test_pak_blr_keeps_the_analysts_sections_and_adds_the_new_ones(pak_blr):
    text = visible_text(pak_blr.files["html"].read_text(encoding="utf-8"))
    assert "Information from the SIPRI Arms Transfers Database." in pdf_text(pak_blr.files["pdf"])
    deals = [r for r in sipri_register() if r["supplier"] == "Belarus" and r["recipient"] == "Pakistan"]
    assert len(deals) == 1 and deals[0]["order"] == "1996"
    assert "SIPRI records one deal for major arms from Belarus to Pakistan, ordered in 1996" in text
    assert not [r for r in sipri_register() if r["supplier"] == "Pakistan" and r["recipient"] == "Belarus"]
    assert "It records no transfers of major arms from Pakistan to Belarus since 1950." in text
    assert "Alignment at the UN:" in text
    assert f"placed Pakistan and Belarus {abs(un_point('PAK', 78) - un_point('BLR', 78)):.2f} apart" in text
    assert "Trade Agreements:" not in text   # DESTA records none that both are in
