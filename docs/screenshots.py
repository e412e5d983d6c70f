"""The README's screenshots of the web view: the demo site crawled twice (one article corrected
in between), ``archiver serve`` on it, and the pages taken in the headless Chromium the browser
tests use (Debian's chromium and chromium-driver).

    python docs/screenshots.py            # writes docs/web-search.png and docs/web-article.png
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from archiver.demo.server import DemoServer  # noqa: E402
from archiver.demo.site import DemoSite  # noqa: E402
from archiver.urls import article_id  # noqa: E402
from tests.browser import MISSING, headless_chromium, serving  # noqa: E402
from tests.conftest import free_port  # noqa: E402

QUERY = "council budget"
CORRECTION = "Correction: an earlier version of this article misstated the council's vote."


def crawl(url: str, data_dir: Path) -> None:
    subprocess.run([sys.executable, "-m", "archiver", "crawl", url, "--data-dir", str(data_dir), "--quiet"],
                   check=True)


def save_small(png: bytes, path: Path) -> None:
    """The screenshot with a 64-colour palette: a third of the bytes, the same to a reader."""
    from PIL import Image  # Pillow comes with the test extra (matplotlib)

    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64).save(path, optimize=True)


def main() -> None:
    if MISSING:
        sys.exit(MISSING)
    site = DemoSite(articles=120, seed=7)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        data_dir = Path(tmp) / "archive"
        with DemoServer(site) as server:
            crawl(server.url, data_dir)
            edited = site.articles[-5]
            paragraphs = edited.paragraphs
            site.update(edited.number, new_paragraphs=[paragraphs[0].replace(" the ", " the city's ", 1),
                                                       *paragraphs[1:], CORRECTION])
            crawl(server.url, data_dir)
            edited_id = article_id(server.base_url + edited.path)
        with serving(data_dir, free_port()) as url, \
                headless_chromium(Path(tmp) / "profile", Path(tmp) / "downloads", width=1100, height=1000) as browser:
            browser.get(f"{url}/?q={QUERY.replace(' ', '+')}&sort=relevance")
            save_small(browser.get_screenshot_as_png(), REPO / "docs" / "web-search.png")
            browser.get(f"{url}/articles/{edited_id}")
            save_small(browser.get_screenshot_as_png(), REPO / "docs" / "web-article.png")
    print("wrote docs/web-search.png and docs/web-article.png")


if __name__ == "__main__":
    main()
