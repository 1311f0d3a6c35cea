"""The brief's page read into WeasyPrint's document tree by Python's own HTML parser.

WeasyPrint reads a page with tinyhtml5, an HTML5 parser written in Python: 32 ms for a brief's
page (200 KB, most of it the charts' data URIs), about 4 % of its PDF. The page briefkit gives it
is the house template's, written out by the sanitizer (briefkit.htmlsafety): every element is
closed by its end tag, every table row sits in a tbody, nothing is in SVG or MathML. Such a page
builds the same tree whatever reads it, and html.parser (regular expressions in C) reads it in
3 ms. Here it is read so, into the tree tinyhtml5 builds: the html element at the root with its
head and body, whitespace between head and body kept, whitespace before the head and before the
html element dropped, whitespace after the body's end tag put at the end of the body, a newline
right after <pre> dropped.

Only a page this reader can vouch for is read so. Anything whose tree HTML5's rules would build
otherwise sends the page to tinyhtml5 whole: an element outside the house set, an end tag that
closes no open element, a block opened inside a paragraph, a list item outside a list, text or a
row straight in a table, a comment, a carriage return or NUL, an entity other than the plain ones,
an element with "/>" that is not void. The tree is then the same either way, so the PDF is the same
byte for byte; a tinyhtml5 whose parse is not the one this was written against (KNOWN) reads every
page itself.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from io import StringIO

from . import patches

KNOWN = {"96cbcbb8fe5ef6e0"}  # tinyhtml5.parse of tinyhtml5 2.1

HEAD = {"meta", "title", "style"}
BODY = {
    "article", "header", "footer", "section", "div", "span", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5",
    "h6", "a", "b", "i", "em", "strong", "small", "sub", "sup", "code", "pre", "blockquote", "q", "abbr", "ul",
    "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "img", "table", "caption", "colgroup", "col", "thead",
    "tbody", "tfoot", "tr", "th", "td",
}
VOID = {"meta", "br", "hr", "img", "col"}
# Start tags that close an open <p> in HTML5 (those of BODY).
CLOSES_P = {"article", "header", "footer", "section", "div", "p", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
            "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "table"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# What HTML5 lets stand where it stands inside a table; anything else there is moved or implied.
IN_TABLE = {
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot"},
    "thead": {"tr"}, "tbody": {"tr"}, "tfoot": {"tr"},
    "tr": {"td", "th"},
    "colgroup": {"col"},
}
PLAIN_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|nbsp|#[0-9]+|#[xX][0-9a-fA-F]+);)")
# What the two parsers may read differently: CR, NUL, comments and other <! and <? markup, foreign
# markup, a "<" that opens no tag, an end tag that is not plain.
UNREADABLE = re.compile(r"[\r\x00]|<!(?!doctype html>)|<\?|<svg|<math|<(?![a-z/!])|</(?![a-z][a-z0-9]*\s*>)", re.I)
# A start tag as the sanitizer writes it: attribute values in double quotes.
START_TAG = re.compile(r"<[a-z][a-z0-9]*(?:\s+[^\s\"'>/=\x00-\x1f]+(?:=\"[^\"]*\")?)*\s*/?>", re.I)


class Unsure(Exception):
    """The page holds something HTML5's rules might build otherwise: tinyhtml5 reads it."""


def install() -> bool:
    """Read the house pages with html.parser in this process; return whether it is in use."""
    import tinyhtml5

    return patches.replace(tinyhtml5, "parse", KNOWN, _house_pages_first)


def _house_pages_first(original):
    def parse(document, namespace_html_elements=True, **kwargs):
        text = document.getvalue() if isinstance(document, StringIO) and not document.tell() else document
        if isinstance(text, str) and not namespace_html_elements and not kwargs:
            try:
                return tree(text)
            except Unsure:
                pass
        return original(document, namespace_html_elements, **kwargs)

    return parse


def tree(page: str) -> ET.Element:
    """The tree tinyhtml5 builds for `page` (namespace_html_elements=False); Unsure if not certain."""
    if UNREADABLE.search(page) or PLAIN_ENTITY.search(page):
        raise Unsure("a comment, CDATA, foreign markup, CR, NUL or an entity")
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader.done()


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root: ET.Element | None = None
        self.open: list[ET.Element] = []
        self.mode = "before html"  # then "before head", "in head", "after head", "in body", "after body"
        self.after_pre = False

    # ---- tags -------------------------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self.after_pre = False
        if not START_TAG.fullmatch(self.get_starttag_text() or ""):
            raise Unsure(f"<{tag}> written otherwise than the sanitizer writes it")
        attrib = {}
        for name, value in attrs:
            attrib.setdefault(name, "" if value is None else value)  # HTML5: the first of a name wins
        if tag == "html":
            self._expect("before html")
            self.root = ET.Element("html", attrib)
            self.open, self.mode = [self.root], "before head"
        elif tag == "head":
            self._expect("before head")
            self.open.append(ET.SubElement(self.root, "head", attrib))
            self.mode = "in head"
        elif tag == "body":
            self._expect("after head")
            self.open.append(ET.SubElement(self.root, "body", attrib))
            self.mode = "in body"
        elif self.mode == "in head" and tag in HEAD:
            self._element(tag, attrib)
        elif self.mode == "in body" and tag in BODY:
            self._check_place(tag)
            self._element(tag, attrib)
            self.after_pre = tag == "pre"
        else:
            raise Unsure(f"<{tag}> in {self.mode}")

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            raise Unsure(f"<{tag}/>: HTML5 leaves it open")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.after_pre = False
        if tag in VOID:
            raise Unsure(f"</{tag}>")
        if tag == "body" and self.mode == "in body" and self.open[-1].tag == "body":
            self.mode = "after body"  # HTML5 keeps the body open: what whitespace follows goes in it
        elif tag == "html" and self.mode == "after body":
            pass
        elif tag == "head" and self.mode == "in head" and self.open[-1].tag == "head":
            self.open.pop()
            self.mode = "after head"
        elif self.mode in ("in head", "in body") and self.open[-1].tag == tag and tag not in ("html", "head", "body"):
            self.open.pop()
        else:
            raise Unsure(f"</{tag}> with <{self.open[-1].tag if self.open else ''}> open, {self.mode}")

    def handle_data(self, data):
        if self.after_pre and data.startswith("\n"):
            data = data[1:]  # HTML5 drops the newline that follows <pre>
        self.after_pre = False
        if not data:
            return
        blank = not data.strip(" \t\n\f")
        if self.mode in ("before html", "before head"):
            if not blank:
                raise Unsure("text before the head")
            return
        if self.mode == "after body":
            if not blank:
                raise Unsure("text after the body")
        elif self.mode == "after head" and not blank:
            raise Unsure("text between head and body")
        elif self.mode == "in head" and self.open[-1].tag == "head" and not blank:
            raise Unsure("text in the head")
        elif self.open[-1].tag in IN_TABLE and not blank:
            raise Unsure(f"text straight in <{self.open[-1].tag}>")
        self._text(self.open[-1], data)

    def handle_decl(self, decl):
        if self.mode != "before html" or decl.lower() != "doctype html":
            raise Unsure(f"<!{decl}>")

    def handle_comment(self, data):
        raise Unsure("a comment")

    def handle_pi(self, data):
        raise Unsure("a processing instruction")

    def unknown_decl(self, data):
        raise Unsure(f"<![{data}")

    # ---- building -------------------------------------------------------------------------------------
    def _expect(self, mode: str) -> None:
        if self.mode != mode:
            raise Unsure(f"out of order ({self.mode})")

    def _check_place(self, tag: str) -> None:
        """Unsure where HTML5 would put `tag` anywhere but inside the current element."""
        current = self.open[-1].tag
        tags = [e.tag for e in self.open]
        if current in IN_TABLE:
            if tag not in IN_TABLE[current]:
                raise Unsure(f"<{tag}> straight in <{current}>")
        elif tag in ("caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"):
            if not (tag in ("td", "th") and current == "tr"):
                raise Unsure(f"<{tag}> outside its table part")
        if tag in CLOSES_P and "p" in tags:
            raise Unsure(f"<{tag}> inside a paragraph")
        if tag == "li" and current not in ("ul", "ol"):
            raise Unsure("a list item outside a list")
        if tag in ("dd", "dt") and current != "dl":
            raise Unsure(f"<{tag}> outside a definition list")
        if tag in HEADINGS and current in HEADINGS:
            raise Unsure("a heading in a heading")
        if tag == "a" and "a" in tags:
            raise Unsure("a link in a link")

    def _element(self, tag: str, attrib: dict) -> None:
        element = ET.SubElement(self.open[-1], tag, attrib)
        if tag not in VOID:
            self.open.append(element)

    @staticmethod
    def _text(parent: ET.Element, data: str) -> None:
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data

    def done(self) -> ET.Element:
        if self.root is None or self.mode != "after body":
            raise Unsure("no complete html, head and body")
        return self.root
