"""Many briefs at once: jobs → plan (cache keys per brief) → runners (worker processes or a Dask
cluster) → manifest and index.

    jobs = jobs_from_pairs(["PAK-BLR", "Pakistan:Russia"]) + jobs_from_file("pairs.csv")
    plan = plan_batch(jobs, "build")                  # what would render, and why (--dry-run)
    manifest = run_batch(jobs, "build", workers=2)    # build/A-B/A-B.{ipynb,html,pdf,log}, manifest.json, index.html
    manifest.failed                                   # pairs that failed; manifest.entries[pair].error says why

One module per concern: jobs (command line, CSV, YAML), selection (pairs from the trade table),
keys (what each brief reads, digested), plan, manifest, runners (processes, Dask), worker, index,
progress, run. Nothing here prints: progress goes to a callback (the command line draws it).
"""
from .index import index_html
from .jobs import Job, jobs_from_file, jobs_from_pairs, split_pair
from .keys import Code, DataIndex
from .manifest import CACHED, FAILED, INDEX, MANIFEST, OK, Entry, Manifest
from .plan import Plan
from .progress import Bar, Progress, log_lines, progress_line
from .run import FORMATS, plan_batch, run_batch
from .runners import DaskCluster, LocalWorkers
from .selection import jobs_from_selection
from .worker import Result, Task, render_task

__all__ = ["CACHED", "FAILED", "FORMATS", "INDEX", "MANIFEST", "OK", "Bar", "Code", "DaskCluster", "DataIndex",
           "Entry", "index_html", "Job", "LocalWorkers", "Manifest", "Plan", "Progress", "Result", "Task", "jobs_from_file",
           "jobs_from_pairs", "jobs_from_selection", "log_lines", "plan_batch", "progress_line", "render_task",
           "run_batch", "split_pair"]
