"""Reading the pages WeasyPrint laid out: the boxes of a page's text flow, its notes, how much of it
is filled and how much is left empty at its foot. Through WeasyPrint's Document.pages[i]._page_box
(tested with WeasyPrint 70). The names begin with an underscore: they read WeasyPrint's internals,
for paging only."""
from __future__ import annotations

HEADINGS = ("h2", "h3", "h4")
BLOCKS = ("tr", "figure", "li", "p", *HEADINGS, "header", "footer")


def _room(page) -> float:
    """The height left empty at the foot of the page's text, above its notes."""
    box = page._page_box
    area = _note_area(page)
    limit = area.position_y if area is not None and area.children else box.content_box_y() + box.height
    low = max((b.position_y + b.margin_height() for b, _ in _flow(page)
               if type(b).__name__ in ("LineBox", "InlineReplacedBox", "BlockReplacedBox")), default=box.content_box_y())
    return limit - low


def _note_area(page):
    return next((c for c in page._page_box.children if type(c).__name__ == "FootnoteAreaBox"), None)


def _parent(root, element):
    return next((candidate for candidate in root.iter() if element in list(candidate)), None)


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]  # html5lib writes {http://www.w3.org/1999/xhtml}p


def _notes(page) -> list:
    area = next((c for c in page._page_box.children if type(c).__name__ == "FootnoteAreaBox"), None)
    return [n for n in (area.children if area else ()) if n.element is not None]


def _last_line(page):
    """The last line box of the page's text (not of its notes), with its ancestors."""
    last, chain = None, ()
    for box, ancestors in _flow(page):
        if type(box).__name__ == "LineBox" and (last is None or box.position_y >= last.position_y):
            last, chain = box, ancestors
    return last, chain


def _flow(page):
    """(box, its ancestors) for every box of the page's text flow: no margin boxes, no notes."""
    root = next((c for c in page._page_box.children if c.element_tag == "html"), None)
    stack = [(root, ())] if root is not None else []
    while stack:
        box, ancestors = stack.pop()
        yield box, ancestors
        for child in getattr(box, "children", ()):
            if hasattr(child, "element_tag"):
                stack.append((child, ancestors + (box,)))


def fill(page) -> float:
    """The share of the page's text area taken by lines, images and notes."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    spans = sorted((b.position_y, b.position_y + b.margin_height()) for b in box.descendants()
                   if type(b).__name__ in ("LineBox", "InlineReplacedBox", "BlockReplacedBox"))
    covered, reach = 0.0, top
    for a, b in spans:
        a, b = max(a, reach), min(b, top + height)
        if b > a:
            covered += b - a
            reach = b
    return covered / height if height else 1.0
