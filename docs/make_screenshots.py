"""Regenerate the report screenshots under docs/img/ (linked from README.md).

    python docs/make_screenshots.py

Needs a headless chromium (Debian: `apt-get install chromium`) and websocket-client (test extra).
The text report is recorded with rich, exported as SVG and photographed in chromium; the HTML
report is photographed as a reader sees it. Both come from examples/dtks_contoh.csv
--as-of 2026-10-31, masked as by default.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import siksval  # noqa: E402
from siksval.report import render  # noqa: E402
from siksval.report.text import make_console, print_report  # noqa: E402
from tests.chromium import Chromium  # noqa: E402

IMG = ROOT / "docs" / "img"
EXAMPLE = ROOT / "examples" / "dtks_contoh.csv"


def text_svg(report: siksval.Report, path: Path) -> None:
    with open(path.with_suffix(".txt"), "w", encoding="utf-8") as sink:
        console = make_console(sink, width=100, force_terminal=True, record=True)
        print_report(console, report, mask=True, max_examples=2, fail_on="error")
    path.with_suffix(".txt").unlink()
    svg = console.export_svg(title="siksval check examples/dtks_contoh.csv")
    # Natural size (rich gives only a viewBox, which a browser scales to the window).
    w, h = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    svg = svg.replace("<svg ", f'<svg width="{w}" height="{h}" ', 1)
    path.write_text(svg, encoding="utf-8")


def element_top(browser: Chromium, selector: str) -> float:
    return browser.evaluate(
        f"document.querySelector('{selector}').getBoundingClientRect().top + window.scrollY")


def main() -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    report = siksval.check(EXAMPLE, as_of="2026-10-31")
    report.sources[0].path = "examples/dtks_contoh.csv"  # not the absolute path of this checkout
    with tempfile.TemporaryDirectory() as tmp:
        svg = Path(tmp) / "teks.svg"
        text_svg(report, svg)
        html = Path(tmp) / "laporan.html"
        render(report, "html", html)
        with Chromium(width=1300, height=900) as b:
            b.open(svg.as_uri())
            box = b.evaluate("(() => { const r = document.querySelector('svg')"
                             ".getBoundingClientRect(); return [r.width, r.height]; })()")
            # The header, the summary per family and the first examples.
            b.screenshot(IMG / "laporan_teks.png",
                         clip={"x": 0, "y": 0, "width": box[0], "height": min(box[1], 1500)})
        with Chromium(width=1500, height=900) as b:
            b.open(html.as_uri())
            b.screenshot(IMG / "laporan_html.png",
                         clip={"x": 0, "y": 0, "width": 1500, "height": 1400})
            top = element_top(b, "#verifikasi")
            b.screenshot(IMG / "laporan_html_verifikasi.png",
                         clip={"x": 0, "y": top - 10, "width": 1500, "height": 900})
    for name in ("laporan_teks.png", "laporan_html.png", "laporan_html_verifikasi.png"):
        print(f"wrote docs/img/{name}")


if __name__ == "__main__":
    main()
