"""End-to-end and per-stage timing of `siksval check` at registry scale.

Generates (once, cached under bench/data/, git-ignored) synthetic DTKS exports with
`siksval synth` (every defect, duplicates included, injected in 0.2 % of households), then for
each size:

* baseline: a bare `pyarrow.csv.read_csv` of the same file, in a fresh process;
* end to end: `siksval check FILE --format json` in a fresh process (wall time, CPU time of the
  process and its threads, peak RSS, rows/s);
* stages (`--stages`), each repeat in a fresh process: read, map+schema, each rule family,
  JSON writing;
* dask (`--dask-workers 1 2`): `siksval check FILE.parquet --engine dask --scheduler ...`
  against a fresh `LocalCluster` of N single-threaded worker processes per run; peak RSS of
  the client and of the largest worker, CPU of client + workers. The Parquet file is the CSV
  converted once with `siksval.io.chunks.csv_to_parquet` (text columns, 200,000-row groups).

Prints medians over --repeat runs (runs listed) and the load average. Usage:

    python bench/bench_check.py --rows 100000 1000000 --repeat 3 --stages
    python bench/bench_check.py --rows 5000000 --repeat 3 --dask-workers 1 2
    python bench/bench_check.py --rows 5000000 --repeat 1 --dask-workers 2 --memory-limit 2GB
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1"}
AS_OF = "2026-10-31"

BASELINE = """
import sys, time, resource, pyarrow.csv as c
t = time.perf_counter()
tbl = c.read_csv(sys.argv[1], parse_options=c.ParseOptions(delimiter='|'))
r = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss / 1024, tbl.num_rows)
"""

# A wrapper process: runs the CLI as its child and reports the child's wall, CPU and peak RSS.
WRAP = """
import resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run([sys.executable, '-m', 'siksval', 'check', *sys.argv[1:]])
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss / 1024, p.returncode)
"""

STAGES = """
import datetime as dt, json, sys, tempfile, time, resource
from pathlib import Path
from siksval.api import check, load_input
from siksval.config import Config
from siksval.io.read import read_table
from siksval.report import render
from siksval.rules import catalogue, run_rules

path = sys.argv[1]
out = {}
def clock():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), r.ru_utime + r.ru_stime
def stage(name, t0):
    t1 = clock()
    out[name] = (t1[0] - t0[0], t1[1] - t0[1])
    return t1
t = clock()
read_table(path)
t = stage("read", t)
ds = load_input(path, dataset="auto", as_of=dt.date(2026, 10, 31), config=Config()).dataset
t = stage("read+map+schema", t)
fams = sorted({i.family for i in catalogue().values() if ds.name in i.datasets})
for fam in fams:  # families share ds caches: a family pays only for what it derives first
    run_rules(ds, Config(select=[fam]))
    t = stage(f"rules {fam}", t)
del ds
report = check(path, as_of="2026-10-31", config=Config())
t = clock()
with tempfile.TemporaryDirectory() as tmp:
    render(report, "json", Path(tmp) / "r.json", mask=True)
stage("json", t)
print(json.dumps(out))
"""


def ensure_file(rows: int, seed: int = 7) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"dtks_{rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "siksval", "synth", str(path), "--rows", str(rows),
             "--seed", str(seed), "--defects", "all=0.002", "--truth", str(path.with_suffix(".truth.csv"))],
            check=True, env=ENV,
        )
        print(f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s",
              flush=True)
    return path


def ensure_parquet(csv: Path) -> Path:
    path = csv.with_suffix(".parquet")
    if not path.exists():
        sys.path.insert(0, str(ROOT))
        from siksval.io.chunks import csv_to_parquet

        t = time.perf_counter()
        csv_to_parquet(csv, path)
        print(f"converted {csv.name} -> {path.name} ({path.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t:.1f} s", flush=True)
    return path


def run_baseline(path: Path) -> tuple[float, float, float]:
    # A fresh interpreter per run so its peak RSS is its own.
    out = subprocess.run([sys.executable, "-c", BASELINE, str(path)], env=ENV, capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def run_check(path: Path, *extra: str) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MB, findings) of one `siksval check --format json` process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        args = [str(path), "--format", "json", "--output", str(out), "--as-of", AS_OF,
                "--no-progress", "--quiet", *extra]
        res = subprocess.run([sys.executable, "-c", WRAP, *args], env=ENV, capture_output=True,
                             text=True)
        if res.returncode != 0:
            raise RuntimeError(res.stderr[-2000:])
        wall, cpu, peak, code = res.stdout.split()
        if int(code) not in (0, 1):
            raise RuntimeError(f"siksval check exited {code}: {res.stderr[-2000:]}")
        n = len(json.loads(out.read_text(encoding="utf-8"))["findings"])
        return float(wall), float(cpu), float(peak), n


def run_dask(path: Path, workers: int, memory_limit: str | None) -> tuple[float, float, float, float, int]:
    """(wall, CPU client+workers, client peak MB, largest worker peak MB, findings)."""
    import resource

    from distributed import Client, LocalCluster

    def usage() -> tuple[float, float]:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime, r.ru_maxrss / 1024

    # The scheduler (in this process) and the workers unpickle siksval's task functions.
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = str(ROOT)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0", memory_limit=memory_limit or "auto") as cluster, \
            Client(cluster) as client:
        wall, cpu, peak, n = run_check(path, "--engine", "dask", "--scheduler", cluster.scheduler_address)
        stats = client.run(usage).values()
    return wall, cpu + sum(s[0] for s in stats), peak, max(s[1] for s in stats), n


def run_stages(path: Path) -> dict[str, tuple[float, float]]:
    res = subprocess.run([sys.executable, "-c", STAGES, str(path)], env=ENV, capture_output=True,
                         text=True, check=True)
    return {k: tuple(v) for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items()}


def med(values: list[float]) -> float:
    return statistics.median(values)


def runs(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stages", action="store_true", help="also time each stage (fresh process per repeat)")
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas-engine runs")
    ap.add_argument("--dask-workers", type=int, nargs="*", default=[])
    ap.add_argument("--memory-limit", default=None, help="per dask worker, e.g. 2GB")
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    results: dict[int, float] = {}
    for rows in args.rows:
        path = ensure_file(rows)
        print(f"\n{rows:,} rows, {path.stat().st_size / 1e6:.0f} MB pipe CSV", flush=True)
        base = [run_baseline(path) for _ in range(args.repeat)]
        b_wall = med([b[0] for b in base])
        print(f"  baseline pyarrow.csv.read_csv: median {b_wall:.2f} s wall, {med([b[1] for b in base]):.2f} s CPU,"
              f" peak {max(b[2] for b in base):,.0f} MB (runs {runs([b[0] for b in base])})", flush=True)
        if not args.no_pandas:
            e2e = [run_check(path) for _ in range(args.repeat)]
            wall = med([e[0] for e in e2e])
            results[rows] = wall
            print(f"  check --format json (pandas): median {wall:.2f} s wall (runs {runs([e[0] for e in e2e])}),"
                  f" {med([e[1] for e in e2e]):.2f} s CPU, peak RSS {max(e[2] for e in e2e):,.0f} MB,"
                  f" {rows / wall:,.0f} rows/s, {wall / b_wall:.1f}x baseline, {e2e[0][3]:,} findings",
                  flush=True)
        if args.stages:
            per = [run_stages(path) for _ in range(args.repeat)]
            for name in per[0]:
                w = med([p[name][0] for p in per])
                c = med([p[name][1] for p in per])
                print(f"    {name:<22} {w:7.2f} s wall {c:7.2f} s CPU", flush=True)
        if args.dask_workers:
            pq = ensure_parquet(path)
            for workers in args.dask_workers:
                d = [run_dask(pq, workers, args.memory_limit) for _ in range(args.repeat)]
                wall = med([x[0] for x in d])
                print(f"  check --engine dask, {workers} worker(s){' limit ' + args.memory_limit if args.memory_limit else ''}"
                      f" ({pq.stat().st_size / 1e6:.0f} MB parquet): median {wall:.2f} s wall (runs {runs([x[0] for x in d])}),"
                      f" {med([x[1] for x in d]):.2f} s CPU (client + workers), peak RSS client"
                      f" {max(x[2] for x in d):,.0f} MB / largest worker {max(x[3] for x in d):,.0f} MB,"
                      f" {rows / wall:,.0f} rows/s, {d[0][4]:,} findings", flush=True)
        print(f"  load average now {os.getloadavg()[0]:.1f}", flush=True)
    sizes = sorted(results)
    for a, b in itertools.pairwise(sizes):
        print(f"\nscaling {a:,} -> {b:,} rows: time x{results[b] / results[a]:.2f} for rows x{b / a:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
