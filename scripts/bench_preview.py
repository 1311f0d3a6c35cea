"""How fast `briefkit preview` shows a saved edit, against a cold `briefkit render --to html`.

    .venv/bin/python scripts/bench_preview.py [--saves 10] [--cold 3] [PAIR]

Both run here, one after the other, on a copy of the data package (the real prose is not touched):
  cold     `briefkit render A B --to html` in a new process, wall time (median of --cold runs)
  preview  `briefkit preview A B` running; for each of --saves edits of the pair's prose file:
           from the save to the refreshed page, i.e. the server-sent "reload" event arriving and
           GET / returning HTML that contains the edit (what the browser does)
Prints both, and the ratio of the preview's median to the cold median (goal: 0.3 or less).
"""
from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEFKIT = [sys.executable, "-m", "briefkit.cli"]


def cold(pair: tuple[str, str], data: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([*BRIEFKIT, "render", *pair, "--to", "html", "-o", str(out), "--data", str(data)],
                   check=True, capture_output=True)
    return time.perf_counter() - t0


def get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return body


def status(port: int) -> dict:
    return json.loads(get(port, "/status"))


def wait_for_reload(port: int, since: int):
    """Open the page's event stream; returns a function that blocks until the next "reload"."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", f"/events?since={since}")
    response = connection.getresponse()

    def wait() -> str:
        event = None
        while True:
            line = response.readline().decode()
            if not line:
                raise RuntimeError("the event stream closed")
            if line.startswith("event: "):
                event = line[7:].strip()
            elif line.strip() == "" and event:
                if event == "failed":
                    raise RuntimeError(f"the preview failed to render: {status(port)['error']}")
                connection.close()
                return event
    return wait


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pair", nargs="?", default="PAK-BLR")
    p.add_argument("--saves", type=int, default=10)
    p.add_argument("--cold", type=int, default=3)
    args = p.parse_args()
    pair = tuple(args.pair.split("-"))
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(ROOT / "data", data)
        prose = data / f"prose/{pair[0]}-{pair[1]}.md"
        if not prose.exists():
            sys.exit(f"{prose.name}: the pair has no prose file to edit; choose a pair with one")

        colds = [cold(pair, data, tmp / "cold") for _ in range(args.cold)]

        server = subprocess.Popen([*BRIEFKIT, "preview", *pair, "--data", str(data), "--port", "0",
                                   "--no-browser", "-o", str(tmp / "preview")],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first = server.stdout.readline()
            port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", first).group(1))
            while status(port)["version"] < 1:
                time.sleep(0.05)
            original = prose.read_text(encoding="utf-8")
            saves = []
            for i in range(args.saves):
                since = status(port)["version"]
                wait = wait_for_reload(port, since)
                marker = f"Preview edit number {i + 1}."
                t0 = time.perf_counter()
                prose.write_text(f"{original.rstrip()}\n\n{marker}\n", encoding="utf-8")
                wait()
                page = get(port, "/").decode("utf-8")
                saves.append(time.perf_counter() - t0)
                if marker not in page:
                    raise RuntimeError(f"save {i + 1}: the refreshed page lacks the edit")
                time.sleep(0.3)  # as an analyst would: no save lands in the middle of a render
            renders = status(port)["renders"]
        finally:
            server.terminate()
            server.wait(timeout=30)

    cold_median = statistics.median(colds)
    warm_median = statistics.median(saves)
    print(f"cold   briefkit render {' '.join(pair)} --to html: median {cold_median:.2f} s "
          f"over {len(colds)} ({', '.join(f'{c:.2f}' for c in colds)})")
    print(f"preview save -> refreshed page: median {warm_median:.2f} s, max {max(saves):.2f} s "
          f"over {len(saves)} ({', '.join(f'{s:.2f}' for s in saves)})")
    print(f"        of which rendering: {', '.join(f'{r[1]:.2f}' for r in renders[1:])}")
    print(f"ratio  preview median / cold median = {warm_median / cold_median:.2f} (goal <= 0.30)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
