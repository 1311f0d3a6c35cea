"""What the paging passes cost: the PDF of six briefs laid out once by WeasyPrint (no checks, no
mends) against briefkit's paging (notes kept with their calls, headings with their text,
copyfitting), side by side; with --against, also the paging of another checkout of briefkit (say,
main before a change), on the same HTML.

    .venv/bin/python scripts/bench_paging.py [--repeat 3] [--against ../main]

The HTML of each brief is rendered once first; only the PDF step is timed, median of N per brief.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from briefkit import export, paging  # noqa: E402
from briefkit.htmlsafety import fetcher  # noqa: E402
from briefkit.render import render  # noqa: E402
from conftest import DRAFTED_PAIRS, SEED_PAIRS  # noqa: E402


def paging_of(checkout: Path):
    """The paging module of another checkout of briefkit, loaded beside this one."""
    path = checkout / "briefkit" / "paging.py"
    if not path.is_file():
        sys.exit(f"--against {checkout}: no briefkit/paging.py there; give the folder of a briefkit checkout")
    spec = importlib.util.spec_from_file_location("paging_against", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def weasyprint_html(html: str):
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(export.TEMPLATES), url_fetcher=fetcher(export.TEMPLATE))


def laid_out_once(html: str) -> bytes:
    options = export.pdf_options()
    return weasyprint_html(html).render(**options).write_pdf(**options)


def paged_by(module):
    def paged(html: str) -> bytes:
        options = export.pdf_options()
        return module.lay_out(weasyprint_html(html), **options).document.write_pdf(**options)
    return paged


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
    ap.add_argument("--against", type=Path, help="a checkout of briefkit whose paging to time beside this one's")
    args = ap.parse_args()
    makers = {"once": laid_out_once, "paged": paged_by(paging)}
    if args.against:
        makers = {"once": laid_out_once, "against": paged_by(paging_of(args.against)), "paged": paged_by(paging)}
    export.warm_up(("pdf",))
    totals = dict.fromkeys(makers, 0.0)
    with tempfile.TemporaryDirectory() as out:
        for pair in SEED_PAIRS + DRAFTED_PAIRS:
            html = render(*pair.split("-"), output=out, formats=("html",)).files["html"].read_text(encoding="utf-8")
            times = {name: median_time(make, html, args.repeat) for name, make in makers.items()}
            for name, seconds in times.items():
                totals[name] += seconds
            layout = paging.lay_out(weasyprint_html(html), **export.pdf_options())
            print(f"{pair}: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in times.items())
                  + f"; setting {layout.fit or 'house'}, {layout.mended} mended, {layout.layouts} layouts, "
                  f"{len(layout.document.pages)} pages", flush=True)
    print("six briefs: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in totals.items()))
    print(f"paged / once: {totals['paged'] / totals['once']:.2f}")
    if args.against:
        print(f"against / once: {totals['against'] / totals['once']:.2f}; "
              f"paged / against: {totals['paged'] / totals['against']:.2f}")


if __name__ == "__main__":
    main()
