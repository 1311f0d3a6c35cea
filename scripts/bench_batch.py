"""Benchmark briefkit's batch against what a user would otherwise run, side by side in one run.

    .venv/bin/python scripts/bench_batch.py                       # everything (about 20 minutes on 2 cores)
    .venv/bin/python scripts/bench_batch.py --only ratio,noop     # some parts
    .venv/bin/python scripts/bench_batch.py --only before --briefs 40 --batch-repeat 3
    .venv/bin/python scripts/bench_batch.py --only world

Parts (each prints its medians and the target from the issue):
  ratio    one brief, HTML and PDF, in a cold process: `briefkit render PAK BLR` against the chain
           `papermill` → `jupyter nbconvert --to html` → `python -m weasyprint`, run alternately.
  workers  N briefs (default 40: the partners of PAK with the most trade), HTML and PDF, with
           `briefkit batch --force -j 1` and `-j 2`, run alternately; outputs compared byte for byte.
  before   the same N briefs with 2 workers, HTML and PDF, by this checkout and by an older commit
           (--before, default 7139e0c) checked out in a temporary git worktree, run alternately,
           each with a table cache of its own, warmed by one untimed run. Each side also runs the
           first 2 of them: the CPU seconds of all its processes for 2 and for N briefs give its
           CPU per brief and its CPU to start (workers, kernels, imports), by difference.
  noop     `briefkit batch` over 200 briefs that are all up to date: the time to decide that nothing
           is to be done. The 200 are seeded, not rendered: one real brief is rendered, and the batch
           is run once with a runner that copies that brief's files (--real-noop renders the 200).
  world    the world set (every pair trading at least US$1 million, --min-trade 1), seeded with
           stand-in files by an injected runner: a no-op over all of it in a cold process; then, in
           copies of the package, one corrected BLR trade row and one edited prose file: how many
           briefs `--dry-run` would render again, and the time to decide (the first run after a
           table changed reads that table again; the second finds it cached).
  scale    a sample of the world set (--scale-briefs, default 400, evenly spaced), HTML and PDF, with
           2 local workers (peak memory sampled) and on a 2-worker Dask LocalCluster; the scheduler's
           overhead per task (2,000 trivial tasks); extrapolated to --scale-to workers (default 32)
           from the measured per-brief cost, that overhead and the batch process's CPU per brief.
  memory   peak resident memory of each worker process plus the kernels it starts (RSS, sampled
           every 20 ms with psutil) during a 2-worker batch of its own, untimed: the sampler's
           polling would otherwise slow the timed runs.

Every command runs the briefkit of this checkout (PYTHONPATH is set to it), except the older
commit's runs in `before`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = os.environ | {"PYTHONPATH": str(ROOT)}
PARTS = ("ratio", "workers", "before", "noop", "world", "memory", "scale")


def run(cmd, cwd=ROOT) -> float:
    """Seconds for one command; fails loudly."""
    start = time.perf_counter()
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def briefkit(*args) -> list:
    return [sys.executable, "-m", "briefkit.cli", *args]


def median(xs) -> str:
    return f"{statistics.median(xs):.2f} s" + (f" (of {', '.join(f'{x:.2f}' for x in xs)})" if len(xs) > 1 else "")


# ---- (1) one brief against the manual chain --------------------------------------------------------
def bench_ratio(repeat: int) -> None:
    notebook = ROOT / "notebooks" / "country_pair_brief.ipynb"
    ours, chain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for _ in range(repeat):
            shutil.rmtree(tmp / "out", ignore_errors=True)
            ours.append(run(briefkit("render", "PAK", "BLR", "--output", tmp / "out")))
            t = 0.0
            t += run([BIN / "papermill", notebook, tmp / "PAK-BLR.ipynb", "-p", "country_a", "PAK",
                      "-p", "country_b", "BLR", "--cwd", notebook.parent])
            t += run([BIN / "jupyter", "nbconvert", "--to", "html", tmp / "PAK-BLR.ipynb"])
            t += run([sys.executable, "-m", "weasyprint", tmp / "PAK-BLR.html", tmp / "PAK-BLR.pdf"])
            chain.append(t)
    ratio = statistics.median(ours) / statistics.median(chain)
    print(f"(1) one brief, HTML+PDF, cold process\n"
          f"    briefkit render PAK BLR:                          {median(ours)}\n"
          f"    papermill + jupyter nbconvert --to html + weasyprint: {median(chain)}\n"
          f"    ratio {ratio:.2f}x   (target <= 0.33x)", flush=True)


# ---- (2) 1 worker against 2, and (4) memory ---------------------------------------------------------
class PeakMemory:
    """Samples, every 20 ms, the RSS of each worker of a batch process together with its kernels.

    A process that is still its parent's copy (forked or vforked, not yet running its own program:
    the same command line as its parent) is not counted: it shows its parent's memory, shared, for
    the millisecond before it becomes a kernel (or ldconfig, at WeasyPrint's import), and counting it
    would report a worker at twice its size."""

    def __init__(self, pid: int, every: float = 0.02):
        import psutil

        self.psutil, self.process, self.peak, self.every = psutil, psutil.Process(pid), {}, every
        self.parent_peak, self.parent_cpu = 0, 0.0  # the batch process's peak RSS, and its CPU seconds
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        ps = self.psutil
        while not self.stop.is_set():
            try:
                self.parent_peak = max(self.parent_peak, self.process.memory_info().rss)
                self.parent_cpu = sum(self.process.cpu_times()[:2])
                for child in self.process.children():
                    try:
                        if "multiprocessing" not in " ".join(child.cmdline()) or "resource_tracker" in " ".join(child.cmdline()):
                            continue
                        tree = [child, *child.children(recursive=True)]
                        rss = sum(p.memory_info().rss for p in tree if p is child or not _a_copy(p))
                        self.peak[child.pid] = max(self.peak.get(child.pid, 0), rss)
                    except (ps.NoSuchProcess, ps.AccessDenied, ps.ZombieProcess):
                        pass
            except (ps.NoSuchProcess, ps.ZombieProcess):
                return
            time.sleep(self.every)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def _a_copy(process) -> bool:
    """Is `process` a fork of its parent that has not yet started its own program?"""
    parent = process.parent()
    return parent is not None and process.cmdline() == parent.cmdline()


def cpu_seconds() -> tuple[float, float]:
    """(CPU seconds used by this process's finished descendants, by the whole machine)."""
    import resource

    mine = resource.getrusage(resource.RUSAGE_CHILDREN)
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    return mine.ru_utime + mine.ru_stime, busy / os.sysconf("SC_CLK_TCK")


def batch_run(args: list, memory: bool | float = False, env: dict | None = None, label: str = "", cwd: Path = ROOT,
              cpu: list | None = None):
    """Seconds of one `briefkit batch`, run in `cwd` (the checkout whose briefkit it runs: `python -m`
    puts the working folder first on the path, before PYTHONPATH); prints how many cores it used and
    what other work took; appends to `cpu` the CPU seconds of the batch and all its processes."""
    cpu0 = cpu_seconds()
    start = time.perf_counter()
    proc = subprocess.Popen([str(a) for a in briefkit("batch", *args)], env=env or ENV, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    sampler = (PeakMemory(proc.pid) if memory is True else PeakMemory(proc.pid, memory)) if memory else None
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if sampler:
        sampler.close()
    if proc.returncode != 0:
        sys.exit(f"bench: briefkit batch {' '.join(map(str, args))} failed:\n{err[-3000:]}")
    ours, machine = (b - a for a, b in zip(cpu0, cpu_seconds()))
    if cpu is not None:
        cpu.append(ours)
    print(f"    {label}batch {' '.join(str(a) for a in args if not str(a).startswith('/'))}: {elapsed:.1f} s, "
          f"{ours / elapsed:.2f} cores busy with it, {max(machine - ours, 0) / elapsed:.2f} with other work",
          flush=True)
    return elapsed, sampler


def bench_workers(briefs: int, repeat: int) -> None:
    """Timed without the memory sampler: its polling would take CPU from the 2-worker run only."""
    times = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            for n in (1, 2):
                args = ["--partners-of", "PAK", "--top", str(briefs), "--force", "-j", str(n), "-o", Path(tmp) / f"j{n}"]
                times[n].append(batch_run(args)[0])
        same = all((Path(tmp) / "j1" / p.relative_to(Path(tmp) / "j2")).read_bytes() == p.read_bytes()
                   for p in (Path(tmp) / "j2").glob("*/*.*") if p.suffix in (".html", ".pdf"))
    speedup = statistics.median(times[1]) / statistics.median(times[2])
    print(f"(2) {briefs} briefs, HTML+PDF, briefkit batch --force\n"
          f"    1 worker:  {median(times[1])}\n"
          f"    2 workers: {median(times[2])}\n"
          f"    2 workers are {speedup:.2f}x faster   (target >= 1.8x); outputs byte-identical: {same}\n"
          f"    per brief with 2 workers: {statistics.median(times[2]) / briefs:.2f} s", flush=True)


def bench_memory(briefs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _, sampler = batch_run(["--partners-of", "PAK", "--top", str(briefs), "--force", "-j", "2", "-o", tmp],
                               memory=True)
    report_memory(sampler, f"a 2-worker batch of {briefs} briefs")


def report_memory(sampler: PeakMemory, what: str) -> None:
    peaks = [v / 2**20 for v in sampler.peak.values()]
    print(f"(4) peak memory per worker (worker + its kernel, RSS) in {what}\n"
          f"    {', '.join(f'{p:.0f} MB' for p in peaks)}; max {max(peaks):.0f} MB   (target <= 600 MB); "
          f"batch process {sampler.parent_peak / 2**20:.0f} MB", flush=True)


# ---- (3) a no-op rebuild -----------------------------------------------------------------------------
SEED = """
import shutil, sys
from pathlib import Path
sys.modules.setdefault("rfc3987_syntax", None)
from briefkit import batch
from briefkit.render import render

out, pairs = Path(sys.argv[1]), sys.argv[2:]
model = render("PAK", "BLR", output=out / ".model", formats=("html",))

def copy_model(tasks):  # stands in for the workers: the same files, the same manifest fields
    for task in tasks:
        folder = out / task.pair
        folder.mkdir(exist_ok=True)
        outputs, files = {}, {}
        for fmt, path in model.files.items():
            target = folder / f"{task.pair}.{fmt}"
            shutil.copyfile(path, target)
            outputs[fmt] = f"{task.pair}/{target.name}"
            files[fmt] = {"bytes": target.stat().st_size, "sha256": None}
        yield task, batch.Result("ok", outputs, files, cites=["imf-dots"])

manifest = batch.run_batch(batch.jobs_from_pairs(pairs), out, formats=("html",), runner=copy_model)
assert len(manifest.ok) == len(pairs), manifest.summary
"""


def bench_noop(count: int, repeat: int, real: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from briefkit import batch
    from briefkit.datapackage import open_package

    jobs = batch.jobs_from_selection(open_package(), min_trade=0, top=count)
    pairs = [j.pair for j in jobs]
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "pairs.csv"
        listing.write_text("pair\n" + "\n".join(pairs) + "\n")
        args = ["--file", listing, "--to", "html", "-o", Path(tmp) / "out"]
        if real:
            how = "rendered for real"
            run(briefkit("batch", *args))
        else:
            how = "seeded from one real brief"
            run([sys.executable, "-c", SEED, Path(tmp) / "out", *pairs])
        times = [run(briefkit("batch", *args)) for _ in range(repeat)]
        summary = json.loads((Path(tmp) / "out" / "manifest.json").read_text())["summary"]
    assert summary == {"ok": 0, "failed": 0, "skipped-cached": count}, summary
    print(f"(3) no-op rebuild of {count} cached briefs ({how}), cold process: {median(times)}   "
          f"(target <= 2 s)", flush=True)


# ---- (5) this checkout against an older commit, 2 workers, HTML and PDF -------------------------------
FEW = 2  # briefs in the small batch each side also runs: CPU per brief and to start, by difference
def bench_before(briefs: int, repeat: int, commit: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        older = tmp / "before"
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", "-q", older, commit], check=True)
        try:
            sides = {"before": (older, {}), "after": (ROOT, {})}
            for name, (checkout, _) in sides.items():
                sides[name] = (checkout, os.environ | {"PYTHONPATH": str(checkout),
                                                       "BRIEFKIT_CACHE": str(tmp / f"cache-{name}")})
            data = older / "data"  # the same data for both: the older commit's package
            times: dict[str, list] = {"before": [], "after": []}
            cpu: dict[str, dict] = {"before": {}, "after": {}}  # CPU seconds of batches of 2 and of `briefs`
            for round_ in range(repeat + 1):
                for name, (checkout, env) in sides.items():
                    for n in ((FEW, briefs) if round_ else (briefs,)):
                        args = ["--partners-of", "PAK", "--top", str(n), "--force", "-j", "2", "--data", data,
                                "-o", tmp / f"out-{name}-{n}"]
                        used = []
                        elapsed, _ = batch_run(args, env=env, cwd=checkout, cpu=used,
                                               label=f"{name} ({'warm-up' if round_ == 0 else round_}): ")
                        if round_:
                            cpu[name].setdefault(n, []).append(used[0])
                            if n == briefs:
                                times[name].append(elapsed)
            same = sorted(p.name for p in (tmp / f"out-after-{briefs}").glob("*/*.pdf")) == sorted(
                p.name for p in (tmp / f"out-before-{briefs}").glob("*/*.pdf"))
        finally:
            subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", older], check=False)
    before, after = statistics.median(times["before"]), statistics.median(times["after"])
    print(f"(5) {briefs} briefs, HTML+PDF, 2 workers, briefkit batch --force, alternately\n"
          f"    {commit} (before): {median(times['before'])}  = {briefs / before * 60:.0f} briefs/min\n"
          f"    this checkout:     {median(times['after'])}  = {briefs / after * 60:.0f} briefs/min\n"
          f"    throughput {before / after:.2f}x   (target >= 1.25x); the same briefs written: {same}", flush=True)
    for name, label in (("before", f"{commit} (before)"), ("after", "this checkout")):
        few, many = (statistics.median(cpu[name][n]) for n in (FEW, briefs))
        per = (many - few) / (briefs - FEW)
        print(f"    CPU, all processes, {label}: {per:.2f} CPU-s per brief, {few - FEW * per:.1f} CPU-s to start "
              f"(by difference: {FEW} and {briefs} briefs, {few:.1f} and {many:.1f} CPU-s)", flush=True)


# ---- (6) the world set: no-op, one country's rows, one prose file -------------------------------------
WORLD_SEED = """
import sys
from pathlib import Path
sys.modules.setdefault("rfc3987_syntax", None)
from briefkit import batch
from briefkit.datapackage import open_package

out = Path(sys.argv[1])

def stand_ins(tasks):  # one small file per output: the decision reads sizes, never contents
    for task in tasks:
        folder = out / task.pair
        folder.mkdir(exist_ok=True)
        outputs, files = {}, {}
        for fmt in ("html", "ipynb"):
            target = folder / f"{task.pair}.{fmt}"
            target.write_text(task.pair)
            outputs[fmt], files[fmt] = f"{task.pair}/{target.name}", {"bytes": len(task.pair), "sha256": None}
        yield task, batch.Result("ok", outputs, files, cites=["imf-dots"])

jobs = batch.jobs_from_selection(open_package(), min_trade=1)
manifest = batch.run_batch(jobs, out, formats=("html",), runner=stand_ins)
assert len(manifest.ok) == len(jobs), manifest.summary
print(len(jobs))
"""


def dry_run(args: list) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run([str(a) for a in briefkit("batch", *args, "--dry-run")], env=ENV, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: dry run failed:\n{done.stderr[-2000:]}")
    summary = next(line for line in done.stdout.splitlines() if " would render" in line)
    reasons = done.stdout.split(summary, 1)[1].strip()
    return elapsed, int(summary.split()[0]), reasons


def bench_world(repeat: int) -> None:
    import gzip

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "out"
        seeded = subprocess.run([sys.executable, "-c", WORLD_SEED, out], env=ENV, capture_output=True, text=True)
        if seeded.returncode != 0:
            sys.exit(f"bench: seeding the world set failed:\n{seeded.stderr[-2000:]}")
        count = int(seeded.stdout.split()[-1])
        args = ["--min-trade", "1", "--to", "html", "-o", out]
        times = [run(briefkit("batch", *args)) for _ in range(repeat)]
        summary = json.loads((out / "manifest.json").read_text())["summary"]
        assert summary == {"ok": 0, "failed": 0, "skipped-cached": count}, summary
        print(f"(6) the world set: {count} briefs (trade >= US$1 million), seeded with stand-in files\n"
              f"    no-op, cold process: {median(times)}   (target <= 5 s)", flush=True)

        pairs = json.loads((out / "manifest.json").read_text())["run"]["pairs"]
        trade = tmp / "trade" / "data"
        shutil.copytree(ROOT / "data", trade)
        rows = gzip.decompress((trade / "trade.csv.gz").read_bytes()).decode().splitlines(keepends=True)
        i = next(i for i, line in enumerate(rows) if line.startswith("BLR,DEU,2019,"))
        fields = rows[i].split(",")
        fields[3] = f"{float(fields[3]) * 1.01:.6f}"  # a corrected figure: Belarus's exports to Germany, 2019
        rows[i] = ",".join(fields)
        (trade / "trade.csv.gz").write_bytes(gzip.compress("".join(rows).encode()))
        reading = [set(p.split("-")) & {"BLR", "DEU"} != set() for p in pairs].count(True)
        runs = [dry_run([*args, "--data", trade]) for _ in range(max(repeat, 2))]
        print(f"    one corrected trade row (BLR's exports to DEU, 2019): {runs[0][1]} of {count} would render "
              f"again ({reading} of the world set name BLR or DEU)\n"
              f"      {runs[0][2]}\n"
              f"      time to decide: {runs[0][0]:.2f} s the first time (the changed table read again), "
              f"then {median([r[0] for r in runs[1:]])}", flush=True)

        prose = tmp / "prose" / "data"
        shutil.copytree(ROOT / "data", prose)
        with open(prose / "prose" / "PAK-BLR.md", "a", encoding="utf-8") as f:
            f.write("\n<!-- checked by the editor -->\n")
        runs = [dry_run([*args, "--data", prose]) for _ in range(repeat)]
        print(f"    one prose file (PAK-BLR.md): {runs[0][1]} of {count} would render again ({runs[0][2]}); "
              f"time to decide: {median([r[0] for r in runs])}   (target: exactly 1)", flush=True)


# ---- (7) scale out: a sample of the world set on a 2-worker Dask LocalCluster and on local workers -----
def ping(x):
    return x


def scheduler_overhead(client, tasks: int = 2000) -> float:
    """Seconds the scheduler spends per task: `tasks` trivial tasks submitted at once, to the end."""
    client.gather(client.map(ping, range(200), pure=False))  # warm
    start = time.perf_counter()
    client.gather(client.map(ping, range(tasks), pure=False))
    return (time.perf_counter() - start) / tasks


def bench_scale(briefs: int, target: int) -> None:
    import distributed

    sys.path.insert(0, str(ROOT))
    from briefkit import batch
    from briefkit.datapackage import open_package

    world = [j.pair for j in batch.jobs_from_selection(open_package(), min_trade=1)]
    step = max(len(world) // briefs, 1)
    sample = world[::step][:briefs]  # evenly spaced from the largest trade to the smallest
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        listing = tmp / "pairs.csv"
        listing.write_text("pair\n" + "\n".join(sample) + "\n")
        print(f"(7) scale out: {len(sample)} briefs of the world set ({len(world)}; every {step}th), HTML+PDF, "
              f"2 workers each way", flush=True)
        local, sampler = batch_run(["--file", listing, "-j", "2", "-o", tmp / "local"], memory=0.25, label="local: ")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
            overhead = scheduler_overhead(client)
            dask, _ = batch_run(["--file", listing, "--scheduler", cluster.scheduler_address, "-o", tmp / "dask"],
                                label="LocalCluster: ")
        same = all((tmp / "local" / p.relative_to(tmp / "dask")).read_bytes() == p.read_bytes()
                   for p in (tmp / "dask").glob("*/*.*") if p.suffix in (".html", ".pdf"))
    n = len(sample)
    cost = {"local": local * 2 / n, "dask": dask * 2 / n}  # worker-seconds per brief
    parent = sampler.parent_cpu / n  # the batch process's CPU per brief: planning, recording, progress
    per_brief = max(cost["dask"] / target, overhead, parent)
    print(f"    local workers (-j 2): {local:.1f} s = {n / local * 60:.0f} briefs/min, {cost['local']:.2f} worker-s per brief\n"
          f"    LocalCluster (2 workers): {dask:.1f} s = {n / dask * 60:.0f} briefs/min, {cost['dask']:.2f} worker-s "
          f"per brief ({dask / local:.2f}x the local time); outputs byte-identical: {same}\n"
          f"    scheduler overhead {overhead * 1000:.2f} ms per task; batch process {parent * 1000:.1f} ms CPU per brief",
          flush=True)
    print(f"    extrapolated to {target} workers (one core each, the same per-brief cost): a brief every "
          f"{per_brief:.3f} s ({'the workers' if per_brief == cost['dask'] / target else 'the scheduler or batch process'}"
          f" bound it), the world set ({len(world)}) in {len(world) * per_brief / 60:.1f} min, against "
          f"{len(world) * cost['dask'] / 2 / 60:.0f} min on 2 workers", flush=True)
    report_memory(sampler, f"the local run of {n} briefs (sampled every 0.25 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)}")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timing (medians are printed)")
    ap.add_argument("--briefs", type=int, default=40, help="briefs in the workers and memory parts")
    ap.add_argument("--batch-repeat", type=int, default=1, help="runs of each batch in the workers part")
    ap.add_argument("--real-noop", action="store_true", help="render the 200 cached briefs for real")
    ap.add_argument("--scale-briefs", type=int, default=400, help="briefs of the world set in the scale part")
    ap.add_argument("--scale-to", type=int, default=32, help="workers the scale part extrapolates to")
    ap.add_argument("--before", default="7139e0c", help="the older commit of the before part (default 7139e0c)")
    args = ap.parse_args()
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    print(f"bench_batch: {os.cpu_count()} cores, Python {sys.version.split()[0]}, briefkit at {ROOT}, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    if "ratio" in parts:
        bench_ratio(args.repeat)
    if "workers" in parts:
        bench_workers(args.briefs, args.batch_repeat)
    if "before" in parts:
        bench_before(args.briefs, args.batch_repeat, args.before)
    if "noop" in parts:
        bench_noop(200, args.repeat, args.real_noop)
    if "world" in parts:
        bench_world(args.repeat)
    if "memory" in parts:
        bench_memory(args.briefs)
    if "scale" in parts:
        bench_scale(args.scale_briefs, args.scale_to)


if __name__ == "__main__":
    main()
