"""What a brief's HTML may hold, and what its renderers may fetch.

Text from the data reaches HTML through escaping; this module is the last guard behind that, so a
future bug cannot publish a script or an event handler:

    html = sanitize(html)          # nh3 (ammonia) with the house template's allow-list
    weasyprint.HTML(string=html, url_fetcher=Fetcher())   # data: URIs and the template's files only

An image whose source is anything but a `data:image/...` URI is refused with an ExportError naming
it: a brief is one self-contained file, and nothing it holds makes a reader's browser or the PDF
engine reach a server or read a local file.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import ExportError, shown

# The elements the house template and brief.py emit, and what Markdown prose may produce.
TAGS = {
    "article", "header", "footer", "section", "div", "span", "p", "br", "hr", "h1", "h2", "h3", "h4",
    "a", "b", "i", "em", "strong", "small", "sub", "sup", "code", "pre", "blockquote", "q", "abbr",
    "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "img",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}
ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "li": {"value"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# The document's head, which only the template writes: its stylesheet and metadata.
HEAD_TAGS = {"meta", "title", "style"}
HEAD_ATTRIBUTES = {"meta": {"charset", "name", "content"}}
IMAGE_TYPES = ("data:image/svg+xml;", "data:image/png;", "data:image/jpeg;")
LINK_SCHEMES = ("http://", "https://", "mailto:", "#")
HEAD, BODY = "<head>", "<body>"


def sanitize(html: str) -> str:
    """The brief's HTML with only the allow-listed elements and attributes; event handlers,
    scripts, forms, frames, links to other schemes and stylesheets outside the head are removed.
    Raises ExportError for an image that is not embedded in the page."""
    import nh3

    start, head = html.find(HEAD), html.find(BODY)
    if start < 0 or head < start:
        raise ExportError("The brief's HTML has no <head> and <body>: check templates/briefkit/index.html.j2")
    end = html.rfind("</body>")
    refused: list[str] = []

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "src":
            if element == "img" and value.startswith(IMAGE_TYPES):
                return value
            if element == "img":
                refused.append(value)
            return None
        if attribute == "href":
            return value if value.startswith(LINK_SCHEMES) else None
        return value

    top = nh3.clean(html[start + len(HEAD):head], tags=HEAD_TAGS, attributes=HEAD_ATTRIBUTES,
                    clean_content_tags={"script"}, link_rel=None)
    body = nh3.clean(html[head + len(BODY):end if end > head else len(html)], tags=TAGS, attributes=ATTRIBUTES,
                     attribute_filter=keep, generic_attribute_prefixes={"data-"}, link_rel=None,
                     url_schemes={"http", "https", "mailto", "data", "file", "ftp"})  # the filter decides
    if refused:
        raise ExportError(f'The brief shows an image from "{shown(refused[0])}", which briefkit does not fetch: '
                          f"remove it from the prose or data (a brief embeds its figures itself)")
    return f'{html[:start]}{HEAD}{top}</head>\n{BODY}{body}</body>\n</html>\n'


def fetcher(template: Path):
    """WeasyPrint's url_fetcher: `data:` URIs and the files under `template` only; anything else
    stops the PDF with an ExportError naming it (see pdf_error)."""
    from weasyprint.urls import URLFetcher

    root = Path(template).resolve()

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file" and not parsed.netloc:
                path = Path(unquote(parsed.path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return super().fetch(url, headers)
            raise ExportError(f'The PDF engine was asked for "{shown(url)}", which briefkit does not fetch: '
                              f"a brief may use only data: URIs and the files of {root}")

    return Fetcher(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True)


def fetch_error(exc: BaseException) -> ExportError | None:
    """The ExportError a refused fetch raised inside WeasyPrint, if that is what `exc` is."""
    while exc is not None:
        if isinstance(exc, ExportError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None

