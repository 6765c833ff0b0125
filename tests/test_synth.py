"""Tests for siksval.synth: determinism, realistic structure, a silent clean baseline, and a truth
table that points at records really carrying each injected defect.

The NIK/KK layout is re-derived here (domain.md §1.1, §1.2) rather than imported, and the
rule semantics come from tests/synth_oracle.py, an independent simple re-implementation.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from siksval.io.columns import map_headers
from siksval.schema import load_schema
from siksval.synth import (
    DTKS_CODES,
    generate_dtks,
    generate_lksa,
    render,
    write_result,
    write_synth,
)
from siksval.synth.lksa import LKSA_CODES

sys.path.insert(0, str(Path(__file__).parent))
from synth_oracle import oracle

AS_OF = dt.date(2026, 10, 31)
TS = pd.Timestamp(AS_OF)


@pytest.fixture(scope="module")
def clean():
    return generate_dtks(n_rows=2500, seed=21, as_of=AS_OF)


@pytest.fixture(scope="module")
def dirty():
    return generate_dtks(n_rows=3000, seed=22, defects="all=2,near=2", as_of=AS_OF)


def _rows(res, code):
    t = res.truth[res.truth["code"] == code]
    return [[int(x) - 1 for x in r.split()] for r in t["rows"]], (t["row"] - 1).tolist()


# ------------------------------------------------------------------ determinism and size
def test_same_seed_same_data():
    a = generate_dtks(n_rows=400, seed=5, defects="all", as_of=AS_OF)
    b = generate_dtks(n_rows=400, seed=5, defects="all", as_of=AS_OF)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    c = generate_dtks(n_rows=400, seed=6, defects="all", as_of=AS_OF)
    assert not a.frame["nik"].equals(c.frame["nik"])


def test_exact_row_count_and_households(clean):
    f = clean.frame
    assert len(f) == 2500
    assert isinstance(f.index, pd.RangeIndex)
    sizes = f.groupby("no_kk").size()
    assert sizes.between(1, 8).all()
    # households are contiguous (exports list a family's members together)
    assert (f["no_kk"] != f["no_kk"].shift().fillna("")).sum() == f["no_kk"].nunique()


def test_clean_part_independent_of_defects():
    a = generate_dtks(n_rows=300, seed=9, as_of=AS_OF)
    b = generate_dtks(n_rows=300, seed=9, defects="NIK001=1", as_of=AS_OF)
    changed = (a.frame["nik"] != b.frame["nik"]).sum()
    assert changed == 1


# ------------------------------------------------------------------ structure
def test_canonical_dtypes(clean):
    f = clean.frame
    assert f["nik"].dtype == "string" and f["no_kk"].dtype == "string"
    assert f["tgl_lahir"].dtype.kind == "M"
    for c in ("jenis_kelamin", "hub_keluarga", "status_kawin", "desil", "jenis_lantai"):
        assert str(f[c].dtype) == "Int8", c
    for c in ("pkh", "bpnt", "pbi_jk", "padan_dukcapil", "ada_mobil"):
        assert str(f[c].dtype) == "boolean", c
    assert str(f["daya_listrik"].dtype) == "Int32"


@pytest.mark.parametrize("dataset", ["dtks", "lksa", "lksa_anak"])
def test_siksng_headers_are_schema_aliases(dataset):
    res = generate_lksa(n_children=60, seed=1, as_of=AS_OF)
    part = {"dtks": res.extra["dtks"], "lksa": res, "lksa_anak": res.extra["lksa_anak"]}[dataset]
    schema = load_schema(dataset)
    for style in ("siksng", "canonical"):
        text = render(part, style)
        m = map_headers(list(text.columns), dataset, schema.aliases)
        assert m.unknown == [], (style, m.unknown)
        assert set(m.mapped.values()) == set(part.frame.columns)
        assert set(schema.required) <= m.canonical


def test_one_head_per_household_and_ages(clean):
    f = clean.frame
    heads = f.groupby("no_kk")["hub_keluarga"].apply(lambda s: int((s == 1).sum()))
    assert (heads == 1).all()
    age = (TS - f["tgl_lahir"]).dt.days / 365.2425
    assert age.between(0, 100).all()
    married = f["status_kawin"].isin([2, 3, 4]) | (f["hub_keluarga"] == 2)
    assert (age[married] >= 17).all()
    head_b = f["no_kk"].map(f[f["hub_keluarga"] == 1].set_index("no_kk")["tgl_lahir"])
    gap = (f["tgl_lahir"] - head_b).dt.days / 365.2425
    assert (gap[f["hub_keluarga"] == 3] >= 16).all()
    assert (gap[f["hub_keluarga"] == 5] >= 32).all()
    assert (gap[f["hub_keluarga"] == 6] <= -16).all()
    # household attributes are repeated on every member's row
    for c in ("desil", "pkh", "daya_listrik", "kode_wilayah", "jenis_lantai"):
        assert (f.groupby("no_kk")[c].nunique(dropna=False) == 1).all(), c


def test_roles_and_realism(clean):
    f = clean.frame
    assert set(f["hub_keluarga"].unique()) >= {1, 2, 3, 4, 5, 6}
    share_default = ((f["tgl_lahir"].dt.month == 7) & (f["tgl_lahir"].dt.day == 1)).mean()
    assert share_default > 0.01  # 1 July default dates exist (domain.md §1.1)
    assert f["nama"].str.contains(r"\b(?:SITI|NUR|MUHAMMAD|MUHAMAD|MOHAMAD)\b").mean() > 0.03
    assert f["nama"].nunique() > 0.8 * len(f)
    assert (
        f["pekerjaan"]
        .isin(
            ["PETANI/PEKEBUN", "BURUH HARIAN LEPAS", "PELAJAR/MAHASISWA", "MENGURUS RUMAH TANGGA"]
        )
        .mean()
        > 0.4
    )
    assert (f["padan_dukcapil"]).mean() > 0.95
    assert (f["status_keberadaan"] == 1).mean() > 0.95


def _digits(s: pd.Series, a: int, b: int) -> pd.Series:
    return s.str[a:b].astype(int)


def test_nik_consistent_with_record(clean):
    """Re-derived NIK layout: kab of first registration = household kab, DDMMYY with +40 for
    women = birth date, serial from 0001, unique."""
    f = clean.frame
    nik = f["nik"]
    assert nik.str.fullmatch(r"[1-9][0-9]{15}").all()
    assert nik.is_unique
    assert (nik.str[:4] == f["kode_wilayah"].str[:4]).all()
    day = _digits(nik, 6, 8)
    fem = f["jenis_kelamin"] == 2
    assert ((day > 40) == fem).all()
    assert ((day - 40 * fem.astype(int)) == f["tgl_lahir"].dt.day).all()
    assert (_digits(nik, 8, 10) == f["tgl_lahir"].dt.month).all()
    assert (_digits(nik, 10, 12) == f["tgl_lahir"].dt.year % 100).all()
    serial = _digits(nik, 12, 16)
    assert (serial >= 1).all()
    first = pd.DataFrame({"p": nik.str[:12], "s": serial}).groupby("p")["s"].min()
    assert (first == 1).all()  # serials start at 0001 within every 12-digit prefix


def test_kk_consistent_with_household(clean):
    f = clean.frame
    hh = f.drop_duplicates("no_kk")
    kk = hh["no_kk"]
    assert kk.str.fullmatch(r"[1-9][0-9]{15}").all()
    assert (kk.str[:6] == hh["kode_wilayah"].str[:6]).all()
    issued = pd.to_datetime(kk.str[6:12], format="%d%m%y")
    assert (issued <= TS).all()
    head = f[f["hub_keluarga"] == 1].set_index("no_kk")["tgl_lahir"]
    assert (issued.to_numpy() >= (hh["no_kk"].map(head) + pd.DateOffset(years=17)).to_numpy()).all()


def test_region_names_match_codes(clean):
    from siksval.synth import regions

    t = regions.tables()
    desa = dict(zip(t.desa["kode"], t.desa["nama"].str.upper(), strict=True))
    f = clean.frame
    assert (f["desa_kelurahan"] == f["kode_wilayah"].map(desa)).all()
    assert f["kode_wilayah"].str[6].isin(["1", "2", "3"]).all()


def test_welfare_consistency(clean):
    f = clean.frame
    aid = f[["pkh", "bpnt", "pbi_jk", "bst", "blt_dd"]].any(axis=1)
    assert aid[f["desil"] <= 2].all()
    assert not aid[f["desil"] > 4].any()
    assert (f.loc[aid, "daya_listrik"] <= 900).all()
    assert not f.loc[aid, "ada_mobil"].any()
    assert (f.loc[aid, "status_keberadaan"] != 2).all()
    assert f.loc[aid, "padan_dukcapil"].all()
    assert 0.3 < aid.mean() < 0.9


# ------------------------------------------------------------------ clean baseline is silent
@pytest.mark.parametrize("seed", [31, 32])
def test_clean_baseline_triggers_no_rule(seed):
    res = generate_dtks(n_rows=2000, seed=seed, as_of=AS_OF)
    found = oracle(res.frame, AS_OF, broad=True)
    assert found.empty, found.head(20).to_string()
    assert res.truth.empty


# ------------------------------------------------------------------ injected defects
def test_every_dtks_code_injected_and_exact(dirty):
    assert dirty.skipped == {}
    t = dirty.truth
    assert set(DTKS_CODES) <= set(t["code"])
    found = oracle(dirty.frame, AS_OF, broad=False)
    got = set(zip(found["code"], found["row"] + 1, strict=True))
    body = t[~t["code"].str.startswith("SCH")]
    want = set(zip(body["code"], body["row"], strict=True))
    assert got == want, (sorted(want - got), sorted(got - want))
    # and still nothing extra when every fuzzy criterion is read broadly
    found_b = oracle(dirty.frame, AS_OF, broad=True)
    assert set(zip(found_b["code"], found_b["row"] + 1, strict=True)) == want


def test_defects_in_distinct_households(dirty):
    t = dirty.truth
    prim = t[t["code"] == t["injected"]]
    f = dirty.frame
    keys = [frozenset(f["no_kk"].iloc[[int(x) - 1 for x in r.split()]]) for r in prim["rows"] if r]
    hh_of = {}
    for code, k in zip(prim["code"][prim["rows"] != ""], keys, strict=True):
        for kk in k:
            hh_of.setdefault(kk, set()).add(code)
    shared = {k: v for k, v in hh_of.items() if len(v) > 1}
    assert not shared


def test_truth_rows_carry_the_defect(dirty):
    f = dirty.frame
    text = render(dirty, "siksng")
    _, r = _rows(dirty, "NIK001")
    assert all(not (f["nik"].iat[i].isdigit() and len(f["nik"].iat[i]) == 16) for i in r)
    _, r = _rows(dirty, "NIK002")
    assert all(("E+" in f["nik"].iat[i]) or f["nik"].iat[i].endswith(".0") for i in r)
    _, r = _rows(dirty, "NIK006")
    assert all(f["nik"].iat[i].endswith("0000") for i in r)
    _, r = _rows(dirty, "NIK007")
    assert all((int(f["nik"].iat[i][6:8]) > 40) != (f["jenis_kelamin"].iat[i] == 2) for i in r)
    _, r = _rows(dirty, "DEM001")
    assert (f["tgl_lahir"].iloc[r] > TS).all()
    _, r = _rows(dirty, "DEM002")
    assert ((TS - f["tgl_lahir"].iloc[r]).dt.days > 115 * 365.25).all()
    rows, _ = _rows(dirty, "ELG003")
    for rr in rows:
        assert f["ada_mobil"].iloc[rr].all() and f[["pkh", "bpnt", "pbi_jk"]].iloc[rr].any().any()
    rows, _ = _rows(dirty, "EXC001")
    for rr in rows:
        assert (f["desil"].iloc[rr] <= 2).all()
        assert not f[["pkh", "bpnt", "pbi_jk", "bst", "blt_dd", "pip"]].iloc[rr].any().any()
    rows, _ = _rows(dirty, "DUP002")
    for rr in rows:
        assert f["nik"].iloc[rr].nunique() == 1 and f["nama"].iloc[rr].nunique() == 2
    rows, _ = _rows(dirty, "DUP003")
    for rr in rows:
        sub = f.iloc[rr]
        assert sub["nik"].nunique() == 2 and sub["tgl_lahir"].nunique() == 1
        assert sub["nik"].str[:15].nunique() == 1  # one keyed digit differs
    # raw overrides reach the rendered file
    for code, _col in (("SCH002", None), ("SCH003", None), ("SCH004", None), ("SCH005", None)):
        t = dirty.truth[dirty.truth["code"] == code]
        for row, column in zip(t["row"], t["column"], strict=True):
            ov = dirty.overrides[
                (dirty.overrides["idx"] == row - 1) & (dirty.overrides["column"] == column)
            ]
            assert len(ov) == 1
            assert text.iloc[row - 1].tolist().count(ov["raw"].iat[0]) >= 1
    assert "CATATAN_PETUGAS" in text.columns


def test_near_misses_are_not_duplicates(dirty):
    near = dirty.near_misses
    assert set(near["kind"]) == {"TWINS", "SIBLINGS_SAME_YEAR"}
    f = dirty.frame
    for kind, rows in zip(near["kind"], near["rows"], strict=True):
        rr = [int(x) - 1 for x in rows.split()]
        sub = f.iloc[rr]
        assert sub["no_kk"].nunique() == 1 and sub["nik"].nunique() == 2
        if kind == "TWINS":
            assert sub["tgl_lahir"].nunique() == 1 and sub["nama_ibu_kandung"].nunique() == 1
        else:
            assert sub["tgl_lahir"].dt.year.nunique() == 1 and sub["tgl_lahir"].nunique() == 2
        assert sub["nama"].nunique() == 2


def test_cascades_are_documented(dirty):
    t = dirty.truth
    casc = t[t["code"] != t["injected"]]
    assert set(zip(casc["code"], casc["injected"], strict=True)) == {
        ("NIK009", "NIK003"),
        ("WIL001", "WIL003"),
        ("NIK008", "DUP002"),
        ("NIK001", "ELG008"),
        ("NIK006", "ELG008"),
    }
    assert casc["note"].str.len().gt(0).all() or casc["injected"].eq("ELG008").any()


def test_rates_and_sch001():
    res = generate_dtks(n_rows=1000, seed=3, defects={"NIK001": 0.01, "SCH001": 1}, as_of=AS_OF)
    n_households = res.frame["no_kk"].nunique()
    assert (res.truth["code"] == "NIK001").sum() == max(1, round(0.01 * n_households))
    assert "jenis_kelamin" not in res.frame.columns
    assert res.truth.loc[res.truth["code"] == "SCH001", "row"].isna().all()


def test_unknown_code_is_a_user_error():
    from siksval.errors import UserError

    with pytest.raises(UserError):
        generate_dtks(n_rows=50, seed=1, defects="NIK999=1")


# ------------------------------------------------------------------ writers
def test_csv_xlsx_parquet_roundtrip(tmp_path):
    res = generate_dtks(n_rows=200, seed=4, defects="NIK002=2,SCH002=1", as_of=AS_OF)
    p = write_result(res, tmp_path / "d.csv")
    text = pd.read_csv(p, sep="|", dtype=str, keep_default_na=False)
    assert list(text.columns[:3]) == ["IDDTKS", "PROVINSI", "KABUPATEN_KOTA"]
    assert text["NOMOR_NIK"].tolist() == res.frame["nik"].tolist()
    assert text["TANGGAL_LAHIR"].str.fullmatch(r"\d\d-\d\d-\d{4}").mean() > 0.99

    x = write_result(res, tmp_path / "d.xlsx")
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(x)).get_sheet_by_index(0).to_python()
    hdr = rows[0]
    j = hdr.index("NOMOR_NIK")
    niks = [r[j] for r in rows[1:]]
    damaged = set(res.truth.loc[res.truth["code"] == "NIK002", "row"] - 1)
    for i, v in enumerate(niks):
        if i in damaged:
            assert isinstance(v, float)  # Excel holds the damaged NIK as a number
        else:
            assert isinstance(v, str) and len(v) == 16

    q = write_result(res, tmp_path / "d.parquet", style="canonical")
    back = pd.read_parquet(q)
    assert back["nik"].tolist() == res.frame["nik"].tolist()
    assert back["tgl_lahir"].dtype.kind != "M"  # the SCH002 raw date forces text


def test_write_synth_and_cli(tmp_path, cli):
    out = tmp_path / "contoh.csv"
    proc = cli(
        "synth",
        str(out),
        "--rows",
        "300",
        "--defects",
        "all",
        "--truth",
        str(tmp_path / "truth.csv"),
        "--as-of",
        "2026-10-31",
    )
    assert proc.returncode == 0, proc.stderr
    truth = pd.read_csv(tmp_path / "truth.csv", dtype=str)
    assert set(DTKS_CODES) <= set(truth["code"])
    assert sum(1 for _ in open(out, encoding="utf-8")) == 301
    bad = cli("synth", str(tmp_path / "x.csv"), "--defects", "NOPE=1")
    assert bad.returncode == 2 and "NOPE" in bad.stderr
    res = write_synth(
        tmp_path / "l.csv",
        dataset="lksa_anak",
        rows=80,
        seed=2,
        defects="all",
        truth_path=tmp_path / "lt.csv",
        as_of=AS_OF,
    )
    assert (tmp_path / "l_lksa.csv").exists() and (tmp_path / "l_dtks.csv").exists()
    assert set(pd.read_csv(tmp_path / "lt.csv")["code"]) == set(LKSA_CODES)
    assert res.dataset == "lksa"


# ------------------------------------------------------------------ LKSA
@pytest.fixture(scope="module")
def lksa_clean():
    return generate_lksa(n_children=300, seed=8, as_of=AS_OF)


def _age(s: pd.Series) -> pd.Series:
    return (TS - s).dt.days / 365.2425


def test_lksa_clean_baseline(lksa_clean):
    inst, anak, fam = (
        lksa_clean.frame,
        lksa_clean.extra["lksa_anak"].frame,
        lksa_clean.extra["dtks"].frame,
    )
    active = anak["status"] == "AKTIF"
    assert (_age(anak.loc[active, "tgl_lahir"]) < 18).all()
    assert not anak.loc[active, "nik"].duplicated().any()
    balita = anak["kategori"] == "BALITA"
    assert (_age(anak.loc[balita, "tgl_lahir"]) < 5).all()
    years = inst["akreditasi"].map({"A": 5, "B": 3, "C": 2})
    expiry = inst["tgl_akreditasi"] + pd.to_timedelta(years * 365.25, unit="D")
    assert (expiry.dropna() >= TS).all()
    assert (inst["izin_berlaku_sampai"] >= TS).all()
    counts = anak[active].groupby("id_lksa").size()
    assert (inst.set_index("id_lksa")["kapasitas"].reindex(counts.index) >= counts).all()
    assert anak["id_lksa"].isin(inst["id_lksa"]).all()
    living = fam.loc[fam["status_keberadaan"] == 1, "nik"]
    assert not anak.loc[active, "nik"].isin(set(living)).any()
    # the near miss: children who left their family are in DTKS as PINDAH
    left = lksa_clean.extra["lksa_anak"].near_misses
    assert len(left) >= 1
    for rows in left["rows"]:
        nik = anak["nik"].iat[int(rows) - 1]
        assert (fam.loc[fam["nik"] == nik, "status_keberadaan"] == 3).all()
    # the DTKS family file itself stays clean
    assert oracle(fam, AS_OF, broad=True).empty


def test_lksa_defects_point_at_records():
    res = generate_lksa(n_children=300, seed=9, defects="all", as_of=AS_OF)
    assert res.skipped == {}
    inst, anak = res.frame, res.extra["lksa_anak"].frame
    fam = res.extra["dtks"].frame
    t = pd.concat([res.truth, res.extra["lksa_anak"].truth])
    assert set(t["code"]) == set(LKSA_CODES)
    for code, row, rows in zip(t["code"], t["row"], t["rows"], strict=True):
        i = row - 1
        if code == "LKS001":
            assert anak["status"].iat[i] == "AKTIF" and _age(anak["tgl_lahir"]).iat[i] >= 18
            assert pd.isna(anak["kategori"].iat[i])
        elif code == "LKS002":
            rr = [int(x) - 1 for x in rows.split()]
            assert anak["nik"].iloc[rr].nunique() == 1 and anak["id_lksa"].iloc[rr].nunique() == 2
        elif code == "LKS003":
            assert anak["kategori"].iat[i] == "BALITA" and _age(anak["tgl_lahir"]).iat[i] >= 5
        elif code == "LKS004":
            years = {"A": 5, "B": 3, "C": 2}[inst["akreditasi"].iat[i]]
            assert inst["tgl_akreditasi"].iat[i] + pd.DateOffset(years=years) < TS
        elif code == "LKS005":
            assert inst["izin_berlaku_sampai"].iat[i] < TS
        elif code == "LKS006":
            nik = anak["nik"].iat[i]
            assert (fam.loc[fam["nik"] == nik, "status_keberadaan"] == 1).any()
        elif code == "LKS007":
            n = ((anak["id_lksa"] == inst["id_lksa"].iat[i]) & (anak["status"] == "AKTIF")).sum()
            assert n > inst["kapasitas"].iat[i]
        elif code == "LKS008":
            assert anak["id_lksa"].iat[i] not in set(inst["id_lksa"])
    # nothing else broke: capacity exceeded only where injected
    active = anak[anak["status"] == "AKTIF"].groupby("id_lksa").size()
    cap = inst.set_index("id_lksa")["kapasitas"]
    over = set(active[active > cap.reindex(active.index)].index)
    assert over == set(
        inst["id_lksa"].iloc[res.truth.loc[res.truth["code"] == "LKS007", "row"] - 1]
    )


def test_numpy_only_types_in_truth(dirty):
    assert str(dirty.truth["row"].dtype) == "Int64"
    assert np.issubdtype(dirty.overrides["idx"].dtype, np.integer)


# ------------------------------------------------------------------ next month (siksval diff)
def test_next_month_is_clean_and_changes_are_exact(clean):
    from siksval.synth import next_month
    from siksval.synth.month import CHANGES, FIRES_IN_CHECK

    m = next_month(clean, changes=2)
    new, ch, old = m.result.frame, m.changes, clean.frame
    assert m.result.as_of > clean.as_of
    assert set(ch["change"]) == set(CHANGES)
    # Only the two kinds meant to provoke ELG / EXC findings make a rule fire, on their KKs.
    found = oracle(new, m.result.as_of, broad=True)
    loud = set(ch.loc[ch["change"].isin(FIRES_IN_CHECK), "no_kk"])
    assert set(new["no_kk"].iloc[found["row"].astype(int)]) == loud  # oracle rows are 0-based
    for _, c in ch.iterrows():
        if pd.notna(c["row_before"]):
            before = old.iloc[int(c["row_before"]) - 1]
            renamed = c["change"] in ("nik_changed", "members_replaced")
            assert before["nik"] == (c["nik_before"] if renamed else c["nik"])
        if pd.notna(c["row_after"]):
            after = new.iloc[int(c["row_after"]) - 1]
            assert after["nik"] == c["nik"] and after["no_kk"] == c["no_kk"]
            if c["column"]:
                assert str(after[c["column"]]) == str(c["after"])
    added = ch["row_before"].isna().sum()
    removed_hh = ch.loc[ch["change"] == "household_removed", "no_kk"]
    removed = old["no_kk"].isin(set(removed_hh)).sum() + (ch["change"] == "person_removed").sum()
    new_hh_rows = new["no_kk"].isin(set(ch.loc[ch["change"] == "household_added", "no_kk"])).sum()
    assert len(new) == len(old) - removed + (added - 2) + new_hh_rows
    # people who did not change keep their NIK
    kept = set(old["nik"]) & set(new["nik"])
    replaced = old["no_kk"].isin(set(ch.loc[ch["change"] == "members_replaced", "no_kk"])).sum()
    assert len(kept) >= len(old) - removed - replaced - 2
