"""Pages as pictures: a brief's PDF pages rasterised in grey at a low resolution (pdftoppm), and
compared with reviewed reference images by their mean absolute pixel difference."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

REFERENCE = Path(__file__).resolve().parent / "reference"
PAGES = (1, 2)          # the pages compared: analyst prose, front matter, first sections and notes
DPI = 40
TOLERANCE = 1.0         # mean absolute difference, in grey levels (0-255), above which a page has changed


def rasterise(pdf: Path, pages=PAGES) -> dict[int, Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        stem = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(min(pages)),
                        "-l", str(max(pages)), str(pdf), str(stem)], check=True)
        images = {}
        for path in sorted(Path(folder).glob("page-*.png")):
            number = int(path.stem.rsplit("-", 1)[1])
            with Image.open(path) as image:
                images[number] = image.convert("L").copy()
        return images


def reference_path(pair: str, page: int) -> Path:
    return REFERENCE / f"{pair}-p{page}.png"


def difference(actual: Image.Image, reference: Image.Image) -> float:
    """Mean absolute difference in grey levels; infinite when the sizes differ."""
    if actual.size != reference.size:
        return float("inf")
    a = np.asarray(actual, dtype=np.int16)
    b = np.asarray(reference, dtype=np.int16)
    return float(np.abs(a - b).mean())


def diff_image(actual: Image.Image, reference: Image.Image) -> Image.Image:
    a = np.asarray(actual, dtype=np.int16)
    b = np.asarray(reference.resize(actual.size), dtype=np.int16)
    return Image.fromarray((255 - np.abs(a - b)).astype(np.uint8))
