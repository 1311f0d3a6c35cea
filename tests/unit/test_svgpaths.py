"""Chart paths drawn by briefkit.svgpaths: the same PDF as WeasyPrint's own path reader, quicker."""
from __future__ import annotations

from base64 import b64encode

import pytest
import weasyprint
from weasyprint import svg

from briefkit import svgpaths

# Written as a chart writes them (briefkit/content/svg.py): markers merged into one path, an axis
# frame, a line of a series; and one path of each kind the quick reader leaves to WeasyPrint.
CIRCLE = "M 10 11.5 C 10.4 11.5 10.8 11.3 11.1 11.1 C 11.3 10.8 11.5 10.4 11.5 10 C 11.5 9.6 11.3 9.2 11.1 8.9 z"
PLAIN = [
    " ".join(CIRCLE.replace("10", str(10 + 7 * i)) for i in range(6)),
    "M 0 274.76752  L 357.737 274.76752  L 357.737 0  L 0 0  z ",
    "M 54.27 54.3  L 59.75 57.01  L 65.23 48.56  L 70.7 20.35",
    "M 5 5 15 5 15 15 Z M 20 20 L 30 30",   # a move's further pairs are lines
    "M -36 36  L 36 -36  M -33 39  L 39 -33",
]
OTHERS = [
    "M10,10 L20,20",             # commas
    "m 10 10 l 5 5",             # relative commands
    "M 10 10 H 30 V 40 Z",       # horizontal and vertical lines
    "M 10 10 Q 20 0 30 10",      # quadratic curve
    "M 10 10 A 5 5 0 0 1 20 20",  # arc
    "M 1e1 10 L 20 20",          # exponent
    "M 10 10 L 20",              # an odd number of numbers
    "10 10 L 20 20",             # numbers before any command
]


def _page(paths: list[str]) -> str:
    """A page with the paths in an SVG image, as a brief holds its charts."""
    drawn = "".join(f'<path d="{d}" style="fill: none; stroke: #0b3d6b; stroke-width: 0.8"/>' for d in paths)
    image = (f'<svg xmlns="http://www.w3.org/2000/svg" width="360pt" height="280pt" viewBox="0 0 360 280">'
             f'{drawn}</svg>')
    return f'<html><body><img src="data:image/svg+xml;base64,{b64encode(image.encode()).decode()}"></body></html>'



def _pdf(page: str) -> bytes:
    return weasyprint.HTML(string=page).write_pdf(pdf_identifier=b"same", uncompressed_pdf=True)


@pytest.fixture
def quick():
    assert svgpaths.install(), "this WeasyPrint's SVG path reader is not the one briefkit knows: see KNOWN"
    return svg.TAGS["path"]


def test_plain_paths_are_read_as_commands_of_whole_groups():
    assert svgpaths.commands_of("M 5 5 15 5 C 1 2 3 4 5 6 z") == [
        ("M", (5.0, 5.0)), ("L", (15.0, 5.0)), ("C", (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)), ("z", ())]
    for d in OTHERS:
        assert svgpaths.commands_of(d) is None, d


def test_plain_paths_are_drawn_as_weasyprints_own_reader_draws_them(quick, monkeypatch):
    ours = _pdf(_page(PLAIN))
    monkeypatch.setitem(svg.TAGS, "path", quick.original)
    own = _pdf(_page(PLAIN))
    assert ours == own
    assert b" c\n" in ours and b" l\n" in ours  # curves and lines were drawn at all


def test_every_other_path_goes_to_weasyprints_own_reader(quick, monkeypatch):
    called, own = [], quick.original

    def original(svg_, node, font_size):
        called.append(node.get("d"))
        return own(svg_, node, font_size)

    monkeypatch.setitem(svg.TAGS, "path", svgpaths._plain_paths_first(original))
    _pdf(_page(PLAIN + OTHERS[:6]))
    assert called == OTHERS[:6]


def test_vertices_are_those_markers_read(quick):
    """Markers (marker-start/mid/end) are placed from the vertices a path leaves."""
    class Node(dict):
        def __init__(self, d):
            super().__init__(d=d)
            self.vertices = []

    class Stream:
        def __getattr__(self, name):
            return lambda *args: None

    class Owner:
        stream = Stream()

        def point(self, x, y, font_size):
            return float(x), float(y)

    for d in PLAIN:
        ours, own = Node(d), Node(d)
        quick(Owner(), ours, 10)
        quick.original(Owner(), own, 10)
        assert list(ours.vertices) == list(own.vertices), d
