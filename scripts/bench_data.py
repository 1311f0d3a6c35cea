"""Benchmarks of the data package (goals: pair slice ≤ 50 ms, whole-package validation ≤ 10 s, data/ ≤ 40 MB).

    .venv/bin/python scripts/bench_data.py [--repeat 5] [--against /work/main]

Each figure is the median of --repeat runs. "open" is a new Python process that imports briefkit,
opens the package and slices PAK-BLR (warm cache: the first open of a new data version builds the
cache, and that time is printed separately). The pair slice is timed on an open package over
PAIRS, pairs whose reporters differ, so no pair reuses another's rows; each pair is sliced
--repeat times and the median of all slices is reported. With --against, the same slice
measurement runs in a second process on another checkout (its code and its data/), side by
side, and the ratio is printed.
"""
from __future__ import annotations

import argparse
import json
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
PAIRS = [("PAK", "BLR"), ("PAK", "CHN"), ("IND", "RUS"), ("USA", "CHN"), ("KAZ", "UZB"), ("TUR", "IRN"),
         ("BRA", "ARG"), ("DEU", "FRA"), ("NGA", "ZAF"), ("JPN", "KOR"), ("EGY", "SAU"), ("MEX", "CAN")]
SLICE = """
import json, statistics, sys, time
from briefkit.datapackage import open_package
pairs, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
package = open_package()
package.pair(*pairs[0])                      # reads and caches every table once
runs = []
for a, b in pairs:
    for _ in range(repeat):
        t = time.perf_counter()
        package.pair(a, b)
        runs.append(time.perf_counter() - t)
print(json.dumps(runs))
"""


def median_of(fn, repeat):
    runs = [fn() for _ in range(repeat)]
    return statistics.median(runs), runs


def in_new_process(env) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", OPEN], check=True, env=env, capture_output=True)
    return time.perf_counter() - t


def slices(checkout: Path, env: dict, repeat: int) -> list[float]:
    env = dict(env, PYTHONPATH=str(checkout), BRIEFKIT_DATA=str(checkout / "data"))
    out = subprocess.run([sys.executable, "-c", SLICE, json.dumps(PAIRS), str(repeat)], check=True, env=env,
                         capture_output=True, text=True, cwd=checkout)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--against", type=Path, help="another checkout to time side by side (e.g. /work/main)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from briefkit.datapackage import open_package

    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, BRIEFKIT_CACHE=cache, PYTHONPATH=str(ROOT))
        env.pop("BRIEFKIT_DATA", None)
        cold = in_new_process(env)
        warm, runs = median_of(lambda: in_new_process(env), args.repeat)
        print(f"open package + PAK-BLR in a new process: first (builds cache) {cold:.2f} s; "
              f"then median {warm:.2f} s  {[round(r, 2) for r in runs]}")
        if args.against:
            there = dict(env, PYTHONPATH=str(args.against.resolve()), BRIEFKIT_DATA=str(args.against.resolve() / "data"))
            in_new_process(there)
            other, runs = median_of(lambda: in_new_process(there), args.repeat)
            print(f"  side by side, {args.against}: median {other:.2f} s; this checkout / that = {warm / other:.2f}")

        mine = slices(ROOT, env, args.repeat)
        med = statistics.median(mine)
        print(f"pair slice, {len(PAIRS)} pairs x {args.repeat}, package open: median {med * 1000:.1f} ms "
              f"(max {max(mine) * 1000:.1f} ms)")
        if args.against:
            theirs = slices(args.against.resolve(), env, args.repeat)
            other = statistics.median(theirs)
            print(f"  side by side, {args.against}: median {other * 1000:.1f} ms; "
                  f"this checkout / that = {med / other:.2f}")

        os.environ["BRIEFKIT_CACHE"] = cache
        package = open_package(ROOT / "data")
        package.pair("PAK", "BLR")

        def new_tables_only():
            t = time.perf_counter()
            package._pair_tables("IND", "RUS")
            return time.perf_counter() - t

        med, runs = median_of(new_tables_only, args.repeat)
        print(f"  of which arms, UN votes, agreements, indicators (IND-RUS): median {med * 1000:.1f} ms")

    def validate_once():
        t = time.perf_counter()
        report = open_package(ROOT / "data").validate()
        assert report.valid, str(report)
        return time.perf_counter() - t

    med, runs = median_of(validate_once, args.repeat)
    rows = open_package(ROOT / "data").validate().rows_checked
    print(f"validate whole package ({rows:,} rows): median {med:.2f} s  {[round(r, 2) for r in runs]}")

    size = sum(p.stat().st_size for p in (ROOT / "data").rglob("*") if p.is_file())
    print(f"data/ on disk: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
