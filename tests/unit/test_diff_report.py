"""briefkit diff's readings: terminal, HTML (self-contained, escaped), JSON, and the command itself."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from ledgers import TRADE, build

from briefkit import diffreport
from briefkit.cli import main
from briefkit.diff import changes

class Tags(HTMLParser):
    """Every tag name and attribute of a page, as a browser's parser sees them."""

    def __init__(self):
        super().__init__()
        self.names, self.attrs = set(), []

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        self.attrs += attrs


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;"\''


def corrected_balance():
    trade = dict(TRADE)
    trade[("PAK", "BLR", 2020)] = (31.0, 15.9)
    return build(trade=trade, digest="sha256:" + "b" * 64)


def test_terminal_summary_names_each_changed_value_and_its_rows():
    out = diffreport.text([("PAK-BLR", changes(build(), corrected_balance()), "")])
    assert out.startswith("PAK-BLR: 3 claims changed, 0 added, 0 removed; 0 sections edited")
    assert "~ cooperation/trade.balance" in out
    assert "balance, 2020, as PAK reports: US$20.1 million → US$15.1 million" in out
    assert "rows: trade (reporter=PAK, partner=BLR, year=2020) from imf-dots" in out
    assert "[-US$20.1-] {+US$15.1+}" in out


def test_no_change_is_said_so():
    out = diffreport.text([("PAK-BLR", changes(build(), build(digest="sha256:" + "c" * 64)), "")])
    assert out.splitlines()[0] == "PAK-BLR: no change in what the brief says"


def hostile_ledgers():
    old, new = build(), corrected_balance()
    for led in (old, new):
        led["pair"] = HOSTILE
        led["as_of"] = HOSTILE
        led["sections"][0]["title"] = HOSTILE
        for c in led["claims"]:
            c["id"] += HOSTILE
            for v in c["values"]:
                v["source"] = HOSTILE
                v["rows"][0]["partner"] = HOSTILE
        for n in led["notes"]:
            n["source"] = HOSTILE
    new["claims"][1]["text"] += HOSTILE
    new["sections"][0]["text"] = new["sections"][0]["text"].replace("warm", "warm " + HOSTILE)
    new["notes"].append({"number": 99, "source": HOSTILE, "text": HOSTILE})
    return old, new


def test_html_report_is_self_contained_and_escapes_everything_from_the_data():
    old, new = hostile_ledgers()
    page = diffreport.html([(HOSTILE, changes(old, new), "")])
    assert "<script" not in page and "<img" not in page and "onerror=alert(1)>" not in page
    assert page.count("&lt;script&gt;") >= 6  # pair, claim ids and text, section title and text, notes, rows
    # nothing is fetched or linked outside the page: only in-page anchors, made from counters
    tags = Tags()
    tags.feed(page)
    assert tags.names <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "section", "p",
                          "table", "tr", "th", "td", "span", "a", "del", "ins", "ul", "ol", "li", "br"}
    assert {name for name, _ in tags.attrs} <= {"lang", "charset", "name", "content", "class", "colspan", "href",
                                                "id"}
    assert "@import" not in page and "url(" not in page
    hrefs = [value for name, value in tags.attrs if name == "href"]
    assert hrefs and all(re.fullmatch(r"#row-\d+", h) for h in hrefs)
    for h in hrefs:
        assert f'id="{h[1:]}"' in page


def test_html_report_shows_both_sides_with_changed_numbers_marked():
    page = diffreport.html([("PAK-BLR", changes(build(), corrected_balance()), "")])
    assert "<del>US$20.1</del>" in page and "<ins>US$15.1</ins>" in page
    assert '<span class="num">US$20.1 million</span> <a class="row" href="#row-' in page
    # the row's description is the note the brief prints for its source
    assert re.search(r'<li id="row-\d+">trade \(reporter=PAK, partner=BLR, year=2020\) from imf-dots: IMF, Direction',
                     page)


def test_the_command_compares_ledger_files_and_batch_folders(tmp_path, capsys):
    for name, ledger in (("old", build()), ("new", corrected_balance())):
        (tmp_path / name / "PAK-BLR").mkdir(parents=True)
        (tmp_path / name / "PAK-BLR" / "PAK-BLR.claims.json").write_text(json.dumps(ledger))
    (tmp_path / "new" / "PAK-RUS").mkdir()
    (tmp_path / "new" / "PAK-RUS" / "PAK-RUS.claims.json").write_text(json.dumps(build() | {"pair": "PAK-RUS"}))
    files = [str(tmp_path / s / "PAK-BLR" / "PAK-BLR.claims.json") for s in ("old", "new")]
    assert main(["diff", *files]) == 0
    assert "3 claims changed" in capsys.readouterr().out
    report = tmp_path / "report.html"
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--html", str(report)]) == 0
    out = capsys.readouterr().out
    assert out.index("PAK-BLR: 3 claims") < out.index("PAK-RUS: only in the new batch")
    assert "2 briefs: 1 changed what they say" in out and report.read_text().count("<section") == 2
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [b["pair"] for b in data["briefs"]] == ["PAK-BLR", "PAK-RUS"]
    assert data["briefs"][0]["counts"]["changed"] == 3


def test_the_command_says_what_to_give_it(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "nowhere"), str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    bad = tmp_path / "A-B.claims.json"
    bad.write_text("{}")
    assert main(["diff", str(bad), str(bad)]) == 1
    assert "not a claims ledger" in capsys.readouterr().err
