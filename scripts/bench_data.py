"""Benchmarks of the data package (issue numbers: slice ≤ 50 ms, open ≤ 1 s, validate ≤ 10 s, data/ < 40 MB).

    .venv/bin/python scripts/bench_data.py [--repeat 5]

Each figure is the median of --repeat runs. "open" is a new Python process that imports briefkit,
opens the package and reads the pair tables (warm cache: the first open of a new data version
builds the cache, and that time is printed separately).
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
OPEN = ("import time; t=time.perf_counter(); from briefkit.datapackage import open_package; "
        "p=open_package(); p.pair('PAK','BLR'); print(time.perf_counter()-t)")


def median_of(fn, repeat):
    runs = [fn() for _ in range(repeat)]
    return statistics.median(runs), runs


def in_new_process(env) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", OPEN], check=True, env=env, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from briefkit.datapackage import open_package

    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, BRIEFKIT_CACHE=cache)
        cold = in_new_process(env)
        warm, runs = median_of(lambda: in_new_process(env), args.repeat)
        print(f"open package + PAK-BLR in a new process: first (builds cache) {cold:.2f} s; "
              f"then median {warm:.2f} s  {[round(r, 2) for r in runs]}")

        os.environ["BRIEFKIT_CACHE"] = cache
        package = open_package()
        package.table("trade")

        def slice_once():
            t = time.perf_counter()
            package.pair("PAK", "BLR")
            return time.perf_counter() - t

        def trade_only():
            t = time.perf_counter()
            trade = package.table("trade")
            trade[((trade["reporter"] == "IND") & (trade["partner"] == "CHN"))
                  | ((trade["reporter"] == "CHN") & (trade["partner"] == "IND"))]
            return time.perf_counter() - t

        med, runs = median_of(slice_once, args.repeat)
        print(f"pair slice PAK-BLR (all tables), package open: median {med * 1000:.1f} ms  "
              f"{[round(r * 1000, 1) for r in runs]}")
        med, runs = median_of(trade_only, args.repeat)
        print(f"pair slice of the trade table only: median {med * 1000:.1f} ms")

    def validate_once():
        t = time.perf_counter()
        report = open_package().validate()
        assert report.valid, str(report)
        return time.perf_counter() - t

    med, runs = median_of(validate_once, args.repeat)
    rows = open_package().validate().rows_checked
    print(f"validate whole package ({rows:,} rows): median {med:.2f} s  {[round(r, 2) for r in runs]}")

    size = sum(p.stat().st_size for p in (ROOT / "data").rglob("*") if p.is_file())
    print(f"data/ on disk: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
