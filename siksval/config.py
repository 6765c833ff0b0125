"""Configuration: `siksval.toml` or `[tool.siksval]` in pyproject.toml, merged with CLI options.

One place for defaults. Rule options live with their rules (the registry); this module only
carries what the user overrides: select/ignore, severities, rule options, policy, aliases.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from siksval.errors import UserError
from siksval.model import Severity

CONFIG_FILENAMES = ("siksval.toml", "pyproject.toml")


@dataclass
class Config:
    """User configuration. Empty lists/dicts mean "use the defaults"."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    #: per-rule options, keyed by code (e.g. {"DEM002": {"max_age": 110}})
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: eligibility policy thresholds shared by the ELG/EXC family
    policy: dict[str, Any] = field(default_factory=dict)
    #: extra header aliases: canonical column -> list of header spellings
    aliases: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str | None = None
    lang: str | None = None
    dataset: str | None = None
    max_examples: int | None = None
    path: str | None = None

    # -- rule selection ------------------------------------------------------------------
    def is_selected(self, code: str) -> bool:
        """Most specific prefix wins between select and ignore (`NIK` vs `NIK007`)."""
        sel = _longest_match(code, self.select) if self.select else 0
        ign = _longest_match(code, self.ignore)
        if self.select and sel == 0:
            return False
        return not (ign > sel or (ign and not self.select))

    def severity_for(self, code: str, default: Severity) -> Severity:
        """Severity override: the most specific code prefix wins."""
        best, best_len = default, 0
        for prefix, sev in self.severity.items():
            if code.upper().startswith(prefix.upper()) and len(prefix) > best_len:
                best, best_len = sev, len(prefix)
        return best

    def options_for(self, code: str, defaults: dict[str, Any]) -> dict[str, Any]:
        """Rule options: defaults, then policy keys the rule knows, then per-rule overrides."""
        merged = dict(defaults)
        for key, value in self.policy.items():
            if key in merged:
                merged[key] = value
        for key, value in self.rules.get(code.upper(), {}).items():
            merged[key] = value
        return merged


def _longest_match(code: str, prefixes: list[str]) -> int:
    best = 0
    for p in prefixes:
        if code.upper().startswith(p.upper()):
            best = max(best, len(p))
    return best


def _as_list(value: Any, key: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    raise UserError(
        f"{where}: `{key}` must be a list of codes, e.g. [\"NIK\", \"DUP003\"].",
        id=f"{where}: `{key}` harus berupa daftar kode, mis. [\"NIK\", \"DUP003\"].",
    )


def known_keys() -> list[str]:
    """The top-level keys a siksval.toml may hold: the fields of Config (but its own path)."""
    return [f.name for f in fields(Config) if f.name != "path"]


def _check_keys(data: dict[str, Any], where: str) -> None:
    """A misspelt key (`ignor`, `[alias]`) would be silently ignored: say so instead."""
    known = known_keys()
    unknown = [str(k) for k in data if k not in known]
    if not unknown:
        return
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(key.lower(), known, n=1)
        hints.append(f"{key!r} (did you mean {close[0]!r}?)" if close else repr(key))
    plural = "s" if len(unknown) > 1 else ""
    raise UserError(
        f"{where}: unknown key{plural} {', '.join(hints)}; the keys siksval knows are "
        f"{', '.join(known)} — fix or remove {'them' if plural else 'it'}.",
        id=f"{where}: kunci tidak dikenal {', '.join(hints).replace('did you mean', 'maksudnya')}; "
        f"kunci yang dikenal siksval: {', '.join(known)} — perbaiki atau hapus.",
    )


def from_mapping(data: dict[str, Any], where: str = "config") -> Config:
    """Build a Config from the `[tool.siksval]` / siksval.toml table."""
    if not isinstance(data, dict):
        raise UserError(
            f"{where}: the siksval configuration must be a table of keys.",
            id=f"{where}: konfigurasi siksval harus berupa tabel kunci.",
        )
    _check_keys(data, where)
    cfg = Config(path=where)
    cfg.select = _as_list(data.get("select"), "select", where)
    cfg.ignore = _as_list(data.get("ignore"), "ignore", where)
    for code, sev in (data.get("severity") or {}).items():
        try:
            cfg.severity[str(code).upper()] = Severity.parse(sev)
        except ValueError as exc:
            raise UserError(
                f"{where}: severity of {code}: {exc}.",
                id=f"{where}: tingkat untuk {code} tidak dikenal; gunakan error, warning atau info.",
            ) from None
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise UserError(
            f"{where}: [rules] must be a table of rule codes.",
            id=f"{where}: [rules] harus berupa tabel kode aturan.",
        )
    cfg.rules = {str(k).upper(): dict(v) for k, v in rules.items() if isinstance(v, dict)}
    policy = data.get("policy") or {}
    if not isinstance(policy, dict):
        raise UserError(
            f"{where}: [policy] must be a table of thresholds.",
            id=f"{where}: [policy] harus berupa tabel ambang batas.",
        )
    cfg.policy = dict(policy)
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise UserError(
            f"{where}: [aliases] must map canonical columns to lists of headers.",
            id=f"{where}: [aliases] harus memetakan kolom kanonik ke daftar judul kolom.",
        )
    cfg.aliases = {
        str(k).strip().lower(): _as_list(v, f"aliases.{k}", where) for k, v in aliases.items()
    }
    cfg.fail_on = data.get("fail_on")
    cfg.lang = data.get("lang")
    cfg.dataset = data.get("dataset")
    cfg.max_examples = data.get("max_examples")
    return cfg


def load(path: str | Path | None = None, start: str | Path | None = None) -> Config:
    """Load the config from `path`, or find siksval.toml / pyproject.toml upwards from `start`."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise UserError(
                f"Config file {p} not found; check the --config path.",
                id=f"Berkas konfigurasi {p} tidak ditemukan; periksa lokasi --config.",
            )
        return _load_file(p)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                cfg = _load_file(candidate, optional=name == "pyproject.toml")
                if cfg is not None:
                    return cfg
    return Config()


def _load_file(p: Path, optional: bool = False) -> Config | None:
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(
            f"Config file {p} is not valid TOML ({exc}); fix or remove it.",
            id=f"Berkas konfigurasi {p} bukan TOML yang sah ({exc}); perbaiki atau hapus.",
        ) from None
    if p.name == "pyproject.toml":
        table = data.get("tool", {}).get("siksval")
        if table is None:
            return None if optional else Config(path=str(p))
        return from_mapping(table, str(p))
    # siksval.toml may use a [tool.siksval] table too, or put the keys at top level.
    tool = data.get("tool")
    if isinstance(tool, dict) and "siksval" in tool:
        return from_mapping(tool["siksval"], str(p))
    return from_mapping(data, str(p))
