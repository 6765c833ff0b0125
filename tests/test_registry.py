"""Meta-tests on the rule registry: metadata, documentation, translations, layering."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from siksval.docgen import DOC_PATH, render_rules_md
from siksval.rules import catalogue

SECTIONS = ("What it does:", "Why it matters:", "Example:", "How to fix:")
PKG = Path(__file__).resolve().parent.parent / "siksval"


@pytest.mark.parametrize("code", list(catalogue()))
def test_rule_metadata_and_doc(code: str) -> None:
    info = catalogue()[code]
    assert re.fullmatch(r"[A-Z]{2,3}\d{3}", info.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", info.name), info.name
    positions = [info.doc.find(s) for s in SECTIONS]
    assert all(p >= 0 for p in positions), f"{code} docstring lacks one of {SECTIONS}"
    assert positions == sorted(positions), f"{code} docstring sections out of order"
    for lang in ("id", "en"):
        assert info.message.get(lang), f"{code} has no {lang} message"
        assert info.summary.get(lang), f"{code} has no {lang} summary"
    # Both languages use the same template parameters.
    params = {lang: set(re.findall(r"{(\w+)", info.message[lang])) for lang in ("id", "en")}
    assert params["id"] == params["en"], f"{code} message parameters differ between id and en"


def test_docs_rules_md_is_current() -> None:
    current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
    assert current == render_rules_md(), "docs/rules.md is stale: run `python -m siksval.docgen`"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_layering() -> None:
    """model imports nothing from siksval; rules, dedupe and api never import cli or report."""
    model_imports = {n for n in _imports(PKG / "model.py") if n.startswith("siksval")}
    # model may import the report package lazily inside Report._format only.
    assert model_imports <= {"siksval.report"}, model_imports
    src = (PKG / "model.py").read_text(encoding="utf-8")
    assert "\nfrom siksval" not in src and "\nimport siksval" not in src, "model imports siksval at top level"
    for sub in ("rules", "dedupe", "linkage"):
        for path in (PKG / sub).rglob("*.py") if (PKG / sub).exists() else []:
            bad = {n for n in _imports(path) if n.startswith(("siksval.cli", "siksval.report"))}
            assert not bad, f"{path} imports {bad}"
    bad = {n for n in _imports(PKG / "api.py") if n.startswith(("siksval.cli", "siksval.report"))}
    assert not bad, f"api.py imports {bad}"
