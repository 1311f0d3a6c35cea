"""What a brief's HTML may hold and what its renderers may fetch: escaping, the allow-list, the fetcher."""
from __future__ import annotations

import http.server
import threading

import pytest

from briefkit.content import html as content_html
from briefkit.content.notes import Note
from briefkit.errors import ExportError, shown
from briefkit.htmlsafety import sanitize


def note_html(note: Note) -> str:
    return str(content_html._env.get_template("macros.html.j2").module.note_text(note))

PAYLOAD = ("https://e.org/autofocus/onfocus=alert(document.domain)//x "
           "https://e.org/autofocus/onfocus=alert(document.domain)//")


def page(body: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>T</title>\n<style>p {{ color: red }}</style>\n</head>\n<body>\n{body}\n</body>\n</html>'


def test_a_url_that_contains_another_cannot_break_out_of_its_link():
    html = note_html(Note(1, "x", f'"Title", Publisher. {PAYLOAD}'))
    assert html.count("<a ") == 2
    assert html.count('href="') == 2
    assert "onfocus=" not in html.replace("/onfocus=", "")  # only inside the URLs, never as an attribute
    assert 'href="https://e.org/autofocus/onfocus=alert(document.domain)//x"' in html
    assert html.startswith("&#34;Title&#34;, Publisher. <a ")


def test_a_note_keeps_its_text_its_spacing_and_escapes_markup():
    html = note_html(Note(1, "x", "<b>A & B</b>,  see https://a.org/?q=1&r=<2>"))
    assert html == ('&lt;b&gt;A &amp; B&lt;/b&gt;,  see '
                    '<a href="https://a.org/?q=1&amp;r=&lt;2&gt;">https://a.org/?q=1&amp;r=&lt;2&gt;</a>')


@pytest.mark.parametrize("hostile, gone", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="data:image/png;base64,AAAA" onerror="alert(1)">', "onerror"),
    ('<p onclick="alert(1)">x</p>', "onclick"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<iframe src="https://e.org"></iframe>', "<iframe"),
    ('<svg><script>alert(1)</script></svg>', "<script"),
    ('<form action="https://e.org"><input name="q"></form>', "<input"),
    ('<style>body { background: url(https://e.org/t.png) }</style>', "e.org/t.png"),
    ('<object data="https://e.org/x.swf"></object>', "<object"),
], ids=["script", "onerror", "onclick", "javascript-link", "iframe", "svg-script", "form", "body-style", "object"])
def test_the_allow_list_removes_what_a_brief_never_holds(hostile, gone):
    clean = sanitize(page(f'<article class="brief"><p>kept</p>{hostile}</article>'))
    assert gone not in clean
    assert '<article class="brief"><p>kept</p>' in clean
    assert "<style>p { color: red }</style>" in clean  # the template's own stylesheet stays


def test_the_allow_list_keeps_what_the_house_template_needs():
    body = ('<article class="brief"><section class="brief-section" id="history"><h2>H</h2>'
            '<p>x<sup class="fn-call" id="fnref-1"><a href="#fn-1">1</a></sup>'
            '<span class="fn" data-source="s">note <a href="https://e.org/a">https://e.org/a</a></span></p>'
            '<figure class="chart" id="figure-1"><img alt="F" src="data:image/svg+xml;base64,PHN2Zy8+">'
            '<figcaption><span class="caption">F</span></figcaption></figure>'
            '<table class="brief-table"><caption>T</caption><thead><tr><th>a</th></tr></thead>'
            '<tbody><tr><td>1</td></tr></tbody></table>'
            '<ol><li id="fn-1" value="1">n</li></ol></section></article>')
    assert sanitize(page(body)).split("<body>")[1].split("</body>")[0].strip() == body


@pytest.mark.parametrize("src", ["http://127.0.0.1:8765/p.png", "/etc/some.svg", "file:///etc/passwd",
                                 "p.png", "data:text/html;base64,PHNjcmlwdD4="])
def test_an_image_not_embedded_in_the_page_is_refused_by_name(src):
    with pytest.raises(ExportError, match=f'an image from "{src}", which briefkit does not fetch'):
        sanitize(page(f'<p><img src="{src}" alt="r"></p>'))


@pytest.fixture
def server():
    """A local web server that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", hits
    httpd.shutdown()


def test_the_pdf_engine_fetches_no_url_and_names_it(server):
    from briefkit.export import pdf

    base, hits = server
    with pytest.raises(ExportError, match=f'asked for "{base}/p.svg", which briefkit does not fetch'):
        pdf(f'<html><body><p>x</p><img src="{base}/p.svg"></body></html>')
    assert hits == []


def test_the_pdf_engine_reads_no_local_file(tmp_path):
    from briefkit.export import pdf

    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>SECRET</text></svg>')
    with pytest.raises(ExportError, match=f'asked for "file://{secret}"'):
        pdf(f'<html><body><img src="{secret}"></body></html>')


def test_the_pdf_engine_still_takes_data_uris():
    from briefkit.export import pdf

    made = pdf('<html><body><img src="data:image/svg+xml;base64,'
               'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCIvPg=="></body></html>')
    assert made.startswith(b"%PDF-")


@pytest.mark.parametrize("text, expected", [
    ("Belarus", "Belarus"),
    ("Bel\x1b[31marus\x07", "Bel?[31marus?"),
    ("a\nb\rc\td", "a?b?c?d"),
    ("x" * 10_000, "x" * 80 + "… (10,000 characters)"),
], ids=["plain", "escape-sequence", "line-breaks", "huge"])
def test_a_value_echoed_in_an_error_is_printable_and_short(text, expected):
    assert shown(text) == expected
