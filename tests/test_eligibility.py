"""The household eligibility view (siksval.eligibility) and the ELG/EXC rules end to end."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

import siksval
from siksval.api import load_input
from siksval.config import Config, from_mapping
from siksval.eligibility import (
    DEFAULT_POLICY,
    HOUSEHOLD_COLUMNS,
    Policy,
    classify_occupation,
    household_reasons,
    nik_error_mask,
    policy_for,
)
from siksval.errors import UserError

AS_OF = "2026-10-31"


def _people(**columns: list[str]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "nik": [f"32730115088{i:05d}" for i in range(1, n + 1)],
        "no_kk": ["3273010101100001"] * n,
        "nama": [f"ANGGOTA {chr(65 + i)}" for i in range(n)],
        "tgl_lahir": ["15-08-1980"] * n,
        "jenis_kelamin": ["L"] * n,
        "hub_keluarga": ["KEPALA KELUARGA"] + ["ANAK"] * (n - 1),
    }
    base.update(columns)
    return pd.DataFrame(base, dtype="str")


def _dataset(df: pd.DataFrame, config: dict | None = None):
    cfg = from_mapping(config or {})
    return load_input(df, dataset="dtks", as_of=dt.date(2026, 10, 31), config=cfg).dataset


# --- occupations --------------------------------------------------------------------------------


def test_occupation_codes_labels_and_innocent_words() -> None:
    values = pd.Series(
        [
            "PEGAWAI NEGERI SIPIL (PNS)", "5", "05", "TENTARA NASIONAL INDONESIA (TNI)",
            "KEPOLISIAN RI (POLRI)", "KARYAWAN BUMN", "KARYAWAN BUMD", "ANGGOTA DPRD PROVINSI",
            "BUPATI", "63", "PENSIUNAN", "PENSIUNAN PNS", "4", "APOLRIANTO", "GURU NON-ASN",
            "KARYAWAN SWASTA", "PETANI/PEKEBUN", None, "PRESIDEN DIREKTUR", "SATPOL PP",
            "POLISI PAMONG PRAJA", "15",
        ],
        dtype="string",
    )
    cat = classify_occupation(values, Policy.from_mapping({}))
    assert cat.tolist()[:10] == [
        "pns", "pns", "pns", "tni", "polri", "bumn", "bumd", "pejabat", "pejabat", "pejabat",
    ]
    assert cat.iloc[10:].isna().all(), cat.iloc[10:].tolist()


def test_occupation_policy_can_flag_retirees() -> None:
    policy = Policy.from_mapping(
        {
            "state_employee_codes": [*DEFAULT_POLICY["state_employee_codes"], 4],
            "state_employee_keywords": [*DEFAULT_POLICY["state_employee_keywords"], "PENSIUNAN"],
            "state_employee_exclude": ["NON"],
        }
    )
    cat = classify_occupation(pd.Series(["PENSIUNAN", "4", "PENSIUNAN PNS"], dtype="string"),
                              policy)
    assert cat.tolist() == ["lainnya", "lainnya", "pns"]


def test_occupation_matches_distinct_values_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The label regex runs on the distinct values, not per record."""
    import siksval.eligibility as elig
    from siksval.eligibility import evidence

    seen: list[int] = []
    real = evidence._contains

    def spy(values: pd.Series, pattern: str | None):
        seen.append(len(values))
        return real(values, pattern)

    monkeypatch.setattr(evidence, "_contains", spy)
    values = pd.Series(["PNS", "PETANI", "PNS", "PETANI"] * 5000, dtype="string")
    cat = elig.classify_occupation(values, Policy.from_mapping({}))
    assert (cat == "pns").sum() == 10000
    assert max(seen) == 2


# --- policy -------------------------------------------------------------------------------------


def test_policy_merges_defaults_config_and_rule_options() -> None:
    ds = _dataset(_people(pkh=["YA"]), {"policy": {"min_va": 900, "max_desil": "3"}})
    assert policy_for(ds).min_va == 900
    assert policy_for(ds).max_desil == 3
    assert policy_for(ds, {"min_va": 2200}).min_va == 2200
    assert policy_for(ds).min_wealth_indicators == DEFAULT_POLICY["min_wealth_indicators"]


@pytest.mark.parametrize(
    "bad", [{"min_va": "banyak"}, {"wealth_indicators": ["ada_kapal_pesiar"]}, {"max_desil": True}]
)
def test_policy_rejects_bad_values_with_a_sentence(bad: dict) -> None:
    with pytest.raises(UserError, match="policy"):
        Policy.from_mapping(bad)


# --- household view -----------------------------------------------------------------------------


def _mixed() -> pd.DataFrame:
    return _people(
        no_kk=["3273010101100001"] * 3 + ["3273010101100002"] * 2 + ["3273010101100003"],
        nama=["SUPARMAN", "SITI AMINAH", "ALM. BUDI", "JOKO", "SRI", "WATI"],
        hub_keluarga=["KEPALA KELUARGA", "ISTRI", "ANAK", "KEPALA KELUARGA", "ISTRI",
                      "KEPALA KELUARGA"],
        pekerjaan=["PEGAWAI NEGERI SIPIL (PNS)", "MENGURUS RUMAH TANGGA", "PELAJAR",
                   "PENSIUNAN PNS", "5", "BELUM/TIDAK BEKERJA"],
        pkh=["YA", "YA", "YA", "TIDAK", "TIDAK", "TIDAK"],
        bpnt=["YA", "YA", "YA", "TIDAK", "TIDAK", "TIDAK"],
        daya_listrik=["2200"] * 3 + ["900"] * 2 + ["450"],
        ada_mobil=["YA"] * 3 + ["TIDAK"] * 3,
        desil=["5"] * 3 + ["4"] * 2 + ["1"],
        jenis_lantai=["KERAMIK"] * 5 + ["TANAH"],
        jenis_dinding=["TEMBOK"] * 5 + ["BAMBU"],
        fasilitas_bab=["SENDIRI"] * 5 + ["TIDAK ADA"],
    )


def test_household_reasons_one_row_per_flagged_household() -> None:
    ds = _dataset(_mixed())
    hh = household_reasons(ds)
    assert set(HOUSEHOLD_COLUMNS) <= set(hh.columns)
    assert len(hh) == 2  # household 2 (retired PNS; a PNS without aid) has no reason
    rich = hh[hh["receives_aid"]].iloc[0]
    assert rich["rows"] == [1, 2, 3] and rich["row"] == 1
    assert rich["programs"] == ["PKH", "BPNT"]
    assert rich["codes"] == ["ELG001", "ELG002", "ELG003", "ELG004", "ELG005"]
    assert rich["sentence_id"] == (
        "Keluarga menerima PKH, BPNT; anggota ALM. BUDI sudah meninggal; anggota SUPARMAN "
        "berstatus PNS/ASN; memiliki mobil; daya 2200 VA; desil 5"
    )
    assert rich["sentence_en"].startswith("Family receives PKH, BPNT; member ALM. BUDI has died")
    assert rich["names"] == ["ALM. BUDI", "SUPARMAN"]
    assert rich["members"]["ELG001"] == [3] and rich["members"]["ELG002"] == [1]
    poor = hh[~hh["receives_aid"]].iloc[0]
    assert poor["codes"] == ["EXC001", "EXC002"]
    assert poor["poverty_criteria"] == [
        "lantai_tanah", "dinding_buruk", "tanpa_jamban", "listrik_450", "kepala_tidak_bekerja"
    ]
    assert poor["sentence_id"].startswith("Keluarga tidak menerima bantuan; desil 1; memenuhi 5")


def test_priority_orders_stronger_households_first() -> None:
    df = _people(
        no_kk=["3273010101100001", "3273010101100002", "3273010101100003"],
        pkh=["YA", "YA", "YA"],
        daya_listrik=["1300", "3", "450"],
        ada_mobil=["TIDAK", "YA", "TIDAK"],
        status_keberadaan=["TINGGAL BERSAMA", "MENINGGAL", "TINGGAL BERSAMA"],
        desil=["3", "3", "9"],
    )
    hh = household_reasons(_dataset(df))
    # 2: deceased (3) + car (2) + power (1) = 6; 3: desil 9 (1 + 1 far above) = 2; 1: power = 1
    assert hh["row"].tolist() == [2, 3, 1]
    assert hh["priority"].tolist() == [6, 2, 1]


def test_household_reasons_computed_once_per_policy() -> None:
    ds = _dataset(_mixed())
    assert household_reasons(ds) is household_reasons(ds)
    other = household_reasons(ds, policy_for(ds, {"min_va": 900}))
    assert other is not household_reasons(ds)


def test_records_without_kk_are_households_of_their_own() -> None:
    df = _people(no_kk=["", ""], pkh=["YA", "TIDAK"], ada_mobil=["YA", "YA"])
    hh = household_reasons(_dataset(df))
    assert hh["rows"].tolist() == [[1]]


# --- rules through the API ----------------------------------------------------------------------


def test_every_elg_rule_repeats_the_full_household_sentence() -> None:
    report = siksval.check(_mixed(), dataset="dtks", as_of=AS_OF, config={}, select=["ELG"])
    f = report.findings
    assert sorted(f["code"]) == ["ELG001", "ELG002", "ELG003", "ELG004", "ELG005"]
    assert f["message"].nunique() == 1
    assert (f["row"] == 1).all() and all(r == [1, 2, 3] for r in f["rows"])
    by_code = f.set_index("code")
    assert by_code.loc["ELG002", "value"] == "PEGAWAI NEGERI SIPIL (PNS)"
    assert by_code.loc["ELG004", "value"] == 2200


def test_json_details_are_structured_and_names_masked() -> None:
    report = siksval.check(_mixed(), dataset="dtks", as_of=AS_OF, config={}, select=["ELG002"])
    masked = json.loads(report.to_json())
    (finding,) = masked["findings"]
    text = json.dumps(finding, ensure_ascii=False)
    assert "SUPARMAN" not in text and "BUDI" not in text
    assert "anggota S. berstatus PNS/ASN" in finding["message"]
    details = finding["details"]
    assert details["reasons"] == ["ELG002"]
    assert details["programs"] == ["PKH", "BPNT"]
    assert details["names"] == ["S."]
    assert details["priority"] == 3
    assert details["members"] == {"ELG002": [1]}
    unmasked = json.loads(report.to_json(mask=False))["findings"][0]
    assert "anggota SUPARMAN berstatus PNS/ASN" in unmasked["message"]
    assert unmasked["details"]["alasan"]["en"].endswith("member SUPARMAN is a civil servant (PNS/ASN)")


def test_english_message() -> None:
    report = siksval.check(_mixed(), dataset="dtks", as_of=AS_OF, config={}, select=["EXC"],
                           lang="en")
    assert report.findings["code"].tolist() == ["EXC001", "EXC002"]
    msg = report.findings["message"].iloc[0]
    assert msg.startswith("Family receives no programme; decile 1; meets 5 poverty criteria")


def test_ignored_rules_drop_out_of_the_sentence() -> None:
    report = siksval.check(_mixed(), dataset="dtks", as_of=AS_OF, config={},
                           select=["ELG"], ignore=["ELG005", "ELG001"])
    msg = report.findings["message"].iloc[0]
    assert "desil" not in msg and "meninggal" not in msg and "mobil" in msg


def test_per_rule_option_overrides_policy() -> None:
    df = _people(no_kk=["3273010101100001", "3273010101100002"], pkh=["YA", "YA"],
                 daya_listrik=["900", "1300"])
    cfg = {"policy": {"min_va": 900}, "rules": {"ELG004": {"min_va": 1300}}}
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config=cfg, select=["ELG004"])
    assert report.findings["row"].tolist() == [2]
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={"policy": {"min_va": 900}},
                           select=["ELG004"])
    assert report.findings["row"].tolist() == [1, 2]
    assert "daya 900 VA" in report.findings["message"].iloc[0]


def test_rules_skipped_without_any_program_column() -> None:
    df = _people(daya_listrik=["2200"], desil=["1"])
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={}, select=["ELG", "EXC"])
    skipped = {s["code"]: s["reason"] for s in report.rules_skipped}
    assert set(skipped) == {f"ELG00{i}" for i in range(1, 9)} | {"EXC001", "EXC002"}
    assert "pkh or bpnt or pbi_jk or bst or blt_dd" in skipped["ELG004"]
    assert report.findings.empty


def test_one_program_column_is_enough() -> None:
    df = _people(blt_dd=["YA"], daya_listrik=["2200"])
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={}, select=["ELG004"])
    assert report.findings["row"].tolist() == [1]
    assert "Keluarga menerima BLT-DD" in report.findings["message"].iloc[0]


# --- ELG008 -------------------------------------------------------------------------------------


def test_nik_error_mask_matches_nik001_to_nik006() -> None:
    niks = [
        "3273011508800001",  # valid
        "327301150880001",  # 15 digits (NIK001)
        "3.27301E+15",  # Excel (NIK002)
        "9973011508800001",  # province 99 (NIK003)
        "3273013213800001",  # month 13 (NIK005)
        "3273011508800000",  # serial 0000 (NIK006)
        "3273.0115.0880.0007",  # separators only: valid
    ]
    ds = _dataset(_people(nik=niks, pkh=["YA"] * len(niks)))
    assert nik_error_mask(ds).tolist() == [False, True, True, True, True, True, False]


def test_config_is_a_policy_home() -> None:
    assert isinstance(Config().policy, dict)


def test_worklist_from_report_findings() -> None:
    from siksval.eligibility import WORKLIST_COLUMNS, households_from_findings

    report = siksval.check(_mixed(), dataset="dtks", as_of=AS_OF, config={},
                           select=["ELG", "EXC"])
    wl = households_from_findings(report.findings_raw, lang="en")
    assert list(wl.columns) == list(WORKLIST_COLUMNS)
    assert wl["row"].tolist() == [1, 6]  # priority 10 (five reasons) before 6 (EXC001 + EXC002)
    assert wl["codes"].tolist() == [
        ["ELG001", "ELG002", "ELG003", "ELG004", "ELG005"], ["EXC001", "EXC002"]
    ]
    assert wl["severity"].tolist() == ["warning", "warning"]
    assert wl["priority"].tolist() == [10, 6]
    assert wl["message"].iloc[0].startswith("Family receives PKH, BPNT; member ALM. BUDI")
    assert wl["rows"].iloc[0] == [1, 2, 3]
    # The same figures as the household view computed from the Dataset.
    hh = household_reasons(_dataset(_mixed()))
    assert hh["priority"].tolist() == wl["priority"].tolist()
    assert households_from_findings(report.findings_raw.iloc[0:0]).empty


def test_nik_error_mask_agrees_with_the_nik_rules_findings() -> None:
    niks = ["3273011508800001", "327301150880001", "3.27301E+15", "9973011508800001",
            "3273013213800001", "3273011508800000", "3299011508800007", "3273010000800008",
            "3273017102800009", "3273012902810010", "3273.0115.0880.0011"]
    df = _people(nik=niks, pkh=["YA"] * len(niks))
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={},
                           select=["NIK001", "NIK002", "NIK003", "NIK004", "NIK005", "NIK006"])
    flagged = set(report.findings_raw["row"])
    mask = nik_error_mask(_dataset(df))
    assert {i + 1 for i, m in enumerate(mask) if m} == flagged
    assert 1 not in flagged and len(flagged) >= 7


def test_misspelt_policy_key_is_reported() -> None:
    with pytest.raises(UserError, match="min_vaa"):
        policy_for(_dataset(_people(pkh=["YA"]), {"policy": {"min_vaa": 900}}))


def test_elg002_found_through_kedudukan_kerja_names_that_column() -> None:
    df = _people(no_kk=["3273010101100001", "3273010101100002"], pkh=["YA", "YA"],
                 pekerjaan=["PETANI/PEKEBUN", "5"], kedudukan_kerja=["5", "1"])
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={}, select=["ELG002"])
    f = report.findings.set_index("row")
    assert f.loc[1, "column"] == "kedudukan_kerja" and f.loc[1, "value"] == 5
    assert f.loc[2, "column"] == "pekerjaan" and f.loc[2, "value"] == "5"
    assert "kedudukan kerja 5" in f.loc[1, "message"]


def test_names_with_commas_stay_whole_and_are_masked() -> None:
    df = _people(nama=["BUDI, S.PD", "SITI"], pkh=["YA", "YA"],
                 pekerjaan=["GURU PNS", "PEGAWAI NEGERI SIPIL"], status_keberadaan=["1", "2"])
    hh = household_reasons(_dataset(df))
    assert hh["names"].iloc[0] == ["SITI", "BUDI, S.PD"]  # ELG001 (SITI) first, then ELG002
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={}, select=["ELG002"])
    text = json.dumps(json.loads(report.to_json())["findings"], ensure_ascii=False)
    assert "BUDI" not in text and "SITI" not in text


def test_empty_program_columns_skip_the_rules() -> None:
    df = _people(pkh=[""], bpnt=[""], daya_listrik=["2200"], desil=["1"])
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={}, select=["ELG004", "EXC001"])
    skipped = {s["code"]: s["reason"] for s in report.rules_skipped}
    assert skipped["ELG004"] == "column pkh or bpnt or pbi_jk or bst or blt_dd is empty"
    assert "EXC001" in skipped and report.findings.empty


def test_shipped_example_matches_its_truth() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "examples"
    truth = pd.read_csv(root / "dtks_contoh_truth.csv", dtype=str)
    report = siksval.check(root / "dtks_contoh.csv", dataset="dtks", as_of=AS_OF, config={},
                           select=["ELG", "EXC"])
    found = report.findings_raw
    for code in [*(f"ELG00{i}" for i in range(1, 9)), "EXC001", "EXC002"]:
        expected = set(truth.loc[truth["code"] == code, "row"].astype(int))
        assert expected, code
        assert set(found.loc[found["code"] == code, "row"]) == expected, code
    clean = siksval.check(root / "dtks_bersih.csv", dataset="dtks", as_of=AS_OF, config={},
                          select=["ELG", "EXC"])
    assert clean.findings_raw.empty


def test_wealth_sentence_names_the_indicators_and_the_floor_area() -> None:
    df = _people(bpnt=["YA"], luas_lantai=["150"], jenis_lantai=["MARMER"], ada_lahan=["YA"])
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config={}, select=["ELG006"])
    (msg,) = report.findings["message"]
    assert msg == ("Keluarga menerima BPNT; 3 indikator kekayaan (lahan lain, luas lantai 150 m², "
                   "lantai marmer/granit/parket)")
    assert report.findings["params"].iloc[0]["wealth"] == ["ada_lahan", "luas_lantai", "lantai_mewah"]


def test_documented_retiree_policy_example() -> None:
    cfg = {"policy": {
        "state_employee_codes": [4, 5, 6, 7, 16, 17, *range(48, 64)],
        "state_employee_exclude": ["NON", "BUKAN", "MANTAN", "PAMONG PRAJA"],
    }}
    df = _people(no_kk=[f"327301010110000{i}" for i in range(1, 5)], pkh=["YA"] * 4,
                 pekerjaan=["4", "PENSIUNAN PNS", "PENSIUNAN", "GURU NON ASN"])
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, config=cfg, select=["ELG002"])
    assert report.findings["row"].tolist() == [1, 2]
