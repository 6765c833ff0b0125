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
    "extra_fields": {"id": "Kolom yang berubah (orang)", "en": "Fields changed (people)"},
    "extra_people_added": {"id": "Orang bertambah", "en": "People added"},
    "extra_people_removed": {"id": "Orang berkurang", "en": "People removed"},
    "extra_people_moved": {"id": "Orang pindah", "en": "People moved"},
    "extra_people_changed": {"id": "Orang berubah", "en": "People changed"},
    "extra_households_added": {"id": "KK bertambah", "en": "Households added"},
    "extra_households_removed": {"id": "KK berkurang", "en": "Households removed"},
    "extra_households_changed": {"id": "KK berubah", "en": "Households changed"},
    # --- report area (text, HTML, XLSX, JUnit) ---
    "n_records": {"id": "{n} rekaman", "en": "{n} records"},
    "against": {"id": "Berkas pembanding", "en": "Compared against"},
    "households_col": {"id": "KK", "en": "Households"},
    "item": {"id": "Butir", "en": "Item"},
    "member_row": {"id": "baris", "en": "record"},
    "priority": {"id": "Prioritas", "en": "Priority"},
    "priority_1": {"id": "1 - tinggi", "en": "1 - high"},
    "priority_2": {"id": "2 - sedang", "en": "2 - medium"},
    "priority_3": {"id": "3 - rendah", "en": "3 - low"},
    "kecamatan": {"id": "Kecamatan", "en": "Kecamatan (district)"},
    "desa": {"id": "Desa/kelurahan", "en": "Desa/kelurahan (village)"},
    "alamat": {"id": "Alamat", "en": "Address"},
    "no_kk": {"id": "No. KK", "en": "Family card (KK)"},
    "kepala": {"id": "Kepala keluarga", "en": "Head of household"},
    "reasons": {"id": "Alasan verifikasi", "en": "Why to verify"},
    "codes": {"id": "Kode temuan", "en": "Finding codes"},
    "rows": {"id": "Baris di berkas", "en": "Records in the file"},
    "result": {"id": "Hasil verifikasi (diisi petugas)", "en": "Verification result (officer)"},
    "result_options": {"id": "Sesuai,Perlu perbaikan,Tidak ditemukan,Pindah,Meninggal",
                       "en": "Correct,Needs correction,Not found,Moved,Deceased"},
    "officer_note": {"id": "Catatan petugas", "en": "Officer's note"},
    "date_visited": {"id": "Tanggal kunjungan", "en": "Date visited"},
    "worklist": {"id": "Keluarga yang perlu diverifikasi", "en": "Households to verify"},
    "worklist_help": {
        "id": "Satu baris per keluarga: kunjungi mulai prioritas 1, per desa. Alasan menjelaskan apa yang harus dicek; baris merujuk ke rekaman di berkas asli (baris Excel = baris + 1).",
        "en": "One row per household: visit priority 1 first, village by village. The reason says what to check; record numbers point into the original file (Excel row = record + 1).",
    },
    "worklist_capped": {
        "id": "Ditampilkan {shown} dari {n} keluarga; daftar lengkap ada di lembar kerja Excel (--format xlsx).",
        "en": "Showing {shown} of {n} households; the full list is in the Excel worklist (--format xlsx).",
    },
    "priority_help": {
        "id": "Prioritas 1: bukti kuat salah sasaran (mis. anggota meninggal atau PNS masih menerima bantuan) atau beberapa kesalahan; 2: satu kesalahan data atau indikasi salah sasaran; 3: peringatan dan info lainnya.",
        "en": "Priority 1: strong inclusion-error evidence (e.g. aid to a household with a deceased member or a civil servant) or several errors; 2: one data error or an eligibility indication; 3: other warnings and info.",
    },
    "findings": {"id": "Temuan", "en": "Findings"},
    "next_steps": {
        "id": "Langkah berikutnya: kunjungi {n} keluarga dalam daftar verifikasi ({high} prioritas tinggi), perbaiki data sesuai temuan per aturan, lalu jalankan siksval lagi.",
        "en": "Next: visit the {n} households on the verification list ({high} high priority), correct the data per rule's findings, then run siksval again.",
    },
    "max_examples_note": {
        "id": "Hingga {n} contoh per aturan (--max-examples); semua temuan ada di CSV/JSON/Excel.",
        "en": "Up to {n} examples per rule (--max-examples); every finding is in the CSV/JSON/Excel.",
    },
    "all_findings": {"id": "Semua temuan", "en": "All findings"},
    "per_rule_chart": {"id": "Temuan per aturan", "en": "Findings per rule"},
    "per_kecamatan_chart": {"id": "Temuan per kecamatan", "en": "Findings per kecamatan"},
    "per_desa_chart": {"id": "Temuan per desa/kelurahan (20 terbanyak)", "en": "Findings per village (top 20)"},
    "place": {"id": "Wilayah", "en": "Place"},
    "total": {"id": "Total", "en": "Total"},
    "filter": {"id": "Saring…", "en": "Filter…"},
    "sort_hint": {"id": "Klik judul kolom untuk mengurutkan.", "en": "Click a column heading to sort."},
    "of_total": {"id": "{n} dari {total}", "en": "{n} of {total}"},
    "name": {"id": "Nama", "en": "Name"},
    "nik_of_row": {"id": "NIK (baris ini)", "en": "NIK (this record)"},
    "name_of_row": {"id": "Nama (baris ini)", "en": "Name (this record)"},
    "record": {"id": "Rekaman", "en": "Record"},
    "field": {"id": "Isian", "en": "Field"},
    "field_nik": {"id": "NIK", "en": "NIK"},
    "field_nama": {"id": "Nama", "en": "Name"},
    "field_tgl_lahir": {"id": "Tanggal lahir", "en": "Date of birth"},
    "field_nama_ibu_kandung": {"id": "Nama ibu kandung", "en": "Mother's name"},
    "field_no_kk": {"id": "No. KK", "en": "KK"},
    "field_desa": {"id": "Desa/kelurahan", "en": "Village"},
    "no_duplicates": {"id": "Tidak ada kelompok data ganda.", "en": "No duplicate clusters."},
    "more_clusters": {"id": "… dan {n} kelompok lain", "en": "… and {n} more clusters"},
    "confidential": {
        "id": "RAHASIA — berisi NIK, No. KK dan nama lengkap. Simpan di perangkat dinas, jangan dibagikan di luar petugas verifikasi.",
        "en": "CONFIDENTIAL — contains full NIK, KK numbers and names. Keep on official devices; do not share beyond the verification officers.",
    },
    "masked_sheet": {
        "id": "Data pribadi disamarkan (--mask); gunakan berkas tanpa --mask untuk kunjungan lapangan.",
        "en": "Personal data is masked (--mask); use a file without --mask for field visits.",
    },
    "how_to_use": {"id": "Cara memakai berkas ini", "en": "How to use this file"},
    "how_to_use_steps": {
        "id": "1. Lembar Verifikasi: satu baris per keluarga yang harus dikunjungi, urut prioritas lalu desa; saring per desa dengan tombol filter.|2. Isi kolom Hasil verifikasi dan Catatan petugas setelah kunjungan.|3. Lembar per kelompok aturan (NIK, KK, ...): setiap temuan dengan baris, kolom dan nilainya, untuk perbaikan data.|4. Lembar Data ganda: orang yang tercatat lebih dari sekali; pertahankan satu rekaman.|5. Nomor baris merujuk ke rekaman di berkas asli (baris Excel = baris + 1).",
        "en": "1. Verifikasi sheet: one row per household to visit, by priority then village; filter by village with the filter buttons.|2. Fill in the Verification result and Officer's note columns after the visit.|3. One sheet per rule family (NIK, KK, ...): every finding with its record, column and value, for data correction.|4. Duplicates sheet: people recorded more than once; keep one record.|5. Record numbers point into the original file (Excel row = record + 1).",
    },
    "sheet_summary": {"id": "Ringkasan", "en": "Ringkasan"},
    "sheet_worklist": {"id": "Verifikasi", "en": "Verifikasi"},
    "sheet_duplicates": {"id": "Data ganda", "en": "Duplicates"},
    "sheet_truncated": {
        "id": "Lembar ini memuat {shown} dari {n} temuan (batas baris Excel); daftar lengkap ada di CSV/JSON.",
        "en": "This sheet holds {shown} of {n} findings (Excel's row limit); the full list is in the CSV/JSON.",
    },
    "contents": {"id": "Isi", "en": "Contents"},
    "generated_by": {"id": "Dibuat oleh siksval {version}", "en": "Made by siksval {version}"},
    "junit_findings": {"id": "{n} temuan ({severity})", "en": "{n} findings ({severity})"},
    "junit_below": {
        "id": "{n} temuan di bawah ambang --fail-on {level}",
        "en": "{n} findings below the --fail-on {level} threshold",
    },
    "extra_counts": {"id": "Jumlah perubahan", "en": "Counts of changes"},
    "extra_per_desa": {"id": "Per desa/kelurahan", "en": "Per village"},
    "extra_people": {"id": "Orang", "en": "People"},
    "extra_households": {"id": "Keluarga", "en": "Households"},
    "extra_added": {"id": "Bertambah", "en": "Added"},
    "extra_removed": {"id": "Berkurang", "en": "Removed"},
    "extra_moved": {"id": "Pindah", "en": "Moved"},
    "extra_changed": {"id": "Berubah", "en": "Changed"},
    "extra_desa": {"id": "Desa/kelurahan", "en": "Village"},
    "extra_kecamatan": {"id": "Kecamatan", "en": "District"},
    "extra_kode_wilayah": {"id": "Kode wilayah", "en": "Region code"},
    "extra_sources": {"id": "Berkas", "en": "Files"},
    # help of `siksval check` (cli.py reads these; language from --lang / SIKSVAL_LANG)
    "help_check": {
        "id": "Periksa satu atau beberapa ekspor (CSV/TSV/pipa, XLSX, Parquet).\n\nContoh:\n\n  siksval check examples/dtks_contoh.csv\n\n  siksval check dtks.csv --format html --output laporan.html --format xlsx --output verifikasi.xlsx\n\n  siksval check anak.xlsx lksa.xlsx --against dtks.csv --as-of 2026-10-31\n\n  cat dtks.csv | siksval check -   (- membaca masukan standar)\n\nKode keluar: 0 tidak ada temuan pada/di atas --fail-on; 1 ada; 2 pemeriksaan tidak dapat dijalankan.",
        "en": "Check one or more exports (CSV/TSV/pipe, XLSX, Parquet).\n\nExamples:\n\n  siksval check examples/dtks_contoh.csv\n\n  siksval check dtks.csv --format html --output report.html --format xlsx --output worklist.xlsx\n\n  siksval check anak.xlsx lksa.xlsx --against dtks.csv --as-of 2026-10-31\n\n  cat dtks.csv | siksval check -   (- reads standard input)\n\nExit codes: 0 no finding at or above --fail-on; 1 there are; 2 the run could not be done.",
    },
    "help_paths": {"id": "Berkas ekspor yang diperiksa.", "en": "Export file(s) to check."},
    "help_dataset": {"id": "dtks | lksa | lksa_anak | auto (dari header).", "en": "dtks | lksa | lksa_anak | auto (from the headers)."},
    "help_against": {"id": "Berkas DTKS untuk aturan antarberkas (LKS006).", "en": "A DTKS file for cross-file rules (LKS006)."},
    "help_select": {"id": "Hanya kode atau awalan ini (boleh berulang atau dipisah koma).", "en": "Only these codes or prefixes (repeatable, or comma-separated)."},
    "help_ignore": {"id": "Lewati kode atau awalan ini.", "en": "Skip these codes or prefixes."},
    "help_fail_on": {"id": "error | warning | info | never (bawaan error).", "en": "error | warning | info | never (default error)."},
    "help_format": {"id": "text | json | html | xlsx | csv | junit; boleh berulang, masing-masing dengan --output.", "en": "text | json | html | xlsx | csv | junit; repeatable, each with its --output."},
    "help_output": {"id": "Berkas keluaran untuk setiap --format, berurutan ('-' = stdout).", "en": "Output path for each --format, in order ('-' = stdout)."},
    "help_lang": {"id": "id (bawaan) atau en; juga env SIKSVAL_LANG.", "en": "id (default) or en; env SIKSVAL_LANG."},
    "help_as_of": {"id": "Tanggal acuan YYYY-MM-DD untuk umur dan masa berlaku (bawaan hari ini).", "en": "Reference date YYYY-MM-DD for ages and expiries (default today)."},
    "help_sheet": {"id": "Nama sheet untuk xlsx (bawaan sheet pertama).", "en": "Sheet name for xlsx (default: the first sheet)."},
    "help_unmask": {"id": "Tampilkan NIK/KK dan nama lengkap.", "en": "Show full NIK/KK and names."},
    "help_mask": {"id": "Samarkan data pribadi juga di format yang menampilkannya (xlsx).", "en": "Mask personal data even where the format shows it (xlsx)."},
    "help_max_examples": {"id": "Jumlah contoh baris per aturan di text/html.", "en": "Example rows shown per rule in text/html."},
    "help_quiet": {"id": "Tanpa laporan di terminal; hanya kode keluar.", "en": "No report on the terminal; exit code only."},
    "help_no_progress": {"id": "Tanpa bilah kemajuan.", "en": "No progress bar."},
    "help_config": {"id": "Lokasi siksval.toml (bawaan: dicari dari folder ini ke atas).", "en": "Path to siksval.toml (default: looked up from the current folder)."},
    # --- end report area ---
    # --- perf area: --engine / --scheduler ---
    "help_engine": {"id": "pandas (satu proses) | dask (dibagi per keluarga; pip install 'siksval[dask]').", "en": "pandas (one process) | dask (partitioned by household; pip install 'siksval[dask]')."},
    "help_scheduler": {"id": "Alamat scheduler dask untuk --engine dask, mis. tcp://host:8786 (bawaan: klaster lokal).", "en": "Dask scheduler address for --engine dask, e.g. tcp://host:8786 (default: a local cluster)."},
    # --- end perf area ---
    # --- hostile-input area (issue 10) ---
    "help_max_rows": {
        "id": "Tolak masukan yang berisi lebih banyak rekaman dari ini (kode keluar 2).",
        "en": "Refuse an input with more records than this (exit 2).",
    },
    # --- end hostile-input area ---
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
