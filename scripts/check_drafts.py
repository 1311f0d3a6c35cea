"""Draft the claims ledgers of many pairs in-process (the notebook's own code, no kernel, no export)
and check them with `briefkit check`: a quick sweep of what drafted briefs say.

    .venv/bin/python scripts/check_drafts.py --partners-of PAK IND CHN RUS BLR --top 40 [-o build/drafts]

For the real thing, render the briefs (`briefkit batch --partners-of PAK --top 40 --to html`) and
run `briefkit check` on the batch folder; this script gives the same ledgers in a fraction of the time.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def partners(package, home: str, top: int) -> list[str]:
    trade = package.table("trade")
    year = int(trade["year"].max())
    t = trade[(trade["year"] == year) & ((trade["reporter"] == home) | (trade["partner"] == home))]
    other = t["partner"].astype(str).where(t["reporter"] == home, t["reporter"].astype(str))
    total = (t["exports_fob"].fillna(0) + t["imports_cif"].fillna(0)).groupby(other.to_numpy()).max()
    known = set(package.table("countries")["iso3"])
    total = total[[c in known and c != home for c in total.index]]
    return list(total.sort_values(ascending=False, kind="stable").index[:top])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--partners-of", nargs="+", default=["PAK", "IND", "CHN", "RUS", "BLR"])
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("-o", "--output", default="build/drafts")
    args = ap.parse_args()

    from briefkit.brief import Brief
    from briefkit.check import check_ledgers
    from briefkit.content.ledger import dumps
    from briefkit.datapackage import open_package

    package = open_package()
    pairs = []
    for home in args.partners_of:
        pairs += [(home, other) for other in partners(package, home, args.top)]
    pairs = list(dict.fromkeys(tuple(p) for p in pairs))
    out = Path(args.output)
    t0 = time.perf_counter()
    for a, b in pairs:
        brief = Brief(package.pair(a, b))
        folder = out / f"{a}-{b}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{a}-{b}.claims.json").write_text(dumps(brief.claims), encoding="utf-8")
    drafted = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = check_ledgers([out], package)
    checked = time.perf_counter() - t0
    print(report)
    print(f"drafted {len(pairs)} ledgers in {drafted:.1f} s; checked them in {checked:.1f} s")
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
