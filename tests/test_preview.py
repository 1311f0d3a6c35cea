"""briefkit preview: a save re-renders once in the kept kernel, the page is told to reload, and the
server answers on 127.0.0.1 only. A real kernel, papermill and nbconvert; the preview runs in a thread."""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from briefkit.execute import ROOT
from briefkit.preview import POLL, preview

pytestmark = pytest.mark.system


@pytest.fixture
def running(tmp_path):
    """A preview of PAK-BLR on a copy of the data package; yields (port, log, prose file, state getter)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    log: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=preview, args=("PAK", "BLR"), daemon=True,
                              kwargs=dict(output=tmp_path / "out", data=data, port=0, open_browser=False,
                                          log=log.append, stop=stop))
    thread.start()
    port = None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        found = [re.search(r"http://127\.0\.0\.1:(\d+)/", line) for line in log[:1]]
        if found and found[0]:
            port = int(found[0].group(1))
            if status(port)["version"] >= 1:
                break
        time.sleep(0.1)
    assert port and status(port)["version"] == 1, log
    yield port, log, data / "prose" / "PAK-BLR.md"
    stop.set()
    thread.join(timeout=60)
    assert not thread.is_alive()


def get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def status(port: int) -> dict:
    return json.loads(get(port, "/status")[1])


def wait_for_version(port: int, version: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = status(port)
        if now["version"] >= version:
            return now
        time.sleep(0.05)
    raise AssertionError(f"no render {version} within {timeout} s: {status(port)}")


def save(path: Path, text: str) -> None:
    """As editors save: a new file written beside, then renamed over the old one."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_a_save_renders_once_and_the_page_is_told_to_reload(running):
    port, log, prose = running
    stream = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    stream.request("GET", "/events?since=1")
    events = stream.getresponse()
    assert events.getheader("Content-Type") == "text/event-stream"

    save(prose, prose.read_text(encoding="utf-8") + "\nA sentence the analyst has just written.\n")
    assert events.readline() == b"event: reload\n" and events.readline() == b"data: 2\n"
    stream.close()
    wait_for_version(port, 2)
    time.sleep(10 * POLL)  # long enough for a second render to have started, were one due
    now = status(port)
    assert now["version"] == 2 and [ok for _, _, ok in now["renders"]] == [True, True], log
    code, page = get(port, "/")
    assert code == 200 and b"A sentence the analyst has just written." in page
    assert b'new EventSource("/events?since=2")' in page


def test_a_failed_render_keeps_the_last_good_page_with_the_error_over_it(running):
    port, log, prose = running
    save(prose, prose.read_text(encoding="utf-8") + "\nSince {{ event:no-such-event }}.\n")
    now = wait_for_version(port, 2)
    assert 'No row "no-such-event" in events.csv' in now["error"]
    code, page = get(port, "/")
    assert code == 200 and b"Bilateral Trade" in page  # the last good brief
    assert b"no-such-event" in page and b"failed(error)" in page


def test_the_server_answers_on_127_0_0_1_only(running):
    port, _, _ = running
    assert get(port, "/")[0] == 200
    assert get(port, "/etc/passwd")[0] == 404
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outward interface
        outward = probe.getsockname()[0]
    except OSError:
        pytest.skip("this machine has no network interface besides loopback")
    finally:
        probe.close()
    assert not outward.startswith("127.")
    with pytest.raises(ConnectionRefusedError):
        get(port, "/", host=outward)


def test_the_previewed_page_is_the_brief_a_cold_render_makes(running, tmp_path):
    """After two saves (the second finds the charts remembered), the preview's HTML is byte for
    byte what `briefkit render --to html` makes of the same files."""
    from briefkit.render import render

    port, log, prose = running
    text = prose.read_text(encoding="utf-8")
    save(prose, text + "\nOne more sentence.\n")
    wait_for_version(port, 2)
    save(prose, text + "\nOne more sentence, then another.\n")
    now = wait_for_version(port, 3)
    assert now["error"] is None, now
    cold = render("PAK", "BLR", output=tmp_path / "cold", formats=("html",), data=prose.parent.parent)
    previewed = tmp_path / "out" / "PAK-BLR" / "PAK-BLR.html"
    assert previewed.read_bytes() == cold.files["html"].read_bytes()
