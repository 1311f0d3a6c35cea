"""What a worker keeps from brief to brief in export: lent to one thread at a time, renewed, and
never a cause of different bytes."""
from __future__ import annotations

import threading

import pytest

from briefkit import export
from briefkit.export import Kept


def test_a_kept_thing_is_lent_again_once_given_back():
    kept = Kept(object, uses=3)
    with kept.lent() as first:
        pass
    with kept.lent() as again:
        assert again is first


def test_two_threads_at_once_never_share_one():
    kept = Kept(object)
    inside, seen = threading.Barrier(2), []

    def use():
        with kept.lent() as thing:
            seen.append(thing)
            inside.wait(timeout=5)  # both hold theirs at the same time

    threads = [threading.Thread(target=use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 2 and seen[0] is not seen[1]
    assert len(kept.free) == 2  # both given back, for the next two briefs


def test_a_kept_thing_is_renewed_after_its_uses():
    kept = Kept(object, uses=2)
    lent = []
    for _ in range(3):
        with kept.lent() as thing:
            lent.append(thing)
    assert lent[0] is lent[1] and lent[2] is not lent[1]


def test_one_that_failed_is_not_taken_back():
    kept = Kept(object)
    with pytest.raises(RuntimeError):
        with kept.lent() as broken:
            raise RuntimeError("the layout failed")
    with kept.lent() as next_one:
        assert next_one is not broken


SAMPLE = f"<html><head><style>body {{ font-family: 'Noto Serif' }}</style></head><body>{export.SAMPLE}</body></html>"


def test_the_pdf_loads_fonts_once_per_process_and_its_bytes_do_not_change(monkeypatch):
    made = []

    def count():
        made.append(export._font_configuration())
        return made[-1]

    monkeypatch.setattr(export, "FONT_CONFIGURATIONS", Kept(count))
    first, second = export.pdf(SAMPLE), export.pdf(SAMPLE)
    assert len(made) == 1  # the second PDF found the fonts of the first
    monkeypatch.setattr(export, "FONT_CONFIGURATIONS", Kept(count))
    fresh = export.pdf(SAMPLE)
    assert len(made) == 2
    assert first == second == fresh


def test_the_html_exporter_is_made_once(monkeypatch, tmp_path):
    import nbformat

    made = []

    def count():
        made.append(export.BriefHTMLExporter())
        return made[-1]

    monkeypatch.setattr(export, "HTML_EXPORTERS", Kept(count))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": export.SAMPLE})])])
    pages = [export.export(nb, ("html",), tmp_path, f"b{i}")["html"].read_text() for i in range(2)]
    assert len(made) == 1
    assert pages[0] == pages[1].replace("b1", "b0")


def test_a_worker_frees_the_cycles_a_brief_left_between_briefs():
    import gc
    import weakref

    from briefkit.batch.worker import release_memory

    class Box:  # as WeasyPrint's boxes: each points to its parent, its parent to it
        pass

    parent, child = Box(), Box()
    parent.child, child.parent = child, parent
    alive = weakref.ref(parent)
    del parent, child
    enabled = gc.isenabled()
    gc.disable()  # only release_memory may collect it
    try:
        assert alive() is not None
        release_memory()
        assert alive() is None
    finally:
        if enabled:
            gc.enable()


def test_a_worker_sets_what_outlives_its_first_brief_aside_once():
    """After its first brief a worker freezes what is alive (gc.freeze): its modules and kept
    exporters are then never walked by a collection again. Only once: what later briefs leave is
    collected as usual. (In a child process: freezing this one would change the other tests.)"""
    import subprocess
    import sys

    code = ("import gc\nfrom briefkit.batch.worker import settle\n"
            "settle(); first = gc.get_freeze_count()\n"
            "later = [[i] for i in range(1000)]\n"
            "settle(); print(first, gc.get_freeze_count())")
    first, after = map(int, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout.split())
    assert first > 1000 and after == first


def test_weasyprint_finds_its_libraries_with_one_listing():
    """Importing WeasyPrint ran ldconfig, gcc and ld 54 times (each name it tries for each
    library); under export.libraries_listed_once it runs one process, and finds every library."""
    import subprocess
    import sys

    code = ("import ctypes.util, subprocess\n"
            "started = []\n"
            "class Counted(subprocess.Popen):\n"
            "    def __init__(self, args, *a, **k):\n"
            "        started.append(args[0]); super().__init__(args, *a, **k)\n"
            "subprocess.Popen = Counted\n"
            "before = ctypes.util.find_library\n"
            "from briefkit.export import libraries_listed_once\n"
            "with libraries_listed_once():\n"
            "    from weasyprint.text import ffi\n"
            "print(len(started), ctypes.util.find_library is before,"
            " all((ffi.gobject, ffi.pango, ffi.harfbuzz, ffi.fontconfig, ffi.pangoft2)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1", "True", "True"]


def test_an_export_validates_the_notebook_once(monkeypatch):
    """nbconvert validates after each preprocessor unless told otherwise: once is enough, after all."""
    import nbformat
    from nbconvert.exporters import exporter as nbconvert_exporter

    page = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": export.SAMPLE})])])
    checked = []
    monkeypatch.setattr(nbconvert_exporter.nbformat, "validate", lambda nb, **kw: checked.append(nb))
    with export.HTML_EXPORTERS.lent() as exporter:
        exporter.from_notebook_node(page, resources={"metadata": {"name": "-"}})
    assert len(checked) == 1


def test_the_page_is_made_without_the_claims_ledger_and_the_notebook_keeps_it():
    """The ledger (metadata and last output) is written beside the brief; the page does not show it,
    so the exporter is given the notebook without it, and makes the same page."""
    import copy

    import nbformat

    from briefkit.content.ledger import OUTPUT_KEY
    from briefkit.render import claims_of

    ledger = {"format": "briefkit-claims/1", "claims": [{"id": f"c{n}", "values": [{"rows": [{"year": n}]}]}
                                                       for n in range(50)]}

    def page(with_ledger: bool):
        out = nbformat.v4.new_output("display_data", data={"text/html": export.SAMPLE})
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[out])])
        nb.metadata["briefkit"] = {"parameters": {"country_a": "PAK", "country_b": "BLR"}}
        if with_ledger:
            out.metadata["text/html"] = {OUTPUT_KEY: copy.deepcopy(ledger)}
            nb.metadata["briefkit"]["claims"] = copy.deepcopy(ledger)
        return nb

    full = page(True)
    kept = nbformat.writes(full)
    lean = export.without_claims(full)
    assert claims_of(lean) is None and "claims" not in lean.metadata.briefkit
    assert nbformat.writes(full) == kept and claims_of(full) == ledger
    with export.HTML_EXPORTERS.lent() as exporter:
        mine, _ = exporter.from_notebook_node(full, resources={"metadata": {"name": "-"}})
        plain, _ = exporter.from_notebook_node(page(False), resources={"metadata": {"name": "-"}})
    assert mine == plain


def _page_of(html: str):
    import nbformat

    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": html})])])


def _parsed(html: str) -> list:
    """What a browser reads of a page: elements with their attributes as a set, and text."""
    from html.parser import HTMLParser

    events = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            events.append(("<", tag, frozenset(attrs)))

        def handle_endtag(self, tag):
            events.append((">", tag))

        def handle_data(self, data):
            if data.strip():
                events.append(("text", data))

    Reader().feed(html)
    return events


def test_the_page_is_nbconverts_page_without_its_second_pass():
    """The exporter takes the page as the template writes it: nbconvert's own export parses it once
    more (BeautifulSoup) only to sort attributes, since the house page has no image without alt text.
    Same elements, attributes and text; only the attributes' order and blank lines differ."""
    from nbconvert.exporters import HTMLExporter

    figure = '<figure><img alt="Figure 1 (Trade)" src="data:image/png;base64,iVBORw0KGgo="></figure>'
    with export.HTML_EXPORTERS.lent() as exporter:
        nb = _page_of(export.SAMPLE + figure)
        mine, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": "-"}})
        theirs, _ = HTMLExporter.from_notebook_node(exporter, nb, resources={"metadata": {"name": "-"}})
    assert export._as_written(), "this nbconvert's HTMLExporter is not the one briefkit knows: see TEMPLATED_KNOWN"
    assert mine != export.sanitize(theirs)  # nbconvert's pass did write the page again ...
    assert _parsed(mine) == _parsed(export.sanitize(theirs))  # ... to the same page


def test_an_image_without_alt_text_still_gets_nbconverts_description():
    undescribed = '<p><img src="data:image/png;base64,iVBORw0KGgo="></p>'
    with export.HTML_EXPORTERS.lent() as exporter:
        page, _ = exporter.from_notebook_node(_page_of(undescribed), resources={"metadata": {"name": "-"}})
    assert 'alt="No description has been provided for this image"' in page


@pytest.mark.parametrize("tag, described", [
    ('<img src="x.png">', False), ('<img data-alt="x" src="x.png">', False), ("<IMG\nsrc='x'>", False),
    ('<img alt="" src="x.png">', True), ('<img src="x.png" alt="Figure 2">', True), ("<img\nalt='a'>", True),
])
def test_images_without_alt_text_are_found(tag, described):
    assert bool(export.UNDESCRIBED.search(tag)) is not described
