"""Debian's chromium, headless, driven over the DevTools protocol (websocket-client): load a page at
a given width, collect console errors, evaluate a script, take a full-page screenshot."""
from __future__ import annotations

import base64
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websocket

BINARIES = ("chromium", "chromium-browser", "google-chrome")


def find() -> str | None:
    return next((path for name in BINARIES if (path := shutil.which(name))), None)


@dataclass
class Loaded:
    width: int
    errors: list[str] = field(default_factory=list)   # console errors, exceptions, failed loads
    measures: dict = field(default_factory=dict)


class Chromium:
    """One headless browser; `load()` opens a page in its tab. Use as a context manager."""

    def __init__(self, binary: str):
        self._profile = tempfile.TemporaryDirectory(prefix="briefkit-chromium-")
        self._process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--remote-debugging-port=0", "--remote-allow-origins=*",
             f"--user-data-dir={self._profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = self._devtools_url()
        port = re.search(r":(\d+)/", url).group(1)
        page = self._page_target(port)
        self._socket = websocket.create_connection(page, timeout=30)
        self._ids = itertools.count(1)
        self._events: list[dict] = []

    def _devtools_url(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self._process.stderr.readline()
            if "DevTools listening on" in line:
                return line.split("listening on", 1)[1].strip()
            if not line and self._process.poll() is not None:
                break
        raise RuntimeError("chromium did not start its DevTools endpoint")

    @staticmethod
    def _page_target(port: str) -> str:
        import urllib.request

        for _ in range(50):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
                pages = [t for t in json.load(answer) if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.1)
        raise RuntimeError("chromium opened no page")

    def call(self, method: str, **params) -> dict:
        number = next(self._ids)
        self._socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._events.append(message)

    def _wait_for(self, event: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(e.get("method") == event for e in self._events):
                return
            self._socket.settimeout(max(0.1, deadline - time.monotonic()))
            self._events.append(json.loads(self._socket.recv()))
        raise TimeoutError(event)

    def load(self, path: Path, width: int, script: str, screenshot: Path | None = None) -> Loaded:
        """Open `path` in a window `width` CSS pixels wide; return the console errors and the value
        of `script` (an expression giving a JSON-able object) once the page has loaded."""
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                  mobile=width < 600)
        self._events.clear()
        self.call("Page.navigate", url=Path(path).resolve().as_uri())
        self._wait_for("Page.loadEventFired")
        result = self.call("Runtime.evaluate", expression=script, returnByValue=True, awaitPromise=True)
        loaded = Loaded(width, _errors(self._events), result["result"].get("value") or {})
        if screenshot is not None:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                             clip={"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1})
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        return loaded

    def close(self) -> None:
        try:
            self._socket.close()
        finally:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process.stderr.close()
            self._profile.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _errors(events: list[dict]) -> list[str]:
    found = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            found.append("exception: " + params["exceptionDetails"].get("text", ""))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log ({params['entry'].get('source')}): {params['entry'].get('text')}")
        elif method == "Network.loadingFailed":
            found.append(f"failed to load: {params.get('errorText')}")
    return found
