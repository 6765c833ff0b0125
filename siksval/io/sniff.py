"""What a path holds before it is read: a readable regular file or not (and why, in one
sentence), and content that is no data export at all — binary data, a compressed file or
archive, an image or PDF, an HTML page or Excel-2003 XML under a spreadsheet's name.

Every refusal is a `UserError` naming the file, the problem and what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NoReturn

from siksval.errors import UserError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def check_file(p: Path) -> os.stat_result:
    """The path names a readable, non-empty file; returns its stat (symlinks followed)."""
    try:
        st = os.stat(p)
    except OSError as exc:
        path_error(p, exc)
    if stat.S_ISDIR(st.st_mode):
        raise UserError(
            f"{p}: is a folder, not a file; give the path of the export file.",
            id=f"{p}: ini folder, bukan berkas; berikan lokasi berkas ekspor.",
        )
    if not stat.S_ISREG(st.st_mode):
        # A pipe must not be opened just to test it (its writer would lose what it sent).
        if not os.access(p, os.R_OK):
            path_error(p, PermissionError(errno.EACCES, "Permission denied"))
        return st
    try:
        with p.open("rb"):
            pass
    except OSError as exc:
        path_error(p, exc)
    if st.st_size == 0:
        raise UserError(
            f"{p}: the file is empty; export the data again.",
            id=f"{p}: berkas kosong; ekspor ulang datanya.",
        )
    return st


def path_error(p: Path, exc: OSError) -> NoReturn:
    """Why a path cannot be opened, as one sentence (not found, link loop, permission...)."""
    code = exc.errno
    if code == errno.ELOOP:
        raise UserError(
            f"{p}: the symbolic link points to itself in a loop (through other links), so there "
            "is no file to read; fix the link or give the path of the real file.",
            id=f"{p}: tautan simbolik menunjuk dirinya sendiri berputar (lewat tautan lain), jadi "
            "tidak ada berkas untuk dibaca; perbaiki tautannya atau berikan lokasi berkas asli.",
        ) from None
    if code in (errno.ENOENT, errno.ENOTDIR) and p.is_symlink():
        target = os.readlink(p)
        raise UserError(
            f"{p}: the symbolic link points to {target}, which does not exist; fix the link or "
            "give the path of the real file.",
            id=f"{p}: tautan simbolik menunjuk ke {target} yang tidak ada; perbaiki tautannya "
            "atau berikan lokasi berkas asli.",
        ) from None
    if code in (errno.ENOENT, errno.ENOTDIR):
        raise UserError(
            f"{p}: file not found; check the path and try again.",
            id=f"{p}: berkas tidak ditemukan; periksa lokasi berkas lalu coba lagi.",
        ) from None
    if code in (errno.EACCES, errno.EPERM):
        raise UserError(
            f"{p}: no permission to read the file; check its permissions or copy it somewhere "
            "you can read.",
            id=f"{p}: tidak ada izin membaca berkas; periksa izin aksesnya atau salin ke tempat "
            "yang dapat Anda baca.",
        ) from None
    if code == errno.EISDIR:
        raise UserError(
            f"{p}: is a folder, not a file; give the path of the export file.",
            id=f"{p}: ini folder, bukan berkas; berikan lokasi berkas ekspor.",
        ) from None
    reason = exc.strerror or type(exc).__name__
    raise UserError(
        f"{p}: the file cannot be opened ({reason}); check the path and the disk.",
        id=f"{p}: berkas tidak dapat dibuka ({reason}); periksa lokasi dan disknya.",
    ) from None


#: Leading bytes of files that are no data export, what they are and what to do.
_KNOWN_BINARY: tuple[tuple[bytes, str, str, str, str], ...] = (
    (b"\x1f\x8b", "a gzip-compressed file", "unpack it first (e.g. gunzip) and check the file inside",
     "berkas terkompresi gzip", "ekstrak dulu (mis. gunzip) lalu periksa berkas di dalamnya"),
    (b"BZh", "a bzip2-compressed file", "unpack it first and check the file inside",
     "berkas terkompresi bzip2", "ekstrak dulu lalu periksa berkas di dalamnya"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "unpack it first and check the file inside",
     "berkas terkompresi xz", "ekstrak dulu lalu periksa berkas di dalamnya"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first and check the file inside",
     "arsip 7-Zip", "ekstrak dulu lalu periksa berkas di dalamnya"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first and check the file inside",
     "arsip RAR", "ekstrak dulu lalu periksa berkas di dalamnya"),
    (b"%PDF-", "a PDF document", "export the data as CSV or XLSX from the application instead",
     "dokumen PDF", "ekspor datanya sebagai CSV atau XLSX dari aplikasinya"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "give the data export instead",
     "gambar PNG", "berikan berkas ekspor datanya"),
    (b"\xff\xd8\xff", "a JPEG image", "give the data export instead",
     "gambar JPEG", "berikan berkas ekspor datanya"),
    (b"GIF8", "a GIF image", "give the data export instead",
     "gambar GIF", "berikan berkas ekspor datanya"),
)
#: Control bytes that never occur in a text export (tab, LF, CR, form feed, Ctrl-Z excepted).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1A)) + b"\x7f"


def refuse_known_binary(p: Path, head: bytes) -> None:
    suffix = p.suffix.lower()
    for magic, what_en, todo_en, what_id, todo_id in _KNOWN_BINARY:
        if not head.startswith(magic):
            continue
        if suffix in SPREADSHEET_SUFFIXES:
            raise UserError(
                f"{p}: this is {what_en} named {suffix}, not a spreadsheet workbook; {todo_en}.",
                id=f"{p}: ini {what_id} bernama {suffix}, bukan buku kerja spreadsheet; "
                f"{todo_id}.",
            )
        raise UserError(
            f"{p}: this is {what_en}, not a data export; {todo_en}.",
            id=f"{p}: ini {what_id}, bukan ekspor data; {todo_id}.",
        )


def looks_binary(sample: bytes) -> bool:
    """True for bytes no text export holds: more than 1% control bytes other than NUL, or more
    than 10% NUL (UTF-16 text is recognised before this test)."""
    if not sample:
        return False
    nul = sample.count(0)
    other = len(sample) - len(sample.translate(None, _CONTROL_BYTES)) - nul
    return other > 0.01 * len(sample) or nul > 0.10 * len(sample)


def refuse_binary_text(p: Path) -> None:
    raise UserError(
        f"{p}: the file holds binary data, not text separated by commas, semicolons, tabs or "
        "pipes; check that this is the export and not another kind of file.",
        id=f"{p}: berkas berisi data biner, bukan teks berpemisah koma, titik koma, tab atau "
        "garis tegak; pastikan ini berkas ekspor dan bukan jenis berkas lain.",
    )


def zip_is_workbook(p: Path) -> bool:
    """An xlsx/xlsm/xlsb or ods is a zip holding [Content_Types].xml or an ODF mimetype."""
    import zipfile

    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return True  # damaged: let the workbook reader say what it can
    return "[Content_Types].xml" in names or "mimetype" in names


def not_a_workbook_zip(p: Path) -> NoReturn:
    import zipfile

    with zipfile.ZipFile(p) as z:
        inside = [n for n in z.namelist() if not n.endswith("/")]
    shown = ", ".join(inside[:3]) + (", ..." if len(inside) > 3 else "") if inside else "nothing"
    raise UserError(
        f"{p}: this is a ZIP archive (holding {shown}), not a spreadsheet workbook; unpack it "
        "and check the export inside.",
        id=f"{p}: ini arsip ZIP (berisi {shown}), bukan buku kerja spreadsheet; ekstrak lalu "
        "periksa berkas ekspor di dalamnya.",
    )


def refuse_text_workbook_lookalike(p: Path, suffix: str) -> None:
    """A `.xls` that is really an HTML table or Excel 2003 XML (web apps export those): say so.
    Plain delimited text under a spreadsheet name is read as text by the caller."""
    sample = read_head(p, 4096)
    text = sample.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if text.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise UserError(
            f"{p}: this is an Excel 2003 XML spreadsheet named {suffix}; open it in Excel and "
            "save it as .xlsx (or CSV), then check that file.",
            id=f"{p}: ini spreadsheet XML Excel 2003 bernama {suffix}; buka di Excel lalu simpan "
            "sebagai .xlsx (atau CSV), lalu periksa berkas itu.",
        )
    if looks_binary(sample) and not utf16_without_bom(sample):
        raise UserError(
            f"{p}: the file is named {suffix} but is not a spreadsheet workbook; "
            "save it again from Excel as .xlsx or CSV, or give the real file.",
            id=f"{p}: berkas bernama {suffix} tetapi bukan buku kerja spreadsheet; simpan "
            "ulang dari Excel sebagai .xlsx atau CSV, atau berikan berkas yang benar.",
        )


def refuse_html(p: Path, text: str) -> None:
    """A web page saved under an export's name (an HTML table named .xls, or a login page
    downloaded instead of the export)."""
    start = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    if start.startswith(("<!doctype html", "<html", "<table")) or (
        start.startswith("<") and "<table" in start
    ):
        raise UserError(
            f"{p}: this is a web page (HTML), not a data export; if it holds a table, open it "
            "in Excel and save it as .xlsx or CSV, otherwise download the export again.",
            id=f"{p}: ini halaman web (HTML), bukan ekspor data; jika berisi tabel, buka di "
            "Excel lalu simpan sebagai .xlsx atau CSV, jika tidak unduh ulang ekspornya.",
        )


def read_head(p: Path, n: int) -> bytes:
    with p.open("rb") as fh:
        return fh.read(n)


def utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM: mostly-ASCII text has a NUL in every other byte."""
    n = len(sample) - len(sample) % 2
    if n < 4:
        return None
    even, odd = sample[0:n:2], sample[1:n:2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    # The other half holds the characters: text, not control bytes (binary has both).
    if zero_odd > 0.3 and zero_even < 0.05 and not looks_binary(even):
        return "utf-16-le"
    if zero_even > 0.3 and zero_odd < 0.05 and not looks_binary(odd):
        return "utf-16-be"
    return None
