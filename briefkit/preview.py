"""The brief as the analyst writes it: rendered again on every save, and reloaded in the browser.

    briefkit preview PAK BLR   →  http://127.0.0.1:8000/

One loop, in one thread: watch the files the brief reads (the pair's prose, every file of the data
package, the notebook); when one is saved, render the HTML again with render(..., reuse_kernel=True),
so that the kernel kept from the last render (briefkit.kernel) runs the notebook without starting,
and this process has papermill, nbconvert and the template loaded. The kept kernel belongs to the
thread that rendered, which is why every render happens in the loop's thread.

A small HTTP server, bound to 127.0.0.1 only, serves the latest good HTML with a script added that
listens for server-sent events (/events) and reloads the page when a new render is ready; a failed
render shows its one-line error over the last good page. Nothing else is served.
"""
from __future__ import annotations

import hashlib
import html
import json
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from .errors import BriefkitError
from .execute import NOTEBOOK

HOST = "127.0.0.1"
POLL = 0.1      # seconds between looks at the watched files
SETTLE = 0.05   # a save is taken once the files have stopped changing for this long
SCRIPT = """<script>(function () {{
  function failed(message) {{
    var bar = document.getElementById("briefkit-preview-error") || document.createElement("pre");
    bar.id = "briefkit-preview-error";
    bar.style.cssText = "position:fixed;top:0;left:0;right:0;margin:0;padding:.6em 1em;z-index:9;" +
      "white-space:pre-wrap;background:#a4343a;color:#fff;font:13px/1.4 monospace";
    bar.textContent = message;
    document.body.prepend(bar);
  }}
  var error = {error};
  if (error) {{ document.addEventListener("DOMContentLoaded", function () {{ failed(error); }}); }}
  var events = new EventSource("/events?since={version}");
  events.addEventListener("reload", function () {{ events.close(); location.reload(); }});
  events.addEventListener("failed", function (e) {{ failed(JSON.parse(e.data).error); }});
}})();</script>"""
WAITING = "<!DOCTYPE html><html><head><title>briefkit preview</title></head><body><p>{message}</p></body></html>"


@dataclass
class State:
    """What the server shows: the version of the latest render, its HTML file, the last error."""

    version: int = 0
    page: Path | None = None
    error: str | None = None
    renders: list = field(default_factory=list)  # (version, seconds, ok) of each render
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, page: Path | None, error: str | None, seconds: float) -> None:
        with self.changed:
            self.version += 1
            if page is not None:
                self.page = page
            self.error = error
            self.renders.append((self.version, seconds, error is None))
            self.changed.notify_all()


def watched_files(data_dir: Path, notebook: Path, output: Path) -> list[Path]:
    """Every file of the data package folder (prose and schemas included), and the notebook;
    not the preview's own output, should it lie in the package's folder."""
    files = [p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith(".")
             and output not in p.parents]
    return sorted(files) + [notebook]


def snapshot(data_dir: Path, notebook: Path, output: Path) -> dict[str, tuple[int, int]]:
    """Each watched file's modification time and size."""
    found = {}
    for path in watched_files(data_dir, notebook, output):
        try:
            st = path.stat()
        except OSError:
            continue  # an editor's save may replace a file: it is seen again on the next look
        found[str(path)] = (st.st_mtime_ns, st.st_size)
    return found


class Handler(BaseHTTPRequestHandler):
    state: State  # set on the server's subclass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        if url.path == "/":
            return self._page()
        if url.path == "/events":
            return self._events(int(parse_qs(url.query).get("since", ["0"])[0] or 0))
        if url.path == "/status":
            with self.state.changed:
                body = {"version": self.state.version, "error": self.state.error, "renders": self.state.renders}
            return self._send(200, "application/json", json.dumps(body).encode())
        self._send(404, "text/plain; charset=utf-8", b"Not found: the preview serves / only\n")

    def _page(self) -> None:
        with self.state.changed:
            version, page, error = self.state.version, self.state.page, self.state.error
        if page is None:
            text = WAITING.format(message=html.escape(error or "Rendering the brief…"))
        else:
            text = page.read_text(encoding="utf-8")
        # the last good page, with a failed render's error over it; "</" kept out of the script
        script = SCRIPT.format(version=version, error=json.dumps(error).replace("</", "<\\/"))
        at = text.rfind("</body>")
        text = text[:at] + script + text[at:] if at >= 0 else text + script
        self._send(200, "text/html; charset=utf-8", text.encode("utf-8"), cache=False)

    def _events(self, since: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = since
        try:
            while True:
                with self.state.changed:
                    self.state.changed.wait_for(lambda: self.state.version != seen, timeout=15)
                    version, error = self.state.version, self.state.error
                if version == seen:
                    self.wfile.write(b": still here\n\n")
                elif error:
                    self.wfile.write(f"event: failed\ndata: {json.dumps({'error': error})}\n\n".encode())
                else:
                    self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away (reloaded or closed)

    def _send(self, code: int, kind: str, body: bytes, cache: bool = True) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if not cache:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # the terminal shows renders, not requests
        pass


REMEMBER_CHARTS = "from briefkit.preview import remember_charts; remember_charts()"


def remember_charts() -> None:
    """Run in the preview's kernel: a chart is drawn again only when the figures it plots (or the
    names in its title) changed, not on every save of the prose. Drawing is most of a warm render;
    the same inputs give the same SVG bytes (charts fix the SVG ids), so the page is the same."""
    import pandas as pd

    from .content import charts

    draw = charts.draw
    if getattr(draw, "remembers", False) or not hasattr(charts, "_both_sides"):
        return
    memo: dict = {}

    def remembered(name, facts):
        try:
            plotted = charts._both_sides(facts)
        except Exception:
            return draw(name, facts)  # the chart's own error, as without a memo
        digest = hashlib.sha256(pd.util.hash_pandas_object(plotted).to_numpy().tobytes())
        digest.update(repr((list(plotted.columns), list(plotted.dtypes.astype(str)))).encode())
        key = (name, tuple(facts.names.items()), digest.hexdigest())
        if key not in memo:
            memo[key] = draw(name, facts)
        return memo[key]

    remembered.remembers = True
    charts.draw = remembered


def serve(state: State, port: int = 8000) -> ThreadingHTTPServer:
    """Start the server on 127.0.0.1:port (0: any free port) in a daemon thread."""
    handler = type("PreviewHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="briefkit-preview-server", daemon=True).start()
    return server


def preview(country_a: str, country_b: str, output="build/preview", data=None, port: int = 8000,
            notebook=None, open_browser: bool = True, log: Callable[[str], None] | None = None,
            stop: threading.Event | None = None, **extra) -> State:
    """Render, serve, and render again on every save until interrupted (or `stop` is set)."""
    from . import params as paramlib
    from .datapackage import open_package
    from .kernel import kept_kernel
    from .render import render

    say = log or (lambda line: print(line, flush=True))
    notebook = Path(notebook or NOTEBOOK).absolute()
    package = open_package(data)  # checked before any kernel starts, as render does
    checked = paramlib.check(package, country_a, country_b, **extra)
    data_dir, output = package.directory, Path(output).absolute()
    state = State()
    try:
        server = serve(state, port)
    except OSError as exc:
        raise BriefkitError(f"Cannot listen on {HOST}:{port} ({exc.strerror}): choose another --port") from None
    address = f"http://{HOST}:{server.server_address[1]}/"
    say(f"preview of {checked.pair} at {address} (Ctrl-C to stop); watching {data_dir} and {notebook}")

    def once() -> None:
        t0 = time.perf_counter()
        try:
            done = render(checked.country_a, checked.country_b, output=output, formats=("html",),
                          data=str(data_dir), notebook=notebook, reuse_kernel=True, **extra)
        except BriefkitError as exc:
            state.publish(None, str(exc), time.perf_counter() - t0)
            say(f"failed: {exc}")
        else:
            state.publish(done.files["html"], None, time.perf_counter() - t0)
            say(f"rendered {done.pair} in {time.perf_counter() - t0:.2f} s")
        kernel = kept_kernel()  # a new one after a failed brief, or after kernel.REUSE briefs
        if kernel is not None and not getattr(kernel, "remembers_charts", False):
            try:
                kernel.run(REMEMBER_CHARTS)
                kernel.remembers_charts = True
            except RuntimeError:
                pass  # charts are then drawn on every save: slower, never wrong

    stop = stop or threading.Event()
    try:
        seen = snapshot(data_dir, notebook, output)
        once()
        if open_browser:
            webbrowser.open(address)
        while not stop.wait(POLL):
            now = snapshot(data_dir, notebook, output)
            if now == seen:
                continue
            while not stop.wait(SETTLE):  # an editor may write a file in several steps
                settled = snapshot(data_dir, notebook, output)
                if settled == now:
                    break
                now = settled
            seen = now
            once()
    except KeyboardInterrupt:
        say("preview stopped")
    finally:
        server.shutdown()
        server.server_close()
        kernel = kept_kernel()
        if kernel is not None:
            kernel.close()
    return state

