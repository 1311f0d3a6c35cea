"""Time `briefkit render PAK BLR` as a user runs it: a cold process, HTML and PDF, median of N.

    .venv/bin/python scripts/bench_render.py [--repeat 3] [--pair PAK BLR]

Also prints where the time goes inside one in-process render (kernel execution vs export).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEFKIT = Path(sys.executable).with_name("briefkit")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pair", nargs=2, default=["PAK", "BLR"])
    args = ap.parse_args()

    runs = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.repeat):
            t = time.perf_counter()
            subprocess.run([str(BRIEFKIT), "render", *args.pair, "--output", out], check=True,
                           capture_output=True, cwd=ROOT)
            runs.append(time.perf_counter() - t)
    print(f"briefkit render {' '.join(args.pair)} (cold process, html+pdf): "
          f"median {statistics.median(runs):.2f} s of {[round(r, 2) for r in runs]}")

    sys.path.insert(0, str(ROOT))
    from briefkit.render import render

    with tempfile.TemporaryDirectory() as out:
        result = render(*args.pair, output=out)
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
    print(f"in-process stages: {stages}")


if __name__ == "__main__":
    main()
