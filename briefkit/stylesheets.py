"""The brief's stylesheet parsed once per process, not at every layout.

WeasyPrint parses a page's <style> again each time it lays the page out, and paging lays a brief out
two or three times (briefkit/paging.py): parsing and compiling the house stylesheet's selectors was
a third of the time spent on styles. A parsed stylesheet is kept by its text, base URL and media
type, and used again when a page with the same <style> is laid out. Only a page whose one
stylesheet is one <style> element is served from the cache, and only a stylesheet whose parse
registers nothing outside it (no @font-face, @counter-style, @color-profile or @import: the font
configuration, counter styles, colour profiles and URL fetcher are then untouched, and the parsed
sheet depends on its text alone). Anything else, and every WeasyPrint whose find_stylesheets is not
the one this wraps (KNOWN: the digest of its source), is left to WeasyPrint.
"""
from __future__ import annotations

import threading

from . import patches

KNOWN = {"ac92dbb80c3fd936"}  # weasyprint.css.find_stylesheets of WeasyPrint 70
OUTSIDE = ("@font-face", "@counter-style", "@color-profile", "@import")
KEEP = 8  # stylesheets kept (one per house template in use; an analyst's notebook has the same)

_parsed: dict[tuple, object] = {}
_lock = threading.Lock()


def install() -> bool:
    """Keep parsed stylesheets in this process's layouts; return whether it is in use."""
    from weasyprint import css

    return patches.replace(css, "find_stylesheets", KNOWN, _kept)


def _kept(original):
    from weasyprint import css

    def find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url, font_config, *rest):
        styles = list(wrapper_element.query_all("style", "link"))
        element = styles[0].etree_element if len(styles) == 1 else None
        if element is None or element.tag != "style" or element.get("type", "text/css") != "text/css" \
                or element.get("media", "").strip() not in ("", "all"):
            yield from original(wrapper_element, device_media_type, url_fetcher, base_url, font_config, *rest)
            return
        content = css.get_child_text(element)
        if any(rule in content for rule in OUTSIDE):
            yield from original(wrapper_element, device_media_type, url_fetcher, base_url, font_config, *rest)
            return
        key = (content, base_url, device_media_type)
        with _lock:
            sheet = _parsed.get(key)
        if sheet is None:
            sheet = css.CSS(string=content, base_url=base_url, url_fetcher=url_fetcher,
                            media_type=device_media_type, font_config=font_config)
            with _lock:
                if len(_parsed) >= KEEP:
                    _parsed.clear()
                _parsed[key] = sheet
        yield sheet

    return find_stylesheets
