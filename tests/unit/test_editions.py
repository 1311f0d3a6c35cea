"""briefkit.editions: an earlier brief is kept when what it says changed, and only the newest N."""
from __future__ import annotations

import json
import os
import re

from briefkit.editions import NAME, content_digest, edition_name, editions_of, keep_previous

PAIR = "PAK-BLR"


def brief(folder, body: str, commit="abc123", digest="b003a69d342bc4db", end="2024-02-02T10:15:00.5+00:00",
          pdf=b"%PDF-1.7 page"):
    """A brief's files as a render writes them: HTML with a colophon, PDF, executed notebook."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{PAIR}.html").write_text(
        f'<article><p>{body}</p>\n<footer class="colophon">\n<p>Rendered by briefkit (commit {commit}) from the data '
        f'package with digest {digest}.</p>\n</footer>\n</article>', encoding="utf-8")
    (folder / f"{PAIR}.pdf").write_bytes(pdf)
    nb = {"metadata": {"briefkit": {"data_digest": digest}, "papermill": {"end_time": end}}, "cells": []}
    (folder / f"{PAIR}.ipynb").write_text(json.dumps(nb))
    return {"html": folder / f"{PAIR}.html", "pdf": folder / f"{PAIR}.pdf", "ipynb": folder / f"{PAIR}.ipynb"}


def replace(target, new):
    """What render does: keep the previous edition, then move the new files into place."""
    kept = keep_previous(target, PAIR, new, keep=KEEP)
    for path in new.values():
        os.replace(path, target / path.name)
    return kept


KEEP = 5


def test_a_changed_brief_keeps_the_previous_edition_named_for_its_time_and_data(tmp_path):
    target = tmp_path / PAIR
    brief(target, "Trade reached US$41.9 million.")
    old_bytes = {p.name: p.read_bytes() for p in target.iterdir()}
    new = brief(tmp_path / "partial", "Trade reached US$46.9 million.", digest="5c1e0f2a99")
    kept = replace(target, new)
    assert kept.name == "2024-02-02T101500-b003a69d" and NAME.fullmatch(kept.name)
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == old_bytes
    assert "46.9" in (target / f"{PAIR}.html").read_text()
    assert editions_of(target) == [kept]


def test_an_unchanged_rerender_keeps_nothing_even_with_a_new_commit_and_digest(tmp_path):
    target = tmp_path / PAIR
    brief(target, "Trade reached US$41.9 million.")
    new = brief(tmp_path / "partial", "Trade reached US$41.9 million.", commit="def456", digest="ffff0000",
                pdf=b"%PDF-1.7 other colophon")
    assert replace(target, new) is None
    assert not (target / "editions").exists()


def test_a_brief_rendered_for_the_first_time_keeps_nothing(tmp_path):
    (tmp_path / PAIR).mkdir()
    assert replace(tmp_path / PAIR, brief(tmp_path / "partial", "First.")) is None


def test_only_the_newest_editions_are_kept(tmp_path):
    target = tmp_path / PAIR
    brief(target, "edition 0", end="2024-01-01T00:00:00+00:00")
    for i in range(1, 9):
        replace(target, brief(tmp_path / f"p{i}", f"edition {i}", end=f"2024-01-0{i + 1}T00:00:00+00:00"))
    kept = editions_of(target)
    assert [p.name[:10] for p in kept] == ["2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07", "2024-01-08"]
    assert [re.search(r"edition \d", (p / f"{PAIR}.html").read_text()).group() for p in kept] == [
        "edition 3", "edition 4", "edition 5", "edition 6", "edition 7"]
    (target / "editions" / "notes-by-hand").mkdir()  # not an edition: never pruned
    replace(target, brief(tmp_path / "p9", "edition 9", end="2024-01-11T00:00:00+00:00"))
    assert len(editions_of(target)) == KEEP and (target / "editions" / "notes-by-hand").is_dir()


def test_no_editions_are_kept_with_keep_0(tmp_path):
    target = tmp_path / PAIR
    brief(target, "one")
    assert keep_previous(target, PAIR, brief(tmp_path / "p", "two"), keep=0) is None


def test_editions_of_the_same_second_and_data_get_their_own_folders(tmp_path):
    target = tmp_path / PAIR
    brief(target, "a")
    first = replace(target, brief(tmp_path / "p1", "b"))
    second = replace(target, brief(tmp_path / "p2", "c"))
    assert second.name == first.name + "-2" and editions_of(target) == [first, second]


def test_without_a_notebook_the_files_time_names_the_edition(tmp_path):
    html = tmp_path / f"{PAIR}.html"
    html.write_text("<p>x</p>")
    os.utime(html, (1706868900, 1706868900))  # 2024-02-02 10:15:00 UTC
    assert edition_name({".html": html}) == "2024-02-02T101500-nodigest"


def test_the_ledger_is_compared_without_its_data_digest(tmp_path):
    a, b, c = (tmp_path / f"{n}.claims.json" for n in "abc")
    a.write_text(json.dumps({"data_digest": "sha256:1", "claims": [{"id": "x", "text": "T"}]}))
    b.write_text(json.dumps({"claims": [{"id": "x", "text": "T"}], "data_digest": "sha256:2"}, indent=1))
    c.write_text(json.dumps({"data_digest": "sha256:1", "claims": [{"id": "x", "text": "U"}]}))
    assert content_digest(a) == content_digest(b) != content_digest(c)


# ---- the diff beside the brief, and the batch index ---------------------------------------------
def with_ledger(files: dict, ledger: dict) -> dict:
    path = files["html"].with_name(f"{PAIR}.claims.json")
    path.write_text(json.dumps(ledger))
    return files | {"claims": path}


def test_a_kept_edition_leaves_the_diff_beside_the_brief_until_an_unchanged_render(tmp_path):
    from ledgers import TRADE, build

    from briefkit.editions import latest_changes

    target = tmp_path / PAIR
    with_ledger(brief(target, "US$41.9 million"), build())
    trade = dict(TRADE)
    trade[("PAK", "BLR", 2020)] = (31.0, 15.9)
    replace(target, with_ledger(brief(tmp_path / "p1", "US$46.9 million"), build(trade=trade)))
    report = (target / f"{PAIR}.diff.html").read_text()
    assert "<del>US$20.1</del>" in report and "<ins>US$15.1</ins>" in report
    news = latest_changes(target, PAIR)
    assert news.moved and news.counts["changed"] == 3 and news.diff == f"{PAIR}.diff.html"
    assert news.since == editions_of(target)[-1].name
    replace(target, with_ledger(brief(tmp_path / "p2", "US$46.9 million"), build(trade=trade)))
    assert not (target / f"{PAIR}.diff.html").exists() and latest_changes(target, PAIR) is None


def test_the_batch_index_lists_changed_briefs_first_with_counts_and_a_link(tmp_path):
    from ledgers import TRADE, build

    from briefkit.batch import OK, Entry, Manifest, index_html

    out = tmp_path / "out"
    trade = dict(TRADE)
    trade[("BLR", "PAK", 2020)] = (1.0, 29.4)
    for pair in ("AAA-BBB", PAIR):
        target = out / pair
        files = brief(target, "old")
        for f in files.values():
            f.rename(f.with_name(f.name.replace(PAIR, pair)))
    with_ledger(brief(out / PAIR, "old"), build())
    replace(out / PAIR, with_ledger(brief(tmp_path / "p", "new"), build(trade=trade)))
    entries = {p: Entry(OK, outputs={"html": f"{p}/{p}.html"}) for p in ("AAA-BBB", PAIR)}
    page = index_html(Manifest(out, entries, tuple(entries)))
    assert page.index(PAIR) < page.index("AAA-BBB")
    assert '1 claim changed, 0 added, 0 removed' in page and f'href="{PAIR}/{PAIR}.diff.html"' in page
    cached = {p: Entry("skipped-cached", outputs={"html": f"{p}/{p}.html"}) for p in entries}
    assert "what changed" not in index_html(Manifest(out, cached, tuple(cached)))


def test_an_unreadable_old_ledger_still_keeps_the_edition_without_a_diff(tmp_path):
    from ledgers import build

    target = tmp_path / PAIR
    files = brief(target, "old")
    files["html"].with_name(f"{PAIR}.claims.json").write_text('{"format": "briefkit-claims/0"}')
    kept = replace(target, with_ledger(brief(tmp_path / "p", "new"), build()))
    assert (kept / f"{PAIR}.claims.json").exists() and not (target / f"{PAIR}.diff.html").exists()
