"""Header normalisation and alias resolution exactly as shared/spec/columns.md describes."""

from __future__ import annotations

import pandas as pd
import pytest

import siksval
from siksval.errors import UserError
from siksval.io.columns import detect_dataset, map_headers, normalize_header
from siksval.schema import DATASETS, load_schema

# Every alias columns.md lists, per dataset and canonical column.
SPEC_ALIASES: dict[str, dict[str, list[str]]] = {
    "dtks": {
        "id_dtks": ["IDDTKS", "ID DTKS", "IDBDT", "ID_KELUARGA", "ID Keluarga P3KE"],
        "nik": ["NOMOR_NIK", "NO_NIK", "NIK_ART", "NOMOR INDUK KEPENDUDUKAN"],
        "no_kk": ["NOMOR_KK", "NOKK", "NO. KK", "NOMOR KARTU KELUARGA"],
        "nama": ["NAMA_LENGKAP", "NAMA_ART", "NAMA ANGGOTA"],
        "tgl_lahir": ["TANGGAL_LAHIR", "TGLLAHIR", "TGL LHR"],
        "jenis_kelamin": ["JNS_KEL", "JNSKEL", "JK", "SEX"],
        "hub_keluarga": ["HUBUNGAN_KELUARGA", "HUB_KEL", "HUBKEL", "HUB_KRT", "SHDK",
                         "HUBUNGAN DENGAN KEPALA KELUARGA"],
        "tempat_lahir": ["TMP_LAHIR", "TMPLAHIR"],
        "nama_ibu_kandung": ["NAMA_IBU", "NAMAGADIS_IBUKANDUNG"],
        "status_kawin": ["STA_KAWIN", "STATUS_PERKAWINAN"],
        "pekerjaan": ["JENIS_PEKERJAAN", "PEKERJAAN_UTAMA"],
        "kedudukan_kerja": ["KEDUDUKAN_PEKERJAAN", "STATUS_PEKERJAAN"],
        "provinsi": ["PROVINSI", "NAMA_PROVINSI"],
        "kabupaten_kota": ["KABUPATEN", "KAB_KOTA", "KABUPATEN/KOTA"],
        "kecamatan": ["KECAMATAN"],
        "desa_kelurahan": ["DESA", "KELURAHAN", "DESA/KELURAHAN"],
        "kode_wilayah": ["KODE_DESA", "KD_DESA", "KODE KEMDAGRI", "KODE_WILAYAH_DESA"],
        "alamat": ["ALAMAT_LENGKAP"],
        "dusun": ["DUSUN"],
        "rt": ["RT"],
        "rw": ["RW"],
        "status_keberadaan": ["KEBERADAAN_ART", "STA_KEBERADAAN_ART", "STATUS"],
        "padan_dukcapil": ["PADAN", "KET_PADAN", "STATUS_PADAN"],
        "desil": ["DESIL_KESEJAHTERAAN", "DESIL_NASIONAL"],
        "pkh": ["PENERIMA_PKH", "ADA_PKH", "STA_PKH"],
        "bpnt": ["SEMBAKO", "PENERIMA_BPNT", "ADA_BPNT"],
        "pbi_jk": ["PBI", "ADA_PBI", "PENERIMA_PBI"],
        "bst": ["BST"],
        "blt_dd": ["BLT_DD"],
        "pip": ["PIP"],
        "daya_listrik": ["DAYA", "DAYA_TERPASANG"],
        "luas_lantai": ["LUAS_LANTAI_M2"],
        "jenis_lantai": ["LANTAI"],
        "jenis_dinding": ["DINDING"],
        "fasilitas_bab": ["FASBAB"],
        **{
            f"ada_{asset}": [f"PUNYA_{asset.upper()}", asset.upper(), f"ASET_{asset.upper()}"]
            for asset in ("mobil", "motor", "ac", "emas", "lemari_es", "laptop", "lahan",
                          "rumah_lain")
        },
    },
    "lksa": {
        "id_lksa": ["NO_REGISTRASI", "NOMOR_REGISTRASI", "ID_LEMBAGA"],
        "nama_lksa": ["NAMA_LEMBAGA", "NAMA_LKS"],
        "kode_wilayah": ["KODE_DESA"],
        "akreditasi": ["NILAI_AKREDITASI"],
        "tgl_akreditasi": ["TANGGAL_AKREDITASI"],
        "izin_berlaku_sampai": ["MASA_BERLAKU_IZIN", "TGL_AKHIR_IZIN"],
        "kapasitas": ["DAYA_TAMPUNG"],
        # Extension beyond columns.md (docs/lksa.md): permit issue date, for LKS005 when the
        # export carries no expiry date (permits run 5 years).
        "tgl_izin": ["TANGGAL_IZIN", "TGL_IZIN", "TANGGAL_IZIN_OPERASIONAL", "TGL_TERBIT_IZIN"],
    },
    "lksa_anak": {
        "nik": ["NIK_ANAK"],
        "nama": ["NAMA_ANAK"],
        "tgl_lahir": ["TANGGAL_LAHIR"],
        "jenis_kelamin": ["JENIS_KELAMIN"],
        "id_lksa": ["NO_REGISTRASI_LKSA"],
        "kategori": ["KATEGORI_PPKS", "JENIS_PPKS"],
        "tgl_masuk": ["TANGGAL_MASUK"],
        "status": ["STATUS_ANAK"],
        "no_kk": ["NO_KK"],
        "nama_ibu_kandung": ["NAMA_IBU"],
    },
}


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_spec_alias_maps(dataset: str) -> None:
    schema = load_schema(dataset)
    assert set(SPEC_ALIASES[dataset]) == set(schema.columns), "columns differ from columns.md (+ extensions)"
    for canonical, aliases in SPEC_ALIASES[dataset].items():
        for header in (canonical, canonical.upper(), *aliases):
            mapping = map_headers([header], dataset, schema.aliases)
            assert mapping.mapped == {header: canonical}, (dataset, header)


def test_percentile_is_not_desil() -> None:
    mapping = map_headers(["PERCENTILE"], "dtks", load_schema("dtks").aliases)
    assert mapping.mapped == {} and mapping.unknown == ["PERCENTILE"]


@pytest.mark.parametrize(
    "header", ["No. KK", "NO_KK", "no kk", " no-kk ", "No/KK", "NO__KK", "\ufeffNO KK", "Nokk"]
)
def test_case_space_and_separators_are_ignored(header: str) -> None:
    assert normalize_header(header) == "NOKK"
    assert map_headers([header], "dtks", load_schema("dtks").aliases).mapped == {header: "no_kk"}


def test_unknown_and_duplicate_headers_are_kept_and_listed() -> None:
    mapping = map_headers(
        ["NIK", "FOTO_RUMAH", "NOMOR_NIK", "NAMA"], "dtks", load_schema("dtks").aliases
    )
    assert mapping.mapped == {"NIK": "nik", "NAMA": "nama"}
    assert mapping.unknown == ["FOTO_RUMAH", "NOMOR_NIK"]
    assert mapping.duplicates == {"NOMOR_NIK": "nik"}


def test_user_aliases_add_and_win() -> None:
    aliases = load_schema("dtks").aliases
    extra = {"nik": ["NIK KTP"], "nama": ["NAMA"], "nama_lksa": ["X"]}
    mapping = map_headers(["nik ktp", "NAMA"], "dtks", aliases, extra)
    assert mapping.mapped == {"nik ktp": "nik", "NAMA": "nama"}


SIKS_DTKS = ["IDDTKS", "NOMOR_KK", "NOMOR_NIK", "NAMA", "TANGGAL_LAHIR", "JENIS_KELAMIN",
             "HUBUNGAN_KELUARGA"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (SIKS_DTKS, "dtks"),
        (["NIK_ANAK", "NAMA_ANAK", "TANGGAL_LAHIR", "JK", "NO_REGISTRASI_LKSA", "NO_KK"],
         "lksa_anak"),
        (["NO_REGISTRASI", "NAMA_LEMBAGA", "AKREDITASI", "DAYA_TAMPUNG"], "lksa"),
        # a P3KE-style export with spaces and mixed case
        (["ID Keluarga P3KE", "Nama", "NIK", "No KK", "Jenis Kelamin",
          "Hubungan dengan Kepala Keluarga", "Tanggal Lahir"], "dtks"),
    ],
)
def test_detect_dataset(headers: list[str], expected: str) -> None:
    schemas = {n: (load_schema(n).aliases, load_schema(n).required) for n in DATASETS}
    assert detect_dataset(headers, schemas) == expected


def test_detect_dataset_fails_clearly() -> None:
    schemas = {n: (load_schema(n).aliases, load_schema(n).required) for n in DATASETS}
    with pytest.raises(UserError, match="match none of the datasets"):
        detect_dataset(["FOO", "BAR"], schemas, path="x.csv")


def test_config_aliases_reach_the_mapping_and_detection() -> None:
    df = pd.DataFrame(
        {
            "NO INDUK": ["3273011508800001"],
            "KARTU KELUARGA": ["3273010101100001"],
            "NAMA": ["BUDI"],
            "LAHIR": ["15-08-1980"],
            "JK": ["L"],
            "SHDK": ["KEPALA KELUARGA"],
        }
    )
    cfg = {"aliases": {"nik": ["NO INDUK"], "no_kk": ["KARTU KELUARGA"], "tgl_lahir": "LAHIR"}}
    report = siksval.check(df, as_of="2026-10-31", config=cfg, select=["SCH"])
    assert report.dataset == "dtks"
    assert report.source.columns_mapped["NO INDUK"] == "nik"
    assert report.source.columns_mapped["KARTU KELUARGA"] == "no_kk"
    assert report.source.columns_mapped["LAHIR"] == "tgl_lahir"
    assert report.findings.empty


def test_unknown_canonical_name_in_config_aliases_is_an_error() -> None:
    df = pd.DataFrame({"NIK": ["3273011508800001"]})
    with pytest.raises(UserError, match="nikk"):
        siksval.check(df, dataset="dtks", config={"aliases": {"nikk": ["X"]}})
