"""End-to-end and per-stage timing of `siksval check` at registry scale.

Generates (once, cached under bench/data/) synthetic DTKS exports with `siksval synth`
(defects and duplicates injected), then for each size:

* baseline: a bare `pyarrow.csv.read_csv` of the same file, in a fresh process;
* end to end: `siksval check FILE --format json` in a fresh process (wall time, peak RSS);
* stages, in one process: read, map+schema, each rule family, duplicate search, JSON writing.

Prints a table of medians over --repeat runs and the ratio to the baseline. Usage:

    python bench/bench_check.py --rows 100000 1000000 --repeat 3
    python bench/bench_check.py --rows 5000000 --repeat 1 --no-stages
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

BASELINE = """
import sys, time, resource, pyarrow.csv as c
t = time.perf_counter()
tbl = c.read_csv(sys.argv[1], parse_options=c.ParseOptions(delimiter='|'))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, tbl.num_rows)
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


def run_baseline(path: Path) -> tuple[float, float]:
    # A fresh interpreter per run so its peak RSS is its own (ru_maxrss of children is the max).
    out = subprocess.run([sys.executable, "-c", BASELINE, str(path)], env=ENV, capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def run_end_to_end(path: Path) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        script = (
            "import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "p = subprocess.run([sys.executable, '-m', 'siksval', 'check', sys.argv[1], '--format', 'json',"
            " '--output', sys.argv[2], '--as-of', '2026-10-31', '--no-progress', '--quiet'])\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, p.returncode)\n"
        )
        res = subprocess.run([sys.executable, "-c", script, str(path), str(out)], env=ENV,
                             capture_output=True, text=True, check=True)
        wall, peak, code = res.stdout.split()
        if int(code) not in (0, 1):
            raise RuntimeError(f"siksval check exited {code}")
        n = len(json.loads(out.read_text(encoding="utf-8"))["findings"])
        return float(wall), float(peak), n


def run_stages(path: Path) -> dict[str, float]:
    """Stage times in this process (read, schema, families, duplicates, JSON)."""
    sys.path.insert(0, str(ROOT))
    import siksval
    from siksval.api import load_input
    from siksval.config import Config
    from siksval.io.read import read_table
    from siksval.report import render
    from siksval.rules import catalogue, run_rules

    times: dict[str, float] = {}
    t = time.perf_counter()
    read_table(path)
    times["read"] = time.perf_counter() - t
    t = time.perf_counter()
    loaded = load_input(path, dataset="auto", as_of=__import__("datetime").date(2026, 10, 31), config=Config())
    times["read+map+schema"] = time.perf_counter() - t
    ds = loaded.dataset
    families = sorted({info.family for info in catalogue().values() if ds.name in info.datasets})
    for fam in families:
        cfg = Config(select=[fam])
        t = time.perf_counter()
        run_rules(ds, cfg)  # shares ds caches: a family pays only for what it derives first
        times[f"rules {fam}"] = time.perf_counter() - t
    report = siksval.check(path, as_of="2026-10-31", config=Config())
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        render(report, "json", Path(tmp) / "r.json", mask=True)
        times["json"] = time.perf_counter() - t
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-stages", action="store_true")
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    results = {}
    for rows in args.rows:
        path = ensure_file(rows)
        base = [run_baseline(path) for _ in range(args.repeat)]
        e2e = [run_end_to_end(path) for _ in range(args.repeat)]
        b_wall = statistics.median(b[0] for b in base)
        wall = statistics.median(e[0] for e in e2e)
        peak = max(e[1] for e in e2e)
        results[rows] = wall
        print(f"\n{rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, {e2e[0][2]:,} findings")
        print(f"  baseline pyarrow.csv.read_csv: median {b_wall:.2f} s (runs {', '.join(f'{b[0]:.2f}' for b in base)})")
        print(f"  siksval check --format json:   median {wall:.2f} s (runs {', '.join(f'{e[0]:.2f}' for e in e2e)}),"
              f" peak RSS {peak:,.0f} MB, {rows / wall:,.0f} rows/s, {wall / b_wall:.1f}x baseline")
        if not args.no_stages:
            stages = run_stages(path)
            for name, secs in stages.items():
                print(f"    {name:<22} {secs:7.2f} s")
    sizes = sorted(results)
    for a, b in itertools.pairwise(sizes):
        print(f"\nscaling {a:,} -> {b:,} rows: time x{results[b] / results[a]:.2f} for rows x{b / a:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
