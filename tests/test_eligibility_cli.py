"""ELG/EXC through the real CLI: policy thresholds from siksval.toml change the result."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

HEADER = "NOMOR_NIK|NOMOR_KK|NAMA|TANGGAL_LAHIR|JENIS_KELAMIN|HUBUNGAN_KELUARGA|PKH|DAYA|DESIL\n"
ROWS = [
    # household 1: PKH on 900 VA, desil 3; household 2: PKH on 2200 VA; household 3: desil 3, no aid
    "3273011508800001|3273010101100001|SUPARMAN|15-08-1980|L|KEPALA KELUARGA|YA|900|3",
    "3273015506820002|3273010101100001|SITI|15-06-1982|P|ISTRI|YA|900|3",
    "3273011508800003|3273010101100002|JOKO|15-08-1980|L|KEPALA KELUARGA|YA|2200|3",
    "3273011508800004|3273010101100003|WATI|15-08-1980|P|KEPALA KELUARGA|TIDAK|450|3",
]


def _export(tmp: Path) -> Path:
    path = tmp / "dtks.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def _findings(tmp: Path, *extra: str) -> list[dict]:
    res = run_cli("check", "dtks.csv", "--format", "json", "--as-of", "2026-10-31",
                  "--select", "ELG004,EXC001", "--fail-on", "never", *extra, cwd=tmp)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)["findings"]


def test_default_policy(tmp_path: Path) -> None:
    _export(tmp_path)
    found = {(f["code"], f["row"]) for f in _findings(tmp_path)}
    assert found == {("ELG004", 3)}


def test_policy_in_siksval_toml_changes_the_result(tmp_path: Path) -> None:
    _export(tmp_path)
    (tmp_path / "siksval.toml").write_text("[policy]\nmin_va = 900\npoor_desil = 3\n", "utf-8")
    findings = _findings(tmp_path)
    found = {(f["code"], f["row"]) for f in findings}
    assert found == {("ELG004", 1), ("ELG004", 3), ("EXC001", 4)}
    first = next(f for f in findings if f["code"] == "ELG004" and f["row"] == 1)
    assert first["rows"] == [1, 2]
    assert first["message"] == "Keluarga menerima PKH; daya 900 VA"
    assert first["details"]["daya_listrik"] == 900


def test_policy_in_pyproject_and_per_rule_override(tmp_path: Path) -> None:
    _export(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.siksval.policy]\nmin_va = 900\n\n[tool.siksval.rules.ELG004]\nmin_va = 2200\n",
        "utf-8",
    )
    found = {(f["code"], f["row"]) for f in _findings(tmp_path)}
    assert found == {("ELG004", 3)}


def test_bad_policy_value_is_one_sentence_exit_2(tmp_path: Path) -> None:
    _export(tmp_path)
    (tmp_path / "siksval.toml").write_text('[policy]\nmin_va = "tinggi"\n', "utf-8")
    res = run_cli("check", "dtks.csv", "--as-of", "2026-10-31", cwd=tmp_path)
    assert res.returncode == 2
    assert "min_va" in res.stderr and "Traceback" not in res.stderr


def test_rules_explains_elg004_and_its_source() -> None:
    res = run_cli("rules", "ELG004")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "ELG004 aid-high-electricity" in out
    assert "min_va = 1300" in out
    for part in ("What it does:", "Why it matters:", "BPK", "S35", "How to fix:"):
        assert part in out


def test_init_lists_the_policy_keys(tmp_path: Path) -> None:
    res = run_cli("init", cwd=tmp_path)
    text = res.stdout + ((tmp_path / "siksval.toml").read_text("utf-8")
                         if (tmp_path / "siksval.toml").exists() else "")
    assert "[policy]" in text and "min_va = 1300" in text and "max_desil = 4" in text


def test_misspelt_policy_key_exit_2(tmp_path: Path) -> None:
    _export(tmp_path)
    (tmp_path / "siksval.toml").write_text("[policy]\nmin_vaa = 900\n", "utf-8")
    res = run_cli("check", "dtks.csv", "--as-of", "2026-10-31", cwd=tmp_path)
    assert res.returncode == 2
    assert "min_vaa" in res.stderr and "Traceback" not in res.stderr
