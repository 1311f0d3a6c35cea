"""The bad-input corpus: what a careless user or an attacker may feed briefkit, one case a row.

Each row runs the command (in process, through briefkit.cli.main, or as a real process) against a
copy of the data package, edited for the row where it feeds hostile data, and checks what the user
sees: the exit code (0 ok, 1 a brief or data problem, 2 usage), one error line saying what and
where, no traceback, no terminal control characters, and that the good brief rendered at the start
of the module into the same output folder is byte-for-byte intact. data/ itself is never edited.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from briefkit.cli import main

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"
GOOD = "PAK-BLR"


# ---- the package copies and the good brief --------------------------------------------------------
@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A copy of data/ whose trade table holds only the pairs among PAK, BLR, RUS and CHN: quick to read."""
    target = tmp_path_factory.mktemp("small") / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("trade.csv.gz"))
    trade = pd.read_csv(DATA / "trade.csv.gz", dtype=str, keep_default_na=False)
    keep = trade["reporter"].isin(["PAK", "BLR", "RUS", "CHN"]) & trade["partner"].isin(["PAK", "BLR", "RUS", "CHN"])
    with gzip.open(target / "trade.csv.gz", "wt", encoding="utf-8", newline="") as f:
        trade[keep].to_csv(f, index=False, lineterminator="\n")
    return target


@pytest.fixture(scope="module")
def good(small, tmp_path_factory) -> Path:
    """The output folder holding one good PAK-BLR brief (ipynb, HTML, PDF), rendered once."""
    out = tmp_path_factory.mktemp("good")
    assert main(["render", "PAK", "BLR", "-o", str(out), "--data", str(small)]) == 0
    return out


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def edit(package: Path, table: str, match: dict, column: str, value) -> None:
    """Set `column` of the rows of `table` matching `match` (a callable gets the old value)."""
    path = package / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = pd.Series(True, index=frame.index)
    for key, wanted in match.items():
        rows &= frame[key] == wanted
    assert rows.any(), f"no {table} row matches {match}"
    frame.loc[rows, column] = frame.loc[rows, column].map(value) if callable(value) else value
    frame.to_csv(path, index=False, lineterminator="\n")


def append(package: Path, table: str, row: dict) -> None:
    path = package / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True).fillna("")
    frame.to_csv(path, index=False, lineterminator="\n")


def prose(package: Path, text: str) -> None:
    """Add `text` as a paragraph to the first section of PAK-BLR's analyst prose."""
    path = package / "prose" / "PAK-BLR.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    lines[heading + 1:heading + 1] = ["", text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def notebook(change: Callable[[dict], None]) -> Callable[[Path], Path]:
    """A copy of the brief notebook, changed, beside the real one's folder layout."""
    def make(folder: Path) -> Path:
        nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
        change(nb)
        path = folder / "brief.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        return path
    return make


def parameters_cell(nb: dict) -> dict:
    return next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))


def untag(nb):
    parameters_cell(nb)["metadata"]["tags"] = []


def set_parameters(source: str):
    def change(nb):
        parameters_cell(nb)["source"] = source
    return change


def second_parameters_cell(nb):
    nb["cells"].insert(2, dict(parameters_cell(nb), id="extra-parameters"))


# ---- the corpus -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]          # {out}: the good brief's output folder; {data}: the package copy
    code: int                      # the exit code
    message: str                   # a regular expression the one stderr line must match
    data: Callable[[Path], None] | None = None   # edits this row's own copy of the package
    env: dict = field(default_factory=dict)      # environment for the command
    kernel: bool = True            # may a kernel start? (False: the case must be refused before one)
    process: bool = False          # run as a real process rather than through main()
    notebook: Callable[[Path], Path] | None = None   # render(notebook=...) through the Python API
    after: Callable[[Path, str], None] | None = None  # more checks: (the row's output folder, stderr)
    fresh: bool = False            # write into a fresh folder (rows that succeed) instead of the good one
    report: bool = False           # a validation report: the problem is a line of stdout, stderr stays empty


LONG = "x" * 10_000
ESCAPE = "Bel\x1b[31marus\x07"
SCRIPT = "<script>alert(1)</script>"


def html_of(out: Path) -> str:
    return (out / GOOD / f"{GOOD}.html").read_text(encoding="utf-8")


def holds_no_markup(out: Path, stderr: str) -> None:
    """No element of the brief carries a script, an event handler or autofocus (as text, escaped, they may)."""
    text = html_of(out)
    assert "<script" not in text
    assert not re.search(r"<[a-z][^>]*\s(on[a-z]+|autofocus)(\s*=|[\s>])", text)
    assert 'href="javascript:' not in text


def nothing_escaped(out: Path, stderr: str) -> None:
    root = out.parent
    assert not list(root.rglob("*escaped*")), "a file was written outside the output folder"
    assert not [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("*escaped*")]


def warned_empty(out: Path, stderr: str) -> None:
    assert (out / "ABW-ALA" / "ABW-ALA.html").exists()


CORPUS = [
    # arguments: render
    pytest.param(Case(("render", "PAK", "Belarusia"), 2, r'Unknown country "Belarusia" \(did you mean Belarus, BLR'),
                 id="arg-unknown-country"),
    pytest.param(Case(("render", "PAK", "Pakistan"), 2, r"two different countries; both are PAK"), id="arg-same-country"),
    pytest.param(Case(("render", "", "BLR"), 2, r'Unknown country ""'), id="arg-empty-country"),
    pytest.param(Case(("render", "PAK", "99999"), 2, r'Unknown country "99999"'), id="arg-number-not-a-country"),
    pytest.param(Case(("render", "PAK", ESCAPE), 2, r'Unknown country "Bel\?\[31marus\?"'), id="arg-control-characters"),
    pytest.param(Case(("render", "PAK", LONG), 2, r'Unknown country "x{80}… \(10,000 characters\)"'), id="arg-10kB-country"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", "odt"), 2,
                      r'argument --to: unknown format "odt"; briefkit writes: html, pdf, docx', kernel=False), id="arg-to-odt"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", "pfd"), 2, r'unknown format "pfd" \(did you mean "pdf"\?\)',
                      kernel=False), id="arg-to-typo"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", ""), 2, r"argument --to: no format named; choose from html, pdf",
                      kernel=False), id="arg-to-empty"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", ",,"), 2, r"no format named", kernel=False), id="arg-to-commas"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", "html\x1b[2J"), 2, r'unknown format "html\?\[2j"', kernel=False),
                 id="arg-to-control-characters"),
    pytest.param(Case(("render", "PAK", "BLR", "-o", ""), 2, r"argument -o/--output: the output folder is empty",
                      kernel=False), id="arg-output-empty"),
    pytest.param(Case(("render", "PAK", "BLR", "-o", "   "), 2, r"the output folder is empty", kernel=False),
                 id="arg-output-blank"),
    pytest.param(Case(("render", "PAK"), 2, r"briefkit render: the following arguments are required: country_b",
                      kernel=False), id="arg-missing-country"),
    pytest.param(Case(("render", "PAK", "BLR", "--colour", "red"), 2, r"unrecognized arguments: --colour red",
                      kernel=False), id="arg-unknown-option"),
    pytest.param(Case(("frobnicate",), 2, r"argument command: invalid choice: 'frobnicate'", kernel=False),
                 id="arg-unknown-command"),
    # arguments: batch
    pytest.param(Case(("batch", "--partners-of", "PAK", "--top", "-3"), 2, r"argument --top: -3 is not positive",
                      kernel=False), id="batch-top-negative"),
    pytest.param(Case(("batch", "--partners-of", "PAK", "--top", "0"), 2, r"argument --top: 0 is not positive",
                      kernel=False), id="batch-top-zero"),
    pytest.param(Case(("batch", "--partners-of", "PAK", "--top", "3.5"), 2, r'argument --top: "3.5" is not a whole number',
                      kernel=False), id="batch-top-fraction"),
    pytest.param(Case(("batch", "--min-trade", "-5"), 2, r"argument --min-trade: -5 is not a number of US\$ million ≥ 0",
                      kernel=False), id="batch-min-trade-negative"),
    pytest.param(Case(("batch", "--min-trade", "nan"), 2, r"argument --min-trade: nan is not", kernel=False),
                 id="batch-min-trade-nan"),
    pytest.param(Case(("batch", "--min-trade", "inf"), 2, r"argument --min-trade: inf is not", kernel=False),
                 id="batch-min-trade-infinite"),
    pytest.param(Case(("batch", "PAK-BLR", "--to", "odt"), 2, r'unknown format "odt"', kernel=False),
                 id="batch-to-odt"),
    pytest.param(Case(("batch", "PAK-BLR", "-o", ""), 2, r"the output folder is empty", kernel=False),
                 id="batch-output-empty"),
    pytest.param(Case(("batch", "PAK-BLR", "-j", "0"), 2, r"argument -j/--workers: 0 is not positive", kernel=False),
                 id="batch-workers-zero"),
    pytest.param(Case(("batch",), 2, r"No pairs to render", kernel=False), id="batch-no-pairs"),
    pytest.param(Case(("batch", "PAK-BLR", "--top", "3"), 2, r"--year and --top choose among a selection",
                      kernel=False), id="batch-top-without-selection"),
    pytest.param(Case(("batch", "PAKBLR"), 2, r'"PAKBLR" is not a pair of countries', kernel=False),
                 id="batch-not-a-pair"),
    # parameters: the notebook's contract, checked before a kernel starts
    pytest.param(Case((), 2, r'brief.ipynb has no cell tagged "parameters"', notebook=notebook(untag), kernel=False),
                 id="nb-no-parameters-cell"),
    pytest.param(Case((), 2, r'brief.ipynb has 2 cells tagged "parameters"', notebook=notebook(second_parameters_cell),
                      kernel=False), id="nb-two-parameters-cells"),
    pytest.param(Case((), 2, r'the "parameters" cell must set exactly country_a, country_b, data, as_of, title, author: it lacks data',
                      notebook=notebook(set_parameters('country_a = "PAK"\ncountry_b = "BLR"\n')), kernel=False),
                 id="nb-parameter-missing"),
    pytest.param(Case((), 2, r"it sets year, which briefkit does not pass",
                      notebook=notebook(set_parameters('country_a = "PAK"\ncountry_b = "BLR"\ndata = None\nyear = 2019\n')),
                      kernel=False), id="nb-parameter-extra"),
    pytest.param(Case((), 2, r'the "parameters" cell is not valid Python \(line 1',
                      notebook=notebook(set_parameters('country_a = = "PAK"\n')), kernel=False),
                 id="nb-parameters-not-python"),
    pytest.param(Case((), 2, r"brief.ipynb is not a readable notebook", notebook=notebook(lambda nb: nb.clear()),
                      kernel=False), id="nb-not-a-notebook"),
    # data rows
    pytest.param(Case(("render", "Escapeland", "PAK"), 1,
                      r'the code "\.\./\.\./escaped", which is not three capital letters .* fix its iso3 in countries.csv',
                      data=lambda d: append(d, "countries", {"iso3": "../../escaped", "iso2": "XE", "m49": "999",
                                                             "name": "Escapeland", "current": "true"}),
                      after=nothing_escaped), id="row-iso3-path-traversal"),
    pytest.param(Case(("render", "Lowland", "PAK"), 1, r'the code "low", which is not three capital letters',
                      data=lambda d: append(d, "countries", {"iso3": "low", "name": "Lowland", "current": "true"})),
                 id="row-iso3-lowercase"),
    pytest.param(Case(("render", "Slashland", "PAK"), 1, r'the code "A/B", which is not three capital letters',
                      data=lambda d: append(d, "countries", {"iso3": "A/B", "name": "Slashland", "current": "true"})),
                 id="row-iso3-slash"),
    pytest.param(Case(("render", "PAK", "BLR"), 1, r"countries.csv cannot be read .* restore the countries table",
                      data=lambda d: (d / "countries.csv").write_bytes(b"\xff\xfe\x00binary\x00")),
                 id="row-countries-unreadable"),
    pytest.param(Case(("render", "PAK", "BLR"), 1,
                      r'events row \d+, field "date": value "July 2014" .* the executed notebook is .*PAK-BLR.failed.ipynb',
                      data=lambda d: edit(d, "events", {"id": "pak-blr-embassy-islamabad"}, "date", "July 2014")),
                 id="row-event-date-malformed"),
    # source text and prose
    pytest.param(Case(("render", "PAK", "BLR", "--to", "html"), 0, r"",
                      data=lambda d: edit(d, "sources", {"id": "pakemb-minsk-overview"}, "url",
                                          "https://e.org/autofocus/onfocus=alert(document.domain)//x "
                                          "https://e.org/autofocus/onfocus=alert(document.domain)//"),
                      after=holds_no_markup, fresh=True), id="source-url-holding-a-url"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", "html"), 0, r"",
                      data=lambda d: prose(d, f'Closing {SCRIPT} and <img src="data:image/png;base64,AA" onerror="alert(1)">'),
                      after=holds_no_markup, fresh=True), id="prose-script-and-onerror"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", "html"), 0, r"",
                      data=lambda d: edit(d, "events", {"id": "pak-blr-embassy-islamabad"}, "title",
                                          f'<b onclick="alert(1)">Embassy</b>{SCRIPT}'),
                      after=holds_no_markup, fresh=True), id="event-title-markup"),
    pytest.param(Case(("render", "PAK", "BLR"), 1,
                      r'an image from "http://127.0.0.1:8765/p.png", which briefkit does not fetch',
                      data=lambda d: prose(d, "See ![r](http://127.0.0.1:8765/p.png).")), id="prose-remote-image"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", "pdf"), 1, r'an image from "/etc/some.svg"',
                      data=lambda d: prose(d, "See ![s](/etc/some.svg).")), id="prose-local-image"),
    pytest.param(Case(("data", "validate", "--data", "{data}"), 1,
                      r"prose/PAK-BLR.md, line \d+: an image .*which briefkit does not fetch", kernel=False, report=True,
                      data=lambda d: prose(d, "See ![r](http://127.0.0.1:8765/p.png).")), id="validate-prose-image"),
    # files and environment
    pytest.param(Case(("render", "PAK", "BLR", "--data", "/nowhere"), 2, r"No data package at /nowhere: pass the folder"),
                 id="env-data-nowhere"),
    pytest.param(Case(("render", "PAK", "BLR", "--data", ""), 2, r"No data package at /nowhere",
                      env={"BRIEFKIT_DATA": "/nowhere"}), id="env-BRIEFKIT_DATA-nowhere"),
    pytest.param(Case(("data", "validate", "--data", "/nowhere"), 2, r"No data package at /nowhere", kernel=False),
                 id="env-validate-nowhere"),
    pytest.param(Case(("data", "import", "/nowhere.csv", "--data", "{data}"), 2, r"No such file: /nowhere.csv",
                      kernel=False), id="file-import-missing"),
    pytest.param(Case(("batch", "--file", "/nowhere.csv"), 2, r"/nowhere.csv", kernel=False), id="file-batch-list-missing"),
    pytest.param(Case(("render", "PAK", "BLR"), 1, r"datapackage.json is not a readable datapackage.json",
                      data=lambda d: (d / "datapackage.json").write_text("{not json")), id="file-descriptor-broken"),
    pytest.param(Case(("render", "PAK", "BLR", "--to", "html", "-o", "{out}/PAK-BLR/PAK-BLR.html"), 1,
                      r"Cannot write to .*PAK-BLR.html/PAK-BLR \(Not a directory\)"), id="file-output-is-a-file"),
    pytest.param(Case(("render", "ABW", "ALA", "--to", "html"), 0, r"",
                      after=warned_empty, fresh=True), id="pair-with-no-data"),
    # real processes
    pytest.param(Case(("render", "Escapeland", "PAK", "-o", "out/sub"), 1, r'the code "\.\./\.\./escaped"',
                      data=lambda d: append(d, "countries", {"iso3": "../../escaped", "name": "Escapeland",
                                                             "current": "true"}),
                      process=True, after=nothing_escaped), id="process-iso3-path-traversal"),
    pytest.param(Case(("render", "PAK", ESCAPE), 2, r'Unknown country "Bel\?\[31marus\?"', process=True),
                 id="process-control-characters"),
    pytest.param(Case(("batch", "--partners-of", "PAK", "--top", "-3"), 2, r"argument --top: -3 is not positive",
                      process=True), id="process-top-negative"),
]

EXPECTED_LINES = {"pair-with-no-data": ["briefkit: warning: the data package holds no trade, events or statements "
                                        "for ABW-ALA; the brief says only that"]}


@pytest.mark.parametrize("case", CORPUS)
def test_bad_input(case: Case, request, small, good, tmp_path, monkeypatch, capsys):
    before = digests(good / GOOD)
    data = small
    if case.data:
        data = tmp_path / "data"
        shutil.copytree(small, data)
        case.data(data)
    out = tmp_path / "fresh" if case.fresh else good
    argv = [a.format(out=out, data=data) for a in case.argv]
    if argv and argv[0] in ("render", "batch") and "--data" not in argv:
        argv += ["--data", str(data)]
    if argv and argv[0] in ("render", "batch") and "-o" not in argv:
        argv += ["-o", str(out)]
    if "--data" in argv and argv[argv.index("--data") + 1] == "" and case.env:
        del argv[argv.index("--data"):argv.index("--data") + 2]
    if not case.kernel:
        def no_kernel(*args, **kw):
            raise AssertionError("a kernel was started for input that should have been refused first")
        monkeypatch.setattr("briefkit.kernel.start_kernel", no_kernel)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)

    if case.process:
        work = tmp_path / "cwd"
        work.mkdir()
        done = subprocess.run([sys.executable, "-m", "briefkit.cli", *argv], capture_output=True, text=True, cwd=work,
                              env=dict(os.environ, **case.env), timeout=300)
        code, stderr = done.returncode, done.stderr
        out = work / "out" / "sub" if "out/sub" in argv else out
    elif case.notebook:
        from briefkit.errors import BriefkitError
        from briefkit.render import render

        try:
            render("PAK", "BLR", output=out, data=data, notebook=case.notebook(tmp_path))
            code, stderr = 0, ""
        except BriefkitError as exc:
            code, stderr = exc.exit_code, f"briefkit: error: {exc}\n"
    else:
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
        captured = capsys.readouterr()
        stderr = captured.err
        if case.report:
            assert stderr == ""
            stderr = "".join(f"briefkit: error: {line}\n" for line in captured.out.splitlines()
                             if re.search(case.message, line))

    assert "Traceback" not in stderr
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", stderr), "control characters echoed"
    lines = stderr.splitlines()
    if case.code == 0:
        assert code == 0, stderr
        assert lines == EXPECTED_LINES.get(request.node.callspec.id, [])
    else:
        assert code == case.code, stderr
        assert len(lines) == 1, stderr
        assert lines[0].startswith("briefkit: error: ")
        assert re.search(case.message, lines[0]), lines[0]
        assert len(lines[0]) < 1200
    if case.after:
        case.after(out, stderr)
    after = digests(good / GOOD)
    assert {k: v for k, v in after.items() if k in before} == before, "the earlier good brief changed"
    assert not [p for p in (good / GOOD).iterdir() if p.name.startswith(".partial-")]


def test_the_corpus_has_forty_rows_or_more():
    assert len(CORPUS) >= 40
