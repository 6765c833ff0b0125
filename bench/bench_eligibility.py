"""Benchmark of the ELG/EXC family: household_reasons + the ten rules on a synthetic export.

Usage: python bench/bench_eligibility.py [N_RECORDS] [RUNS] [stress|synth]
  stress (default): this script's generator, 62 % of households flagged (worst case for the
  sentence building); synth: `siksval.synth` with every defect injected 50 times (realistic).
Prints the median wall and CPU time (CPU time is the steadier figure on a shared machine) of (a) the household view alone and (b) all ten ELG/EXC rules through
the registry, on an already-typed Dataset (reading and schema are measured elsewhere).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time

import numpy as np
import pandas as pd

from siksval.api import load_input
from siksval.config import from_mapping
from siksval.dataset import Dataset
from siksval.eligibility import household_reasons
from siksval.rules import run_rules

OCCUPATIONS = np.array(
    ["PETANI/PEKEBUN", "MENGURUS RUMAH TANGGA", "PELAJAR/MAHASISWA", "BURUH HARIAN LEPAS",
     "WIRASWASTA", "PEGAWAI NEGERI SIPIL (PNS)", "PENSIUNAN", "5", "9", "KARYAWAN SWASTA",
     "BELUM/TIDAK BEKERJA"]
)


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    """n person records in ~n/3.5 households, all values as an export would hold them."""
    rng = np.random.default_rng(seed)
    hh = np.sort(rng.integers(0, max(n * 2 // 7, 1), n))
    kk = pd.Series(3273010101000000 + hh).astype(str)
    first = np.r_[True, hh[1:] != hh[:-1]]
    yes_no = np.array(["YA", "TIDAK"])

    def per_hh(p: float) -> np.ndarray:
        return yes_no[(rng.random(hh.max() + 1) >= p).astype(int)][hh]

    return pd.DataFrame(
        {
            "nik": pd.Series(3273011508800000 + np.arange(1, n + 1)).astype(str),
            "no_kk": kk,
            "nama": pd.Series(np.arange(n)).map(lambda i: f"WARGA {i}"),
            "tgl_lahir": "15-08-1980",
            "jenis_kelamin": np.where(rng.random(n) < 0.5, "L", "P"),
            "hub_keluarga": np.where(first, "KEPALA KELUARGA", "ANAK"),
            "pekerjaan": OCCUPATIONS[rng.integers(0, len(OCCUPATIONS), n)],
            "status_keberadaan": np.where(rng.random(n) < 0.01, "MENINGGAL", "TINGGAL BERSAMA"),
            "padan_dukcapil": np.where(rng.random(n) < 0.02, "TIDAK", "YA"),
            "desil": rng.integers(1, 11, hh.max() + 1)[hh].astype(str),
            "pkh": per_hh(0.3), "bpnt": per_hh(0.4),
            "daya_listrik": np.array(["450", "900", "1300", "2200"])[rng.integers(0, 4, hh.max() + 1)][hh],
            "ada_mobil": per_hh(0.05), "ada_ac": per_hh(0.1), "ada_emas": per_hh(0.1),
            "ada_laptop": per_hh(0.1),
            "jenis_lantai": np.array(["TANAH", "KERAMIK", "MARMER", "SEMEN"])[rng.integers(0, 4, hh.max() + 1)][hh],
            "jenis_dinding": np.array(["TEMBOK", "BAMBU"])[rng.integers(0, 2, hh.max() + 1)][hh],
            "fasilitas_bab": np.array(["SENDIRI", "TIDAK ADA"])[rng.integers(0, 2, hh.max() + 1)][hh],
        }
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    kind = sys.argv[3] if len(sys.argv) > 3 else "stress"
    cfg = from_mapping({"select": ["ELG", "EXC"]})
    if kind == "synth":
        from siksval.synth import generate_dtks, render

        data = render(generate_dtks(n_rows=n, seed=1, defects="all=50", as_of="2026-10-31"))
    else:
        data = synthetic(n)
    base = load_input(data, dataset="dtks", as_of=dt.date(2026, 10, 31), config=cfg).dataset
    view, rules, view_cpu, rules_cpu = [], [], [], []
    for _ in range(runs):
        ds = Dataset("dtks", base.frame, as_of=base.as_of, config=cfg, raw=base.raw,
                     numeric_cells=base.numeric_cells)
        t, c = time.perf_counter(), time.process_time()
        hh = household_reasons(ds)
        view.append(time.perf_counter() - t)
        view_cpu.append(time.process_time() - c)
        ds = Dataset("dtks", base.frame, as_of=base.as_of, config=cfg, raw=base.raw,
                     numeric_cells=base.numeric_cells)
        t, c = time.perf_counter(), time.process_time()
        frames, _ = run_rules(ds, cfg)
        rules.append(time.perf_counter() - t)
        rules_cpu.append(time.process_time() - c)
    findings = sum(len(f) for f in frames)
    print(f"data={kind} records={n} households={base.hh_key.nunique()} flagged={len(hh)} findings={findings}")
    med = statistics.median
    print(f"household_reasons: median wall {med(view):.3f} s, cpu {med(view_cpu):.3f} s ({runs} runs)")
    print(f"ELG+EXC rules (10): median wall {med(rules):.3f} s, cpu {med(rules_cpu):.3f} s")


if __name__ == "__main__":
    main()
