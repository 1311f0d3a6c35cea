"""A batch under faults, as a user meets them: Ctrl-C in the terminal, a worker killed."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT

psutil = pytest.importorskip("psutil")
pytestmark = pytest.mark.system
PAIRS = ["PAK-BLR", "BLR-CHN", "IND-RUS"]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("snapshot") / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


def start(tmp_path: Path, data: Path, *extra: str) -> tuple[subprocess.Popen, Path, Path]:
    """The batch in a session of its own (as a terminal runs it), with a temporary folder of its own."""
    tmp, out = Path(tempfile.mkdtemp(prefix="bkt", dir="/tmp")), tmp_path / "out"  # short: socket paths
    env = os.environ | {"TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "briefkit.cli", "batch", *PAIRS, "--to", "html", "-o", str(out),
                             "-j", "2", "--data", str(data), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    return proc, tmp, out


def kernels_running(proc: subprocess.Popen, n: int, timeout: float = 120) -> list:
    """Wait until n kernels execute briefs; return the batch's processes (workers and kernels)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        family = psutil.Process(proc.pid).children(recursive=True)
        kernels = [p for p in family if "briefkit.kernel" in " ".join(_cmdline(p))]
        if len(kernels) >= n:
            time.sleep(1.0)  # past the kernel's start: executing the notebook
            return psutil.Process(proc.pid).children(recursive=True)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"no {n} kernels within {timeout} s: {proc.communicate()}")


def _cmdline(p) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def gone(processes: list, timeout: float = 15) -> list:
    deadline = time.monotonic() + timeout
    alive = processes
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.1)
    return alive


def workers_starting(proc: subprocess.Popen, timeout: float = 60) -> list:
    """Wait until the first worker process exists (it is still importing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        family = psutil.Process(proc.pid).children(recursive=True)
        if any("multiprocessing" in " ".join(_cmdline(p)) for p in family):
            return family
        time.sleep(0.01)
    pytest.fail("no worker started")


@pytest.mark.parametrize("moment", ["workers starting", "kernels running"])
def test_ctrl_c_prints_one_line_and_leaves_no_kernel_sockets_and_a_valid_manifest(moment, tmp_path, data):
    proc, tmp, out = start(tmp_path, data)
    if moment == "kernels running":
        family = kernels_running(proc, 2)
        assert list(tmp.rglob("briefkit-kernel-*"))      # the kernels' socket folders, while they run
    else:
        family = workers_starting(proc)
    os.killpg(proc.pid, signal.SIGINT)                    # what Ctrl-C in the terminal does
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "briefkit: interrupted; earlier outputs are untouched"
    assert "Traceback" not in stderr and "asyncio" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert not gone(family), "workers and kernels end with the batch"
    assert not list(tmp.rglob("briefkit-kernel-*")) and not list(tmp.iterdir())
    tmp.rmdir()
    manifest = json.loads((out / "manifest.json").read_text())   # whole, and says what did not finish
    assert manifest["run"]["interrupted"]
    unfinished = [p for p, e in manifest["pairs"].items() if e["status"] == "failed"]
    assert unfinished and all(manifest["pairs"][p]["error"]["stage"] == "pending" for p in unfinished)


def test_a_worker_killed_mid_batch_fails_only_its_brief(tmp_path, data):
    proc, tmp, out = start(tmp_path, data)
    family = kernels_running(proc, 1)
    workers = [p for p in psutil.Process(proc.pid).children() if "multiprocessing" in " ".join(_cmdline(p))]
    victim = next(w for w in workers if any("briefkit.kernel" in " ".join(_cmdline(k)) for k in w.children()))
    victim.send_signal(signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr, stderr
    pairs = json.loads((out / "manifest.json").read_text())["pairs"]
    failed = [p for p, e in pairs.items() if e["status"] == "failed"]
    assert len(failed) == 1 and sorted(p for p, e in pairs.items() if e["status"] == "ok") == sorted(set(PAIRS) - set(failed))
    assert pairs[failed[0]]["error"]["stage"] == "worker"
    assert "killed by SIGKILL" in pairs[failed[0]]["error"]["message"]
    assert not gone(family)
    assert not list(tmp.rglob("briefkit-kernel-*"))
