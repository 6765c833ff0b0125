"""Code lists and labels used by the synthetic generator.

Codes follow ``spec/columns.md`` (Regsosek 2022 for hub_keluarga 409, status_keberadaan 404,
kedudukan_kerja 418, housing 303/304/309a; Dukcapil SIAK for pekerjaan), see domain.md §2.5 and
§2.7 (source S20). Labels are the upper-case forms a SIKS-NG-style export carries.
"""

from __future__ import annotations

SEX_LABEL = {1: "LAKI-LAKI", 2: "PEREMPUAN"}

HUB_LABEL = {
    1: "KEPALA KELUARGA",
    2: "ISTRI/SUAMI",
    3: "ANAK",
    4: "MENANTU",
    5: "CUCU",
    6: "ORANG TUA/MERTUA",
    7: "PEMBANTU/SOPIR",
    8: "LAINNYA",
}

KAWIN_LABEL = {1: "BELUM KAWIN", 2: "KAWIN", 3: "CERAI HIDUP", 4: "CERAI MATI"}

KEBERADAAN_LABEL = {
    1: "TINGGAL BERSAMA",
    2: "MENINGGAL",
    3: "PINDAH",
    4: "PINDAH KE LUAR NEGERI",
    5: "ART BARU",
    6: "TIDAK DITEMUKAN",
}

LANTAI_LABEL = {
    1: "MARMER/GRANIT",
    2: "KERAMIK",
    3: "PARKET/VINIL/KARPET",
    4: "UBIN/TEGEL/TERASO",
    5: "KAYU/PAPAN",
    6: "SEMEN/BATA MERAH",
    7: "BAMBU",
    8: "TANAH",
    9: "LAINNYA",
}

DINDING_LABEL = {
    1: "TEMBOK",
    2: "PLESTERAN ANYAMAN BAMBU/KAWAT",
    3: "KAYU/PAPAN/GYPSUM/GRC/CALCIBOARD",
    4: "ANYAMAN BAMBU",
    5: "BATANG KAYU",
    6: "BAMBU",
    7: "LAINNYA",
}

FASBAB_LABEL = {
    1: "ADA, DIGUNAKAN SENDIRI",
    2: "ADA, BERSAMA RUMAH TANGGA TERTENTU",
    3: "MCK KOMUNAL",
    4: "MCK UMUM",
    5: "ADA, TIDAK DIGUNAKAN",
    6: "TIDAK ADA",
}

# Dukcapil SIAK occupation list (codes 1-89), the subset the generator uses. The full list is in
# domain.md §2.7; labels as printed on KTP/KK.
PEKERJAAN = {
    1: "BELUM/TIDAK BEKERJA",
    2: "MENGURUS RUMAH TANGGA",
    3: "PELAJAR/MAHASISWA",
    4: "PENSIUNAN",
    5: "PEGAWAI NEGERI SIPIL (PNS)",
    6: "TENTARA NASIONAL INDONESIA (TNI)",
    7: "KEPOLISIAN RI (POLRI)",
    8: "PERDAGANGAN",
    9: "PETANI/PEKEBUN",
    10: "PETERNAK",
    11: "NELAYAN/PERIKANAN",
    15: "KARYAWAN SWASTA",
    16: "KARYAWAN BUMN",
    17: "KARYAWAN BUMD",
    19: "BURUH HARIAN LEPAS",
    20: "BURUH TANI/PERKEBUNAN",
    23: "PEMBANTU RUMAH TANGGA",
    26: "TUKANG BATU",
    27: "TUKANG KAYU",
    30: "TUKANG JAHIT",
    35: "MEKANIK",
    64: "DOSEN",
    65: "GURU",
    72: "DOKTER",
    73: "BIDAN",
    74: "PERAWAT",
    81: "SOPIR",
    84: "PEDAGANG",
    88: "WIRASWASTA",
}
PEKERJAAN_CODE = {v: k for k, v in PEKERJAAN.items()}

# Dukcapil codes ELG002 treats as state employment (rules.md: 5, 6, 7, 16, 17, 48-63).
STATE_JOBS = (5, 6, 7, 16, 17)
# Occupations that count as "not working" for the broadest reading of EXC002's criterion.
NOT_WORKING = (1, 2, 3, 4)

# Kedudukan dalam pekerjaan (Regsosek 418) implied by each occupation; NA (0 here) for people
# who do not work.
KEDUDUKAN_OF_JOB = {
    1: 0,
    2: 0,
    3: 0,
    4: 0,
    5: 5,
    6: 5,
    7: 5,
    16: 5,
    17: 5,
    8: 1,
    9: 1,
    10: 1,
    11: 1,
    84: 1,
    88: 2,
    15: 4,
    65: 4,
    64: 4,
    72: 4,
    73: 4,
    74: 4,
    81: 4,
    35: 4,
    19: 7,
    26: 7,
    27: 7,
    30: 1,
    23: 4,
    20: 6,
}

DAYA_VA = (450, 900, 1300, 2200, 3500)  # 3500 stands for ">2200" (columns.md)

PROGRAMS = ("pkh", "bpnt", "pbi_jk", "bst", "blt_dd")  # "receives aid" (rules.md)
ASSETS = (
    "ada_mobil",
    "ada_motor",
    "ada_ac",
    "ada_emas",
    "ada_lemari_es",
    "ada_laptop",
    "ada_lahan",
    "ada_rumah_lain",
)

KATEGORI_LABEL = {
    "BALITA": "ANAK BALITA TERLANTAR",
    "TERLANTAR": "ANAK TERLANTAR",
    "ANJAL": "ANAK JALANAN",
    "ABH": "ANAK BERHADAPAN DENGAN HUKUM (ABH)",
    "DISABILITAS": "ANAK DENGAN DISABILITAS",
    "KORBAN_KEKERASAN": "ANAK KORBAN TINDAK KEKERASAN",
    "AMPK": "ANAK MEMERLUKAN PERLINDUNGAN KHUSUS (AMPK)",
    "AMPFS": "ANAK YANG MEMERLUKAN PENGEMBANGAN FUNGSI SOSIAL (AMPFS)",
}
