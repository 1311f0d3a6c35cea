"""Progress of a batch: events for a callback, as log lines, or as a tqdm bar on a terminal.

    run_batch(jobs, progress=log_lines(sys.stderr))      # "[3/40] PAK-BLR ok 5.2 s (new)"
    run_batch(jobs, progress=bar := Bar(sys.stderr)); bar.close()   # rate, elapsed, ETA
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TextIO

from .manifest import FAILED

RENDERING = "rendering"


@dataclass(frozen=True)
class Progress:
    """One step of a batch: a finished brief (pair is set), or news about the batch (pair is None):
    the briefs found up to date, the start of rendering with the reasons' summary."""

    done: int
    total: int
    pair: str | None
    status: str
    seconds: float | None = None
    message: str | None = None   # the error of a failed brief; the news itself
    failed: int = 0              # failures so far
    reason: str | None = None    # why the brief was rendered
    empty: bool = False          # the package holds no row naming both countries


def progress_line(p: Progress) -> str:
    """A log line: "[3/40] PAK-BLR ok 5.2 s (changed: data of BLR (trade))"."""
    if p.pair is None:
        return f"[{p.done}/{p.total}] {p.message}"
    line = f"[{p.done}/{p.total}] {p.pair} {p.status}"
    if p.seconds is not None:
        line += f" {p.seconds:.1f} s"
    if p.reason:
        line += f" ({p.reason})"
    if p.message:
        line += f": {p.message}"
    if p.empty:
        line += "; the package has no data on this pair"
    return line


def log_lines(stream: TextIO) -> Callable[[Progress], None]:
    def show(p: Progress) -> None:
        print(progress_line(p), file=stream, flush=True)
    return show


class Bar:
    """A tqdm bar (count, rate, elapsed, ETA, the last brief) redrawn in place; news and failures
    are printed above it as they happen."""

    def __init__(self, stream: TextIO):
        self.stream, self.bar = stream, None

    def __call__(self, p: Progress) -> None:
        from tqdm import tqdm

        if p.pair is None or p.status == FAILED:
            (self.bar.write if self.bar else self._print)(progress_line(p), file=self.stream)
        if p.pair is None and p.status == RENDERING and self.bar is None:
            self.bar = tqdm(total=p.total, initial=p.done, file=self.stream, unit="brief", dynamic_ncols=True,
                            smoothing=0.1, bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} "
                                                     "[{elapsed}<{remaining}, {rate_fmt}]{postfix}")
        elif p.pair is not None and self.bar is not None:
            self.bar.update(p.done - self.bar.n)
            self.bar.set_postfix_str(f"{p.pair} {p.status}" + (f", {p.failed} failed" if p.failed else ""))

    @staticmethod
    def _print(text: str, file: TextIO) -> None:
        print(text, file=file, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
