"""Indonesian name pools by ethnic group and a vectorized name sampler.

The pools are invented lists of common given names and family names (never real records):
Javanese and Sundanese mono/di-names, Batak and Minahasa family names (marga/fam), Balinese
birth-order names, Acehnese/Bugis/Sasak noble titles, Papuan and NTT Christian names, and the
Muslim names (SITI, NUR, MUHAMMAD and its spelling variants) common everywhere. Spelling
variants and titles matter for the duplicate engine (domain.md §5.4, S95, S96).
"""

from __future__ import annotations

import numpy as np


def _p(s: str) -> np.ndarray:
    """Pool from a space-separated string; ``_`` stands for a space inside one entry."""
    return np.array([w.replace("_", " ") for w in s.split()], dtype=object)


# -- pools shared by many groups ------------------------------------------------------------
ISLAM_M = _p(
    "AHMAD ABDUL ABDULLAH MUHAMMAD ISMAIL IBRAHIM YUSUF HASAN HUSEIN ALI UMAR USMAN HAMZAH "
    "ZAINAL ARIFIN SYAMSUL SAIFUL NURDIN JAMALUDIN KAMALUDIN FAHRUDIN SYARIFUDIN HIDAYAT "
    "RAHMAT RAHMAN ROHIM KARIM HAKIM SALIM MANSUR MAHMUD MUSTAFA SUBHAN FAUZI FATHUL "
    "IMRON IRFAN ILHAM RIDWAN SODIKIN SYAFII JUNAIDI MUKHLIS MUNAWAR MUCHTAR NASRUDIN "
    "ABDUL_ROHMAN ABDUL_KADIR ABDUL_GANI ABDUL_MAJID ABDUL_AZIZ"
)
ISLAM_F = _p(
    "SITI NUR NURUL AISYAH FATIMAH KHADIJAH AMINAH MARYAM ZAINAB HALIMAH ROHMAH RAHMAWATI "
    "NURHAYATI NURJANAH NURLAILA NURAINI NURHALIMAH SALAMAH MASRUROH MUSLIMAH HAMIDAH "
    "JUWAIRIAH KHOIRIYAH MUTMAINAH ROFIAH SOLEHA UMI ULFAH LAILATUL FAUZIAH HASANAH "
    "SITI_AMINAH SITI_KHODIJAH SITI_FATIMAH SITI_MARYAM SITI_ROHMAH NUR_AINI"
)
MODERN_M = _p(
    "RIZKY FAJAR DIMAS ADITYA BAGAS FARHAN RAFI ARYA REZA ANDIKA YOGA RIFKI ALFIAN DANI "
    "GILANG IQBAL NAUFAL RAIHAN DAFFA HAIKAL ZIDAN FIKRI KEVIN RANGGA DIKI FERDI ARDI "
    "ALDI FADIL HAFIZ AKBAR RAFA ARKAN ABIYYU AZKA ATHAR KENZO ALVARO GIBRAN SATRIA "
    "BIMA ILHAM PUTRA HENDRA RIDHO WAHYU"
)
MODERN_F = _p(
    "NABILA SALSABILA ZAHRA AZZAHRA KHAIRUNNISA ALYA AULIA PUTRI NADIA DINDA AYU INTAN "
    "RATNA DEWI FITRI INDAH SARI WULAN CITRA MELATI NAYLA KEISHA ADINDA FARAH HANIFA "
    "SYIFA ANISA ANNISA RAHMA TIARA AMELIA CAHAYA SHAFIRA QUEENA NAURA ALIFA KIRANA "
    "ZASKIA NAJWA ARUMI"
)
MODERN_2M = _p(
    "PRATAMA SAPUTRA RAMADHAN FIRMANSYAH HIDAYAT KURNIAWAN SETIAWAN NUGRAHA MAULANA "
    "ALFARIZI AL_FATIH HAKIM WIJAYA SANJAYA PERDANA ADITAMA ARDIANSYAH GUNAWAN SYAHPUTRA "
    "HERMAWAN IRAWAN ANUGRAH PRADANA"
)
MODERN_2F = _p(
    "PUTRI AULIA NURHALIZA ANGGRAINI LESTARI SAFITRI RAMADHANI RAHMADANI AZAHRA KHOIRUNNISA "
    "PERMATASARI MAHARANI OKTAVIANI NOVITASARI APRILIA AGUSTINA PUSPITA SEPTIANI KURNIASIH "
    "HANDAYANI PRATIWI SALSABILA"
)
CHRIST_M = _p(
    "YOHANES YOSEPH PETRUS PAULUS MARKUS MARTHEN YULIANUS SIMON DAVID DANIEL ROBERT MARTIN "
    "FRANSISKUS ANTONIUS ALEXANDER STEFANUS ADRIANUS BERNARDUS KORNELIUS YOSUA ELIAS MIKAEL "
    "LUKAS MATIUS TOMAS AGUSTINUS HENDRIK FREDI JOHAN WILLEM"
)
CHRIST_F = _p(
    "MARIA MARTHA MAGDALENA YOSINA DOLFINA NELCE AGUSTINA ELISABETH KRISTINA YULIANA "
    "ROSALINA REGINA FRANSISKA VERONIKA MARGARETHA LUSIA SERLY DEBORA RUT ESTER SUSANA "
    "KATARINA SELVI NOVITA YOHANA MEILANI OLIVIA"
)

# -- group specific ---------------------------------------------------------------------------
GROUPS: dict[str, dict[str, np.ndarray]] = {
    "JAWA": {
        "m": _p(
            "BUDI SLAMET SUGENG AGUS BAMBANG JOKO EKO DWI TRI HERU WAHYU SUPARMAN SUKIRMAN "
            "SUTRISNO PONIMAN PAIJO KUSNADI SUYANTO SUHARTO PURWANTO WIDODO SETIYONO SUPRIYADI "
            "SUWARNO SUMARNO KASMADI TUKIMAN SAMINO SUDARNO MULYONO SUGIYANTO HARYONO SUNARTO "
            "TEGUH BUDIONO SUPARDI SARDI NGATIMIN KARNO SUROSO SUPRAPTO ARIS YUDI ANTON SIGIT "
            "BAYU ANDRI HARI KUSWANTO SISWANTO MARYANTO SUWITO WARSITO PARMIN RUSDI"
        ),
        "f": _p(
            "SRI SITI WARTINI SUMIATI SUPARMI TUMINAH ENDANG TITIK WULANDARI RAHAYU DEWI "
            "NINGSIH SUMARNI PARTINI SUKARTI KASIYEM SAMINAH SUPRIHATIN MARYATI SUWARNI "
            "SUMIYATI WAGINEM SUGIYEM TUKINEM PAINEM SUNARSIH SULASTRI RUSMINI KARSIH YATMI "
            "MUJIATI SUPINAH WAHYUNI ANIK ERNA YULI NANIK KUSMIATI TRI_WAHYUNI SRI_LESTARI "
            "SRI_WAHYUNI SRI_REJEKI SRI_MULYANI ENDANG_SUSILOWATI"
        ),
        "m2": _p(
            "RIYADI SANTOSO WIBOWO PRASETYO NUGROHO HIDAYAT SAPUTRO KURNIAWAN SETIAWAN SUSANTO "
            "WIJAYA PURNOMO HARYANTO SUGIHARTO PRABOWO UTOMO HANDOKO SUBAGYO RAHARJO WALUYO "
            "SURYADI SULISTYO SETYAWAN HARTONO SUPRIYANTO"
        ),
        "f2": _p(
            "HANDAYANI LESTARI RAHAYU WULANDARI ASTUTI NINGSIH SUSANTI PUSPITASARI WAHYUNINGSIH "
            "SUSILOWATI RATNASARI KUSUMAWATI PURWANTI SETYOWATI ISTIQOMAH MULYANI SUPRAPTI "
            "NURWATI WIDAYATI SULISTYOWATI"
        ),
    },
    "SUNDA": {
        "m": _p(
            "ASEP UJANG DEDI CECEP DADANG ENDANG UDIN YAYAN AEP OMAN ENJANG JAJANG ACENG "
            "DEDE ENCEP ADE AJAT OTONG NANANG KOSASIH ROHMAN ERWIN HERI ANDI IWAN TATANG "
            "UJU DIDIN DADAN ENDIN KUSWARA MAMAT EMAN AAN YUDI DENI WAWAN"
        ),
        "f": _p(
            "EUIS NENG IMAS ENAH ENTIN OOM YAYAH TITIN NENENG ELIS IIS CUCU NANI ENENG "
            "IPAH EMAH ETI EDAH TATI LILIS YATI IMAS_MASITOH NENG_SITI EUIS_KARTIKA "
            "ENOK KOKOM ONIH EROH NUNUNG NENDEN RINI WIWIN"
        ),
        "m2": _p(
            "SUPRIATNA HIDAYAT SUHERMAN KUSNADI RUHIAT SOBARI SUNARYA SUMIRAT SURYANA "
            "SAEPUDIN SETIADI KURNIA PERMANA SOLIHIN MULYANA RUSTANDI SAPUTRA GUNAWAN "
            "SURYADI NURJAMAN SAEFULLOH"
        ),
        "f2": _p(
            "SETIAWATI ROHAETI NURHAYATI MULYATI KURNIASIH SUMIATI KARTIKA SRIMULYANI "
            "HERAWATI NURLAELA MARLINA SUMARNI ROSITA YULIANTI KOMALASARI"
        ),
    },
    "MINANG": {
        "m": _p(
            "AFRIZAL ZULKIFLI YUSRIZAL DASRIL ERIZAL NOFRIANDI HENDRI SYAFRIZAL ASRIL "
            "FIRDAUS ZULHENDRI DEDI JASMAN RIDWAN ANWAR MASRIL YUNALDI ALFIAN DONI ROSMAN "
            "SYAHRUL FEBRIANTO EFENDI BUSTAMI NASRUL"
        ),
        "f": _p(
            "YENI ROSMANIAR NURHAYATI ERNI YUSNIMAR ROSNIDAR YUSNIDAR ASMIDAR NURBAITI "
            "ROSMAWATI DESI ELFI YULIARNI HERMAWATI ZURAIDA NELI WATI SUSI ARNI FITRIANI "
            "MISNAWATI YUSNIAR"
        ),
        "m2": _p(
            "EFENDI SAPUTRA PUTRA SYAHPUTRA ANWAR HIDAYAT ZULKARNAIN RAHMAN MUNAF "
            "MALIN_BAGINDO SUTAN_MUDO DATUAK"
        ),
        "f2": _p("WATI YANTI ELFI MARNI NELI ROSA SURYANI FITRI YENTI"),
    },
    "MELAYU": {
        "m": _p(
            "ZAINAL ABDULLAH ISMAIL SYAHRIL RUSLI AZHAR HUSIN KAMARUDIN SAMSUDIN ZULKARNAIN "
            "MUSLIM AMRAN JUNAIDI ARIFIN DARMAWAN HAMDAN IDRIS ROSLI SUHAIMI TAMRIN "
            "ZAKARIA SAHARUDIN BAHARUDIN JAMALUDIN KASIM"
        ),
        "f": _p(
            "NURBAITI ROSNAH ASIAH FATIMAH MAIMUNAH ZUBAIDAH RUSMINAH HAMSIAH JAMILAH "
            "SALMAH NORMA ROSIDAH ZURAIDAH HASNAH MARIAH SARIPAH ROHANI SUMARNI NURSIAH"
        ),
        "m2": _p("SYAHPUTRA SAPUTRA EFENDI HARAHAP HASIBUAN RAMADHAN HIDAYAT FIRDAUS AMIN"),
        "f2": _p("WATI YANTI SARI HAYATI NINGSIH LESTARI ASMAH"),
    },
    "ACEH": {
        "m": _p(
            "ZULFIKAR MUNAWAR MAHYUDDIN MUHAMMAD ZAINAL SYAMSUL ISKANDAR NASRULLAH SAIFUL "
            "FAKHRURRAZI MUKHLIS ZULKIFLI BASYAH RAZALI MARZUKI JAFAR IBRAHIM USMAN HASBI "
            "RUSLAN MURDANI TARMIZI SULAIMAN DAUD ABUBAKAR"
        ),
        "f": _p(
            "FAUZIAH NURAINI RAHMAWATI NURHAYATI MARLIANA SALMIAH ROSMIATI ZAHARA ASMA "
            "MUNAWARAH SAKDIAH FITRIANI HASNAH MAISARAH NURLELA SYARIFAH ZULFA RAHMAH"
        ),
        "m2": _p("ISMAIL YUSUF BASYAH HUSEN ABDULLAH HANAFIAH RAHMAN SAID DAUD"),
        "f2": _p("WATI YANTI HASNAH SARI AINI"),
    },
    "BUGIS": {
        "m": _p(
            "SYAMSUDDIN HASANUDDIN NURDIN ABD_RAHMAN BASO AMIRUDDIN SAHABUDDIN SUDIRMAN "
            "MUSTARI SAKARIA JUMALI HAMZAH SUKRI MARDAN ARIFUDDIN SULFIKAR IRWAN ALIMUDDIN "
            "BAHTIAR JAMALUDDIN NASRUN RASYID SYAHRIR ZAINUDDIN"
        ),
        "f": _p(
            "RAHMATIA HASNAWATI NURHAYATI SITTI HAJARAH SALMA NURLIAH HASMAWATI MARWAH "
            "SUKMAWATI RATNAWATI SAMSIAH JUMRIAH NURMIATI KASMAWATI HARIATI RISNAWATI ST_HAJARAH "
            "ST_AMINAH ST_NURHAYATI"
        ),
        "m2": _p("AHMAD MUHAMMAD RAHMAN HALIM LATIF RAUF TAHIR SAMAD MAKKASAU"),
        "f2": _p("WATI NENGSI SARI ANI NINGSIH"),
    },
    "SASAK": {
        "m": _p(
            "AMAQ MUHAMMAD ZAINUDDIN SAHNUN ABDUL_HAFIZ HUSNUL JUMAHIR MASNUN SAPIRUDIN "
            "ZULKIFLI MUHSIN RUSDI SAHRUL SUPARDI HARIADI MURDI SAHIDIN"
        ),
        "f": _p(
            "INAQ NURHASANAH SAHNIM RUMINAH SUKMAWATI RAHMI MULIANI JUMAENAH SAMSIAH "
            "NURHIDAYAH HUSNIATI ROHANI SAPINAH"
        ),
        "m2": _p("HADI RAHMAN SAPUTRA HIDAYAT ZAKARIA AMIN"),
        "f2": _p("WATI YANTI SARI ANI"),
    },
    "BATAK": {
        "m": _p(
            "BONAR TUMPAL MARULI HOTMAN SAHAT PARLINDUNGAN TIGOR RAJA MANGATAS HOTLAN "
            "BINSAR POLTAK JOHANNES DAVID ROBERT JOSUA MARTUA DAME HASIHOLAN PANDAPOTAN "
            "SARDOMUAN TONGAM MANGIHUT LAMHOT BERNARD HORAS"
        ),
        "f": _p(
            "RUGUN TIURMA ROSMAWATI MARIA DUMARIA LAMRIA TIOMINAR RISMA HOTMAIDA ROSLINA "
            "NURMAIDA MASNIARI ERNAWATI TUMIAR DELIMA SORTA NELLY RIANA LASMARIA"
        ),
        "sur": _p(
            "SIREGAR NASUTION HARAHAP SIMANJUNTAK PANJAITAN HUTAGALUNG SIAHAAN SITORUS SILALAHI "
            "MANURUNG SINAGA SIMATUPANG LUBIS SIHOMBING PASARIBU GINTING TARIGAN SEMBIRING "
            "SITUMORANG NAINGGOLAN SIMAMORA TAMBUNAN HUTAPEA SIMANULLANG SIBURIAN PANGGABEAN "
            "HUTABARAT SIAGIAN SIPAHUTAR SINURAT DAULAY RANGKUTI BATUBARA DAMANIK PURBA SARAGIH"
        ),
    },
    "MINAHASA": {
        "m": _p("JOHNY FRANKY REINHARD JEFRI STEVEN MAIKEL RONALD HENDRIK ALFRIED DENNY RICKY"),
        "f": _p("MEITY JULIE DEISY NOVA SELVIE SHERLY VIVI GRACE JENNY LINDA TRESYE"),
        "sur": _p(
            "WEWENGKANG LUMINGKEWAS PANGEMANAN SUMAMPOW RUNTUWENE MANDAGI TUMBELAKA RUMENGAN "
            "WALANDOUW KAWULUSAN LONDA SUMOLANG TAMBAYONG RONDONUWU MAMUAJA POLI"
        ),
    },
    "NTT": {
        "m": _p(
            "YOHANES YOSEPH PETRUS MARKUS ALOYSIUS SIPRIANUS KORNELIS ARNOLDUS BENEDIKTUS "
            "FILIPUS MIKHAEL YAKOBUS GREGORIUS"
        ),
        "f": _p(
            "MARIA YOSEFINA KATARINA MARGARETA SESILIA EMERENSIANA YULIANA AGATHA "
            "VERONIKA FLORENTINA PAULINA"
        ),
        "sur": _p(
            "DA_COSTA PARERA LAKE BENU TAEK NDUN MANEK BERE TAOLIN SERAN KOLO LIEM NAHAK "
            "SIKI TALAN NUBATONIS FALLO SABU LEO"
        ),
    },
    "PAPUA": {
        "m": _p(
            "YULIANUS MARTHEN YOHANIS NATALIS OKTOVIANUS SEPNAT YOSIAS MARKUS DOMINGGUS "
            "METUSALAK ABNER LEWI NIKOLAS"
        ),
        "f": _p(
            "YOSINA NELCE DOLFINA MARTHA OKTOVINA ADOLFINA SERLINA YUNITA FRANSINA "
            "DORKAS ELSINA NAOMI"
        ),
        "sur": _p(
            "WENDA KOGOYA WANIMBO TABUNI MOFU RUMBIAK WOMSIWOR KAFIAR MANSOBEN YIKWA WENDA "
            "MAGAI ENUMBI MURIB KOSAY ASSO WETIPO MAYOR RUMBEWAS AWOM KARUBABA"
        ),
    },
    "BALI": {
        "m": _p(
            "SUDARTA SUARDANA ARTAWAN WIRAWAN MERTA SUWITRA SUDIARTA ADNYANA SUPARTA ASTAWA "
            "SUARTANA SUKADANA WIRYAWAN DARMAYASA SUMERTA YASA ARSANA SUDIRA GUNAWAN PUTRAYASA"
        ),
        "f": _p(
            "ARTINI SUDIANI PUSPAWATI SRIASIH WIDIASIH SUKERTI MURNI SUARNI ASTITI "
            "KARTINI SUARTINI SUMADI SUDARMI RATNADEWI PURNAMI DARMINI"
        ),
    },
}
# Balinese birth-order names: 1st, 2nd, 3rd, 4th child (then the cycle restarts).
BALI_ORDER = [_p("WAYAN PUTU GEDE"), _p("MADE KADEK NENGAH"), _p("NYOMAN KOMANG"), _p("KETUT")]

SURNAME_GROUPS = ("BATAK", "MINAHASA", "NTT", "PAPUA")
GROUP_NAMES = tuple(GROUPS)

# Province code -> [(group, weight)].
PROVINCE_GROUPS: dict[str, list[tuple[str, float]]] = {
    "11": [("ACEH", 0.9), ("MELAYU", 0.1)],
    "12": [("BATAK", 0.55), ("MELAYU", 0.25), ("JAWA", 0.2)],
    "13": [("MINANG", 0.9), ("BATAK", 0.1)],
    "14": [("MELAYU", 0.6), ("MINANG", 0.2), ("JAWA", 0.2)],
    "15": [("MELAYU", 0.6), ("JAWA", 0.3), ("MINANG", 0.1)],
    "16": [("MELAYU", 0.7), ("JAWA", 0.3)],
    "17": [("MELAYU", 0.6), ("JAWA", 0.3), ("MINANG", 0.1)],
    "18": [("JAWA", 0.6), ("MELAYU", 0.3), ("SUNDA", 0.1)],
    "19": [("MELAYU", 0.8), ("JAWA", 0.2)],
    "21": [("MELAYU", 0.6), ("JAWA", 0.2), ("BATAK", 0.1), ("MINANG", 0.1)],
    "31": [("JAWA", 0.35), ("SUNDA", 0.25), ("MELAYU", 0.2), ("BATAK", 0.1), ("MINANG", 0.1)],
    "32": [("SUNDA", 0.85), ("JAWA", 0.15)],
    "33": [("JAWA", 1.0)],
    "34": [("JAWA", 1.0)],
    "35": [("JAWA", 0.95), ("MELAYU", 0.05)],
    "36": [("SUNDA", 0.8), ("JAWA", 0.2)],
    "51": [("BALI", 0.9), ("JAWA", 0.1)],
    "52": [("SASAK", 0.8), ("MELAYU", 0.2)],
    "53": [("NTT", 0.95), ("MELAYU", 0.05)],
    "61": [("MELAYU", 0.7), ("JAWA", 0.2), ("NTT", 0.1)],
    "62": [("MELAYU", 0.6), ("JAWA", 0.3), ("NTT", 0.1)],
    "63": [("MELAYU", 0.8), ("JAWA", 0.2)],
    "64": [("JAWA", 0.4), ("BUGIS", 0.3), ("MELAYU", 0.3)],
    "65": [("BUGIS", 0.4), ("MELAYU", 0.4), ("JAWA", 0.2)],
    "71": [("MINAHASA", 0.85), ("MELAYU", 0.15)],
    "72": [("BUGIS", 0.6), ("MELAYU", 0.3), ("MINAHASA", 0.1)],
    "73": [("BUGIS", 1.0)],
    "74": [("BUGIS", 0.8), ("MELAYU", 0.2)],
    "75": [("MELAYU", 0.8), ("BUGIS", 0.2)],
    "76": [("BUGIS", 0.9), ("JAWA", 0.1)],
    "81": [("NTT", 0.5), ("MELAYU", 0.5)],
    "82": [("MELAYU", 0.7), ("NTT", 0.3)],
}
for _code in ("91", "92", "93", "94", "95", "96"):
    PROVINCE_GROUPS[_code] = [("PAPUA", 0.8), ("JAWA", 0.1), ("BUGIS", 0.1)]

MUHAMMAD_VARIANTS = _p("MUHAMMAD MUHAMAD MOHAMAD MOHAMMAD MOCH. MOH. MUH. M.")


def _pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]


def _join(*parts: np.ndarray) -> np.ndarray:
    """Join token arrays with single spaces, skipping empty tokens (elementwise, no row loop)."""
    out = parts[0].astype(object)
    for p in parts[1:]:
        p = p.astype(object)
        has = p != ""
        both = (out != "") & has
        out = np.where(both, out + " " + p, np.where(has, p, out))
    return out


def sample_names(
    rng: np.random.Generator,
    group: np.ndarray,
    sex: np.ndarray,
    birth_year: np.ndarray,
    *,
    surname: np.ndarray | None = None,
    birth_order: np.ndarray | None = None,
    titles: bool = True,
    academic: np.ndarray | None = None,
) -> np.ndarray:
    """Return upper-case full names (object array) for people described by parallel arrays.

    ``group``: ethnic group name per person (see GROUP_NAMES); ``sex`` 1/2; ``birth_year``;
    ``surname``: the family name to use for surname groups ("" = draw one); ``birth_order``:
    0-based child order for Balinese birth-order names (-1 = unknown); ``academic``: bool mask of
    people who may carry an academic degree; ``titles``: allow H./HJ. and noble titles.
    """
    n = len(group)
    out = np.empty(n, dtype=object)
    female = sex == 2
    young = birth_year >= 1992
    if surname is None:
        surname = np.full(n, "", dtype=object)
    if birth_order is None:
        birth_order = np.full(n, -1)
    gcodes, ginv = np.unique(group.astype(str), return_inverse=True)
    for gi, g in enumerate(gcodes):  # loop over ~12 groups, each vectorized
        g = str(g)
        m = ginv == gi
        k = int(m.sum())
        if k == 0:
            continue
        pools = GROUPS[g]
        fem = female[m]
        yng = young[m]
        u = rng.random((k, 6))
        if g in SURNAME_GROUPS:
            local = np.where(fem, _pick(rng, pools["f"], k), _pick(rng, pools["m"], k))
            chr_ = np.where(fem, _pick(rng, CHRIST_F, k), _pick(rng, CHRIST_M, k))
            mod = np.where(fem, _pick(rng, MODERN_F, k), _pick(rng, MODERN_M, k))
            isl = np.where(fem, _pick(rng, ISLAM_F, k), _pick(rng, ISLAM_M, k))
            first = np.where(u[:, 0] < 0.45, local, chr_)
            first = np.where(yng & (u[:, 1] < 0.4), mod, first)
            # Batak/Malay Muslims in North Sumatra (Mandailing: NASUTION, LUBIS ...)
            first = np.where((g == "BATAK") & (u[:, 2] < 0.25), isl, first)
            second = np.where(
                u[:, 3] < 0.3, np.where(fem, _pick(rng, pools["f"], k), _pick(rng, CHRIST_M, k)), ""
            )
            second = np.where(second == first, "", second)
            sur = surname[m].copy()
            miss = sur == ""
            sur[miss] = _pick(rng, pools["sur"], int(miss.sum()))
            if g == "BATAK":  # married women often written "BR. <marga>" (boru)
                sur = np.where(fem & (u[:, 4] < 0.35), "BR " + sur, sur)
            out[m] = _join(first, second, sur)
            continue
        if g == "BALI":
            order = birth_order[m]
            rnd = rng.integers(0, 4, k)
            order = np.where(order < 0, rnd, order % 4)
            ordname = np.empty(k, dtype=object)
            for i, pool in enumerate(BALI_ORDER):
                sel = order == i
                ordname[sel] = _pick(rng, pool, int(sel.sum()))
            prefix = np.where(fem, "NI", "I")
            caste = u[:, 0] < 0.06
            prefix = np.where(
                caste & ~fem, np.where(u[:, 1] < 0.5, "I GUSTI NGURAH", "IDA BAGUS"), prefix
            )
            prefix = np.where(
                caste & fem, np.where(u[:, 1] < 0.5, "I GUSTI AYU", "IDA AYU"), prefix
            )
            ordname = np.where(caste, "", ordname)
            given = np.where(fem, _pick(rng, pools["f"], k), _pick(rng, pools["m"], k))
            extra = np.where(
                u[:, 2] < 0.25, np.where(fem, _pick(rng, MODERN_F, k), _pick(rng, MODERN_M, k)), ""
            )
            extra = np.where(extra == given, "", extra)
            out[m] = _join(prefix.astype(object), ordname, extra, given)
            continue
        # Given-name groups (Javanese, Sundanese, Minang, Malay, Acehnese, Bugis, Sasak).
        local = np.where(fem, _pick(rng, pools["f"], k), _pick(rng, pools["m"], k))
        local2 = np.where(fem, _pick(rng, pools["f2"], k), _pick(rng, pools["m2"], k))
        isl = np.where(fem, _pick(rng, ISLAM_F, k), _pick(rng, ISLAM_M, k))
        mod = np.where(fem, _pick(rng, MODERN_F, k), _pick(rng, MODERN_M, k))
        mod2 = np.where(fem, _pick(rng, MODERN_2F, k), _pick(rng, MODERN_2M, k))
        first = np.where(u[:, 0] < 0.3, isl, local)
        first = np.where(yng & (u[:, 1] < 0.6), mod, first)
        ntok = np.where(u[:, 2] < 0.3, 1, np.where(u[:, 2] < 0.88, 2, 3))
        second = np.where(yng & (u[:, 3] < 0.6), mod2, np.where(u[:, 3] < 0.5, local2, local))
        second = np.where(
            u[:, 4] < 0.15, np.where(fem, _pick(rng, ISLAM_F, k), _pick(rng, MODERN_2M, k)), second
        )
        second = np.where((ntok >= 2) & (second != first), second, "")
        third = np.where(
            ntok >= 3, np.where(fem, _pick(rng, MODERN_2F, k), _pick(rng, pools["m2"], k)), ""
        )
        third = np.where((third == second) | (third == first), "", third)
        # MUHAMMAD and its spellings as a first token for some men (domain.md §5.4).
        muh = ~fem & (u[:, 5] < 0.12)
        mv = MUHAMMAD_VARIANTS[rng.integers(0, len(MUHAMMAD_VARIANTS), k)]
        first = np.where(muh & (first != "MUHAMMAD"), mv + " " + first, first)
        name = _join(first, second, third)
        if titles:
            u2 = rng.random((k, 2))
            old = birth_year[m] < 1975
            haji = old & (u2[:, 0] < 0.05) & (g != "BALI")
            name = np.where(haji, np.where(fem, "HJ. ", "H. ") + name, name)
            if g == "ACEH":
                noble = u2[:, 1] < 0.06
                name = np.where(noble, np.where(fem, "CUT ", "TEUKU ") + name, name)
            elif g == "BUGIS":
                noble = u2[:, 1] < 0.07
                name = np.where(noble, "ANDI " + name, name)
            elif g == "SASAK":
                noble = u2[:, 1] < 0.05
                name = np.where(noble, np.where(fem, "BAIQ ", "LALU ") + name, name)
        out[m] = name
    if academic is not None and academic.any():
        idx = np.flatnonzero(academic & (rng.random(n) < 0.15))
        deg = np.array(
            [", S.PD", ", S.E", ", S.H", ", S.KOM", ", S.SOS", ", A.MD", ", S.T"], dtype=object
        )
        out[idx] = out[idx] + deg[rng.integers(0, len(deg), len(idx))]
    return out


def spelling_variant(name: str, k: int = 0) -> str:
    """A plausible alternative spelling of ``name`` (old EYD, MUHAMMAD variants, doubled or
    dropped letters), used for duplicate-person defects. ``k`` picks among the applicable ones.
    Abbreviations (``MOCH.``) and short tokens are left alone so the variant stays close.
    """
    subs = [
        ("MUHAMMAD", "MUHAMAD"),
        ("MUHAMAD", "MUHAMMAD"),
        ("MOHAMAD", "MUHAMMAD"),
        ("SITI", "SITTI"),
        ("NUR", "NOER"),
        ("JOKO", "DJOKO"),
        ("SU", "SOE"),
        ("YANTO", "JANTO"),
        ("CH", "KH"),
        ("KH", "CH"),
        ("AH", "A"),
        ("DI", "DY"),
        ("TI", "TY"),
        ("NI", "NY"),
        ("RI", "RY"),
    ]
    tokens = name.split(" ")
    cands = []
    for t, tok in enumerate(tokens):
        if tok.endswith(".") or tok.endswith(",") or len(tok) < 4:
            continue
        for a, b in subs:
            if a in tok:
                new = tok.replace(a, b, 1)
                cands.append(" ".join([*tokens[:t], new, *tokens[t + 1 :]]))
    if not cands:
        # Double the last letter of the longest token (SLAMET -> SLAMETT).
        t = max(range(len(tokens)), key=lambda x: len(tokens[x]))
        tokens[t] = tokens[t] + tokens[t][-1]
        return " ".join(tokens)
    return cands[k % len(cands)]


def sample_surnames(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """A family name per entry for surname groups (Batak marga, Minahasa fam, NTT, Papua);
    "" for groups without family names."""
    out = np.full(len(group), "", dtype=object)
    for g in SURNAME_GROUPS:
        m = group == g
        out[m] = _pick(rng, GROUPS[g]["sur"], int(m.sum()))
    return out
