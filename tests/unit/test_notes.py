from html.parser import HTMLParser

import pandas as pd
import pytest

from briefkit.content import html
from briefkit.content.notes import Note, Notes, Ref, citation
from briefkit.errors import DataPackageError


def source(**fields):
    base = {"id": "x", "title": "A Title", "publisher": "Publisher", "author": None,
            "published": None, "accessed": None, "url": None}
    return pd.Series(base | fields)


def test_dated_source_reads_published_on():
    s = source(published=pd.Timestamp("2014-06-02"), url="https://www.dawn.com/news/1110131",
               title="Russia lifts arms embargo to Pakistan: Report", publisher="DAWN")
    assert citation(s) == ('"Russia lifts arms embargo to Pakistan: Report", DAWN, published on June 2, 2014. '
                           "https://www.dawn.com/news/1110131")


def test_undated_page_reads_accessed_on():
    s = source(accessed=pd.Timestamp("2023-12-05"), url="https://oec.world/x")
    assert citation(s) == '"A Title", Publisher, accessed on December 5, 2023. https://oec.world/x'


def test_author_comes_first():
    s = source(author="Zafar Bhutta", published=pd.Timestamp("2023-12-08"))
    assert citation(s) == 'Zafar Bhutta, "A Title", Publisher, published on December 8, 2023.'


def test_a_note_is_made_once_per_source_row_and_reused():
    sources = pd.DataFrame([
        {"id": "a", "title": "A", "publisher": "P", "published": pd.Timestamp("2020-01-01")},
        {"id": "b", "title": "B", "publisher": "Q", "accessed": pd.Timestamp("2021-02-03")},
    ]).set_index("id", drop=False)
    notes = Notes(sources)
    calls = [notes.cite("a"), notes.cite("b"), notes.cite("a")]
    assert [(n.number, first) for n, first in calls] == [(1, True), (2, True), (1, False)]
    assert len(notes.notes) == 2


def test_note_html_escapes_text_and_links_only_whole_urls():
    """A URL that holds another URL as a substring cannot break out of its link (hostile sources.csv)."""
    evil = "https://e.org/autofocus/onfocus=alert(document.domain)//x https://e.org/autofocus/onfocus=alert(document.domain)//"
    note = Note(1, "a", f'"Quotes \" & <b>tags</b>", P. {evil}')
    macros = html._env.get_template("macros.html.j2").module
    out = str(macros.note_text(note))
    assert "&lt;b&gt;tags&lt;/b&gt;" in out and "<b>" not in out
    links = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            links.append((tag, [name for name, _ in attrs]))

    Links().feed(out)
    assert links == [("a", ["href"]), ("a", ["href"])]


def test_unknown_source_id_is_named():
    notes = Notes(pd.DataFrame([{"id": "a", "title": "A", "publisher": "P"}]).set_index("id", drop=False))
    with pytest.raises(DataPackageError, match='Unknown source "nope"'):
        notes.cite("nope")


def test_a_source_cited_again_for_another_row_takes_the_short_form():
    sources = pd.DataFrame([{"id": "imf", "title": "DOTS", "publisher": "IMF", "accessed": pd.Timestamp("2022-02-02"),
                             "url": "https://data.imf.org"}]).set_index("id", drop=False)
    notes = Notes(sources)
    first, _ = notes.cite(Ref("imf", "Pakistan's trade with Belarus, 2019"))
    second, _ = notes.cite(Ref("imf", "Pakistan's trade with Belarus, 2020"))
    assert first.text == ('"DOTS", IMF, accessed on February 2, 2022; Pakistan\'s trade with Belarus, 2019. '
                          "https://data.imf.org")
    assert second.text == '"DOTS"; Pakistan\'s trade with Belarus, 2020.'
