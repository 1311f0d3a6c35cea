"""briefkit batch: many briefs with a cache and workers; a failing brief is recorded, never fatal.

Real kernels, real exports, HTML only where the PDF is not the point. Every batch here reads a
snapshot of the data package taken when the module starts, so edits to data/ during the run do
not change the cache keys under the tests' feet.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from briefkit import batch, cli
from briefkit.batch import (CACHED, FAILED, OK, Code, Job, LocalWorkers, Progress, jobs_from_file, jobs_from_pairs,
                            jobs_from_selection, run_batch)
from briefkit.batch import keys
from briefkit.datapackage import open_package
from briefkit.errors import UsageError
from briefkit.render import git_commit
from batch_doubles import exiting_on, recording
from conftest import FIXTURES, ROOT

BATCH = FIXTURES / "batch"
GOOD = ["PAK-BLR", "BLR-CHN", "IND-RUS"]


def briefkit(*args, **kw):
    return subprocess.run([sys.executable, "-m", "briefkit.cli", *args], capture_output=True, text=True, **kw)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def briefs(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file of every brief folder: (sha256, mtime in ns)."""
    return {str(p.relative_to(folder)): (sha(p), p.stat().st_mtime_ns)
            for p in sorted(folder.glob("*/*")) if p.is_file()}


# ---- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """The data package as it is now, in a folder nobody else edits."""
    copy = tmp_path_factory.mktemp("snapshot") / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


@pytest.fixture(scope="module")
def broken_data(tmp_path_factory, data) -> Path:
    """A copy of the package whose PAK-RUS prose cites a statement that does not exist: a cell fails."""
    copy = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(data, copy)
    prose = copy / "prose" / "PAK-RUS.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n\nA figure nobody recorded: "
                     "{{ statement:no-such-statement }}.\n", encoding="utf-8")
    return copy


def mixed_jobs(broken_data: Path) -> list[Job]:
    """Three good pairs, an unknown country, a pair whose cell fails, and a pair whose worker dies."""
    return (jobs_from_pairs([*GOOD, "PAK-XXX", "CHN-RUS"])
            + [Job("PAK-RUS", "PAK", "RUS", {"data": str(broken_data)}, "test")])


@pytest.fixture(scope="module")
def first(tmp_path_factory, data, broken_data):
    """The mixed batch run once with 2 workers, the worker rendering CHN-RUS made to exit."""
    out = tmp_path_factory.mktemp("batch")
    events: list[Progress] = []
    manifest = run_batch(mixed_jobs(broken_data), out, formats=("html",), data=data, progress=events.append,
                         runner=LocalWorkers(2, render=exiting_on("CHN-RUS")))
    baseline = tmp_path_factory.mktemp("baseline") / "out"
    shutil.copytree(out, baseline)
    return SimpleNamespace(output=out, manifest=manifest, events=events, files=briefs(out), baseline=baseline,
                           json=json.loads((out / "manifest.json").read_text()),
                           index=(out / "index.html").read_text())


@pytest.fixture(scope="module")
def second(first, data, broken_data):
    """The same batch again, nothing changed, the worker no longer made to exit."""
    manifest = run_batch(mixed_jobs(broken_data), first.output, workers=2, formats=("html",), data=data)
    return SimpleNamespace(manifest=manifest, files=briefs(first.output))


@pytest.fixture(scope="module")
def by_workers(tmp_path_factory, data):
    """Two briefs, HTML and PDF, with 1 worker (the second brief reuses the worker process) and with 2."""
    outs = {}
    for n in (1, 2):
        outs[n] = tmp_path_factory.mktemp(f"workers{n}")
        manifest = run_batch(jobs_from_pairs(["PAK-BLR", "BLR-CHN"]), outs[n], workers=n, data=data)
        assert manifest.ok == ["PAK-BLR", "BLR-CHN"], manifest.entries
    return outs


# ---- jobs -------------------------------------------------------------------------------------
def test_pairs_from_the_command_line():
    jobs = jobs_from_pairs(["PAK-BLR", "Pakistan:Belarus", "Guinea-Bissau:Portugal", "BLR,CHN"])
    assert [(j.country_a, j.country_b) for j in jobs] == [
        ("PAK", "BLR"), ("Pakistan", "Belarus"), ("Guinea-Bissau", "Portugal"), ("BLR", "CHN")]
    with pytest.raises(UsageError, match=r'command line: "Guinea-Bissau-Portugal" is not a pair .* A:B'):
        jobs_from_pairs(["Guinea-Bissau-Portugal"])


@pytest.mark.parametrize("name, lines", [("pairs.csv", [2, 3, 6]), ("pairs.yaml", [3, 4, 5])])
def test_csv_and_yaml_files_give_pairs_with_their_parameters(name, lines):
    jobs = jobs_from_file(BATCH / name)
    assert [(j.country_a, j.country_b) for j in jobs] == [("PAK", "BLR"), ("Belarus", "China"), ("IND", "RUS")]
    assert [j.params for j in jobs] == [{}, {}, {"data": str(ROOT / "data")}]  # relative to the file
    assert [j.origin for j in jobs] == [f"{name}, line {n}" for n in lines]


@pytest.mark.parametrize("name, message", [
    ("bad_fields.csv", "bad_fields.csv, line 3: 3 field(s), the header has 2 (country_a,country_b)"),
    ("bad_column.csv", 'bad_column.csv, line 1: column "cuntry_b" is not a brief parameter (did you mean "country_b"?)'),
    ("bad_syntax.yaml", "bad_syntax.yaml, line 3: not valid YAML: while parsing a flow sequence"),
    ("bad_item.yaml", 'bad_item.yaml, line 3: expected "A-B", [A, B] or a mapping'),
    ("bad_key.yaml", 'bad_key.yaml, line 1: "defaults" is not read; the file holds a `pairs:` list'),
])
def test_a_malformed_file_is_named_with_its_line(name, message):
    with pytest.raises(UsageError) as info:
        jobs_from_file(BATCH / name)
    assert str(info.value).startswith(message)


def test_malformed_file_stops_the_command_before_anything_is_written(tmp_path):
    result = briefkit("batch", "PAK-BLR", "--file", str(BATCH / "bad_fields.csv"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "briefkit: error: bad_fields.csv, line 3: 3 field(s), the header has 2 (country_a,country_b)"]
    assert not (tmp_path / "out").exists()


def test_unwritable_output_folder_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = briefkit("batch", "PAK-BLR", "-o", str(blocker / "out"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"briefkit: error: Cannot write to {blocker}/out")


def test_partners_of_a_country_come_most_traded_first(data):
    package = open_package(data)
    jobs = jobs_from_selection(package, partners_of="Pakistan", year=2019, top=5)
    trade = package.table("trade")
    rows = trade[(trade["year"] == 2019) & ((trade["reporter"] == "PAK") | (trade["partner"] == "PAK"))]
    best: dict[str, float] = {}  # partner → the larger of the two sides' reports
    for r in rows.itertuples():
        other = r.partner if r.reporter == "PAK" else r.reporter
        total = (0 if r.exports_fob != r.exports_fob else r.exports_fob) + (0 if r.imports_cif != r.imports_cif else r.imports_cif)
        best[other] = max(best.get(other, 0), total)
    known = set(package.table("countries")["iso3"])
    expected = sorted((p for p in best if p in known), key=lambda p: -best[p])[:5]
    assert [j.pair for j in jobs] == [f"PAK-{p}" for p in expected]
    assert "PAK-CHN" in [j.pair for j in jobs]


def test_pairs_above_a_trade_threshold_as_either_side_reports(data):
    package = open_package(data)
    jobs = jobs_from_selection(package, min_trade=100_000, year=2019)
    trade = package.table("trade")
    rows = trade[trade["year"] == 2019]
    totals = rows["exports_fob"].fillna(0) + rows["imports_cif"].fillna(0)
    best: dict[tuple, float] = {}
    for rep, par, total in zip(rows["reporter"].astype(str), rows["partner"].astype(str), totals):
        key = tuple(sorted((rep, par)))
        best[key] = max(best.get(key, 0), total)
    known = set(package.table("countries")["iso3"])
    expected = {f"{a}-{b}" for (a, b), t in best.items() if t >= 100_000 and a in known and b in known}
    assert {j.pair for j in jobs} == expected
    assert "CHN-USA" in expected and len(expected) > 5


def test_unknown_country_in_a_selection_stops_before_rendering(tmp_path):
    result = briefkit("batch", "--partners-of", "Pakistn", "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith('briefkit: error: Unknown country "Pakistn" (did you mean Pakistan')


# ---- a batch with failures among good briefs ----------------------------------------------------
def test_good_briefs_render_while_a_broken_pair_a_failing_cell_and_a_dead_worker_fail(first):
    m = first.manifest
    assert m.pairs == (*GOOD, "PAK-XXX", "CHN-RUS", "PAK-RUS")
    assert m.ok == GOOD
    assert sorted(m.failed) == ["CHN-RUS", "PAK-RUS", "PAK-XXX"]
    for pair in GOOD:
        html = first.output / pair / f"{pair}.html"
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not list(first.output.glob("*/.partial-*"))
    assert not (first.output / "PAK-XXX").exists()


def test_each_failure_is_recorded_with_its_cause(first):
    errors = {p: first.json["pairs"][p]["error"] for p in ("PAK-XXX", "PAK-RUS", "CHN-RUS")}
    assert errors["PAK-XXX"]["stage"] == "parameters"
    assert errors["PAK-XXX"]["message"].startswith('command line: Unknown country "XXX"')
    cell = errors["PAK-RUS"]
    assert (cell["stage"], cell["ename"]) == ("execute", "DataPackageError")
    assert "no-such-statement" in cell["message"] and isinstance(cell["cell"], int)
    assert cell["notebook"] == "PAK-RUS/PAK-RUS.failed.ipynb"
    failed_nb = nbformat.read(first.output / cell["notebook"], as_version=4)
    failing = failed_nb.cells[cell["cell"]]  # the index is that of the failed notebook the user opens
    assert any(o.get("output_type") == "error" for o in failing.get("outputs", []))
    # the whole brief is drafted when it is opened: a bad placeholder fails the Brief.open cell
    assert failing.source.startswith(cell["source"]) and "Brief.open(" in failing.source
    assert errors["CHN-RUS"]["stage"] == "worker"
    assert errors["CHN-RUS"]["message"].startswith("worker died while rendering this brief (exit code 70)")


def test_manifest_records_parameters_digest_outputs_and_timings(first, data):
    entry = first.json["pairs"]["PAK-BLR"]
    assert entry["status"] == OK
    assert entry["parameters"] == {"country_a": "PAK", "country_b": "BLR", "data": None}
    assert entry["data_digest"] == open_package(data).digest
    assert re.fullmatch(r"[0-9a-f]{64}", entry["cache_key"])
    assert set(entry["inputs"]) == {"notebook", "templates", "code", "environment", "parameters", "package",
                                    "data", "prose", "sources"}
    assert set(entry["inputs"]["data"]) == {"PAK", "BLR"} and "trade" in entry["inputs"]["data"]["BLR"]
    assert "imf-dots" in entry["cites"] and entry["names"] == ["Pakistan", "Belarus"]
    assert entry["analyst"] is True and entry["empty"] is False
    assert entry["title"] == "NEARING 30 YEARS OF PAKISTAN-BELARUS RELATIONS: AN ASSESSMENT"
    assert entry["outputs"] == {"html": "PAK-BLR/PAK-BLR.html", "ipynb": "PAK-BLR/PAK-BLR.ipynb",
                                "claims": "PAK-BLR/PAK-BLR.claims.json"}
    for fmt, rel in entry["outputs"].items():
        assert entry["files"][fmt]["sha256"] == sha(first.output / rel)
    assert {"execute", "export", "total", "worker"} <= set(entry["seconds"])
    assert 0 < entry["seconds"]["execute"] < entry["seconds"]["total"]
    assert entry["commit"] == git_commit() and entry["error"] is None
    nb = nbformat.read(first.output / "PAK-BLR/PAK-BLR.ipynb", as_version=4)
    record = nb.metadata["briefkit"]
    assert record["data_digest"] == entry["data_digest"] and record["commit"] == git_commit()
    assert record["versions"]["weasyprint"] and record["parameters"]["country_b"] == "BLR"
    assert first.json["summary"] == {"ok": 3, "failed": 3, "skipped-cached": 0}


def test_index_links_every_brief_with_its_status(first):
    index = first.index
    for pair in GOOD:
        assert f'<a href="{pair}/{pair}.html">{pair}</a></td><td class="status ok">ok</td>' in index
    assert '<td class="status failed">failed</td>' in index
    assert "Unknown country &quot;XXX&quot;" in index
    assert '<a href="PAK-RUS/PAK-RUS.failed.ipynb">failed notebook</a>' in index
    assert "worker died" in index
    assert "<script" not in index and "http" not in index  # self-contained


def test_progress_reports_each_brief_as_a_log_line(first):
    lines = [batch.progress_line(e) for e in first.events]
    assert lines[0] == ('[1/6] PAK-XXX failed: command line: Unknown country "XXX" '
                        "(use an ISO 3166 code such as PAK or a name such as Pakistan)")
    assert lines[1] == "[1/6] rendering 5 brief(s) in 2 worker process(es): 5 new"
    assert [e.done for e in first.events] == [1, 1, 2, 3, 4, 5, 6]
    assert any(re.fullmatch(r"\[\d/6\] PAK-BLR ok \d+\.\d s \(new\)", line) for line in lines)
    log = (first.output / "PAK-BLR" / "PAK-BLR.log").read_text()
    assert log.startswith("PAK-BLR: ok at ") and "reason: new" in log and "html: PAK-BLR/PAK-BLR.html" in log
    failed_log = (first.output / "PAK-RUS" / "PAK-RUS.log").read_text()
    assert "error (execute):" in failed_log and "no-such-statement" in failed_log
    assert first.events[-1].failed == 3


def test_rerun_redoes_only_what_failed(first, second):
    m = second.manifest
    assert m.cached == GOOD
    assert m.ok == ["CHN-RUS"]           # its worker no longer dies
    assert sorted(m.failed) == ["PAK-RUS", "PAK-XXX"]
    for pair in GOOD:                     # not touched: same bytes, same modification times
        assert m.entries[pair].seconds == {}
        for name in (f"{pair}/{pair}.html", f"{pair}/{pair}.ipynb"):
            assert second.files[name] == first.files[name]
    assert m.entries["PAK-RUS"].reason == "failed before"
    assert m.entries["PAK-RUS"].seconds["worker"] > 0  # executed again
    assert m.entries["CHN-RUS"].reason == "failed before"


# ---- the cache ----------------------------------------------------------------------------------
def _make_change(what: str, tmp_path: Path, monkeypatch, data: Path) -> dict:
    """Change one thing a brief depends on; return run_batch's extra arguments."""
    if what == "notebook":
        copy = tmp_path / "brief.ipynb"
        copy.write_bytes(keys.NOTEBOOK.read_bytes().replace(b'"cells": [', b'"cells":  [', 1))
        return {"notebook": copy}
    if what == "templates":
        copy = tmp_path / "templates"
        shutil.copytree(keys.TEMPLATES, copy)
        css = copy / "briefkit" / "brief.css"
        css.write_text(css.read_text() + "\n/* changed */\n")
        return {"code": Code(templates=copy)}
    if what == "code":
        copy = tmp_path / "briefkit"
        shutil.copytree(keys.CODE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        wording = copy / "content" / "templates" / "sentences" / "trade.level.j2"   # a sentence's wording is code
        wording.write_text(wording.read_text() + "\n")
        return {"code": Code(code=copy)}
    if what == "environment":
        monkeypatch.setattr(keys.platform, "python_version", lambda: "3.99.0")
    elif what == "parameters":  # as if the brief took one more parameter, with a new value
        from briefkit.params import Params

        plain = Params.as_notebook
        monkeypatch.setattr(Params, "as_notebook", lambda self: plain(self) | {"year": 2021})
    elif what == "prose":  # an HTML comment in the pair's prose
        copy = tmp_path / "data"
        shutil.copytree(data, copy)
        with open(copy / "prose" / "PAK-BLR.md", "a", encoding="utf-8") as f:
            f.write("\n<!-- checked -->\n")
        return {"data": copy}
    elif what == "data of BLR (trade)":  # a row BLR reports on its trade with a third country
        copy = tmp_path / "data"
        shutil.copytree(data, copy)
        rows = gzip.decompress((copy / "trade.csv.gz").read_bytes()).decode().splitlines(keepends=True)
        i = next(i for i, line in enumerate(rows) if line.startswith("BLR,DEU,2019,"))
        fields = rows[i].split(",")
        fields[3] = str(float(fields[3]) + 1)
        rows[i] = ",".join(fields)
        (copy / "trade.csv.gz").write_bytes(gzip.compress("".join(rows).encode(), mtime=0))
        return {"data": copy}
    return {}


@pytest.mark.parametrize("what", ["notebook", "templates", "code", "environment", "parameters", "prose",
                                  "data of BLR (trade)"])
def test_a_brief_is_rendered_again_when_something_it_depends_on_changes(what, first, data, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(first.baseline, out)
    sent = []
    unchanged = run_batch(jobs_from_pairs(["PAK-BLR", "BLR-CHN", "IND-RUS"]), out, formats=("html",), data=data,
                          runner=recording(sent))
    assert unchanged.cached == ["PAK-BLR", "BLR-CHN", "IND-RUS"] and sent == []
    changed = run_batch(jobs_from_pairs(["PAK-BLR", "IND-RUS"]), out, formats=("html",), runner=recording(sent),
                        **{"data": data, **_make_change(what, tmp_path, monkeypatch, data)})
    shared = what in ("notebook", "templates", "code", "environment", "parameters")
    assert sent == (["PAK-BLR", "IND-RUS"] if shared else ["PAK-BLR"])  # per brief: IND-RUS reads neither
    assert changed.entries["PAK-BLR"].reason == f"changed: {what}"


@pytest.mark.parametrize("how, reason", [("force", "forced"), ("delete", "PAK-BLR/PAK-BLR.html is missing"),
                                         ("pdf", "no pdf yet")])
def test_force_a_missing_output_or_a_new_format_render_again(how, reason, first, data, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(first.baseline, out)
    if how == "delete":
        (out / "PAK-BLR" / "PAK-BLR.html").unlink()
    formats = ("html", "pdf") if how == "pdf" else ("html",)
    m = run_batch(jobs_from_pairs(["PAK-BLR"]), out, formats=formats, data=data, force=how == "force",
                  runner=recording([]))
    assert m.entries["PAK-BLR"].reason == reason


def test_a_changed_data_package_really_renders_again(first, data, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first.baseline, out)
    changed = tmp_path / "data"
    shutil.copytree(data, changed)
    statements = changed / "statements.csv"
    statements.write_text(statements.read_text(encoding="utf-8").replace("50.2", "50.3"), encoding="utf-8")
    m = run_batch(jobs_from_pairs(["PAK-BLR", "BLR-CHN"]), out, workers=2, formats=("html",), data=changed)
    assert m.ok == ["PAK-BLR", "BLR-CHN"]  # the statement names PAK and BLR: BLR-CHN reads BLR's rows too
    assert m.entries["PAK-BLR"].reason == "changed: data of PAK (statements), data of BLR (statements)"
    assert m.entries["BLR-CHN"].reason == "changed: data of BLR (statements)"
    assert m.entries["PAK-BLR"].data_digest == open_package(changed).digest
    before = (first.baseline / "PAK-BLR/PAK-BLR.html").read_text(encoding="utf-8")
    after = (out / "PAK-BLR/PAK-BLR.html").read_text(encoding="utf-8")
    assert "US$50.2 million" in before and "US$50.3 million" in after


# ---- workers: byte-identical, on a cluster, killed ----------------------------------------------
def test_outputs_are_byte_identical_whatever_the_number_of_workers(by_workers):
    for pair in ("PAK-BLR", "BLR-CHN"):
        for fmt in ("html", "pdf"):
            one, two = (by_workers[n] / pair / f"{pair}.{fmt}" for n in (1, 2))
            assert one.read_bytes() == two.read_bytes(), f"{pair}.{fmt}"
    assert (by_workers[1] / "PAK-BLR/PAK-BLR.pdf").read_bytes().startswith(b"%PDF-")


def test_the_same_batch_on_a_dask_local_cluster(by_workers, data, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        m = run_batch(jobs_from_pairs(["PAK-BLR", "BLR-CHN", "PAK-XXX"]), tmp_path, scheduler=cluster.scheduler_address,
                      data=data)
        with distributed.Client(cluster) as client:  # the workers stay; the kernels they kept end with the batch
            kernels = _kernels_of(client.run(os.getpid).values())
    assert kernels == []
    assert sorted(m.ok) == ["BLR-CHN", "PAK-BLR"] and m.failed == ["PAK-XXX"]
    assert m.run["scheduler"] == cluster.scheduler_address
    for pair in ("PAK-BLR", "BLR-CHN"):
        for fmt in ("html", "pdf"):
            name = f"{pair}/{pair}.{fmt}"
            assert (tmp_path / name).read_bytes() == (by_workers[1] / name).read_bytes(), name


def _kernels_of(pids) -> list[str]:
    """The command lines of the running briefkit kernels started by these processes."""
    psutil = pytest.importorskip("psutil")
    found = []
    for pid in pids:
        for child in psutil.Process(pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "briefkit.kernel" in " ".join(child.cmdline()):
                    found.append(" ".join(child.cmdline()))
            except psutil.NoSuchProcess:
                pass
    return found


def test_a_killed_batch_leaves_good_briefs_a_valid_manifest_and_resumes(by_workers, data, tmp_path):
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "out"
    shutil.copytree(by_workers[1], out)
    good = {p: p.read_bytes() for p in out.glob("*/*.*") if p.suffix in (".html", ".pdf")}
    args = ["batch", "PAK-BLR", "BLR-CHN", "--force", "-o", str(out), "-j", "1", "--data", str(data)]
    proc = subprocess.Popen([sys.executable, "-m", "briefkit.cli", *args], stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    children = []
    while time.monotonic() - started < 120:  # kill it once the first brief is in and the second is running
        children = psutil.Process(proc.pid).children(recursive=True) or children
        try:
            pairs = json.loads((out / "manifest.json").read_text())["pairs"]
        except (OSError, ValueError):
            pytest.fail("manifest.json must always be readable and whole")
        if any(e["status"] == OK and e["reason"] == "forced" for e in pairs.values()):
            break
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    manifest = json.loads((out / "manifest.json").read_text())  # valid JSON: replaced whole every time
    statuses = sorted(e["status"] for e in manifest["pairs"].values())
    assert statuses == [FAILED, OK]
    for path, content in good.items():  # every brief whole, and the same bytes as before
        assert path.read_bytes() == content, path
    deadline = time.monotonic() + 10    # the workers and kernels follow the batch process
    while any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]

    result = briefkit(*[a for a in args if a != "--force"])
    assert result.returncode == 0, result.stderr
    resumed = json.loads((out / "manifest.json").read_text())
    assert sorted(e["status"] for e in resumed["pairs"].values()) == [OK, CACHED]
    assert not list(out.glob("*/.partial-*"))
    for path, content in good.items():
        assert path.read_bytes() == content, path


# ---- the command line ---------------------------------------------------------------------------
def test_command_exit_codes_log_lines_and_cache(data, tmp_path):
    out = str(tmp_path / "out")
    first = briefkit("batch", "PAK-BLR", "--to", "html", "-o", out, "--data", str(data))
    assert first.returncode == 0, first.stderr
    assert re.fullmatch(r"\[0/1\] rendering 1 brief\(s\) in 1 worker process\(es\): 1 new\n"
                        r"\[1/1\] PAK-BLR ok \d+\.\d s \(new\)\n", first.stderr)
    assert first.stdout.startswith("1 ok, 0 failed, 0 skipped-cached; manifest ")
    again = briefkit("batch", "Pakistan:Belarus", "PAK-XXX", "--to", "html", "-o", out, "--data", str(data))
    assert again.returncode == 1
    assert again.stderr.splitlines() == [
        "[2/2] 1 up to date (skipped-cached)",
        '[2/2] PAK-XXX failed: command line: Unknown country "XXX" (use an ISO 3166 code such as PAK or a name '
        "such as Pakistan)"]
    assert again.stdout.startswith("0 ok, 1 failed, 1 skipped-cached")


def test_progress_bar_on_a_terminal():
    stream = io.StringIO()
    bar = batch.Bar(stream)
    bar(Progress(0, 4, None, "rendering", message="rendering 4 brief(s) in 2 worker process(es): 4 new"))
    bar(Progress(1, 4, "PAK-XXX", FAILED, message="Unknown country", failed=1))
    bar(Progress(2, 4, "PAK-BLR", OK, 5.2, failed=1, reason="new"))
    bar.close()
    text = stream.getvalue()
    assert "[0/4] rendering 4 brief(s) in 2 worker process(es): 4 new\n" in text
    assert "[1/4] PAK-XXX failed: Unknown country\n" in text
    last = text.rstrip("\n").split("\r")[-1].rstrip()  # a bar shorter than the last one is padded with spaces
    assert re.search(r" 2/4 \[\d\d:\d\d<\d\d:\d\d, +[\d.?]+ ?s?/?brief/?s?\], PAK-BLR ok, 1 failed$", last), last


def test_batch_help_names_the_sources_of_pairs_and_the_exit_code():
    out = briefkit("batch", "--help").stdout
    for words in ("--file", "--partners-of", "--min-trade", "--year", "--workers", "--scheduler", "--force",
                  "manifest.json", "index.html", "Exit code"):
        assert words in out
