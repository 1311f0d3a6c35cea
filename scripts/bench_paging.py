"""What the paging passes cost: the PDF of six briefs laid out once by WeasyPrint (no checks, no
mends) against briefkit's export (notes kept with their calls, copyfitting), side by side.

    .venv/bin/python scripts/bench_paging.py [--repeat 3]

The HTML of each brief is rendered once first; only the PDF step is timed, median of N per brief.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from briefkit import export, paging  # noqa: E402
from briefkit.render import render  # noqa: E402
from conftest import DRAFTED_PAIRS, SEED_PAIRS  # noqa: E402


def laid_out_once(html: str) -> bytes:
    import weasyprint

    options = export.pdf_options()
    return weasyprint.HTML(string=html, base_url=str(export.TEMPLATES)).render(**options).write_pdf(**options)


def median_time(make, html: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        make(html)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    export.warm_up(("pdf",))
    totals = [0.0, 0.0]
    with tempfile.TemporaryDirectory() as out:
        for pair in SEED_PAIRS + DRAFTED_PAIRS:
            html = render(*pair.split("-"), output=out, formats=("html",)).files["html"].read_text(encoding="utf-8")
            once = median_time(laid_out_once, html, args.repeat)
            checked = median_time(export.pdf, html, args.repeat)
            import weasyprint

            layout = paging.lay_out(weasyprint.HTML(string=html, base_url=str(export.TEMPLATES)),
                                    **export.pdf_options())
            totals[0] += once
            totals[1] += checked
            print(f"{pair}: once {once:.2f} s, paged {checked:.2f} s ({checked / once:.1f}x); "
                  f"setting {layout.fit or 'house'}, {layout.mended} mended, {len(layout.document.pages)} pages")
    print(f"six briefs: once {totals[0]:.2f} s, paged {totals[1]:.2f} s, ratio {totals[1] / totals[0]:.2f}")


if __name__ == "__main__":
    main()
