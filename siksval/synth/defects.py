"""Inject the defects of spec/rules.md into a clean canonical DTKS frame, with their truth.

Every injected defect lands in its own household (never reused), chosen so that it triggers
exactly its target rule. Where a second finding is inherent it is written to the truth too, with
``injected`` = the target code and a ``note`` (documented cascades):

* NIK003 (unknown province) also changes the NIK's kab/kota, so NIK009 (info) fires on the row.
* WIL003 (BPS-style code) is not in the Kemendagri list either, so WIL001 fires for the household.
* ELG008 needs an error-level NIK finding: NIK001 or NIK006 on the same row is expected too.
* DUP002 (one NIK, two people): the second person's birth date differs from the NIK's date part,
  so NIK008 fires on that record.

Other placement choices that avoid cascades: NIK/KK errors and SCH errors go to households that
receive no aid (no ELG008); birth dates moved for DEM001/DEM002/HH004/twins get a matching NIK
date part (no NIK008) and a fresh serial (no duplicate NIK); people copied for DUP00x go into a
single-person household moved to the source's desa (no NIK009, no HH rule); households whose
"head" changes or that lose aid are chosen so EXC002 cannot reach 4 criteria.

Row order never changes: defects modify existing records only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import UserError
from . import codes, regions
from .dtks import STRING_COLS, YEAR, ddmmyy, from_ymd, ymd
from .names import spelling_variant
from .result import TRUTH_COLUMNS

# Codes injected by defects="all" for a DTKS file. SCH001 (a required column missing) makes most
# checks impossible, so it is only injected when asked for explicitly.
DTKS_CODES = (
    "SCH002",
    "SCH003",
    "SCH004",
    "SCH005",
    "SCH006",
    "NIK001",
    "NIK002",
    "NIK003",
    "NIK004",
    "NIK005",
    "NIK006",
    "NIK007",
    "NIK008",
    "NIK009",
    "KK001",
    "KK002",
    "KK003",
    "KK004",
    "DEM001",
    "DEM002",
    "DEM003",
    "WIL001",
    "WIL002",
    "WIL003",
    "HH001",
    "HH002",
    "HH003",
    "HH004",
    "DUP001",
    "DUP002",
    "DUP003",
    "ELG001",
    "ELG002",
    "ELG003",
    "ELG004",
    "ELG005",
    "ELG006",
    "ELG007",
    "ELG008",
    "EXC001",
    "EXC002",
)
EXPLICIT_ONLY = ("SCH001",)
NEAR_MISS_KINDS = ("TWINS", "SIBLINGS_SAME_YEAR")
BAD_PROVINCES = ("20", "10", "37", "48", "58", "69", "77", "88", "97", "99")
UNKNOWN_COLUMN = "CATATAN_PETUGAS"


def parse_defects(spec: str | dict | None, all_codes: tuple[str, ...]) -> dict[str, float]:
    """Normalise a defects spec: None/"" (clean), "all" (1 of each), "all=3", "CODE=N,..."
    (N int count or a rate < 1 of households), or a dict."""
    if spec is None or spec == {} or str(spec).strip().lower() in ("", "none", "0"):
        return {}
    if isinstance(spec, dict):
        out = {k.upper(): float(v) for k, v in spec.items()}
    else:
        out = {}
        for part in str(spec).split(","):
            part = part.strip()
            if not part:
                continue
            code, _, n = part.partition("=")
            code = code.strip().upper()
            try:
                out[code] = float(n) if n else 1.0
            except ValueError:
                raise UserError(
                    f"jumlah cacat bukan angka / defect count is no number: {part!r}"
                ) from None
    if "ALL" in out:
        n = out.pop("ALL")
        out = {**{c: n for c in all_codes}, **out}
    if "NEAR" in out:  # "near=N": N of each near-miss kind
        n = out.pop("NEAR")
        out.update({k: n for k in NEAR_MISS_KINDS if k not in out})
    known = set(all_codes) | set(EXPLICIT_ONLY) | set(NEAR_MISS_KINDS)
    bad = sorted(set(out) - known)
    if bad:
        raise UserError(
            f"kode cacat tidak dikenal / unknown defect code(s): {', '.join(bad)}; "
            f"pilih / choose from {', '.join(sorted(known))}"
        )
    return out


class Injector:
    """Stateful helper: tracks used households, NIK/KK uniqueness, truth and raw overrides."""

    def __init__(self, frame: pd.DataFrame, ctx: dict, rng: np.random.Generator) -> None:
        self.f = frame.copy()
        self.pending: dict[str, dict[int, object]] = {}
        self.ctx = ctx
        self.rng = rng
        self.hh = ctx["hh"]
        self.start = ctx["start"]
        self.size = ctx["size"]
        self.aid = ctx["aid"].copy()
        self.today = ctx["today"]
        self.H = len(self.start)
        self.used = np.zeros(self.H, bool)
        self.truth: list[dict] = []
        self.overrides: list[tuple[int, str, str]] = []
        self.near: list[dict] = []
        self.skipped: dict[str, int] = {}
        self.dropped: list[str] = []
        self.niks = set(self.f["nik"].tolist())
        self.kks = set(self.f["no_kk"].tolist())
        self._counter = 0
        self.birth = self.f["tgl_lahir"].to_numpy().astype("datetime64[D]").astype(np.int64)
        self.role = self.f["hub_keluarga"].to_numpy(dtype=np.int64)
        self.sex = self.f["jenis_kelamin"].to_numpy(dtype=np.int64)
        self.age = (self.today - self.birth) / YEAR
        crit = _housing_criteria(self.f)
        self.housing_crit = crit[self.start]

    # ------------------------------------------------------------------ selection
    def has_member(self, mask_rows: np.ndarray) -> np.ndarray:
        return np.bincount(self.hh, weights=mask_rows, minlength=self.H) > 0

    def pick(self, code: str, ok: np.ndarray, n: int) -> np.ndarray:
        """Up to ``n`` random unused households among ``ok``; marks them used."""
        cand = np.flatnonzero(ok & ~self.used)
        if len(cand) < n:
            self.skipped[code] = self.skipped.get(code, 0) + n - len(cand)
            n = len(cand)
        chosen = self.rng.choice(cand, n, replace=False) if n else np.array([], int)
        self.used[chosen] = True
        return np.sort(chosen)

    def rows(self, h: int) -> np.ndarray:
        return np.arange(self.start[h], self.start[h] + self.size[h])

    def member(self, h: int, roles: tuple[int, ...], lo: float = 0, hi: float = 200) -> int | None:
        r = self.rows(h)
        ok = np.isin(self.role[r], roles) & (self.age[r] >= lo) & (self.age[r] < hi)
        if not ok.any():
            return None
        return int(self.rng.choice(r[ok]))

    def role_mask(self, roles: tuple[int, ...], lo: float = 0, hi: float = 200) -> np.ndarray:
        return self.has_member(np.isin(self.role, roles) & (self.age >= lo) & (self.age < hi))

    # ------------------------------------------------------------------ recording
    def add(self, code: str, rows, injected: str, column: str = "", note: str = "") -> None:
        rows = sorted(int(r) for r in np.atleast_1d(rows))
        self.truth.append(
            {
                "code": code,
                "dataset": "dtks",
                "row": rows[0] + 1 if rows else 0,
                "rows": " ".join(str(r + 1) for r in rows),
                "column": column,
                "injected": injected,
                "note": note,
            }
        )

    def add_household(self, code: str, h: int, injected: str, column: str = "", note: str = ""):
        self.add(code, self.rows(h), injected, column, note)

    def set(self, idx, col: str, value) -> None:
        self.put(idx, col, value)

    def get(self, r: int, col: str):
        """Current value of a cell (pending string edits included)."""
        pend = self.pending.get(col)
        if pend is not None and int(r) in pend:
            return pend[int(r)]
        return self.f[col].iat[int(r)]

    def put(self, rows, col: str, value) -> None:
        """Set cells. Edits of pyarrow-backed string columns are collected and applied in one
        vectorized pass (``flush``): a cell-wise setitem would rebuild the whole column."""
        rows = np.atleast_1d(rows)
        if col in STRING_COLS:
            pend = self.pending.setdefault(col, {})
            for r in rows:  # a handful of injected cells, not the data rows
                pend[int(r)] = value
        else:
            self.f.loc[rows, col] = value

    def flush(self) -> None:
        for col, pend in self.pending.items():
            idx = np.array(sorted(pend), dtype=np.int64)
            mask = np.zeros(len(self.f), bool)
            mask[idx] = True
            vals = pa.array([pend[i] for i in idx], type=pa.string(), from_pandas=True)
            base = pa.array(self.f[col].astype("string").array)
            if isinstance(base, pa.ChunkedArray):
                base = base.combine_chunks()
            new = pc.replace_with_mask(base.cast(pa.string()), pa.array(mask), vals)
            self.f[col] = pd.Series(
                pd.arrays.ArrowStringArray(pa.chunked_array([new])), index=self.f.index
            )
        self.pending = {}

    def override(self, idx: int, col: str, raw: str, typed=pd.NA) -> None:
        """The file will carry ``raw``; the typed frame holds ``typed`` (NA: unparseable)."""
        self.put(idx, col, typed)
        self.overrides.append((int(idx), col, raw))

    # ------------------------------------------------------------------ identity helpers
    def fresh_nik(self, prefix12: str) -> str:
        """A NIK with this 12-digit prefix that no record uses (serials from 9999 down)."""
        for s in range(9999, 0, -1):
            cand = f"{prefix12}{s:04d}"
            if cand not in self.niks:
                self.niks.add(cand)
                return cand
        raise RuntimeError("no free serial")

    def renik(self, idx: int, birth_day: int | None = None, prefix6: str | None = None) -> str:
        """Give record ``idx`` a valid NIK matching its (new) birth date, unique."""
        old = self.get(idx, "nik")
        b = self.birth[idx] if birth_day is None else birth_day
        female = self.sex[idx] == 2
        dm = int(ddmmyy(np.array([b]), np.array([female]))[0])
        nik = self.fresh_nik(f"{prefix6 or old[:6]}{dm:06d}")
        self.put(idx, "nik", nik)
        return nik

    def set_birth(self, idx: int, day: int) -> None:
        self.birth[idx] = day
        self.age[idx] = (self.today - day) / YEAR
        self.put(idx, "tgl_lahir", pd.Timestamp(np.datetime64(int(day), "D")))
        self.renik(idx, day)

    def unique_value(self, values: set, candidates: list[str]) -> str:
        """The first candidate not in ``values`` (which then records it)."""
        for v in candidates:
            if v not in values:
                values.add(v)
                return v
        raise RuntimeError("could not make a unique value")


def _housing_criteria(f: pd.DataFrame) -> np.ndarray:
    """EXC002 criteria from housing alone, broadest reading (no head criterion)."""
    lantai = f["jenis_lantai"].to_numpy(dtype="float64", na_value=np.nan)
    dinding = f["jenis_dinding"].to_numpy(dtype="float64", na_value=np.nan)
    fas = f["fasilitas_bab"].to_numpy(dtype="float64", na_value=np.nan)
    daya = f["daya_listrik"].to_numpy(dtype="float64", na_value=np.nan)
    return (
        np.isin(lantai, (5, 7, 8, 9)).astype(int)
        + (dinding != 1)
        + (fas != 1)
        + ((daya == 450) | np.isnan(daya))
    )


# ====================================================================== defects
def _sch001(inj: Injector, n: int) -> None:
    inj.f = inj.f.drop(columns="jenis_kelamin")
    inj.dropped.append("jenis_kelamin")
    inj.truth.append(
        {
            "code": "SCH001",
            "dataset": "dtks",
            "row": pd.NA,
            "rows": "",
            "column": "jenis_kelamin",
            "injected": "SCH001",
            "note": "required column dropped; NIK007 cannot run",
        }
    )


def _sch002(inj: Injector, n: int) -> None:
    kid = inj.role_mask((3,), 1, 60)
    for i, h in enumerate(inj.pick("SCH002", ~inj.aid & kid, n)):
        if i % 2 == 0:
            r = inj.member(h, (3,), 1, 60)
            year = ymd(inj.birth[r : r + 1])[0][0]
            inj.override(r, "tgl_lahir", f"31-02-{year}", pd.NaT)
            inj.add("SCH002", r, "SCH002", "tgl_lahir")
        else:
            r = int(inj.rng.choice(inj.rows(h)))
            inj.override(r, "luas_lantai", "LIMA PULUH")
            inj.add("SCH002", r, "SCH002", "luas_lantai")


def _sch003(inj: Injector, n: int) -> None:
    adult = inj.role_mask((2, 3), 20, 90)
    for i, h in enumerate(inj.pick("SCH003", ~inj.aid & adult, n)):
        r = inj.member(h, (2, 3), 20, 90)
        if i % 2 == 0:
            inj.override(r, "status_kawin", "9")
            inj.add("SCH003", r, "SCH003", "status_kawin")
        else:
            inj.override(r, "jenis_kelamin", "X")
            inj.add("SCH003", r, "SCH003", "jenis_kelamin")


def _sch004(inj: Injector, n: int) -> None:
    kid = inj.role_mask((3,), 1, 60)
    for i, h in enumerate(inj.pick("SCH004", ~inj.aid & kid, n)):
        r = inj.member(h, (3,), 1, 60)
        if i % 2 == 0:
            inj.override(r, "nama", "-")
            inj.add("SCH004", r, "SCH004", "nama")
        else:
            inj.override(r, "tgl_lahir", "", pd.NaT)
            inj.add("SCH004", r, "SCH004", "tgl_lahir")


def _sch005(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("SCH005", ~inj.aid, n)):
        r = int(inj.rng.choice(inj.rows(h)))
        if i % 2 == 0:
            inj.override(r, "desil", "11")
            inj.add("SCH005", r, "SCH005", "desil")
        else:
            inj.override(r, "luas_lantai", "0")
            inj.add("SCH005", r, "SCH005", "luas_lantai")


def _sch006(inj: Injector, n: int) -> None:
    notes = np.array(
        ["", "", "", "RUMAH KOSONG SAAT VERIFIKASI", "SUDAH DIVERIFIKASI", "PERLU CEK ULANG"],
        dtype=object,
    )
    col = notes[inj.rng.integers(0, len(notes), len(inj.f))]
    col[col == ""] = None
    inj.f[UNKNOWN_COLUMN] = pd.array(col, dtype="string")
    inj.truth.append(
        {
            "code": "SCH006",
            "dataset": "dtks",
            "row": pd.NA,
            "rows": "",
            "column": UNKNOWN_COLUMN,
            "injected": "SCH006",
            "note": "unknown column",
        }
    )


def _nik001(inj: Injector, n: int, hs=None, code="NIK001", injected="NIK001") -> list[int]:
    hs = inj.pick(code, ~inj.aid, n) if hs is None else hs
    out = []
    for i, h in enumerate(hs):
        r = int(inj.rng.choice(inj.rows(h)))
        nik = inj.get(r, "nik")
        k = i % 3
        if k == 0:
            bad = inj.unique_value(
                inj.niks, [nik[: 9 + j % 6] + nik[10 + j % 6 :] for j in range(60)]
            )
        elif k == 1:
            bad = inj.unique_value(inj.niks, [nik + str((j + 1) % 10) for j in range(60)])
        else:
            pos = [p for p, ch in enumerate(nik) if ch == "0"] or [12]
            bad = nik[: pos[0]] + "O" + nik[pos[0] + 1 :]
        inj.put(r, "nik", bad)
        inj.add("NIK001", r, injected, "nik")
        out.append(r)
    return out


def _excel_forms(v: str, k: int) -> list[str]:
    sci = f"{v[0]}.{v[1:6]}E+15"
    flt = f"{v[:15]}0.0"
    return [sci, flt] if k % 2 == 0 else [flt, sci]


def _nik002(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("NIK002", ~inj.aid, n)):
        r = int(inj.rng.choice(inj.rows(h)))
        forms = _excel_forms(inj.get(r, "nik"), i)
        bad = next((x for x in forms if x not in inj.niks), forms[1])
        inj.niks.add(bad)
        inj.put(r, "nik", bad)
        inj.add("NIK002", r, "NIK002", "nik")


def _nik003(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("NIK003", ~inj.aid, n)):
        r = int(inj.rng.choice(inj.rows(h)))
        nik = inj.get(r, "nik")
        bad = inj.unique_value(inj.niks, [BAD_PROVINCES[(i + j) % 10] + nik[2:] for j in range(60)])
        inj.put(r, "nik", bad)
        inj.add("NIK003", r, "NIK003", "nik")
        inj.add(
            "NIK009",
            r,
            "NIK003",
            "nik",
            "cascade: an unknown province also makes the NIK's kab/kota differ",
        )


def _nik004(inj: Injector, n: int) -> None:
    for h in inj.pick("NIK004", ~inj.aid, n):
        r = int(inj.rng.choice(inj.rows(h)))
        nik = inj.get(r, "nik")
        bad = inj.fresh_nik(nik[:4] + "00" + nik[6:12])
        inj.put(r, "nik", bad)
        inj.add("NIK004", r, "NIK004", "nik", "kecamatan part 00")


def _nik005(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("NIK005", ~inj.aid, n)):
        r = int(inj.rng.choice(inj.rows(h)))
        nik = inj.get(r, "nik")
        fem = 40 if inj.sex[r] == 2 else 0
        k = i % 3
        if k == 0:
            dm = nik[6:8] + "13"  # month 13
        elif k == 1:
            dm = f"{32 + (i % 8)}" + nik[8:10]  # day 32-39: neither a man's nor a woman's day
        else:
            dm = f"{30 + fem}02"  # 30 February
        bad = inj.fresh_nik(nik[:6] + dm + nik[10:12])
        inj.put(r, "nik", bad)
        inj.add("NIK005", r, "NIK005", "nik")


def _nik006(inj: Injector, n: int, hs=None, code="NIK006", injected="NIK006") -> list[int]:
    hs = inj.pick(code, ~inj.aid, n) if hs is None else hs
    out = []
    for h in hs:
        r = int(inj.rng.choice(inj.rows(h)))
        nik = inj.get(r, "nik")
        bad = nik[:12] + "0000"
        if bad in inj.niks:  # another record with the same prefix already took it
            continue
        inj.niks.add(bad)
        inj.put(r, "nik", bad)
        inj.add("NIK006", r, injected, "nik")
        out.append(r)
    return out


def _nik007(inj: Injector, n: int) -> None:
    kid = inj.role_mask((3,), 1, 60)
    for h in inj.pick("NIK007", kid, n):
        r = inj.member(h, (3,), 1, 60)
        new = 3 - inj.sex[r]
        inj.sex[r] = new
        inj.put(r, "jenis_kelamin", new)
        inj.add("NIK007", r, "NIK007", "jenis_kelamin")


def _nik008(inj: Injector, n: int) -> None:
    ok = inj.role_mask((1, 3), 1, 95)
    for h in inj.pick("NIK008", ok, n):
        r = inj.member(h, (1, 3), 1, 95)
        day = inj.birth[r] - int(inj.rng.integers(1, 200))
        inj.birth[r] = day
        inj.put(r, "tgl_lahir", pd.Timestamp(np.datetime64(int(day), "D")))
        inj.add("NIK008", r, "NIK008", "tgl_lahir")


def _nik009(inj: Injector, n: int) -> None:
    t = regions.tables()
    ok = inj.role_mask((1, 2), 18, 95)
    for h in inj.pick("NIK009", ok, n):
        r = inj.member(h, (2, 1), 18, 95)
        kab = inj.ctx["kab"][h]
        same_prov = t.kec[(t.kec["kab"].str[:2] == kab[:2]) & (t.kec["kab"] != kab)]
        pool = same_prov if len(same_prov) else t.kec[t.kec["kab"] != kab]
        kec = pool["kec"].to_numpy()[inj.rng.integers(0, len(pool))]
        inj.renik(r, prefix6=kec)
        inj.add("NIK009", r, "NIK009", "nik", "registered in another kab/kota (moved)")


def _kk_set(inj: Injector, h: int, value: str) -> None:
    inj.set(inj.rows(h), "no_kk", value)


def _kk001(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("KK001", ~inj.aid, n)):
        kk = inj.get(inj.start[h], "no_kk")
        if i % 2 == 0:
            bad = inj.unique_value(inj.kks, [kk[: 8 + j % 7] + kk[9 + j % 7 :] for j in range(60)])
        else:
            bad = inj.unique_value(
                inj.kks, [kk[: 12 + j % 4] + "I" + kk[13 + j % 4 :] for j in range(60)]
            )
        _kk_set(inj, h, bad)
        inj.add_household("KK001", h, "KK001", "no_kk")


def _kk002(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("KK002", ~inj.aid, n)):
        forms = _excel_forms(inj.get(inj.start[h], "no_kk"), i)
        bad = next((x for x in forms if x not in inj.kks), None)
        if bad is None:
            continue
        inj.kks.add(bad)
        _kk_set(inj, h, bad)
        inj.add_household("KK002", h, "KK002", "no_kk")


def _kk003(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("KK003", ~inj.aid, n)):
        kk = inj.get(inj.start[h], "no_kk")
        bad = inj.unique_value(inj.kks, [BAD_PROVINCES[(i + j) % 10] + kk[2:] for j in range(60)])
        _kk_set(inj, h, bad)
        inj.add_household("KK003", h, "KK003", "no_kk")


def _kk004(inj: Injector, n: int) -> None:
    for i, h in enumerate(inj.pick("KK004", ~inj.aid, n)):
        kk = inj.get(inj.start[h], "no_kk")
        k = i % 3
        dm = [kk[6:8] + "13", f"{32 + i % 8}" + kk[8:10], "3002"][k]
        bad = inj.unique_value(
            inj.kks, [kk[:6] + dm + kk[10:12] + f"{9999 - j:04d}" for j in range(60)]
        )
        _kk_set(inj, h, bad)
        inj.add_household("KK004", h, "KK004", "no_kk", "issuance date is no calendar date")


def _dem001(inj: Injector, n: int) -> None:
    ok = inj.role_mask((3,), 0, 12)
    for h in inj.pick("DEM001", ok, n):
        r = inj.member(h, (3,), 0, 12)
        inj.set_birth(r, inj.today + int(inj.rng.integers(30, 2500)))
        inj.add("DEM001", r, "DEM001", "tgl_lahir")


def _dem002(inj: Injector, n: int) -> None:
    no_parent = ~inj.role_mask((6,))
    for h in inj.pick("DEM002", no_parent & inj.role_mask((1,), 20, 95), n):
        r = int(inj.start[h])
        _, m, d = ymd(inj.birth[r : r + 1])
        d = np.minimum(d, 28)
        year = 1895 + int(inj.rng.integers(0, 14))
        inj.set_birth(r, int(from_ymd(np.array([year]), m, d)[0]))
        inj.add("DEM002", r, "DEM002", "tgl_lahir")


def _dem003(inj: Injector, n: int) -> None:
    ok = inj.role_mask((3,), 12, 15.5)
    for h in inj.pick("DEM003", ok, n):
        r = inj.member(h, (3,), 12, 15.5)
        inj.put(r, "status_kawin", 2)
        inj.add("DEM003", r, "DEM003", "status_kawin")


def _desa_codes() -> set:
    return set(regions.tables().desa["kode"])


def _wil001(inj: Injector, n: int) -> None:
    known = _desa_codes()
    for _i, h in enumerate(inj.pick("WIL001", np.ones(inj.H, bool), n)):
        kode = inj.get(inj.start[h], "kode_wilayah")
        bad = next(
            kode[:6] + f"2{k:03d}" for k in range(999, 0, -1) if kode[:6] + f"2{k:03d}" not in known
        )
        inj.set(inj.rows(h), "kode_wilayah", bad)
        inj.add_household("WIL001", h, "WIL001", "kode_wilayah")


def _prefer_single(inj: Injector, code: str, n: int, extra=None) -> np.ndarray:
    ok = np.ones(inj.H, bool) if extra is None else extra
    single = inj.pick(code, ok & (inj.size == 1), n)
    if len(single) < n:
        inj.skipped.pop(code, None)
        single = np.concatenate([single, inj.pick(code, ok, n - len(single))])
    return single


def _wil002(inj: Injector, n: int) -> None:
    t = regions.tables()
    for h in _prefer_single(inj, "WIL002", n):
        kode = inj.get(inj.start[h], "kode_wilayah")
        other = t.desa[(t.desa["kec"] != kode[:6]) & (t.desa["prov"] == kode[:2])]
        name = other["nama"].to_numpy()[inj.rng.integers(0, len(other))].upper()
        rows = inj.rows(h)
        inj.set(rows, "desa_kelurahan", name)
        for r in rows:
            inj.add("WIL002", r, "WIL002", "desa_kelurahan")


def _wil003(inj: Injector, n: int) -> None:
    for h in _prefer_single(inj, "WIL003", n):
        kode = inj.get(inj.start[h], "kode_wilayah")
        # BPS: prov2 kab2 kec3 desa3, e.g. 3273 010 001 (the 7th digit is 0).
        bps = kode[:4] + kode[4:6] + "0" + "0" + kode[8:10]
        rows = inj.rows(h)
        inj.set(rows, "kode_wilayah", bps)
        for r in rows:
            inj.add("WIL003", r, "WIL003", "kode_wilayah")
        inj.add_household(
            "WIL001", h, "WIL003", "kode_wilayah", "cascade: a BPS code is no Kemendagri desa code"
        )


def _hh001(inj: Injector, n: int) -> None:
    for h in inj.pick("HH001", ~inj.aid & (inj.size >= 2), n):
        r = int(inj.start[h])
        inj.put(r, "hub_keluarga", 8)
        inj.role[r] = 8
        inj.add_household("HH001", h, "HH001", "hub_keluarga")


def _hh002(inj: Injector, n: int) -> None:
    # Aid households: a second "head" may count as not working, which must not push a
    # household without aid to EXC002.
    for h in inj.pick("HH002", inj.aid & inj.role_mask((2,)), n):
        r = inj.member(h, (2,))
        inj.put(r, "hub_keluarga", 1)
        inj.role[r] = 1
        inj.add_household("HH002", h, "HH002", "hub_keluarga")


def _hh003(inj: Injector, n: int) -> None:
    t = regions.tables()
    for h in inj.pick("HH003", inj.size >= 2, n):
        r = int(inj.start[h] + inj.size[h] - 1)
        kode = inj.get(r, "kode_wilayah")
        sib = t.desa[(t.desa["kec"] == kode[:6]) & (t.desa["kode"] != kode)]
        if not len(sib):
            continue
        new = sib.iloc[int(inj.rng.integers(0, len(sib)))]
        inj.put(r, "kode_wilayah", new["kode"])
        inj.put(r, "desa_kelurahan", new["nama"].upper())
        inj.add_household("HH003", h, "HH003", "kode_wilayah")


def _hh004(inj: Injector, n: int) -> None:
    ok = inj.role_mask((3,), 0, 60) & (inj.ctx["htype"] == 0)
    for h in inj.pick("HH004", ok, n):
        r = inj.member(h, (3,), 0, 60)
        head_b = inj.birth[inj.start[h]]
        day = head_b + int(inj.rng.uniform(2, 8) * YEAR)
        inj.set_birth(r, min(day, inj.today - 30))
        inj.add_household("HH004", h, "HH004", "tgl_lahir")


# -- duplicates ------------------------------------------------------------------------------
PERSON_COLS = (
    "nik",
    "nama",
    "tgl_lahir",
    "tempat_lahir",
    "jenis_kelamin",
    "nama_ibu_kandung",
    "status_kawin",
    "pekerjaan",
    "kedudukan_kerja",
    "padan_dukcapil",
)
REGION_COLS = (
    "kode_wilayah",
    "provinsi",
    "kabupaten_kota",
    "kecamatan",
    "desa_kelurahan",
    "alamat",
    "dusun",
    "rt",
    "rw",
)


def _dup_pairs(inj: Injector, code: str, n: int, same_sex: bool = False):
    """(source row, carrier row) pairs: an adult source person and the head of a single-person
    household (the carrier) that will be moved to the source's desa and overwritten.

    A carrier without aid gets a modest house, so EXC002 stays impossible whoever its head is;
    a carrier with aid only receives people from poor households (no state job, padan, alive),
    so no ELG rule can fire on it.
    """
    carriers = inj.pick(code, inj.size == 1, n)
    for c in carriers:
        if not inj.aid[c] and inj.housing_crit[c] > 2:
            inj.put(inj.rows(c), "jenis_dinding", 1)
            inj.put(inj.rows(c), "fasilitas_bab", 1)
    # Long names only: a spelling variant of a 3-letter name ("SRI"/"SRY") is too weak a
    # signal to call it the same person.
    long_name = (inj.f["nama"].str.len() >= 10).fillna(False).to_numpy(bool)
    src_row = np.isin(inj.role, (1, 2, 3)) & (inj.age >= 20) & (inj.age < 70) & long_name
    aid_safe = (
        ~inj.ctx["rich"][inj.hh]
        & (inj.f["status_keberadaan"] == 1).fillna(False).to_numpy(bool)
        & inj.f["padan_dukcapil"].fillna(False).to_numpy(bool)
    )
    pairs = []
    for c in carriers:
        want = src_row & aid_safe if inj.aid[c] else src_row
        if same_sex:
            want = want & (inj.sex == inj.sex[inj.start[c]])
        hs = inj.pick(code, inj.has_member(want) & ~inj.used, 1)
        if not len(hs):
            continue
        rows = inj.rows(hs[0])
        pairs.append((int(inj.rng.choice(rows[want[rows]])), int(inj.start[c])))
    return pairs


def _move_carrier(inj: Injector, src: int, dst: int) -> None:
    for c in REGION_COLS:
        inj.put(dst, c, inj.get(src, c))


def _copy_person(inj: Injector, src: int, dst: int) -> None:
    for c in PERSON_COLS:
        inj.put(dst, c, inj.get(src, c))
    inj.birth[dst] = inj.birth[src]
    inj.sex[dst] = inj.sex[src]
    inj.age[dst] = inj.age[src]


def _dup001(inj: Injector, n: int) -> None:
    for i, (src, dst) in enumerate(_dup_pairs(inj, "DUP001", n)):
        _move_carrier(inj, src, dst)
        _copy_person(inj, src, dst)
        if i % 2 == 1:
            inj.put(dst, "nama", spelling_variant(inj.get(src, "nama"), i))
        inj.add("DUP001", [src, dst], "DUP001", "nik", "same person, same NIK, another KK")


def _dup002(inj: Injector, n: int) -> None:
    for src, dst in _dup_pairs(inj, "DUP002", n, same_sex=True):
        _move_carrier(inj, src, dst)
        inj.put(dst, "nik", inj.get(src, "nik"))
        # Make sure the intruder's birth date really differs from the NIK's.
        if inj.birth[dst] == inj.birth[src]:
            inj.birth[dst] -= 400
            inj.put(dst, "tgl_lahir", pd.Timestamp(np.datetime64(int(inj.birth[dst]), "D")))
        inj.add("DUP002", [src, dst], "DUP002", "nik", "one NIK, two different people")
        inj.add(
            "NIK008",
            dst,
            "DUP002",
            "nik",
            "cascade: the second person's birth date differs from the NIK",
        )


def _dup003(inj: Injector, n: int) -> None:
    for i, (src, dst) in enumerate(_dup_pairs(inj, "DUP003", n)):
        _move_carrier(inj, src, dst)
        _copy_person(inj, src, dst)
        nik = inj.get(src, "nik")
        # a keying error in the serial: one digit differs
        for d in "7315924680":
            cand = nik[:15] + d if nik[15] != d else None
            if cand and cand not in inj.niks:
                break
        inj.niks.add(cand)
        inj.put(dst, "nik", cand)
        inj.put(dst, "nama", spelling_variant(inj.get(src, "nama"), i))
        inj.add("DUP003", [src, dst], "DUP003", "nik", "same person, NIK keyed differently")


def _twins(inj: Injector, n: int) -> None:
    two = inj.has_member(inj.role == 3) & (inj.ctx["htype"] == 0)
    kids_n = np.bincount(inj.hh, weights=(inj.role == 3), minlength=inj.H)
    for h in inj.pick("TWINS", two & (kids_n >= 2), n):
        r = inj.rows(h)
        k = r[inj.role[r] == 3][:2]
        inj.set_birth(int(k[1]), int(inj.birth[k[0]]))
        inj.near.append(
            {
                "kind": "TWINS",
                "dataset": "dtks",
                "rows": " ".join(str(x + 1) for x in k),
                "note": "twins: same birth date and mother, different names",
            }
        )


def _siblings(inj: Injector, n: int) -> None:
    kids_n = np.bincount(inj.hh, weights=(inj.role == 3), minlength=inj.H)
    ok = (kids_n >= 2) & (inj.ctx["htype"] == 0)
    today_year = ymd(np.array([inj.today]))[0][0]
    for h in inj.pick("SIBLINGS_SAME_YEAR", ok, n):
        r = inj.rows(h)
        k = r[inj.role[r] == 3][:2]
        y = ymd(inj.birth[k[0] : k[0] + 1])[0]
        if y[0] >= today_year:
            continue
        a = int(from_ymd(y, np.array([1]), np.array([3]))[0]) + int(inj.rng.integers(0, 40))
        b = int(from_ymd(y, np.array([11]), np.array([2]))[0]) + int(inj.rng.integers(0, 50))
        inj.set_birth(int(k[0]), a)
        inj.set_birth(int(k[1]), b)
        inj.near.append(
            {
                "kind": "SIBLINGS_SAME_YEAR",
                "dataset": "dtks",
                "rows": " ".join(str(x + 1) for x in k),
                "note": "siblings born the same year",
            }
        )


# -- eligibility -----------------------------------------------------------------------------
def _elg001(inj: Injector, n: int) -> None:
    ok = inj.aid & inj.role_mask((2, 3, 6), 18, 100)
    for i, h in enumerate(inj.pick("ELG001", ok, n)):
        r = inj.member(h, (6, 2, 3), 18, 100)
        if i % 2 == 0:
            inj.put(r, "status_keberadaan", 2)
            note = "status MENINGGAL"
        else:
            prefix = "ALMH. " if inj.sex[r] == 2 else "ALM. "
            inj.put(r, "nama", prefix + inj.get(r, "nama"))
            note = "name marked ALM./ALMH."
        inj.add_household("ELG001", h, "ELG001", "status_keberadaan", note)


STATE = (5, 6, 7, 16)


def _elg002(inj: Injector, n: int) -> None:
    ok = inj.aid & inj.role_mask((1, 2, 3), 22, 55)
    for i, h in enumerate(inj.pick("ELG002", ok, n)):
        r = inj.member(h, (1, 2, 3), 22, 55)
        inj.put(r, "pekerjaan", codes.PEKERJAAN[STATE[i % len(STATE)]])
        inj.put(r, "kedudukan_kerja", 5)
        inj.add_household("ELG002", h, "ELG002", "pekerjaan")


def _household_attr(code: str, col: str, values):
    def run(inj: Injector, n: int) -> None:
        for i, h in enumerate(inj.pick(code, inj.aid, n)):
            v = values[i % len(values)] if isinstance(values, (list, tuple)) else values
            inj.set(inj.rows(h), col, v)
            inj.add_household(code, h, code, col)

    return run


def _elg006(inj: Injector, n: int) -> None:
    for h in inj.pick("ELG006", inj.aid, n):
        for c in ("ada_ac", "ada_laptop", "ada_rumah_lain"):
            inj.set(inj.rows(h), c, True)
        inj.add_household("ELG006", h, "ELG006", "", "AC, laptop and a second house")


def _elg007(inj: Injector, n: int) -> None:
    for h in inj.pick("ELG007", inj.aid, n):
        r = int(inj.rng.choice(inj.rows(h)))
        inj.put(r, "padan_dukcapil", False)
        inj.add_household("ELG007", h, "ELG007", "padan_dukcapil")


def _elg008(inj: Injector, n: int) -> None:
    hs = inj.pick("ELG008", inj.aid, n)
    for i, h in enumerate(hs):
        if i % 2 == 0:
            rows = _nik006(inj, 1, hs=[h], code="ELG008", injected="ELG008")
        else:
            rows = _nik001(inj, 1, hs=[h], code="ELG008", injected="ELG008")
        if rows:
            inj.add_household(
                "ELG008",
                h,
                "ELG008",
                "nik",
                "with its NIK error (NIK001/NIK006) on the member's row",
            )


def _no_programs(inj: Injector, h: int) -> None:
    for p in (*codes.PROGRAMS, "pip"):
        inj.set(inj.rows(h), p, False)
    inj.aid[h] = False


def _exc001(inj: Injector, n: int) -> None:
    for h in inj.pick("EXC001", inj.ctx["desil"] <= 2, n):
        _no_programs(inj, h)
        rows = inj.rows(h)
        inj.set(rows, "jenis_lantai", 6)  # modest house: EXC002 stays below 4 criteria
        inj.set(rows, "jenis_dinding", 1)
        inj.set(rows, "fasilitas_bab", 1)
        inj.add_household("EXC001", h, "EXC001", "desil")


def _exc002(inj: Injector, n: int) -> None:
    d = inj.ctx["desil"]
    for h in inj.pick("EXC002", (d >= 3) & (d <= 4) & inj.role_mask((1,), 20, 80), n):
        _no_programs(inj, h)
        rows = inj.rows(h)
        inj.set(rows, "jenis_lantai", 8)
        inj.set(rows, "jenis_dinding", 6)
        inj.set(rows, "fasilitas_bab", 6)
        inj.set(rows, "daya_listrik", 450)
        head = int(inj.start[h])
        inj.put(head, "pekerjaan", codes.PEKERJAAN[1])
        inj.put(head, "kedudukan_kerja", pd.NA)
        inj.add_household(
            "EXC002",
            h,
            "EXC002",
            "",
            "earth floor, bamboo walls, no latrine, 450 VA, head not working",
        )


INJECTORS: dict[str, Callable[[Injector, int], None]] = {
    "SCH001": _sch001,
    "SCH002": _sch002,
    "SCH003": _sch003,
    "SCH004": _sch004,
    "SCH005": _sch005,
    "SCH006": _sch006,
    "NIK001": _nik001,
    "NIK002": _nik002,
    "NIK003": _nik003,
    "NIK004": _nik004,
    "NIK005": _nik005,
    "NIK006": _nik006,
    "NIK007": _nik007,
    "NIK008": _nik008,
    "NIK009": _nik009,
    "KK001": _kk001,
    "KK002": _kk002,
    "KK003": _kk003,
    "KK004": _kk004,
    "DEM001": _dem001,
    "DEM002": _dem002,
    "DEM003": _dem003,
    "WIL001": _wil001,
    "WIL002": _wil002,
    "WIL003": _wil003,
    "HH001": _hh001,
    "HH002": _hh002,
    "HH003": _hh003,
    "HH004": _hh004,
    "DUP001": _dup001,
    "DUP002": _dup002,
    "DUP003": _dup003,
    "TWINS": _twins,
    "SIBLINGS_SAME_YEAR": _siblings,
    "ELG001": _elg001,
    "ELG002": _elg002,
    "ELG003": _household_attr("ELG003", "ada_mobil", True),
    "ELG004": _household_attr("ELG004", "daya_listrik", [1300, 2200, 3500]),
    "ELG005": _household_attr("ELG005", "desil", [5, 6, 7]),
    "ELG006": _elg006,
    "ELG007": _elg007,
    "ELG008": _elg008,
    "EXC001": _exc001,
    "EXC002": _exc002,
}
# Order matters only for readability of the truth; SCH001/SCH006 change columns, so they run last.
# Duplicates first: they need single-person carrier households, the scarcest resource.
FIRST = ["DUP001", "DUP002", "DUP003", "TWINS", "SIBLINGS_SAME_YEAR"]
ORDER = (
    FIRST + [c for c in INJECTORS if c not in (*FIRST, "SCH001", "SCH006")] + ["SCH006", "SCH001"]
)


def inject(
    frame: pd.DataFrame, ctx: dict, defects: dict[str, float], rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, dict, list]:
    """Apply ``defects`` ({code: count or rate}) and return
    ``(frame, truth, overrides, near_misses, skipped, dropped_columns)``."""
    inj = Injector(frame, ctx, rng)
    for code in ORDER:
        if code not in defects:
            continue
        v = defects[code]
        n = max(1, round(v * inj.H)) if 0 < v < 1 else int(v)
        if n > 0:
            if code in ("SCH001", "SCH006"):
                inj.flush()
            INJECTORS[code](inj, max(n, 1))
    inj.flush()
    truth = pd.DataFrame(inj.truth, columns=[c for c in TRUTH_COLUMNS if c not in ("no_kk", "nik")])
    truth["row"] = truth["row"].astype("Int64")
    if len(truth):
        has = truth["row"].notna().to_numpy()
        idx = truth["row"].fillna(0).to_numpy(dtype=np.int64) - 1
        kk = np.full(len(truth), "", dtype=object)
        nk = np.full(len(truth), "", dtype=object)
        kk[has] = inj.f["no_kk"].to_numpy(dtype=object)[idx[has]]
        nk[has] = inj.f["nik"].to_numpy(dtype=object)[idx[has]]
        truth["no_kk"] = kk
        truth["nik"] = nk
    else:
        truth["no_kk"] = pd.Series(dtype=object)
        truth["nik"] = pd.Series(dtype=object)
    truth = truth[TRUTH_COLUMNS].sort_values(["row", "code"], kind="stable").reset_index(drop=True)
    overrides = pd.DataFrame(inj.overrides, columns=["idx", "column", "raw"])
    near = pd.DataFrame(inj.near, columns=["kind", "dataset", "rows", "note"])
    return inj.f, truth, overrides, near, inj.skipped, inj.dropped
