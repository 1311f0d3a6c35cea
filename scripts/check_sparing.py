"""Are the PDFs the same with and without one of briefkit's sparing modules? (export.SPARING)

    .venv/bin/python scripts/check_sparing.py pagetree build/        # every A-B/A-B.html under build/
    .venv/bin/python scripts/check_sparing.py svgstyles build/ --briefs 20

In one process, each brief's HTML is made into a PDF first without the module (taken out of
export.SPARING before anything installs it), then with it; the PDFs are compared byte for byte.
Each module replaces work WeasyPrint (or a library under it) does with less work to the same end,
so every brief must come out identical; the script exits 1 if one does not. It also prints the time
a PDF took each way, which only hints: the second pass finds caches warm (run an alternating A/B
for a figure to quote).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefkit import export  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("module", help="a module of export.SPARING, e.g. pagetree")
    parser.add_argument("folder", type=Path, help="a batch's output folder (A-B/A-B.html under it)")
    parser.add_argument("--briefs", type=int, default=0, help="at most this many (default: all)")
    args = parser.parse_args()
    names = {m.__name__.rpartition(".")[2]: m for m in export.SPARING}
    if args.module not in names:
        parser.error(f"{args.module} is not one of export.SPARING: {', '.join(names)}")
    module = names[args.module]
    pages = sorted(p for p in args.folder.glob("*/*.html") if p.stem == p.parent.name)
    pages = pages[: args.briefs] if args.briefs else pages
    if not pages:
        parser.error(f"no A-B/A-B.html under {args.folder}")
    export.SPARING = tuple(m for m in export.SPARING if m is not module)

    def pdfs() -> tuple[list[str], float]:
        clock = time.perf_counter()
        digests = [hashlib.sha256(export.pdf(p.read_text(encoding="utf-8"))).hexdigest() for p in pages]
        return digests, (time.perf_counter() - clock) / len(pages)

    without, slow = pdfs()
    if not module.install():
        print(f"{args.module}: not in use with these library versions (its KNOWN digests)")
        return 1
    with_it, quick = pdfs()
    differ = [p.stem for p, a, b in zip(pages, without, with_it) if a != b]
    print(f"{args.module}: {len(pages) - len(differ)} of {len(pages)} PDFs identical; "
          f"{slow:.3f} s a PDF without it, {quick:.3f} s with it")
    for stem in differ:
        print(f"  differs: {stem}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
