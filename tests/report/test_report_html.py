"""The HTML report in a real headless browser (Debian's chromium over the DevTools protocol):
it renders, the script runs under the strict CSP, sorting and filtering work, and the page
makes no network request at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from siksval.report import render
from tests.chromium import Chromium, find_chromium
from tests.report.conftest import diff_like_report

pytest.importorskip("websocket", reason="websocket-client (test extra) drives chromium")


def test_html_is_self_contained(example_report) -> None:
    html = render(example_report, "html")
    assert html.startswith("<!DOCTYPE html>")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    # Nothing fetched: no remote or relative resource of any kind.
    assert not re.search(r'\b(src|href)="(?!#)', html), "only in-page anchors"
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "@import" not in html and "url(" not in html
    for needle in ("<svg", "tbl-summary", "tbl-worklist", "tbl-examples", "GAGAL",
                   "Keluarga yang perlu diverifikasi", "ELG001", "SIDOHARJO"):
        assert needle in html, needle


@pytest.fixture(scope="module")
def browser():
    binary = find_chromium()
    if binary is None:
        pytest.skip("no chromium found (apt-get install chromium, or set SIKSVAL_CHROMIUM)")
    with Chromium(binary, width=1280, height=900) as b:
        yield b


SUMMARY_COUNTS = """Array.from(document.querySelectorAll('#tbl-summary tbody tr'))
  .map(r => Number(r.cells[3].dataset.sort))"""


@pytest.mark.browser
def test_html_renders_sorts_filters_offline(example_report, browser, tmp_path: Path) -> None:
    path = tmp_path / "laporan.html"
    render(example_report, "html", path)
    url = path.resolve().as_uri()
    browser.open(url)
    assert browser.evaluate("document.title").startswith("Laporan pemeriksaan siksval")
    assert browser.evaluate("document.querySelectorAll('svg.chart rect').length") > 30
    n_rules = browser.evaluate("document.querySelectorAll('#tbl-summary tbody tr').length")
    assert n_rules == len(example_report.counts())
    assert browser.evaluate("document.querySelector('#tbl-summary').offsetHeight") > 300

    # Sorting: click "Jumlah" (count) -> ascending, again -> descending.
    before = browser.evaluate(SUMMARY_COUNTS)
    assert before != sorted(before), "the fixture must start unsorted by count"
    browser.evaluate("document.querySelectorAll('#tbl-summary thead th')[3].click()")
    assert browser.evaluate(SUMMARY_COUNTS) == sorted(before)
    browser.evaluate("document.querySelectorAll('#tbl-summary thead th')[3].click()")
    assert browser.evaluate(SUMMARY_COUNTS) == sorted(before, reverse=True)
    assert browser.evaluate(
        "document.querySelectorAll('#tbl-summary thead th')[3].getAttribute('aria-sort')"
    ) == "descending"

    # Filtering the worklist by a village keeps only its households.
    shown = browser.evaluate("""(() => {
      const input = document.querySelector('input[data-filter="tbl-worklist"]');
      input.value = 'sidoharjo';
      input.dispatchEvent(new Event('input'));
      return Array.from(document.querySelectorAll('#tbl-worklist tbody tr'))
        .filter(r => !r.hidden).map(r => r.cells[2].textContent);
    })()""")
    assert shown and set(shown) == {"SIDOHARJO"}

    # Offline: the page itself is the only request; no resource was even attempted.
    assert browser.requests() == [url]
    assert browser.evaluate("performance.getEntriesByType('resource').length") == 0
    assert not browser.console_errors(), browser.console_errors()


@pytest.mark.browser
def test_html_generic_report_renders(browser, tmp_path: Path) -> None:
    path = tmp_path / "diff.html"
    render(diff_like_report("en"), "html", path)
    browser.open(path.resolve().as_uri())
    text = browser.evaluate("document.body.innerText")
    assert "Counts of changes" in text and "Per village" in text and "Cluster 1" in text
    assert "S. A." in text and "SITI AMINAH" not in text
    assert not browser.console_errors()
