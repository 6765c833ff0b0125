"""Timing of `siksval diff OLD NEW` on two synthetic monthly exports.

Generates (once, cached under bench/data/) month N with `siksval synth` and month N+1 with
`siksval synth --next-month-of` (known changes, ~0.5 % of households per kind), then:

* baseline: `pyarrow.csv.read_csv` of both files, and `siksval check NEW --format json`, each in
  a fresh process;
* end to end: `siksval diff OLD NEW --format json` in a fresh process (wall, peak RSS);
* stages, in one process: loading both files, matching people by NIK and by the duplicate
  engine, households, counts per desa, CHG rules, JSON;
* accuracy: the CHG findings against the known changes.

Prints medians over --repeat runs. Usage:

    python bench/bench_diff.py --rows 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
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
AS_OF_OLD, AS_OF_NEW = "2026-10-31", "2026-11-30"

BASELINE = """
import sys, time, resource, pyarrow.csv as c
t = time.perf_counter()
n = sum(c.read_csv(p, parse_options=c.ParseOptions(delimiter='|')).num_rows for p in sys.argv[1:])
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, n)
"""

TIMED = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run([sys.executable, '-m', 'siksval', *sys.argv[1:]])\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,"
    " p.returncode)\n"
)


def ensure_months(rows: int, seed: int = 3) -> tuple[Path, Path, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    old = DATA / f"diff_{rows}_m1.csv"
    new = DATA / f"diff_{rows}_m2.csv"
    changes = DATA / f"diff_{rows}_changes.csv"
    if not (old.exists() and new.exists() and changes.exists()):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "siksval", "synth", str(old), "--rows", str(rows),
                        "--seed", str(seed), "--as-of", AS_OF_OLD], check=True, env=ENV)
        subprocess.run([sys.executable, "-m", "siksval", "synth", str(new), "--next-month-of",
                        str(old), "--seed", str(seed + 1), "--as-of", AS_OF_NEW, "--truth",
                        str(changes)], check=True, env=ENV)
        print(f"generated two months of {rows:,} rows in {time.perf_counter() - t:.1f} s",
              flush=True)
    return old, new, changes


def timed(*args: str) -> tuple[float, float]:
    res = subprocess.run([sys.executable, "-c", TIMED, *args], env=ENV, capture_output=True,
                         text=True, check=True)
    wall, peak, code = res.stdout.split()
    if int(code) not in (0, 1):
        raise RuntimeError(f"siksval {args[0]} exited {code}: {res.stderr}")
    return float(wall), float(peak)


def stages(old: Path, new: Path) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from siksval.api import load_input
    from siksval.config import Config
    from siksval.monthdiff.engine import MonthDiff
    from siksval.monthdiff.matching import match_people
    from siksval.monthdiff.run import diff
    from siksval.report import render
    from siksval.rules import load_rules
    from siksval.rules.changes import DIFF

    times: dict[str, float] = {}
    ref = dt.date.fromisoformat(AS_OF_NEW)
    t = time.perf_counter()
    a = load_input(old, dataset="dtks", as_of=ref, config=Config()).dataset
    b = load_input(new, dataset="dtks", as_of=ref, config=Config()).dataset
    times["load both (read+schema)"] = time.perf_counter() - t
    t = time.perf_counter()
    pairs = match_people(a, b, 0.85)
    times["match people"] = time.perf_counter() - t
    times["  of which linkage pairs"] = float((pairs["how"] == "linkage").sum())
    md = MonthDiff(a, b, threshold=0.85)  # matches again, then compares the fields
    t = time.perf_counter()
    _ = md.people
    times["people + field changes"] = time.perf_counter() - t
    t = time.perf_counter()
    _ = md.households
    times["households"] = time.perf_counter() - t
    t = time.perf_counter()
    md.counts()
    md.per_desa()
    times["counts + per desa"] = time.perf_counter() - t
    registry = load_rules()
    for code in sorted(c for c, r in registry.items() if DIFF in r.info.datasets):
        r = registry[code]
        t = time.perf_counter()
        r.fn(md, dict(r.info.options))
        times[f"rule {code}"] = time.perf_counter() - t
    report = diff(old, new, as_of=AS_OF_NEW, config=Config())
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        render(report, "json", Path(tmp) / "r.json", mask=True)
        times["json"] = time.perf_counter() - t
    return times


def accuracy(old: Path, new: Path, changes: Path) -> str:
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from siksval.config import Config
    from siksval.monthdiff.run import diff
    from siksval.synth.month import EXPECTED_CHG

    report = diff(old, new, as_of=AS_OF_NEW, config=Config())
    ch = pd.read_csv(changes, dtype=str)
    f = report.findings_raw
    out = []
    for kind, code in EXPECTED_CHG.items():
        want = ch[ch["change"] == kind]
        got = f[f["code"] == code]
        w = set(want["row_after"].astype(int))  # the person, or the household's first record
        g = set(got["row"].astype(int))
        tp = len(w & g)
        out.append(f"{code} {tp}/{len(g)} precise, {tp}/{len(w)} recalled")
    return "; ".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    old, new, changes = ensure_months(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "r.json")
        base = [subprocess.run([sys.executable, "-c", BASELINE, str(old), str(new)], env=ENV,
                               capture_output=True, text=True, check=True).stdout.split()
                for _ in range(args.repeat)]
        check = [timed("check", str(new), "--format", "json", "--output", out, "--as-of",
                       AS_OF_NEW, "--no-progress", "--quiet") for _ in range(args.repeat)]
        runs = [timed("diff", str(old), str(new), "--format", "json", "--output", out,
                      "--as-of", AS_OF_NEW, "--no-progress", "--quiet")
                for _ in range(args.repeat)]
        doc = json.loads(Path(out).read_text(encoding="utf-8"))
    rows = int(base[0][2])
    b = statistics.median(float(x[0]) for x in base)
    c = statistics.median(x[0] for x in check)
    w = statistics.median(x[0] for x in runs)
    print(f"\nOLD {old.name} + NEW {new.name}: {rows:,} records together, "
          f"{len(doc['findings'])} CHG findings, changes {json.dumps(doc['changes']['people'])} "
          f"/ households {json.dumps(doc['changes']['households'])}")
    print(f"  baseline pyarrow read of both:  median {b:.2f} s "
          f"(runs {', '.join(f'{float(x[0]):.2f}' for x in base)})")
    print(f"  baseline siksval check NEW:     median {c:.2f} s "
          f"(runs {', '.join(f'{x[0]:.2f}' for x in check)}), peak RSS "
          f"{max(x[1] for x in check):,.0f} MB")
    print(f"  siksval diff --format json:     median {w:.2f} s "
          f"(runs {', '.join(f'{x[0]:.2f}' for x in runs)}), peak RSS "
          f"{max(x[1] for x in runs):,.0f} MB, {rows / w:,.0f} records/s, "
          f"{w / c:.2f}x check NEW")
    for name, secs in stages(old, new).items():
        print(f"    {name:<26} {secs:7.2f}" + ("" if name.startswith("  of") else " s"))
    print(f"  accuracy: {accuracy(old, new, changes)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
