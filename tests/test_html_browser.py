"""The HTML report in a real headless browser: injected markup stays inert, highlights render.

Needs Debian's chromium (installed by scripts/services/chromium.sh); the tests fail, never skip,
when it is missing.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import article, story

from syndet.detector import Detector
from syndet.report.html import to_html

CHROMIUM = Path("/usr/bin/chromium")
SHARED = ("Officials from both countries met for nearly seven hours on Monday in an attempt to ease tensions "
          "along the border <script>document.title='pwned';document.body.setAttribute('data-pwned','1');"
          "</script><img src=x onerror=\"document.body.setAttribute('data-pwned','2')\"> but neither side "
          "reported any breakthrough after the closed-door session ended late in the evening.\n")


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/services/chromium.sh", pytrace=False)
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = Detector().scan([article("wire", "GENEVA (AP) — " + SHARED + story(40, 1)),
                              article("site", story(41, 1) + "\n" + SHARED.replace("Monday", "Monday,"))])
    assert result.passages
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(result, title="syndet scan"), encoding="utf-8")
    return path


def test_injected_script_is_inert_and_highlights_render(page: Path) -> None:
    dom = chromium("--dump-dom", page.as_uri()).stdout
    assert "<title>syndet scan</title>" in dom and "pwned" in dom  # the text is shown...
    assert "data-pwned" not in dom.split("<main>")[0]  # ...but never ran: body has no such attribute
    assert 'data-pwned="' not in dom and "<script" not in dom and "<img" not in dom
    assert dom.count("<mark") >= 4
    assert '<span class="badge k-agency">agency</span>' in dom


def test_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
