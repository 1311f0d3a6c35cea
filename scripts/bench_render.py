"""Time `briefkit render PAK BLR` as a user runs it: a cold process, HTML and PDF, median of N.

    .venv/bin/python scripts/bench_render.py [--repeat 3] [--pair PAK BLR] [--against REV]

Also prints where the time goes inside one in-process render (kernel execution vs export).
With --against REV, the same command is timed for briefkit at git revision REV (a temporary git
worktree, put first on PYTHONPATH), alternating with this checkout, and the ratio is printed:
machines differ, so a speed goal is a ratio measured side by side in one run.
"""
from __future__ import annotations

import argparse
import os
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
    ap.add_argument("--against", metavar="REV", help="also time briefkit at this git revision, alternately")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        checkouts = {"this checkout": ROOT}
        if args.against:
            other = Path(scratch) / "against"
            subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against], cwd=ROOT, check=True,
                           capture_output=True)
            checkouts[args.against] = other
        try:
            runs = {name: [] for name in checkouts}
            for i in range(args.repeat):
                for name, root in checkouts.items():
                    env = dict(os.environ, PYTHONPATH=str(root))
                    t = time.perf_counter()
                    subprocess.run([str(BRIEFKIT), "render", *args.pair, "--output", f"{scratch}/out-{i}"], check=True,
                                   capture_output=True, cwd=root, env=env)
                    runs[name].append(time.perf_counter() - t)
        finally:
            if args.against:
                subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, capture_output=True)
    for name, times in runs.items():
        print(f"briefkit render {' '.join(args.pair)} (cold process, html+pdf), {name}: "
              f"median {statistics.median(times):.2f} s of {[round(r, 2) for r in times]}")
    if args.against:
        ratio = statistics.median(runs["this checkout"]) / statistics.median(runs[args.against])
        print(f"ratio this checkout / {args.against}: {ratio:.2f}")

    sys.path.insert(0, str(ROOT))
    from briefkit.render import render

    with tempfile.TemporaryDirectory() as out:
        result = render(*args.pair, output=out)
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
    print(f"in-process stages: {stages}")


if __name__ == "__main__":
    main()
