"""Duplicate search on the dask engine: wall time and the client's memory, 1 and 2 workers.

For each worker count, a fresh `LocalCluster` of N single-threaded worker processes, then
`siksval check FILE.parquet --engine dask --scheduler ... --select DUP --format json` in a
fresh process (so the run is read -> schema -> household shuffle -> duplicate search ->
report, with only the DUP rules selected). Printed: median wall, CPU of client + workers, peak
RSS of the client process and of the largest worker, DUP findings and a digest of the JSON
report's findings and `duplicates` (equal digests: identical reports). The same file through
`--engine pandas --select DUP` is the single-process reference, and a bare pyarrow read of
the Parquet file the baseline.

`--tree DIR` runs another siksval source tree instead of this one, e.g. the commit before the
shuffled search (duplicate search gathered the person columns of the whole file to the client):

    git archive 1010003 siksval | tar -x -C /tmp/gather
    python bench/bench_dask_dup.py --rows 1000000 --workers 1 2 --tree /tmp/gather

Usage: `python bench/bench_dask_dup.py --rows 1000000 --workers 1 2 [--repeat 3] [--pandas]`
(the file is generated / converted once under bench/data by bench_check.py's helpers).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# WRAP: `siksval check` in a child process, printing wall, CPU, peak RSS and the exit code
from bench_check import WRAP, ensure_file, ensure_parquet  # noqa: E402

AS_OF = "2026-10-31"
BASELINE = """
import sys, time, pyarrow.parquet as pq
t = time.perf_counter(); pq.read_table(sys.argv[1]); print(time.perf_counter() - t)
"""


def run_check(tree: Path, path: Path, *extra: str) -> tuple[float, float, float, int]:
    path = path.resolve()
    """(wall s, CPU s, peak RSS MB, DUP findings) of one `siksval check` process."""
    env = {**os.environ, "PYTHONPATH": str(tree), "CI": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        args = [str(path), "--format", "json", "--output", str(out), "--as-of", AS_OF,
                "--select", "DUP", "--no-progress", "--quiet", *extra]
        # cwd: `python -m siksval` imports the package of its working directory first
        res = subprocess.run([sys.executable, "-c", WRAP, *args], env=env, capture_output=True,
                             text=True, cwd=tree)
        if res.returncode != 0:
            raise RuntimeError(res.stderr[-2000:])
        wall, cpu, peak, code = res.stdout.split()
        if int(code) not in (0, 1):
            raise RuntimeError(f"siksval check exited {code}: {res.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
        digest = hashlib.sha256(json.dumps([report["findings"], report.get("duplicates")],
                                           sort_keys=True).encode()).hexdigest()[:12]
        return float(wall), float(cpu), float(peak), len(report["findings"]), digest


def _usage() -> tuple[float, float]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_maxrss / 1024


def run_dask(tree: Path, path: Path, workers: int, memory_limit: str | None = None,
             ) -> tuple[float, float, float, float, int, str]:
    """(wall, CPU client + workers, client peak MB, largest worker peak MB, findings, digest)."""
    from distributed import Client, LocalCluster

    # The workers unpickle siksval's task functions: they import the tree under test (worker
    # processes start with this process's sys.path, then PYTHONPATH).
    os.environ["PYTHONPATH"] = str(tree)
    if str(tree) not in sys.path:
        sys.path.insert(0, str(tree))
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0", memory_limit=memory_limit or "auto") as cluster, \
            Client(cluster) as client:
        wall, cpu, peak, n, digest = run_check(tree, path, "--engine", "dask", "--scheduler",
                                               cluster.scheduler_address)
        stats = client.run(_usage).values()
    return wall, cpu + sum(s[0] for s in stats), peak, max(s[1] for s in stats), n, digest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pandas", action="store_true", help="also the pandas engine, --select DUP")
    ap.add_argument("--tree", type=Path, default=ROOT, help="siksval source tree to run")
    ap.add_argument("--memory-limit", default=None, help="per dask worker, e.g. 5GB")
    args = ap.parse_args()
    tree = args.tree.resolve()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, tree {tree}", flush=True)
    pq = ensure_parquet(ensure_file(args.rows))
    base = [float(subprocess.run([sys.executable, "-c", BASELINE, str(pq)], capture_output=True,
                                 text=True, check=True).stdout) for _ in range(args.repeat)]
    print(f"{args.rows:,} rows ({pq.stat().st_size / 1e6:.0f} MB parquet); baseline pyarrow "
          f"read median {statistics.median(base):.2f} s", flush=True)
    if args.pandas:
        p = [run_check(tree, pq) for _ in range(args.repeat)]
        w = statistics.median(x[0] for x in p)
        print(f"  pandas --select DUP: median {w:.2f} s wall (runs "
              f"{', '.join(f'{x[0]:.1f}' for x in p)}), {statistics.median(x[1] for x in p):.1f} s"
              f" CPU, peak RSS {max(x[2] for x in p):,.0f} MB, {p[0][3]:,} findings "
              f"(digest {p[0][4]})", flush=True)
    for workers in args.workers:
        d = [run_dask(tree, pq, workers, args.memory_limit) for _ in range(args.repeat)]
        w = statistics.median(x[0] for x in d)
        limit = f" limit {args.memory_limit}" if args.memory_limit else ""
        print(f"  dask --select DUP, {workers} worker(s){limit}: median {w:.2f} s wall (runs "
              f"{', '.join(f'{x[0]:.1f}' for x in d)}), {statistics.median(x[1] for x in d):.1f} s "
              f"CPU client + workers, peak RSS client {max(x[2] for x in d):,.0f} MB / largest "
              f"worker {max(x[3] for x in d):,.0f} MB, {args.rows / w:,.0f} rows/s, "
              f"{d[0][4]:,} findings (digest {d[0][5]})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
