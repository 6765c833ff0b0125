"""Benchmark: reading and the schema step (read -> map headers -> pandera/SCH) per format.

    python bench/bench_read.py [--rows 200000] [--repeat 3] [--formats csv,xlsx,parquet]

Writes one synthetic SIKS-NG-style export per format with `siksval.synth` (every defect of the
catalogue injected), then times `read_table` alone and `load_input` (read + header mapping +
schema validation, no rules) several times and prints the medians. Files go to bench/data/
(git-ignored) and are reused when present.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from siksval.api import load_input
from siksval.config import Config
from siksval.io.read import read_table

DATA = Path(__file__).resolve().parent / "data"


def make(fmt: str, rows: int) -> Path:
    from siksval.synth import write_synth

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"read_{rows}.{fmt}"
    if not path.exists():
        started = time.perf_counter()
        write_synth(path, rows=rows, seed=5, defects="all", as_of="2026-10-31")
        print(f"  wrote {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx,parquet")
    args = parser.parse_args()
    print(f"rows={args.rows:,} repeat={args.repeat} python={platform.python_version()} "
          f"machine={platform.machine()} cpus={os.cpu_count()} load={os.getloadavg()[0]:.1f} "
          f"date={dt.date.today()}")
    for fmt in args.formats.split(","):
        path = make(fmt, args.rows)
        reads, loads, cpu_reads, cpu_loads = [], [], [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            table = read_table(path)
            reads.append(time.perf_counter() - t0)
            cpu_reads.append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            load_input(path, as_of=dt.date(2026, 10, 31), config=Config())
            loads.append(time.perf_counter() - t0)
            cpu_loads.append(time.process_time() - c0)
        size = path.stat().st_size / 1e6
        med = statistics.median
        # CPU time is printed beside wall time: on a shared machine wall time mostly measures
        # the neighbours.
        print(f"{fmt:8s} {size:7.1f} MB  records={len(table.frame):,}  "
              f"read {med(reads):6.2f} s (cpu {med(cpu_reads):6.2f})  "
              f"read+map+schema {med(loads):6.2f} s (cpu {med(cpu_loads):6.2f})  [medians]",
              flush=True)


if __name__ == "__main__":
    main()
