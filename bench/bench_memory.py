"""Peak memory of `siksval check` per byte of input file, by format (for siksval/io/guard.py).

Generates (once, cached under bench/data/) a synthetic DTKS export with `siksval synth` as pipe
CSV, XLSX and Parquet, then runs `siksval check FILE --format json` in a fresh process per run
and reads the child's peak RSS. The baseline is a process that only imports siksval. The
factor printed is (peak RSS - baseline) / file size, the median over --repeat runs; for a
zipped workbook also per byte of its unzipped content (what siksval/io/guard.py uses).

    python bench/bench_memory.py --rows 100000 --repeat 3
    python bench/bench_memory.py --rows 100000 --repeat 3 --formats xls ods   # 60,000 / 20,000 rows
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1", "SIKSVAL_MEMORY_LIMIT": "1T"}

RUN = """
import resource, sys, time
t = time.perf_counter()
if sys.argv[1] != "-":
    from siksval.cli import main
    try:
        main(["check", sys.argv[1], "--as-of", "2026-10-31", "--format", "json",
              "--output", sys.argv[2], "--quiet", "--no-progress"])
    except SystemExit:
        pass
else:
    import siksval.api, siksval.cli  # noqa: F401 - the baseline: imports only
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


#: Old formats are converted from the CSV (xls holds at most 65,535 data rows).
CONVERTED = {"xls": 60_000, "ods": 20_000}


def _converted(rows: int, fmt: str) -> Path:
    """An .xls (xlwt) or .ods (pandas + odfpy) of the first rows of the synthetic CSV."""
    import pandas as pd

    n = min(rows, CONVERTED[fmt])
    path = DATA / f"memory_{n}.{fmt}"
    if path.exists():
        return path
    frame = pd.read_csv(_data(rows, "csv"), sep="|", dtype=str, keep_default_na=False, nrows=n)
    if fmt == "ods":
        frame.to_excel(path, engine="odf", index=False)
        return path
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("DTKS")
    for j, name in enumerate(frame.columns):
        ws.write(0, j, name)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            ws.write(i, j, value)
    wb.save(str(path))
    return path


def _data(rows: int, fmt: str) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    if fmt in CONVERTED:
        return _converted(rows, fmt)
    path = DATA / f"memory_{rows}.{fmt}"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "siksval", "synth", str(path), "--rows", str(rows),
             "--seed", "3", "--defects", "all"],
            env=ENV, check=True, capture_output=True,
        )
    return path


def _unzipped(path: Path) -> int | None:
    import zipfile

    if not zipfile.is_zipfile(path):
        return None
    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())


def _run(path: str, out: Path) -> tuple[float, int]:
    res = subprocess.run([sys.executable, "-c", RUN, path, str(out)], env=ENV,
                         capture_output=True, text=True, check=True)
    wall, rss = res.stdout.split()
    return float(wall), int(rss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", nargs="+", default=["csv", "xlsx", "parquet"])
    args = ap.parse_args()
    out = DATA / "memory_out.json"
    base = statistics.median(_run("-", out)[1] for _ in range(args.repeat))
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {platform.node()} · "
          f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} · rows {args.rows:,}")
    print(f"baseline (imports only): peak RSS {base / 2**20:.0f} MB")
    print("| format | file size | median wall | median peak RSS | (peak - baseline) / size | "
          "(peak - baseline) / unzipped content |")
    print("|---|---|---|---|---|---|")
    results = {}
    for fmt in args.formats:
        path = _data(args.rows, fmt)
        size = path.stat().st_size
        runs = [_run(str(path), out) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        factor = (rss - base) / size
        results[fmt] = factor
        unzipped = _unzipped(path)
        per_content = f"{(rss - base) / unzipped:.1f} (of {unzipped / 2**20:.0f} MB)" \
            if unzipped else "–"
        print(f"| {fmt} | {size / 2**20:.1f} MB | {wall:.1f} s | {rss / 2**20:.0f} MB | "
              f"{factor:.1f} | {per_content} |")
    print(json.dumps({"rows": args.rows, "factors": results}))


if __name__ == "__main__":
    main()
