"""The commented default siksval.toml written by `siksval init`, generated from the registry."""

from __future__ import annotations

from siksval.rules import catalogue


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value) + '"'


def default_config_text() -> str:
    """The commented siksval.toml: every key with its default, generated from the registry."""
    cat = catalogue()
    lines = [
        "# Konfigurasi siksval. Semua kunci opsional; nilai yang tertulis adalah bawaan.",
        "# siksval configuration. Every key is optional; the values shown are the defaults.",
        "# Kunci yang sama boleh ditaruh di [tool.siksval] pada pyproject.toml.",
        "# The same keys may go under [tool.siksval] in pyproject.toml.",
        "",
        "# Pilih/abaikan aturan per kode atau awalan; yang paling spesifik menang.",
        "# Rule selection by code or prefix; the most specific entry wins.",
        '# select = ["NIK", "KK", "ELG"]',
        '# ignore = ["NIK009", "SCH006"]',
        "",
        '# fail_on = "error"        # error | warning | info | never',
        '# lang = "id"              # id | en',
        '# dataset = "auto"         # dtks | lksa | lksa_anak | auto',
        "# max_examples = 5",
        "",
        "# Ubah tingkat temuan per kode atau awalan. / Severity overrides by code or prefix.",
        "[severity]",
        '# NIK009 = "warning"',
        '# ELG = "error"',
        "",
        "# Alias judul kolom tambahan: kolom kanonik -> daftar judul (lihat `siksval schema`).",
        "# Extra header aliases: canonical column -> list of headers (see `siksval schema`).",
        "[aliases]",
        '# nik = ["NIK KTP"]',
        '# no_kk = ["NO KARTU KELUARGA"]',
        "",
    ]
    policy_keys: dict[str, object] = {}
    for info in cat.values():
        if info.family in ("ELG", "EXC"):
            policy_keys.update(info.options)
    lines.append("# Kebijakan kelayakan untuk aturan ELG dan EXC (lihat `siksval rules ELG004`).")
    lines.append("# Eligibility policy shared by the ELG and EXC rules (see `siksval rules ELG004`).")
    lines.append("[policy]")
    for key, value in policy_keys.items():
        lines.append(f"# {key} = {_toml_value(value)}")
    lines.append("")
    lines.append("# Opsi aturan tertentu. / Options of single rules.")
    for info in cat.values():
        if not info.options or info.family in ("ELG", "EXC"):
            continue
        lines.append(f"[rules.{info.code}]   # {info.name}")
        for key, value in info.options.items():
            lines.append(f"# {key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
