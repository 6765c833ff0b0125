"""User-facing strings of the reports and the CLI, in Bahasa Indonesia (default) and English.

Rule messages live with their rules (RuleInfo.message); everything else is here. A test fails
when a key lacks a translation.
"""

from __future__ import annotations

import os
from typing import Any

LANGS = ("id", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "title": {"id": "Laporan pemeriksaan siksval", "en": "siksval check report"},
    "file": {"id": "Berkas", "en": "File"},
    "dataset": {"id": "Dataset", "en": "Dataset"},
    "records": {"id": "Jumlah rekaman", "en": "Records"},
    "households": {"id": "Jumlah keluarga (KK)", "en": "Households (KK)"},
    "as_of": {"id": "Tanggal acuan", "en": "Reference date"},
    "reference": {"id": "Acuan kode wilayah", "en": "Region code reference"},
    "columns_mapped": {"id": "Kolom dikenali", "en": "Columns recognised"},
    "columns_unknown": {"id": "Kolom tidak dikenal", "en": "Unknown columns"},
    "summary": {"id": "Ringkasan temuan per aturan", "en": "Findings per rule"},
    "code": {"id": "Kode", "en": "Code"},
    "severity": {"id": "Tingkat", "en": "Severity"},
    "count": {"id": "Jumlah", "en": "Count"},
    "share": {"id": "Porsi", "en": "Share"},
    "meaning": {"id": "Arti", "en": "Meaning"},
    "row": {"id": "Baris", "en": "Record"},
    "column": {"id": "Kolom", "en": "Column"},
    "value": {"id": "Nilai", "en": "Value"},
    "message": {"id": "Keterangan", "en": "Message"},
    "examples": {"id": "Contoh temuan", "en": "Example findings"},
    "more_findings": {"id": "… dan {n} temuan lain", "en": "… and {n} more findings"},
    "duplicates": {"id": "Kelompok data ganda", "en": "Duplicate clusters"},
    "cluster": {"id": "Kelompok", "en": "Cluster"},
    "score": {"id": "Skor", "en": "Score"},
    "evidence": {"id": "Bukti", "en": "Evidence"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "skipped": {"id": "Aturan dilewati", "en": "Rules skipped"},
    "reason": {"id": "Alasan", "en": "Reason"},
    "no_findings": {"id": "Tidak ada temuan.", "en": "No findings."},
    "verdict_fail": {
        "id": "GAGAL: {n} temuan pada tingkat {level} atau lebih tinggi ({errors} error, {warnings} peringatan, {infos} info).",
        "en": "FAIL: {n} findings at {level} or above ({errors} errors, {warnings} warnings, {infos} info).",
    },
    "verdict_pass": {
        "id": "LULUS: tidak ada temuan pada tingkat {level} atau lebih tinggi ({errors} error, {warnings} peringatan, {infos} info).",
        "en": "PASS: no findings at {level} or above ({errors} errors, {warnings} warnings, {infos} info).",
    },
    "verdict_never": {
        "id": "Selesai: {errors} error, {warnings} peringatan, {infos} info.",
        "en": "Done: {errors} errors, {warnings} warnings, {infos} info.",
    },
    "error": {"id": "error", "en": "error"},
    "warning": {"id": "peringatan", "en": "warning"},
    "info": {"id": "info", "en": "info"},
    "masked_note": {
        "id": "Data pribadi disamarkan; gunakan --unmask untuk menampilkan lengkap.",
        "en": "Personal data is masked; use --unmask to show it in full.",
    },
    "family": {"id": "Kelompok aturan", "en": "Rule family"},
    "rule": {"id": "Aturan", "en": "Rule"},
    "dataset_chosen": {
        "id": "Dataset terdeteksi dari header: {dataset}",
        "en": "Dataset detected from the headers: {dataset}",
    },
    "written": {"id": "Ditulis: {path}", "en": "Written: {path}"},
    "keep": {"id": "Disarankan dipertahankan", "en": "Suggested to keep"},
    "progress_read": {"id": "Membaca {path}", "en": "Reading {path}"},
    "progress_rules": {"id": "Memeriksa aturan", "en": "Checking rules"},
    # -- siksval diff (month-to-month changes) ------------------------------------------------
    "changes_title": {"id": "Perubahan antarbulan", "en": "Month-to-month changes"},
    "changes_old": {"id": "Bulan lalu (OLD)", "en": "Last month (OLD)"},
    "changes_new": {"id": "Bulan ini (NEW)", "en": "This month (NEW)"},
    "changes_people": {"id": "Orang", "en": "People"},
    "changes_households": {"id": "Keluarga (KK)", "en": "Households (KK)"},
    "changes_people_short": {"id": "orang", "en": "people"},
    "changes_households_short": {"id": "KK", "en": "households"},
    "changes_added": {"id": "baru", "en": "added"},
    "changes_removed": {"id": "keluar", "en": "removed"},
    "changes_moved": {"id": "pindah desa", "en": "moved"},
    "changes_changed": {"id": "berubah", "en": "changed"},
    "changes_fields": {"id": "Kolom yang berubah (orang)", "en": "Fields changed (people)"},
    "changes_per_desa": {"id": "Perubahan per desa", "en": "Changes per desa"},
    "changes_desa": {"id": "Desa", "en": "Desa"},
    "changes_more_desa": {"id": "… dan {n} desa lain", "en": "… and {n} more desa"},
    "changes_none": {"id": "Tidak ada perubahan.", "en": "No changes."},
}

FAMILY_NAMES: dict[str, dict[str, str]] = {
    "SCH": {"id": "Struktur dan tipe data", "en": "Structure and types"},
    "NIK": {"id": "Nomor Induk Kependudukan", "en": "Identity number (NIK)"},
    "KK": {"id": "Nomor Kartu Keluarga", "en": "Family card number (KK)"},
    "DEM": {"id": "Tanggal dan umur", "en": "Dates and ages"},
    "WIL": {"id": "Kode wilayah", "en": "Region codes"},
    "HH": {"id": "Struktur keluarga", "en": "Household structure"},
    "DUP": {"id": "Data ganda", "en": "Duplicate identities"},
    "ELG": {"id": "Salah sasaran (inclusion error)", "en": "Inclusion errors"},
    "EXC": {"id": "Miskin belum menerima (exclusion error)", "en": "Exclusion errors"},
    "LKS": {"id": "LKSA dan anak asuh", "en": "Child-care institutions"},
    "CHG": {"id": "Perubahan antarbulan", "en": "Month-to-month changes"},
}


def current_lang(lang: str | None = None) -> str:
    value = (lang or os.environ.get("SIKSVAL_LANG") or "id").strip().lower()
    return value if value in LANGS else "id"


def t(key: str, lang: str = "id", **params: Any) -> str:
    """The string `key` in `lang`, formatted with `params`."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["id"]
    return text.format(**params) if params else text


def family_name(family: str, lang: str = "id") -> str:
    entry = FAMILY_NAMES.get(family)
    return (entry.get(lang) or entry["id"]) if entry else family
