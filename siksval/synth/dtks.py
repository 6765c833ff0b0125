"""Clean, realistic synthetic DTKS exports (one row per person), fully vectorized.

Design goal: the clean baseline triggers **no** rule of spec/rules.md, not even an info rule,
while looking like a real SIKS-NG extract:

* households (no_kk) of 1–8 members: a head (hub 1), usually a wife (2), children (3); some
  three-generation households (married child 3 + menantu 4 + cucu 5) and some with a parent (6);
  children are born 18–44 years after their parents (HH004 needs >= 10 after the head);
* NIK = registration kecamatan (the household's, or another kecamatan of the same kab/kota for
  people who married in: NIK009 compares kab only) + birth date with day + 40 for women + a
  serial from 0001 unique per 12-digit prefix (domain.md §1.1);
* No. KK = the household's kecamatan + issuance date DDMMYY (after the head's 17th birthday,
  not after the reference date) + serial (domain.md §1.2);
* default birth dates 01-07 / 31-12 / 01-01 for older people (domain.md §1.1, S7–S9);
* program flags consistent with desil: every desil 1–2 household receives at least one program
  (EXC001), aid only for desil <= 4 (ELG005), aid households have 450/900 VA, no car, at most
  two wealth indicators, all members padan, nobody deceased or a state employee; households
  without aid never meet 4 of the EXC002 criteria, even under the broadest reading;
* no married minors, ages <= 100, no accidental look-alike people (name + birth date).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from . import codes, names, regions

YEAR = 365.2425
SIZE_P = np.array([0.11, 0.18, 0.22, 0.22, 0.14, 0.07, 0.04, 0.02])
DESIL_P = np.array([0.22, 0.20, 0.17, 0.15, 0.06, 0.05, 0.05, 0.04, 0.03, 0.03])
ROLE_RANK = np.array([0, 0, 1, 2, 3, 4, 5, 6, 7])  # indexed by hub code
CITIES = np.array(
    [
        "JAKARTA",
        "BANDUNG",
        "SURABAYA",
        "SEMARANG",
        "MEDAN",
        "MAKASSAR",
        "PALEMBANG",
        "YOGYAKARTA",
        "MALANG",
        "SOLO",
        "BOGOR",
        "PADANG",
        "DENPASAR",
        "PONTIANAK",
        "MANADO",
    ],
    dtype=object,
)
STREETS = np.array(
    [
        "MAWAR",
        "MELATI",
        "KENANGA",
        "ANGGREK",
        "MERDEKA",
        "PAHLAWAN",
        "DIPONEGORO",
        "SUDIRMAN",
        "KARTINI",
        "AHMAD YANI",
        "GATOT SUBROTO",
        "CEMPAKA",
        "FLAMBOYAN",
        "NUSANTARA",
        "BARU",
        "RAYA",
        "MASJID",
        "PASAR",
        "SEKOLAH",
        "KAMBOJA",
    ],
    dtype=object,
)
DUSUN = np.array(
    [
        "KRAJAN",
        "SUKAMAJU",
        "SUKAMULYA",
        "MEKARSARI",
        "TANJUNG",
        "KARANG ANYAR",
        "SIDOREJO",
        "BOJONG",
        "CIKAL",
        "LEMAH DUWUR",
        "SUMBER",
        "KAUMAN",
        "PASIR",
        "GUNUNG SARI",
        "I",
        "II",
        "III",
        "IV",
    ],
    dtype=object,
)

STRING_COLS = [
    "id_dtks",
    "provinsi",
    "kabupaten_kota",
    "kecamatan",
    "desa_kelurahan",
    "alamat",
    "dusun",
    "rt",
    "rw",
    "no_kk",
    "nik",
    "nama",
    "tempat_lahir",
    "nama_ibu_kandung",
    "pekerjaan",
    "kode_wilayah",
]
INT8_COLS = [
    "jenis_kelamin",
    "hub_keluarga",
    "status_kawin",
    "kedudukan_kerja",
    "status_keberadaan",
    "desil",
    "jenis_lantai",
    "jenis_dinding",
    "fasilitas_bab",
]
BOOL_COLS = ["padan_dukcapil", *codes.PROGRAMS, "pip", *codes.ASSETS]
COLUMNS = [
    "id_dtks",
    "provinsi",
    "kabupaten_kota",
    "kecamatan",
    "desa_kelurahan",
    "alamat",
    "dusun",
    "rt",
    "rw",
    "no_kk",
    "nik",
    "nama",
    "tgl_lahir",
    "tempat_lahir",
    "jenis_kelamin",
    "nama_ibu_kandung",
    "hub_keluarga",
    "status_kawin",
    "pekerjaan",
    "kedudukan_kerja",
    "kode_wilayah",
    "status_keberadaan",
    "padan_dukcapil",
    "desil",
    *codes.PROGRAMS,
    "pip",
    "daya_listrik",
    "luas_lantai",
    "jenis_lantai",
    "jenis_dinding",
    "fasilitas_bab",
    *codes.ASSETS,
]


def as_of_date(as_of: dt.date | str | None) -> dt.date:
    """Normalise the reference date (default: today)."""
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, str):
        return dt.date.fromisoformat(as_of)
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    return as_of


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01."""
    return int(np.datetime64(d, "D").astype(np.int64))


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day arrays of day numbers (numpy calendar arithmetic, no loop)."""
    d = days.astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day numbers from year/month/day arrays (day must be valid for the month)."""
    months = ((np.asarray(year) - 1970) * 12 + (np.asarray(month) - 1)).astype("datetime64[M]")
    return (months.astype("datetime64[D]").astype(np.int64) + np.asarray(day) - 1).astype(np.int64)


def ddmmyy(days: np.ndarray, female: np.ndarray | None = None) -> np.ndarray:
    """DDMMYY integers of day numbers, day + 40 where ``female``."""
    y, m, d = ymd(days)
    if female is not None:
        d = d + 40 * female.astype(np.int64)
    return d * 10000 + m * 100 + (y % 100)


def serials(prefix: np.ndarray, start: int = 1) -> np.ndarray:
    """Serial numbers from ``start`` within each distinct prefix, in row order."""
    s = pd.Series(prefix)
    return s.groupby(s, sort=False).cumcount().to_numpy() + start


def _choice(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    keys = np.array(list(table))
    p = np.array(list(table.values()), dtype=float)
    return keys[rng.choice(len(keys), n, p=p / p.sum())]


def _sizes(rng: np.random.Generator, n_households: int | None, n_rows: int | None) -> np.ndarray:
    if n_rows is None:
        return rng.choice(np.arange(1, 9), int(n_households), p=SIZE_P)
    if n_rows < 1:
        raise ValueError("n_rows must be >= 1")
    h = int(n_rows / 3.4 * 1.2) + 8
    size = rng.choice(np.arange(1, 9), h, p=SIZE_P)
    while size.sum() < n_rows:
        size = np.concatenate([size, rng.choice(np.arange(1, 9), h, p=SIZE_P)])
    cum = np.cumsum(size)
    k = int(np.searchsorted(cum, n_rows)) + 1
    size = size[:k].copy()
    size[-1] -= int(cum[k - 1] - n_rows)
    return size


def _stratified(rng, lo, hi, k, n):
    """Birth day of the k-th of n siblings spread over [lo, hi] (older first)."""
    width = np.maximum(hi - lo, 0) / np.maximum(n, 1)
    return (lo + (k + rng.uniform(0.15, 0.85, len(lo))) * width).astype(np.int64)


def generate_clean(
    n_households: int | None = None,
    *,
    n_rows: int | None = None,
    seed: int = 0,
    as_of: dt.date | str | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Generate a clean canonical DTKS frame.

    Returns ``(frame, ctx)`` where ``ctx`` holds per-row arrays the defect injector needs
    (``hh`` household number, ``start``/``size`` per household, ``aid`` per household, ...).
    """
    if n_households is None and n_rows is None:
        raise ValueError("give n_households or n_rows")
    ref = as_of_date(as_of)
    today = day_number(ref)
    rng = np.random.default_rng(seed)

    # ---------------------------------------------------------------- households
    size = _sizes(rng, n_households, n_rows)
    H = len(size)
    desa = regions.sample_desa(rng, H)
    w = desa["weight"].to_numpy()
    hh_desa = np.sort(rng.choice(len(desa), H, p=w / w.sum()))  # exports are sorted by region
    kode = desa["kode"].to_numpy()[hh_desa]
    kec = desa["kec"].to_numpy()[hh_desa]
    kab = desa["kab"].to_numpy()[hh_desa]
    prov = desa["prov"].to_numpy()[hh_desa]

    female_head = rng.random(H) < np.where(size == 1, 0.35, 0.14)
    has_spouse = (size >= 2) & ~female_head & (rng.random(H) < 0.93)
    off = 1 + has_spouse.astype(np.int64)
    u = rng.random(H)
    htype = np.zeros(H, np.int8)  # 0 nuclear, 1 with a parent (6), 2 three generations
    htype[(size - off >= 3) & (u < 0.12)] = 2
    htype[(htype == 0) & (size >= 3) & (size - off >= 1) & (u >= 0.12) & (u < 0.22)] = 1
    other = (htype == 0) & (size - off >= 2) & (rng.random(H) < 0.03)
    n_kids = np.where(htype == 2, 0, size - off - (htype == 1) - other)
    n_cucu = np.where(htype == 2, size - off - 2, 0)

    head_age = np.where(
        htype == 2,
        np.clip(rng.normal(63, 7, H), np.maximum(52, 42 + 1.5 * n_cucu), 88),
        np.where(
            htype == 1,
            np.clip(rng.normal(42, 8, H), 25 + 1.3 * n_kids, 66),
            np.clip(rng.normal(44, 13, H), np.maximum(20.5, 21 + 1.4 * n_kids), 86),
        ),
    )
    head_b = (today - head_age * YEAR - rng.uniform(0, 300, H)).astype(np.int64)
    sp_age = head_age - np.clip(rng.normal(4, 4, H), -4, 15)
    sp_min = np.where(htype == 2, 41 + 1.5 * n_cucu, np.where(n_kids > 0, 19 + 1.3 * n_kids, 18.5))
    sp_age = np.where(sp_age < sp_min, sp_min + rng.uniform(0, 3, H), sp_age)
    sp_b = (today - sp_age * YEAR - rng.uniform(0, 300, H)).astype(np.int64)
    older_parent_b = np.where(has_spouse, np.maximum(head_b, sp_b), head_b)
    mother_b = np.where(has_spouse, sp_b, np.where(female_head, head_b, head_b + 3 * YEAR))

    # ---------------------------------------------------------------- members
    N = int(size.sum())
    hh = np.repeat(np.arange(H), size)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    pos = np.arange(N) - start[hh]
    o = off[hh]
    t = htype[hh]
    role = np.full(N, 3, np.int8)
    role[pos == 0] = 1
    role[(pos == 1) & has_spouse[hh]] = 2
    last = pos == size[hh] - 1
    role[(t == 1) & last] = 6
    role[other[hh] & last] = 8
    role[(t == 2) & (pos == o)] = 3
    role[(t == 2) & (pos == o + 1)] = 4
    role[(t == 2) & (pos > o + 1)] = 5

    u = rng.random((N, 4))
    birth = np.zeros(N, np.int64)
    sex = np.where(u[:, 0] < 0.5, 1, 2).astype(np.int8)
    birth[role == 1] = head_b[hh[role == 1]]
    sex[role == 1] = np.where(female_head[hh[role == 1]], 2, 1)
    birth[role == 2] = sp_b[hh[role == 2]]
    sex[role == 2] = 2

    kid = (role == 3) & (t != 2)
    hk = hh[kid]
    lo = older_parent_b[hk] + (18 * YEAR)
    hi = np.minimum(mother_b[hk] + 44 * YEAR, today - 30)
    hi = np.maximum(hi, np.minimum(lo + 0.5 * YEAR, today - 30))
    birth[kid] = _stratified(rng, lo, hi, pos[kid] - o[kid], n_kids[hk])

    # three generations: married child, menantu, grandchildren
    mc = (role == 3) & (t == 2)
    hm = hh[mc]
    lo = older_parent_b[hm] + 18 * YEAR
    hi = np.minimum(mother_b[hm] + 42 * YEAR, today - (19 + 1.5 * n_cucu[hm]) * YEAR)
    mc_b = (lo + rng.random(len(hm)) * np.maximum(hi - lo, 0)).astype(np.int64)
    birth[mc] = mc_b
    mc_sex = sex[mc]
    mn = role == 4
    birth[mn] = mc_b - (rng.uniform(-1, 4, len(hm)) * YEAR).astype(np.int64)
    sex[mn] = 3 - mc_sex
    mc_b_h = np.zeros(H, np.int64)
    mc_b_h[hm] = mc_b
    mn_b_h = np.zeros(H, np.int64)
    mn_b_h[hm] = birth[mn]
    mc_fem_h = np.zeros(H, bool)
    mc_fem_h[hm] = mc_sex == 2
    cu = role == 5
    hc = hh[cu]
    lo = np.maximum(mc_b_h[hc], mn_b_h[hc]) + 18 * YEAR
    mom = np.where(mc_fem_h[hc], mc_b_h[hc], mn_b_h[hc])
    hi = np.minimum(mom + 44 * YEAR, today - 30)
    hi = np.maximum(hi, np.minimum(lo + 0.5 * YEAR, today - 30))
    birth[cu] = _stratified(rng, lo, hi, pos[cu] - o[cu] - 2, n_cucu[hc])

    pa_ = role == 6
    pb = head_b[hh[pa_]] - (rng.uniform(18, 34, int(pa_.sum())) * YEAR).astype(np.int64)
    birth[pa_] = np.maximum(pb, today - int(96 * YEAR))
    sex[pa_] = np.where(u[pa_, 1] < 0.7, 2, 1)
    ot = role == 8
    birth[ot] = (today - rng.uniform(3, 35, int(ot.sum())) * YEAR).astype(np.int64)

    # Default birth dates of the SIMDUK/SIAK era: 1 July, 31 Dec, 1 Jan (domain.md §1.1).
    yr, mo, dy = ymd(birth)
    old = yr < 1985
    dflt = u[:, 2]
    mo = np.where(old & (dflt < 0.08), 7, mo)
    dy = np.where(old & (dflt < 0.08), 1, dy)
    mo = np.where(old & (dflt >= 0.08) & (dflt < 0.12), 12, mo)
    dy = np.where(old & (dflt >= 0.08) & (dflt < 0.12), 31, dy)
    mo = np.where(old & (dflt >= 0.12) & (dflt < 0.14), 1, mo)
    dy = np.where(old & (dflt >= 0.12) & (dflt < 0.14), 1, dy)
    moved = from_ymd(yr, mo, dy)
    # Never give two members of one household the same date by accident (looks like twins).
    clash = pd.DataFrame({"h": hh, "b": moved}).duplicated().to_numpy() & (moved != birth)
    birth = np.where(clash, birth, moved)

    # KK order: head, spouse, children (oldest first), menantu, cucu, parent, others.
    order = np.lexsort((birth, ROLE_RANK[role], hh))
    role, birth, sex, pos = role[order], birth[order], sex[order], pos[order]
    # hh is unchanged by the sort (households stay contiguous, already sorted)
    age = (today - birth) / YEAR
    child_k = _rank_within(hh, role, birth)

    # ---------------------------------------------------------------- household welfare
    desil = rng.choice(np.arange(1, 11), H, p=DESIL_P)
    aid = (desil <= 2) | ((desil <= 4) & (rng.random(H) < 0.55))
    rich = desil >= 5
    prog = {}
    pp = {"pkh": 0.45, "bpnt": 0.7, "pbi_jk": 0.8, "bst": 0.03, "blt_dd": 0.12}
    for p, q in pp.items():
        prog[p] = aid & (rng.random(H) < q)
    none = aid & ~np.any(np.column_stack(list(prog.values())), axis=1)
    prog["pbi_jk"] = prog["pbi_jk"] | none
    school = np.bincount(hh, weights=(age >= 6) & (age < 18), minlength=H) > 0
    prog["pip"] = aid & school & (rng.random(H) < 0.5)

    lantai = np.where(
        rich,
        _choice(rng, {1: 0.1, 2: 0.7, 3: 0.05, 4: 0.1, 6: 0.05}, H),
        _choice(rng, {2: 0.1, 4: 0.08, 5: 0.12, 6: 0.4, 7: 0.05, 8: 0.25}, H),
    )
    dinding = np.where(
        rich,
        _choice(rng, {1: 0.97, 3: 0.03}, H),
        _choice(rng, {1: 0.45, 2: 0.05, 3: 0.22, 4: 0.18, 6: 0.10}, H),
    )
    fasbab = np.where(rich, 1, _choice(rng, {1: 0.5, 2: 0.2, 3: 0.05, 4: 0.05, 6: 0.2}, H))
    daya = np.where(
        rich,
        _choice(rng, {900: 0.2, 1300: 0.35, 2200: 0.25, 3500: 0.2}, H),
        _choice(rng, {450: 0.65, 900: 0.35}, H),
    )
    luas = np.where(
        rich,
        np.clip(rng.gamma(4, 28, H), 40, 600),
        np.clip(rng.gamma(5, 8, H), 12, 90),
    ).round(0)
    a = rng.random((H, 8))
    assets = {
        "ada_mobil": rich & (a[:, 0] < 0.45),
        "ada_motor": np.where(rich, a[:, 1] < 0.9, a[:, 1] < 0.45),
        "ada_ac": rich & (a[:, 2] < 0.5),
        "ada_emas": np.where(rich, a[:, 3] < 0.4, a[:, 3] < 0.06),
        "ada_lemari_es": np.where(rich, a[:, 4] < 0.9, a[:, 4] < 0.25),
        "ada_laptop": rich & (a[:, 5] < 0.6),
        "ada_lahan": np.where(rich, a[:, 6] < 0.3, a[:, 6] < 0.08),
        "ada_rumah_lain": rich & (a[:, 7] < 0.2),
    }
    # Aid households: at most one of gold/land (ELG006 needs 3 indicators).
    assets["ada_lahan"] = assets["ada_lahan"] & ~(aid & assets["ada_emas"])

    # ---------------------------------------------------------------- person attributes
    married_child = (role == 3) & (htype[hh] == 2)
    kawin = _marital(rng, role, age, has_spouse[hh], n_kids[hh] > 0, married_child)
    job = _jobs(rng, age, sex, role, rich[hh])
    ked = _KED_OF_JOB[job]
    ked = np.where((job == 9) & (sex == 2) & (rng.random(N) < 0.4), 8, ked)

    # EXC002 (broadest reading) must not reach 4 criteria in households without aid.
    head_row = start
    head_idle = np.isin(job[head_row], codes.NOT_WORKING) | (ked[head_row] == 0)
    crit = (
        np.isin(lantai, (5, 7, 8, 9)).astype(int)
        + (dinding != 1)
        + (fasbab != 1)
        + (daya == 450)
        + head_idle
    )
    fix = ~aid & (crit >= 4)
    dinding = np.where(fix, 1, dinding)
    fasbab = np.where(fix, 1, fasbab)

    kb = np.zeros(N, np.int8)
    kb_u = rng.random(N)
    kb[:] = 1
    non_aid_row = ~aid[hh]
    kb[non_aid_row & (role != 1) & (kb_u < 0.012)] = 2
    kb[non_aid_row & (kb_u >= 0.012) & (kb_u < 0.02) & (role == 3) & (age >= 18)] = 3
    kb[aid[hh] & (kb_u < 0.01) & (age < 4)] = 5
    padan = np.where(aid[hh], True, rng.random(N) < 0.97)

    # ---------------------------------------------------------------- names
    grp_h = _household_groups(rng, prov)
    grp = grp_h[hh].copy()
    other_grp = _household_groups(rng, prov[hh])
    marry_in = np.isin(role, (2, 4)) & (rng.random(N) < 0.15)
    grp[marry_in] = other_grp[marry_in]
    fam_sur = names.sample_surnames(rng, grp_h)
    sur = np.full(N, "", dtype=object)
    inherit = ((role == 1) & (sex == 1)) | (role == 3) | ((role == 6) & (sex == 1))
    inherit |= (role == 5) & ~mc_fem_h[hh]
    sur[inherit] = fam_sur[hh[inherit]]
    birth_year = ymd(birth)[0]
    academic = rich[hh] & (age >= 23)
    nama = names.sample_names(
        rng, grp, sex, birth_year, surname=sur, birth_order=child_k, academic=academic
    )
    nama, birth = _dedupe_names(
        rng, nama, grp, sex, birth, birth_year, sur, child_k, kab[hh], today
    )
    age = (today - birth) / YEAR

    # mother's maiden name: the household's mother where she is on the card
    # Only people whose mother is not on the card need an invented mother's name.
    sp_row = start + 1
    own = ~(((role == 3) & (has_spouse[hh] | female_head[hh])) | (role == 5))
    ibu = np.full(N, "", dtype=object)
    ibu[own] = names.sample_names(
        rng, grp[own], np.full(int(own.sum()), 2, np.int8), birth_year[own] - 25, titles=False
    )
    kid_mom = (role == 3) & has_spouse[hh]
    ibu[kid_mom] = nama[sp_row[hh[kid_mom]]]
    kid_fh = (role == 3) & female_head[hh]
    ibu[kid_fh] = nama[start[hh[kid_fh]]]
    cucu = role == 5
    mc_row = start + off
    mn_row = start + off + 1
    ibu[cucu] = np.where(mc_fem_h[hh[cucu]], nama[mc_row[hh[cucu]]], nama[mn_row[hh[cucu]]])
    up_head = (role == 1) & (htype[hh] == 1)
    par_row = start + size - 1
    fem_par = up_head & (sex[np.minimum(par_row[hh], N - 1)] == 2)
    ibu[fem_par] = nama[par_row[hh[fem_par]]]

    # ---------------------------------------------------------------- identity numbers
    reg_kec = kec[hh].astype(np.int64)
    moved_in = np.isin(role, (2, 4, 6)) & (rng.random(N) < 0.35)
    reg_kec = _other_kec_same_kab(rng, reg_kec, moved_in, kab[hh])
    pre = reg_kec * 1_000_000 + ddmmyy(birth, sex == 2)
    nik_int = pre * 10_000 + serials(pre)

    kk_lo = np.maximum(head_b + int(17 * YEAR), day_number(dt.date(2004, 1, 1)))
    kk_lo = np.minimum(kk_lo, today - 30)
    kk_day = (kk_lo + rng.random(H) * (today - 1 - kk_lo)).astype(np.int64)
    kk_pre = kec.astype(np.int64) * 1_000_000 + ddmmyy(kk_day)
    kk = (kk_pre * 10_000 + serials(kk_pre)).astype(str)

    id_dtks = (kab.astype(np.int64) * 10**9 + rng.integers(10**6, 10**7) + np.arange(H)).astype(str)

    # ---------------------------------------------------------------- addresses
    reg_names = regions.names_for(pd.Series(kode))
    kel = (pd.Series(kode).str[6] == "1").to_numpy()
    ua = rng.random((H, 4))
    rt = np.char.zfill(rng.integers(1, 16, H).astype(str), 3).astype(object)
    rw = np.char.zfill(rng.integers(1, 9, H).astype(str), 3).astype(object)
    dusun = np.where(kel, "", "DUSUN " + DUSUN[rng.integers(0, len(DUSUN), H)])
    street = STREETS[rng.integers(0, len(STREETS), H)]
    num = rng.integers(1, 120, H).astype(str).astype(object)
    alamat = np.where(
        kel | (ua[:, 0] < 0.3),
        "JL. " + street + " NO. " + num,
        np.where(ua[:, 1] < 0.5, "KP. " + DUSUN[rng.integers(0, 14, H)], dusun + " RT " + rt),
    )
    kabname = reg_names["kabupaten_kota"].to_numpy().astype(str)
    kab_short = np.char.replace(np.char.replace(kabname, "KABUPATEN ", ""), "KOTA ", "")
    tempat = np.where(
        rng.random(N) < 0.85, kab_short[hh].astype(object), CITIES[rng.integers(0, len(CITIES), N)]
    )

    # ---------------------------------------------------------------- frame
    take = pa.array(hh)

    def hcol(values) -> pd.Series:
        """A household-level text column broadcast to members with one arrow ``take``."""
        arr = pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
        return _arrow_str(arr.take(take))

    def pcol(values) -> pd.Series:
        return _arrow_str(pa.array(values, type=pa.string(), from_pandas=True))

    dusun = np.where(dusun == "", None, dusun)
    f = pd.DataFrame(
        {
            "id_dtks": hcol(id_dtks),
            "provinsi": hcol(reg_names["provinsi"].to_numpy()),
            "kabupaten_kota": hcol(kabname.astype(object)),
            "kecamatan": hcol(reg_names["kecamatan"].to_numpy()),
            "desa_kelurahan": hcol(reg_names["desa_kelurahan"].to_numpy()),
            "alamat": hcol(alamat),
            "dusun": hcol(dusun),
            "rt": hcol(rt),
            "rw": hcol(rw),
            "no_kk": hcol(kk),
            "nik": _arrow_str(pa.array(nik_int).cast(pa.string())),
            "nama": pcol(nama),
            "tgl_lahir": birth.astype("datetime64[D]").astype("datetime64[s]"),
            "tempat_lahir": pcol(tempat),
            "jenis_kelamin": sex,
            "nama_ibu_kandung": pcol(ibu),
            "hub_keluarga": role,
            "status_kawin": kawin,
            "pekerjaan": _arrow_str(pa.array(JOB_LABELS, type=pa.string()).take(pa.array(job))),
            "kedudukan_kerja": pd.arrays.IntegerArray(ked.astype(np.int8), ked == 0),
            "kode_wilayah": hcol(kode),
            "status_keberadaan": kb,
            "padan_dukcapil": padan,
            "desil": desil[hh],
            **{p: prog[p][hh] for p in (*codes.PROGRAMS, "pip")},
            "daya_listrik": daya[hh],
            "luas_lantai": luas[hh],
            "jenis_lantai": lantai[hh],
            "jenis_dinding": dinding[hh],
            "fasilitas_bab": fasbab[hh],
            **{k: v[hh] for k, v in assets.items()},
        }
    )
    f = type_frame(f)
    ctx = {
        "hh": hh,
        "start": start,
        "size": size,
        "aid": aid,
        "desil": desil,
        "kec": kec,
        "kab": kab,
        "has_spouse": has_spouse,
        "htype": htype,
        "age": age,
        "today": today,
        "rich": rich,
        "grp": grp,
        "child_k": child_k,
    }
    return f, ctx


# Lookup tables indexed by Dukcapil occupation code.
JOB_LABELS = np.full(90, "", dtype=object)
_KED_OF_JOB = np.zeros(90, np.int64)
for _c, _l in codes.PEKERJAAN.items():
    JOB_LABELS[_c] = _l
    _KED_OF_JOB[_c] = codes.KEDUDUKAN_OF_JOB.get(_c, 0)


def _rank_within(hh: np.ndarray, role: np.ndarray, birth: np.ndarray) -> np.ndarray:
    """0-based birth order among the children (3) / grandchildren (5) of a household, -1 else."""
    key = np.where(np.isin(role, (3, 5)), role, 0)
    s = pd.Series(birth)
    k = s.groupby([hh, key]).rank(method="first").to_numpy().astype(np.int64) - 1
    return np.where(key > 0, k, -1)


def _arrow_str(arr: pa.Array) -> pd.Series:
    """pandas ``string`` (pyarrow) Series wrapping an arrow array without a Python pass."""
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([arr])))


def type_frame(f: pd.DataFrame) -> pd.DataFrame:
    """Cast a frame to the canonical dtypes of the shared contract (COMMON.md)."""
    f = f.copy()
    for c in STRING_COLS:
        if c in f and f[c].dtype != "string":
            f[c] = f[c].astype("string")
    for c in INT8_COLS:
        if c in f:
            f[c] = f[c].astype("Int8")
    for c in BOOL_COLS:
        if c in f:
            f[c] = f[c].astype("boolean")
    if "daya_listrik" in f:
        f["daya_listrik"] = f["daya_listrik"].astype("Int32")
    if "luas_lantai" in f:
        f["luas_lantai"] = f["luas_lantai"].astype("Float64")
    return f


def _household_groups(rng: np.random.Generator, prov: np.ndarray) -> np.ndarray:
    """Ethnic name group per entry from its province (names.PROVINCE_GROUPS)."""
    out = np.full(len(prov), "MELAYU", dtype=object)
    uniq, inv = np.unique(prov, return_inverse=True)
    for i, p in enumerate(uniq):  # loop over a few provinces (integer masks: fast)
        m = inv == i
        table = names.PROVINCE_GROUPS.get(str(p), [("MELAYU", 1.0)])
        g = np.array([x[0] for x in table], dtype=object)
        w = np.array([x[1] for x in table], dtype=float)
        out[m] = g[rng.choice(len(g), int(m.sum()), p=w / w.sum())]
    return out


def _other_kec_same_kab(rng, reg_kec: np.ndarray, mask: np.ndarray, kab: np.ndarray) -> np.ndarray:
    out = reg_kec.copy()
    idx = np.flatnonzero(mask)
    sub = kab[idx]
    for k in np.unique(sub):  # loop over a few kab
        sel = idx[sub == k]
        pool = regions.kec_of_kab(str(k)).astype(np.int64)
        out[sel] = pool[rng.integers(0, len(pool), len(sel))]
    return out


def _marital(rng, role, age, has_spouse, has_kids, married_child) -> np.ndarray:
    n = len(role)
    u = rng.random(n)
    k = np.ones(n, np.int8)
    head = role == 1
    k[head & has_spouse] = 2
    lone = head & ~has_spouse
    widow = np.where(u < 0.62, 4, np.where(u < 0.92, 3, 1))
    k[lone] = widow[lone]
    k[lone & (k == 1) & (has_kids | (age > 40))] = 4
    k[lone & (age < 30) & ~has_kids] = 1
    k[np.isin(role, (2, 4))] = 2
    adult_kid = (role == 3) & (age >= 24)
    k[adult_kid & (u < 0.08)] = 3
    k[married_child] = 2  # three-generation household: always >= 19
    k[role == 6] = np.where(u[role == 6] < 0.9, 4, 3)
    k[(role == 8) & (age >= 25) & (u < 0.5)] = 2
    k[age < 17] = 1
    return k


def _jobs(rng, age, sex, role, rich) -> np.ndarray:
    """Dukcapil occupation codes consistent with age, sex and household wealth."""
    n = len(age)
    job = np.ones(n, np.int64)
    male = sex == 1
    poor_m = {
        9: 0.27,
        19: 0.24,
        20: 0.12,
        88: 0.08,
        84: 0.07,
        11: 0.04,
        81: 0.04,
        26: 0.04,
        15: 0.06,
        27: 0.02,
        1: 0.02,
    }
    poor_f = {2: 0.6, 9: 0.1, 19: 0.08, 84: 0.1, 88: 0.05, 20: 0.05, 30: 0.02}
    rich_m = {
        15: 0.3,
        88: 0.22,
        5: 0.1,
        84: 0.08,
        16: 0.04,
        6: 0.02,
        7: 0.02,
        65: 0.05,
        9: 0.07,
        72: 0.02,
        64: 0.02,
        35: 0.03,
        17: 0.03,
    }
    rich_f = {2: 0.38, 15: 0.2, 5: 0.1, 65: 0.1, 88: 0.08, 84: 0.08, 73: 0.03, 74: 0.03}
    adult = age >= 19
    for mask, table in (
        (adult & male & ~rich, poor_m),
        (adult & ~male & ~rich, poor_f),
        (adult & male & rich, rich_m),
        (adult & ~male & rich, rich_f),
    ):
        job[mask] = _choice(rng, table, int(mask.sum()))
    u = rng.random(n)
    job[(age >= 5) & (age < 19)] = 3
    job[(age >= 15) & (age < 19) & ~rich & (u < 0.12)] = 19
    job[(age >= 19) & (age < 24) & (u < 0.35) & np.isin(role, (3, 5))] = 3
    job[age < 5] = 1
    elderly = age >= 68
    job[elderly & (u < 0.65)] = np.where(rich[elderly & (u < 0.65)], 4, 1)
    job[(age >= 58) & np.isin(job, codes.STATE_JOBS)] = 4  # retired at 58
    return job


def _dedupe_names(
    rng, nama, grp, sex, birth, birth_year, sur, child_k, place, today, rounds: int = 10
):
    """Redraw names of people who would look like somebody else so the clean baseline holds no
    accidental DUP003 candidate: same birth date and sex, and the same first and last name
    stems anywhere, or the same first or last stem in the same kab/kota. Inherited family
    names (Batak marga ...) are not redrawn, so they only count in the global key. People still
    colliding after ``rounds`` get their birth date moved by a few days. Returns (nama, birth).
    """
    first, lastt = _name_key(nama)
    own = np.arange(len(nama)).astype(str).astype(object)
    inherited = sur != ""

    def clashes() -> np.ndarray:
        key = pd.DataFrame(
            {
                "b": birth,
                "s": sex,
                "f": first,
                "p": place,
                "l": lastt,
                "m": np.where(inherited, own, lastt),
            }
        )
        return (
            key.duplicated(["b", "s", "f", "l"]).to_numpy()
            | key.duplicated(["b", "s", "p", "f"]).to_numpy()
            | key.duplicated(["b", "s", "p", "m"]).to_numpy()
        )

    for _ in range(rounds):
        dup = clashes()
        if not dup.any():
            return nama, birth
        nama[dup] = names.sample_names(
            rng, grp[dup], sex[dup], birth_year[dup], surname=sur[dup], birth_order=child_k[dup]
        )
        first[dup], lastt[dup] = _name_key(nama[dup])
    for _ in range(5):
        dup = clashes()
        if not dup.any():
            break
        shift = rng.integers(1, 9, int(dup.sum()))
        birth = birth.copy()
        birth[dup] = np.where(birth[dup] - shift > 0, birth[dup] - shift, birth[dup] + shift)
    return nama, np.minimum(birth, today - 1)


_TITLE_RE = (
    r"^(?:(?:(?:H|HJ|M|MOH|MUH|MOCH|ST)\.|ANDI|TEUKU|CUT|LALU|BAIQ|I|NI|IDA|BAGUS|AYU|GUSTI|"
    r"NGURAH|WAYAN|PUTU|GEDE|MADE|KADEK|NENGAH|NYOMAN|KOMANG|KETUT|MUHAMMAD|MUHAMAD|MOHAMAD|"
    r"MOHAMMAD) )+"
)


def _name_key(nama: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First three letters of the first and of the last name token, titles stripped
    (pyarrow kernels: no Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(nama, type=pa.string())
    core = pc.replace_substring_regex(arr, _TITLE_RE, "")
    first = pc.utf8_slice_codeunits(core, 0, 3)
    last = pc.struct_field(pc.extract_regex(core, r"(?P<l>[^ ]+)$"), [0])
    last = pc.utf8_slice_codeunits(last, 0, 3)
    return (
        np.asarray(first.to_numpy(zero_copy_only=False), dtype=object),
        np.asarray(last.to_numpy(zero_copy_only=False), dtype=object),
    )
