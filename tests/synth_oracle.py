"""An independent, deliberately simple re-implementation of the rules of spec/rules.md, used
only to check the synthetic generator: a clean file must produce no finding, an injected one
exactly its truth. It re-derives the NIK/KK layout (domain.md §1.1, §1.2) instead of importing
siksval's decoder, so a shared misunderstanding cannot hide.

``broad=True`` reads the fuzzy criteria (EXC002, ELG006) as widely as any implementation might;
the clean baseline must be silent even then.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from siksval.synth import regions

PROVINCES = {
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    21,
    31,
    32,
    33,
    34,
    35,
    36,
    51,
    52,
    53,
    61,
    62,
    63,
    64,
    65,
    71,
    72,
    73,
    74,
    75,
    76,
    81,
    82,
    91,
    92,
    93,
    94,
    95,
    96,
}
HIST_KAB = {
    "9101",
    "9102",
    "9104",
    "9107",
    "9108",
    "9109",
    "9112",
    "9113",
    "9114",
    "9116",
    "9117",
    "9118",
    "9121",
    "9122",
    "9123",
    "9124",
    "9125",
    "9126",
    "9127",
    "9128",
    "9201",
    "9204",
    "9205",
    "9209",
    "9210",
    "9271",
    "6405",
    "6404",
    "6406",
    "6412",
    "6473",
}
STATE_LABELS = (
    "PEGAWAI NEGERI SIPIL",
    "TENTARA NASIONAL",
    "KEPOLISIAN",
    "KARYAWAN BUMN",
    "KARYAWAN BUMD",
)
NOT_WORKING = ("BELUM/TIDAK BEKERJA", "MENGURUS RUMAH TANGGA", "PELAJAR/MAHASISWA", "PENSIUNAN")
PROGRAMS = ("pkh", "bpnt", "pbi_jk", "bst", "blt_dd")
SCI = re.compile(r"^[0-9]+(?:[.,][0-9]*)?[eE][+]?[0-9]+$")
FLT = re.compile(r"^[0-9]{13,}[.,]0+$")


def _calendar(y, m, d) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def decode_id(v) -> tuple[str, str | None]:
    """('ok', digits) | ('NIK001'|'NIK002', None) for a NIK/KK cell."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "NIK001", None
    t = str(v).strip().lstrip("'").strip()
    if SCI.match(t) or FLT.match(t):
        return "NIK002", None
    c = re.sub(r"[.\-\s]", "", t)
    if len(c) != 16 or not c.isdigit():
        return "NIK001", None
    return "ok", c


def nik_findings(f: pd.DataFrame, as_of: dt.date) -> list[tuple[str, int]]:
    kabs = set(regions.tables().kab["kab"]) | HIST_KAB
    out = []
    for i, (v, tl, jk, kode) in enumerate(
        zip(
            f["nik"],
            f["tgl_lahir"],
            f["jenis_kelamin"] if "jenis_kelamin" in f else [pd.NA] * len(f),
            f["kode_wilayah"], strict=False,
        )
    ):
        st, c = decode_id(v)
        if st != "ok":
            out.append((st, i))
            continue
        if int(c[:2]) not in PROVINCES:
            out.append(("NIK003", i))
        elif c[:4] not in kabs or c[2:4] == "00" or c[4:6] == "00":
            out.append(("NIK004", i))
        dd, mm, yy = int(c[6:8]), int(c[8:10]), int(c[10:12])
        fem = dd > 40
        day = dd - 40 if fem else dd
        if not pd.isna(tl) and tl.year % 100 == yy:
            year = tl.year
        else:
            year = (as_of.year // 100) * 100 + yy
            if _calendar(year, mm, day) and dt.date(year, mm, day) > as_of:
                year -= 100
        valid = (1 <= dd <= 31 or 41 <= dd <= 71) and _calendar(year, mm, day)
        if not valid:
            out.append(("NIK005", i))
        if c[12:] == "0000":
            out.append(("NIK006", i))
        if valid and not pd.isna(jk) and ((fem and jk == 1) or (not fem and jk == 2)):
            out.append(("NIK007", i))
        if valid and not pd.isna(tl) and (tl.day, tl.month, tl.year % 100) != (day, mm, yy):
            out.append(("NIK008", i))
        if isinstance(kode, str) and c[:4] != kode[:4]:
            out.append(("NIK009", i))
    return out


def households(f: pd.DataFrame) -> pd.core.groupby.DataFrameGroupBy:
    return f.assign(_row=np.arange(len(f))).groupby("no_kk", sort=False)


def oracle(f: pd.DataFrame, as_of: dt.date, broad: bool = True) -> pd.DataFrame:
    """Findings as a DataFrame (code, row 0-based of the finding, rows tuple)."""
    res: list[tuple[str, int, tuple]] = [(c, r, (r,)) for c, r in nik_findings(f, as_of)]
    t = regions.tables()
    desa = dict(zip(t.desa["kode"], t.desa["nama"].str.upper(), strict=False))
    ts = pd.Timestamp(as_of)
    age = (ts - f["tgl_lahir"]).dt.days / 365.2425
    aid_row = f[list(PROGRAMS)].fillna(False).any(axis=1)
    g = households(f)
    rows_of = g["_row"].apply(tuple)
    first = g["_row"].min()

    def hh(code, mask_rows):
        keys = f.loc[mask_rows.fillna(False).to_numpy(bool), "no_kk"].unique()
        for k in keys:
            res.append((code, int(first[k]), rows_of[k]))

    # KK (one finding per distinct KK)
    for k in rows_of.index:
        st, c = decode_id(k)
        code = {"NIK001": "KK001", "NIK002": "KK002"}.get(st)
        if code:
            res.append((code, int(first[k]), rows_of[k]))
            continue
        if int(c[:2]) not in PROVINCES:
            res.append(("KK003", int(first[k]), rows_of[k]))
        d, m, y = int(c[6:8]), int(c[8:10]), int(c[10:12])
        year = 2000 + y if 2000 + y <= as_of.year + 10 else 1900 + y
        if not _calendar(year, m, d) or dt.date(year, m, d) > as_of:
            res.append(("KK004", int(first[k]), rows_of[k]))

    # DEM
    for i in np.flatnonzero((f["tgl_lahir"] > ts).fillna(False)):
        res.append(("DEM001", int(i), (int(i),)))
    for i in np.flatnonzero((age > 115).fillna(False)):
        res.append(("DEM002", int(i), (int(i),)))
    married = f["status_kawin"].isin([2, 3, 4]).fillna(False) | (f["hub_keluarga"] == 2).fillna(
        False
    )
    for i in np.flatnonzero(married & (age < 16).fillna(False)):
        res.append(("DEM003", int(i), (int(i),)))

    # WIL
    known = f["kode_wilayah"].isin(set(desa))
    hh("WIL001", ~known)
    for i in np.flatnonzero(known.to_numpy()):
        if desa[f["kode_wilayah"].iat[i]] != f["desa_kelurahan"].iat[i]:
            res.append(("WIL002", int(i), (int(i),)))
    for i in np.flatnonzero(~f["kode_wilayah"].str[6].isin(list("123")).fillna(False)):
        res.append(("WIL003", int(i), (int(i),)))

    # HH
    heads = g["hub_keluarga"].apply(lambda s: int((s == 1).sum()))
    for k, n in heads.items():
        if n == 0:
            res.append(("HH001", int(first[k]), rows_of[k]))
        elif n > 1:
            res.append(("HH002", int(first[k]), rows_of[k]))
    for k, n in g["kode_wilayah"].nunique().items():
        if n > 1:
            res.append(("HH003", int(first[k]), rows_of[k]))
    head_b = f.loc[f["hub_keluarga"] == 1].groupby("no_kk")["tgl_lahir"].min()
    hb = f["no_kk"].map(head_b)
    kid = f["hub_keluarga"].isin([3, 5]).fillna(False)
    gap = (f["tgl_lahir"] - hb).dt.days / 365.2425
    bad = (kid & (gap < 10).fillna(False)) | (
        (f["hub_keluarga"] == 6).fillna(False) & (gap > 0).fillna(False)
    )
    hh("HH004", bad)

    # ELG
    hh_aid = f["no_kk"].map(aid_row.groupby(f["no_kk"]).any())
    name = f["nama"].fillna("")
    dead = (f["status_keberadaan"] == 2).fillna(False) | name.str.match(
        r"^(ALM|ALMH|ALMARHUM|ALMARHUMAH)\b\.?"
    )
    hh("ELG001", dead & hh_aid)
    job = f["pekerjaan"].fillna("")
    state = job.str.contains("|".join(re.escape(s) for s in STATE_LABELS)) | (
        f["kedudukan_kerja"] == 5
    ).fillna(False)
    hh("ELG002", state & hh_aid)
    hh("ELG003", f["ada_mobil"].fillna(False) & hh_aid)
    hh("ELG004", (f["daya_listrik"] >= 1300).fillna(False) & hh_aid)
    hh("ELG005", (f["desil"] > 4).fillna(False) & hh_aid)
    wealth = sum(
        f[c].fillna(False).astype(int)
        for c in ("ada_ac", "ada_emas", "ada_laptop", "ada_lahan", "ada_rumah_lain")
    )
    wealth = wealth + (f["luas_lantai"] > 100).fillna(False).astype(int)
    floors = (1, 2, 3) if broad else (1, 3)
    wealth = wealth + f["jenis_lantai"].isin(floors).fillna(False).astype(int)
    hh("ELG006", (wealth >= 3) & hh_aid)
    hh("ELG007", (f["padan_dukcapil"] == False).fillna(False) & hh_aid)  # noqa: E712
    nik_err = {
        r for c, r, _ in res if c in ("NIK001", "NIK002", "NIK003", "NIK004", "NIK005", "NIK006")
    }
    err = pd.Series(np.isin(np.arange(len(f)), list(nik_err)), index=f.index)
    hh("ELG008", err & hh_aid)

    # EXC
    any_prog = f[[*PROGRAMS, "pip"]].fillna(False).any(axis=1)
    hh_prog = f["no_kk"].map(any_prog.groupby(f["no_kk"]).any())
    hh("EXC001", (f["desil"] <= 2).fillna(False) & ~hh_prog)
    lantai = (5, 7, 8, 9) if broad else (8,)
    dinding = (2, 3, 4, 5, 6, 7) if broad else (4, 6)
    fas = (2, 3, 4, 5, 6) if broad else (6,)
    crit = (
        f["jenis_lantai"].isin(lantai).fillna(False).astype(int)
        + f["jenis_dinding"].isin(dinding).fillna(False).astype(int)
        + f["fasilitas_bab"].isin(fas).fillna(False).astype(int)
        + ((f["daya_listrik"] == 450) | f["daya_listrik"].isna()).fillna(False).astype(int)
    )
    head_idle = (f["hub_keluarga"] == 1).fillna(False) & (
        job.isin(NOT_WORKING) | (f["kedudukan_kerja"].isna() if broad else False)
    )
    idle_h = f["no_kk"].map(head_idle.groupby(f["no_kk"]).any())
    crit_h = f["no_kk"].map(crit.groupby(f["no_kk"]).max()) + idle_h.astype(int)
    aid_only = f["no_kk"].map(aid_row.groupby(f["no_kk"]).any())
    no_prog = ~(hh_prog if broad else aid_only)
    hh("EXC002", (crit_h >= 4) & no_prog)

    res.extend(dup_findings(f))
    out = pd.DataFrame(res, columns=["code", "row", "rows"])
    return out.drop_duplicates(subset=["code", "row"]).reset_index(drop=True)


_TITLES = re.compile(
    r"\b(H|HJ|ALM|ALMH|DRS|IR|DR|M|MOH|MUH|MOCH|ST)\.\s*|,\s*[A-Z.]+$|\b(BIN|BINTI|BR)\b"
)


def norm_name(s: str) -> str:
    s = (s or "").upper()
    s = _TITLES.sub(" ", s)
    s = re.sub(r"\b(MUHAMMAD|MUHAMAD|MOHAMAD|MOHAMMAD)\b", "MUHAMMAD", s)
    s = s.replace("OE", "U").replace("DJ", "J").replace("TJ", "C")
    return re.sub(r"\s+", " ", s).strip()


def dup_findings(f: pd.DataFrame) -> list[tuple[str, int, tuple]]:
    """DUP001/DUP002 on shared NIKs; DUP003 on look-alike people with different NIKs (same
    birth date and sex, similar name and similar mother's name or same desa)."""
    out = []
    valid = f["nik"].notna()
    nm = f["nama"].fillna("").map(norm_name)
    for _nik, idx in f[valid].groupby("nik").indices.items():
        if len(idx) < 2:
            continue
        a, b = idx[0], idx[1]
        same = fuzz.token_sort_ratio(nm.iat[a], nm.iat[b]) >= 80 and (
            f["tgl_lahir"].iat[a] == f["tgl_lahir"].iat[b]
        )
        out.append(("DUP001" if same else "DUP002", int(a), tuple(int(i) for i in idx)))
    key = f["tgl_lahir"].astype(str) + "|" + f["jenis_kelamin"].astype(str)
    ibu = f["nama_ibu_kandung"].fillna("").map(norm_name)
    for _, idx in f.groupby(key).indices.items():
        if len(idx) < 2 or len(idx) > 200:
            continue
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                a, b = idx[x], idx[y]
                if f["nik"].iat[a] == f["nik"].iat[b]:
                    continue
                sim = fuzz.token_sort_ratio(nm.iat[a], nm.iat[b])
                mom = fuzz.token_sort_ratio(ibu.iat[a], ibu.iat[b])
                place = f["kode_wilayah"].iat[a] == f["kode_wilayah"].iat[b]
                if sim >= 85 and (mom >= 85 or place):
                    out.append(("DUP003", int(a), (int(a), int(b))))
    return out
