"""Synthetic LKSA exports: child-care institutions, the children in them, and a DTKS family file
that shares some children (for LKS006), with LKS001–LKS008 defects and their truth.

Clean baseline (domain.md §4): permits valid for months to years ahead (renewed every 5 years),
accreditation dates inside their validity (A 5 y, B 3 y, C 2 y) with margin, active children
aged 0.5–16.5 (18 is the cut-off), BALITA only under 4, active children within capacity, each
child's NIK/KK consistent (birth date + 40 for girls, serial unique). Some children who left
their family appear in the DTKS file with status PINDAH (3): a near miss LKS006 must not report.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import names, regions
from .dtks import YEAR, as_of_date, day_number, ddmmyy, serials, type_frame
from .result import TRUTH_COLUMNS, SynthResult

LKSA_CODES = ("LKS001", "LKS002", "LKS003", "LKS004", "LKS005", "LKS006", "LKS007", "LKS008")
VALIDITY = {"A": 5, "B": 3, "C": 2}
NAMES = np.array(
    [
        "AL-IKHLAS",
        "DARUL AITAM",
        "KASIH BUNDA",
        "BINA INSANI",
        "MUHAMMADIYAH",
        "AISYIYAH",
        "NURUL HUDA",
        "HARAPAN BANGSA",
        "PELITA KASIH",
        "BAITUL MAL",
        "TUNAS MELATI",
        "SAYAP IBU",
        "RUMAH HARAPAN",
        "DHARMA BHAKTI",
        "KASIH AGAPE",
        "BUDI MULIA",
        "AL-HIKMAH",
        "DARUL ULUM",
        "SINAR PAGI",
        "PUTRA UTAMA",
        "AS-SALAM",
        "AN-NUR",
        "NURUL IMAN",
        "BAHTERA KASIH",
        "GENERASI EMAS",
        "CAHAYA HATI",
        "TIARA PUTRI",
        "YATIM PIATU BAROKAH",
        "MIFTAHUL JANNAH",
        "HIDAYATULLAH",
        "BALA KESELAMATAN",
        "SANTA MARIA",
        "BETHESDA",
        "KARYA MURNI",
        "WIDHYA ASIH",
    ],
    dtype=object,
)
PREFIX = np.array(["PANTI ASUHAN", "LKSA", "YAYASAN", "PANTI ASUHAN ANAK"], dtype=object)


def _kategori(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """PPKS category consistent with age (BALITA under 4 only, ABH 12+, ANJAL 8+)."""
    n = len(age)
    u = rng.random(n)
    k = np.where(
        u < 0.4,
        "TERLANTAR",
        np.where(
            u < 0.6,
            "AMPFS",
            np.where(
                u < 0.7,
                "DISABILITAS",
                np.where(
                    u < 0.8,
                    "KORBAN_KEKERASAN",
                    np.where(u < 0.9, "AMPK", np.where(u < 0.95, "ANJAL", "ABH")),
                ),
            ),
        ),
    )
    k = np.where((k == "ANJAL") & (age < 8), "TERLANTAR", k)
    k = np.where((k == "ABH") & (age < 12), "AMPK", k)
    k = np.where(age < 4, np.where(u < 0.85, "BALITA", "DISABILITAS"), k)
    k = np.where((age >= 4) & (age < 5.5) & (k == "BALITA"), "TERLANTAR", k)
    return k.astype(object)


def generate_lksa(
    n_lksa: int | None = None,
    *,
    n_children: int = 200,
    seed: int = 0,
    defects: str | dict | None = None,
    as_of: dt.date | str | None = None,
    dtks_rows: int | None = None,
) -> SynthResult:
    """Generate LKSA institutions (the returned result, dataset ``lksa``) with
    ``extra["lksa_anak"]`` (children) and ``extra["dtks"]`` (families sharing some children).

    ``defects``: None, ``"all"`` (one of each LKS001–LKS008), ``"all=2"``, ``"LKS002=3"`` or a
    dict. Truth rows refer to the file named in the truth's ``dataset`` column.
    """
    from . import generate_dtks
    from .defects import parse_defects

    ref = as_of_date(as_of)
    today = day_number(ref)
    rng = np.random.default_rng([seed, 7])
    n_lksa = n_lksa or max(12, n_children // 15)

    # ---------------------------------------------------------------- institutions
    desa = regions.sample_desa(rng, n_lksa * 40)
    di = rng.choice(len(desa), n_lksa)
    kode = desa["kode"].to_numpy()[di]
    kab = desa["kab"].to_numpy()[di]
    order = np.argsort(kode, kind="stable")
    kode, kab = kode[order], kab[order]
    id_lksa = np.array([f"LKSA-{k}-{i + 1:04d}" for i, k in enumerate(kab)], dtype=object)
    nm = (
        rng.permutation(len(NAMES) * len(PREFIX))[:n_lksa]
        if n_lksa <= 140
        else rng.integers(0, len(NAMES) * len(PREFIX), n_lksa)
    )
    nama = PREFIX[nm % len(PREFIX)] + " " + NAMES[nm // len(PREFIX)]
    dup = pd.Series(nama).duplicated().to_numpy()
    nama[dup] = nama[dup] + " " + np.arange(int(dup.sum())).astype(str).astype(object)
    akr = np.array(["A", "B", "C", "BELUM"], dtype=object)[
        rng.choice(4, n_lksa, p=[0.15, 0.3, 0.3, 0.25])
    ]
    back = np.select(
        [akr == "A", akr == "B", akr == "C"],
        [
            rng.uniform(0.2, 4.0, n_lksa),
            rng.uniform(0.2, 2.2, n_lksa),
            rng.uniform(0.2, 1.3, n_lksa),
        ],
        0.0,
    )
    tgl_akr = (today - back * YEAR).astype(np.int64)
    izin = (today + rng.uniform(0.5, 4.8, n_lksa) * YEAR).astype(np.int64)
    kap = rng.integers(20, 121, n_lksa)

    # ---------------------------------------------------------------- children
    N = n_children
    lk = rng.choice(n_lksa, N, p=kap / kap.sum())
    lk.sort()
    status = np.array(["AKTIF", "KELUAR", "REUNIFIKASI"], dtype=object)[
        rng.choice(3, N, p=[0.85, 0.1, 0.05])
    ]
    active_n = np.bincount(lk, weights=status == "AKTIF", minlength=n_lksa).astype(int)
    kap = np.maximum(kap, np.ceil(active_n * 1.2).astype(int) + 2)
    age = rng.uniform(0.5, 16.5, N)
    birth = (today - age * YEAR).astype(np.int64)
    sex = np.where(rng.random(N) < 0.5, 1, 2).astype(np.int8)
    prov = pd.Series(kab[lk]).str[:2].to_numpy()
    from .dtks import _household_groups  # same ethnic mix as the family file

    grp = _household_groups(rng, prov)
    by = 1970 + (birth / YEAR).astype(int)
    nama_anak = names.sample_names(rng, grp, sex, by)
    ibu = names.sample_names(rng, grp, np.full(N, 2, np.int8), by - 27, titles=False)
    ibu = np.where(rng.random(N) < 0.2, None, ibu)
    masuk = (birth + 0.1 * YEAR + rng.random(N) * (today - 7 - birth - 0.1 * YEAR)).astype(np.int64)
    reg_kec = _kec_in_kab(rng, kab[lk])
    pre = reg_kec * 1_000_000 + ddmmyy(birth, sex == 2)
    nik = (pre * 10_000 + serials(pre, start=101)).astype(str).astype(object)
    kk_day = np.maximum(birth, day_number(dt.date(2004, 1, 1))) + (rng.random(N) * 3 * YEAR).astype(
        np.int64
    )
    kk_day = np.minimum(kk_day, today - 30)
    kk_pre = reg_kec * 1_000_000 + ddmmyy(kk_day)
    kk = (kk_pre * 10_000 + serials(kk_pre, start=501)).astype(str).astype(object)
    kk = np.where(rng.random(N) < 0.3, None, kk)

    anak = pd.DataFrame(
        {
            "nik": nik,
            "nama": nama_anak,
            "tgl_lahir": birth.astype("datetime64[D]").astype("datetime64[s]"),
            "jenis_kelamin": sex,
            "id_lksa": id_lksa[lk],
            "kategori": _kategori(rng, age),
            "tgl_masuk": masuk.astype("datetime64[D]").astype("datetime64[s]"),
            "status": status,
            "no_kk": kk,
            "nama_ibu_kandung": ibu,
        }
    )
    lksa = pd.DataFrame(
        {
            "id_lksa": id_lksa,
            "nama_lksa": nama,
            "kode_wilayah": kode,
            "akreditasi": akr,
            "tgl_akreditasi": np.where(
                akr == "BELUM", np.datetime64("NaT"), tgl_akr.astype("datetime64[D]")
            ).astype("datetime64[s]"),
            "izin_berlaku_sampai": izin.astype("datetime64[D]").astype("datetime64[s]"),
            "kapasitas": kap,
        }
    )

    # ---------------------------------------------------------------- family file
    fam = generate_dtks(n_rows=dtks_rows or max(300, 3 * N), seed=seed, as_of=ref)
    st = _State(lksa, anak, fam.frame.copy(), rng, today)
    st.share_left_children(max(1, N // 50))

    spec = parse_defects(defects, LKSA_CODES)
    for code in LKSA_CODES:
        if code in spec:
            v = spec[code]
            n = max(1, round(v * N)) if 0 < v < 1 else int(v)
            if n > 0:
                getattr(st, code.lower())(n)
    return st.result(seed, ref, fam)


def _kec_in_kab(rng: np.random.Generator, kab: np.ndarray) -> np.ndarray:
    out = np.zeros(len(kab), np.int64)
    for k in np.unique(kab):  # a few kab
        sel = np.flatnonzero(kab == k)
        pool = regions.kec_of_kab(str(k)).astype(np.int64)
        out[sel] = pool[rng.integers(0, len(pool), len(sel))]
    return out


class _State:
    """The three frames under construction plus truth and bookkeeping for LKS defects."""

    def __init__(self, lksa, anak, dtks, rng, today) -> None:
        self.lksa = lksa
        self.anak = anak
        self.dtks = dtks
        self.rng = rng
        self.today = today
        self.used_child = np.zeros(len(anak), bool)
        self.used_lksa = np.zeros(len(lksa), bool)
        self.used_dtks = np.zeros(len(dtks), bool)
        self.truth: list[dict] = []
        self.near: list[dict] = []
        self.niks = set(anak["nik"]) | set(dtks["nik"].astype(str))
        self.skipped: dict[str, int] = {}

    # -------------------------------------------------------------- helpers
    def age(self) -> np.ndarray:
        b = self.anak["tgl_lahir"].to_numpy().astype("datetime64[D]").astype(np.int64)
        return (self.today - b) / YEAR

    def pick_child(self, code: str, ok: np.ndarray) -> int | None:
        cand = np.flatnonzero(ok & ~self.used_child)
        if not len(cand):
            self.skipped[code] = self.skipped.get(code, 0) + 1
            return None
        i = int(self.rng.choice(cand))
        self.used_child[i] = True
        # Keep other defects away from this child's institution, so LKS007 stays exact.
        self.used_lksa[self.lksa_index(self.anak.at[i, "id_lksa"])] = True
        return i

    def lksa_index(self, id_lksa: str) -> int:
        hit = np.flatnonzero(self.lksa["id_lksa"].to_numpy() == id_lksa)
        return int(hit[0]) if len(hit) else -1

    def pick_lksa(self, code: str, ok: np.ndarray) -> int | None:
        cand = np.flatnonzero(ok & ~self.used_lksa)
        if not len(cand):
            self.skipped[code] = self.skipped.get(code, 0) + 1
            return None
        i = int(self.rng.choice(cand))
        self.used_lksa[i] = True
        # ...and keep child defects out of it.
        self.used_child |= (self.anak["id_lksa"] == self.lksa.at[i, "id_lksa"]).to_numpy()
        return i

    def add(
        self,
        code: str,
        dataset: str,
        rows: list[int],
        column: str,
        note: str = "",
        injected: str | None = None,
    ) -> None:
        rows = sorted(rows)
        self.truth.append(
            {
                "code": code,
                "dataset": dataset,
                "row": rows[0] + 1,
                "rows": " ".join(str(r + 1) for r in rows),
                "column": column,
                "injected": injected or code,
                "note": note,
            }
        )

    def active(self) -> np.ndarray:
        return (self.anak["status"] == "AKTIF").to_numpy()

    def new_nik(self, old: str, birth_day: int, female: bool) -> str:
        dm = int(ddmmyy(np.array([birth_day]), np.array([female]))[0])
        for s in range(9999, 0, -1):
            cand = f"{old[:6]}{dm:06d}{s:04d}"
            if cand not in self.niks:
                self.niks.add(cand)
                return cand
        raise RuntimeError("no free serial")

    def dtks_child(self) -> int | None:
        f = self.dtks
        age = (pd.Timestamp(np.datetime64(self.today, "D")) - f["tgl_lahir"]).dt.days / YEAR
        ok = (
            (f["hub_keluarga"] == 3) & (f["status_keberadaan"] == 1) & (age >= 6) & (age < 15)
        ).fillna(False).to_numpy(bool) & ~self.used_dtks
        cand = np.flatnonzero(ok)
        if not len(cand):
            return None
        i = int(self.rng.choice(cand))
        self.used_dtks[i] = True
        return i

    def copy_from_dtks(self, child: int, d: int) -> None:
        for c in ("nik", "nama", "tgl_lahir", "jenis_kelamin", "no_kk", "nama_ibu_kandung"):
            v = self.dtks.at[d, c]
            self.anak.at[child, c] = v if not isinstance(v, str) else str(v)
        self.anak.at[child, "jenis_kelamin"] = int(self.dtks.at[d, "jenis_kelamin"])
        age = (
            pd.Timestamp(np.datetime64(self.today, "D")) - self.anak.at[child, "tgl_lahir"]
        ).days / YEAR
        self.anak.at[child, "kategori"] = _kategori(self.rng, np.array([age]))[0]
        masuk = self.today - int(self.rng.integers(30, 300))
        self.anak.at[child, "tgl_masuk"] = pd.Timestamp(np.datetime64(masuk, "D"))

    # -------------------------------------------------------------- clean near misses
    def share_left_children(self, n: int) -> None:
        """Children who left their DTKS family for an LKSA: status PINDAH in DTKS."""
        for _ in range(n):
            d = self.dtks_child()
            c = self.pick_child("NEAR", self.active())
            if d is None or c is None:
                break
            self.used_lksa[self.lksa_index(self.anak.at[c, "id_lksa"])] = False
            self.dtks.at[d, "status_keberadaan"] = 3
            self.copy_from_dtks(c, d)
            self.near.append(
                {
                    "kind": "LKSA_CHILD_LEFT_FAMILY",
                    "dataset": "lksa_anak",
                    "rows": str(c + 1),
                    "note": f"also in the DTKS file (record {d + 1}) as PINDAH",
                }
            )

    # -------------------------------------------------------------- defects
    def lks001(self, n: int) -> None:
        for _ in range(n):
            c = self.pick_child("LKS001", self.active())
            if c is None:
                return
            day = self.today - int(self.rng.uniform(18.2, 19.5) * YEAR)
            self.anak.at[c, "tgl_lahir"] = pd.Timestamp(np.datetime64(day, "D"))
            self.anak.at[c, "nik"] = self.new_nik(
                self.anak.at[c, "nik"], day, self.anak.at[c, "jenis_kelamin"] == 2
            )
            # No category, else LKS003 ("any child category for a person 18 or more") fires too.
            self.anak.at[c, "kategori"] = None
            self.add("LKS001", "lksa_anak", [c], "tgl_lahir", "active, 18 or older, no category")

    def lks002(self, n: int) -> None:
        for _ in range(n):
            a = self.pick_child("LKS002", self.active())
            if a is None:
                return
            other = (self.anak["id_lksa"] != self.anak.at[a, "id_lksa"]).to_numpy()
            b = self.pick_child("LKS002", self.active() & other)
            if b is None:
                return
            for col in (
                "nik",
                "nama",
                "tgl_lahir",
                "jenis_kelamin",
                "no_kk",
                "nama_ibu_kandung",
                "kategori",
            ):
                self.anak.at[b, col] = self.anak.at[a, col]
            self.add("LKS002", "lksa_anak", [a, b], "nik", "same child active in two LKSA")

    def lks003(self, n: int) -> None:
        age = self.age()
        for _ in range(n):
            c = self.pick_child("LKS003", self.active() & (age >= 6) & (age < 13))
            if c is None:
                return
            self.anak.at[c, "kategori"] = "BALITA"
            self.add("LKS003", "lksa_anak", [c], "kategori", "BALITA aged 6-12")

    def lks004(self, n: int) -> None:
        akr = self.lksa["akreditasi"].to_numpy()
        for _ in range(n):
            i = self.pick_lksa("LKS004", akr != "BELUM")
            if i is None:
                return
            years = VALIDITY[akr[i]] + self.rng.uniform(0.1, 2.0)
            day = self.today - int(years * YEAR)
            self.lksa.at[i, "tgl_akreditasi"] = pd.Timestamp(np.datetime64(day, "D"))
            self.add("LKS004", "lksa", [i], "tgl_akreditasi", f"grade {akr[i]} expired")

    def lks005(self, n: int) -> None:
        for _ in range(n):
            i = self.pick_lksa("LKS005", np.ones(len(self.lksa), bool))
            if i is None:
                return
            day = self.today - int(self.rng.integers(10, 700))
            self.lksa.at[i, "izin_berlaku_sampai"] = pd.Timestamp(np.datetime64(day, "D"))
            self.add("LKS005", "lksa", [i], "izin_berlaku_sampai")

    def lks006(self, n: int) -> None:
        for _ in range(n):
            c = self.pick_child("LKS006", self.active())
            d = self.dtks_child()
            if c is None or d is None:
                self.skipped["LKS006"] = self.skipped.get("LKS006", 0) + 1
                return
            self.copy_from_dtks(c, d)
            self.add(
                "LKS006",
                "lksa_anak",
                [c],
                "nik",
                f"also living with a family in the DTKS file (record {d + 1})",
            )

    def lks007(self, n: int) -> None:
        act = self.active()
        counts = self.anak.loc[act, "id_lksa"].value_counts()
        n_act = self.lksa["id_lksa"].map(counts).fillna(0).astype(int).to_numpy()
        for _ in range(n):
            i = self.pick_lksa("LKS007", n_act >= 3)
            if i is None:
                return
            self.lksa.at[i, "kapasitas"] = int(n_act[i] - self.rng.integers(1, 3))
            self.add(
                "LKS007",
                "lksa",
                [i],
                "kapasitas",
                f"{n_act[i]} active children, capacity {self.lksa.at[i, 'kapasitas']}",
            )

    def lks008(self, n: int) -> None:
        for k in range(n):
            c = self.pick_child("LKS008", np.ones(len(self.anak), bool))
            if c is None:
                return
            old = self.anak.at[c, "id_lksa"]
            self.anak.at[c, "id_lksa"] = f"{old[:10]}-{9000 + k:04d}"
            self.add("LKS008", "lksa_anak", [c], "id_lksa", "registration number not in the list")

    # -------------------------------------------------------------- result
    def result(self, seed: int, ref: dt.date, fam: SynthResult) -> SynthResult:
        truth = pd.DataFrame(
            self.truth, columns=[c for c in TRUTH_COLUMNS if c not in ("no_kk", "nik")]
        )
        truth["row"] = truth["row"].astype("Int64")
        kk = []
        nk = []
        for ds, row in zip(truth["dataset"], truth["row"], strict=False):
            if ds == "lksa_anak":
                kk.append(self.anak.at[row - 1, "no_kk"])
                nk.append(self.anak.at[row - 1, "nik"])
            else:
                kk.append(None)
                nk.append(None)
        truth["no_kk"] = kk
        truth["nik"] = nk
        truth = truth[TRUTH_COLUMNS]
        near = pd.DataFrame(self.near, columns=["kind", "dataset", "rows", "note"])
        no_ov = pd.DataFrame(
            {
                "idx": pd.Series(dtype=int),
                "column": pd.Series(dtype=object),
                "raw": pd.Series(dtype=object),
            }
        )
        anak = self.anak.copy()
        for c in ("nik", "nama", "id_lksa", "kategori", "status", "no_kk", "nama_ibu_kandung"):
            anak[c] = anak[c].astype("string")
        anak["jenis_kelamin"] = anak["jenis_kelamin"].astype("Int8")
        lksa = self.lksa.copy()
        for c in ("id_lksa", "nama_lksa", "kode_wilayah", "akreditasi"):
            lksa[c] = lksa[c].astype("string")
        lksa["kapasitas"] = lksa["kapasitas"].astype("Int32")
        fam_res = SynthResult(
            "dtks", type_frame(self.dtks), fam.truth, fam.overrides, fam.near_misses, ref, seed
        )
        is_anak = truth["dataset"] == "lksa_anak"
        anak_res = SynthResult(
            "lksa_anak", anak, truth[is_anak].reset_index(drop=True), no_ov, near, ref, seed
        )
        res = SynthResult(
            "lksa",
            lksa,
            truth[~is_anak].reset_index(drop=True),
            no_ov,
            near.iloc[0:0],
            ref,
            seed,
            extra={"lksa_anak": anak_res, "dtks": fam_res},
        )
        res.skipped = {k: v for k, v in self.skipped.items() if k != "NEAR"}
        return res
