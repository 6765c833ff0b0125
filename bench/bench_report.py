"""Time and memory of writing each report format at registry scale.

Builds the Report of a synthetic DTKS export once (cached under bench/data/, pickled), then for
each format, in a fresh process per run: load the pickled Report, write the format to a file,
and print the wall time of the writing alone and the peak RSS above the loaded Report (VmHWM
reset after loading; Linux). The baseline is the streaming JSON writer (the contract format),
in the same run.
Prints medians over --repeat runs. Usage:

    python bench/bench_report.py --rows 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1"}


WRITE = """
import gc, pickle, sys, time
from siksval.report import render

def status(field):
    with open("/proc/self/status") as fh:
        return next(int(x.split()[1]) / 1024 for x in fh if x.startswith(field))

with open(sys.argv[1], "rb") as fh:
    report = pickle.load(fh)
gc.collect()
base = status("VmRSS:")
with open("/proc/self/clear_refs", "w") as fh:  # reset the peak (VmHWM) to the current RSS
    fh.write("5")
t = time.perf_counter()
render(report, sys.argv[2], sys.argv[3])
wall = time.perf_counter() - t
print(wall, status("VmHWM:") - base, base)
"""

FORMATS = ("json", "csv", "junit", "text", "html", "xlsx")
EXT = {"json": "json", "csv": "csv", "junit": "xml", "text": "txt", "html": "html", "xlsx": "xlsx"}


def ensure_file(rows: int, defects: str, seed: int = 7) -> Path:
    data = ROOT / "bench" / "data"
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"dtks_{rows}_{defects.replace('=', '')}.csv"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "siksval", "synth", str(path), "--rows", str(rows),
                        "--seed", str(seed), "--defects", defects], check=True, env=ENV)
    return path


def report_pickle(rows: int, defects: str) -> Path:
    path = ROOT / "bench" / "data" / f"report_{rows}_{defects.replace('=', '')}.pickle"
    if not path.exists():
        import siksval

        src = ensure_file(rows, defects)
        t = time.perf_counter()
        report = siksval.check(src, as_of="2026-10-31")
        print(f"checked {src.name} in {time.perf_counter() - t:.1f} s: "
              f"{len(report.findings_raw):,} findings, {len(report.context):,} context records",
              flush=True)
        with open(path, "wb") as fh:
            pickle.dump(report, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def time_context(rows: int, defects: str, repeat: int) -> None:
    """What `check` spends locating the findings' records (desa, address, head)."""
    import datetime

    from siksval import api
    from siksval.config import Config
    from siksval.context import record_context, rows_mentioned

    with open(report_pickle(rows, defects), "rb") as fh:
        report = pickle.load(fh)
    ds = api.load_input(ensure_file(rows, defects), as_of=datetime.date(2026, 10, 31),
                        config=Config()).dataset
    walls = []
    for _ in range(repeat):
        t = time.perf_counter()
        located = rows_mentioned(report.findings_raw, report.duplicates)
        record_context(ds, located)
        walls.append(time.perf_counter() - t)
    print(f"  context: {len(located):,} records located in {statistics.median(walls):.2f} s "
          f"(runs: {', '.join(f'{w:.2f}' for w in walls)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", nargs="+", default=list(FORMATS))
    ap.add_argument("--defects", default="all=0.01",
                    help="siksval synth --defects (rate of households per defect)")
    ap.add_argument("--context", action="store_true",
                    help="also time building Report.context (siksval.context) in check")
    args = ap.parse_args()
    print(f"# {platform.node()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d')}")
    for rows in args.rows:
        pick = report_pickle(rows, args.defects)
        with open(pick, "rb") as fh:
            report = pickle.load(fh)
        n_findings = len(report.findings_raw)
        del report
        print(f"\n{rows:,} rows, {n_findings:,} findings; median of {args.repeat} "
              "(wall s of the writing / peak RSS MB above the loaded Report (its RSS) / output MB)")
        results = {}
        with tempfile.TemporaryDirectory() as tmp:
            for fmt in args.formats:
                walls, rss, bases = [], [], []
                out = Path(tmp) / f"out.{EXT[fmt]}"
                for _ in range(args.repeat):
                    res = subprocess.run([sys.executable, "-c", WRITE, str(pick), fmt, str(out)],
                                         env=ENV, capture_output=True, text=True, check=True)
                    w, r, b = map(float, res.stdout.split())
                    walls.append(w)
                    rss.append(r)
                    bases.append(b)
                size = out.stat().st_size / 1e6
                results[fmt] = statistics.median(walls)
                print(f"  {fmt:6s} {statistics.median(walls):7.2f} s  {statistics.median(rss):6.0f} MB"
                      f" ({statistics.median(bases):.0f})"
                      f"  {size:8.1f} MB   runs: {', '.join(f'{w:.2f}' for w in walls)}", flush=True)
        if args.context:
            time_context(rows, args.defects, args.repeat)
        if "json" in results:
            ratio = ", ".join(f"{f} {v / results['json']:.1f}x" for f, v in results.items())
            print(f"  relative to the JSON baseline: {ratio}")


if __name__ == "__main__":
    main()
