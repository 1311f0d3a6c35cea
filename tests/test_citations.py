import pandas as pd
import pytest

from briefkit.citations import Notes, citation
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


def test_notes_are_numbered_in_call_order_and_escaped():
    sources = pd.DataFrame([
        {"id": "a", "title": 'Quotes " & <b>tags</b>', "publisher": "P", "published": pd.Timestamp("2020-01-01")},
        {"id": "b", "title": "B", "publisher": "Q", "accessed": pd.Timestamp("2021-02-03")},
    ]).set_index("id", drop=False)
    notes = Notes(sources)
    first, second, third = notes.cite("a"), notes.cite("b"), notes.cite("a")
    assert [n.number for n in (first, second, third)] == [1, 2, 3]
    assert "&lt;b&gt;tags&lt;/b&gt;" in first.call_html() and "<b>" not in first.call_html()


def test_unknown_source_id_is_named():
    notes = Notes(pd.DataFrame([{"id": "a", "title": "A", "publisher": "P"}]).set_index("id", drop=False))
    with pytest.raises(DataPackageError, match='Unknown source "nope"'):
        notes.cite("nope")
