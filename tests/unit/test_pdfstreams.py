"""PDF streams compressed at zlib's default level (briefkit.pdfstreams): the same document as
pydyf's own level 9 writes, a little larger, quicker to make."""
from __future__ import annotations

import io
import zlib

import pydyf
import pytest
import weasyprint
from pypdf import PdfReader

from briefkit import pdfstreams

PAGE = ("<html lang=en><style>@page { size: A6; margin: 12mm } body { font: 9pt 'Noto Serif' }</style><body>"
        + "".join(f"<h2>Part {n}</h2><p>{'Trade and visits between the two countries. ' * 20}</p>" for n in range(4))
        + "</body></html>")


@pytest.fixture
def ours():
    assert pdfstreams.install(), "this pydyf's Stream.data is not the one briefkit knows: see KNOWN"
    return pydyf.Stream.data.fget


def _stream(compress: bool) -> pydyf.Stream:
    return pydyf.Stream(["BT", "/F1 9 Tf", 12.5, 0.0, "Td", b"(Trade) Tj", "ET"] * 50, {"Type": "/XObject"}, compress)


def test_an_uncompressed_stream_is_written_as_pydyf_writes_it(ours):
    assert ours(_stream(False)) == ours.original(_stream(False))


def test_a_compressed_stream_holds_the_same_bytes_at_the_default_level(ours):
    mine, own = ours(_stream(True)), ours.original(_stream(True))
    body = lambda data: data.split(b"\nstream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    assert zlib.decompress(body(mine)) == zlib.decompress(body(own))
    raw = zlib.decompress(body(own))
    assert body(mine) == zlib.compress(raw, pdfstreams.LEVEL) and body(own) == zlib.compress(raw, 9)
    assert f"/Length {len(body(mine))}".encode() in mine


def test_a_pdf_is_the_same_document(ours, monkeypatch):
    mine = weasyprint.HTML(string=PAGE).write_pdf(pdf_identifier=b"same")
    monkeypatch.setattr(pydyf.Stream, "data", property(ours.original))
    own = weasyprint.HTML(string=PAGE).write_pdf(pdf_identifier=b"same")
    assert mine != own
    a, b = PdfReader(io.BytesIO(mine)), PdfReader(io.BytesIO(own))
    assert len(a.pages) == len(b.pages) > 1
    for x, y in zip(a.pages, b.pages):
        assert x.get_contents().get_data() == y.get_contents().get_data()
        assert x.extract_text() == y.extract_text()
