"""A headless Chromium for browser tests and screenshots: Debian's chromium and chromedriver, driven by Selenium.

The browser and its driver are the system's (``apt-get install chromium chromium-driver``);
Selenium is given the driver's path, so Selenium Manager never looks for one on the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = None if CHROMIUM and CHROMEDRIVER else "needs Debian's chromium and chromium-driver (.ci/run installs them)"


@contextmanager
def headless_chromium(profile: Path, downloads: Path, *, width: int = 1200, height: int = 900) -> Iterator:
    """A fresh headless Chromium (its own profile dir) that saves downloads into ``downloads``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    previous = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager, should anything wake it, stays offline
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    finally:
        if previous is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = previous
    try:
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()


@contextmanager
def serving(data_dir: Path, port: int) -> Iterator[str]:
    """``archiver serve`` of ``data_dir`` on 127.0.0.1:``port`` in a process of its own; yields its URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVER_")}
    process = subprocess.Popen([sys.executable, "-m", "archiver", "serve", "--data-dir", str(data_dir),
                                "--port", str(port)], stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        if "Serving" not in line:
            raise RuntimeError(f"archiver serve did not start: {line}{process.stderr.read()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.communicate(timeout=30)


def wait_for_file(folder: Path, pattern: str, timeout: float = 60) -> Path:
    """The first complete download matching ``pattern`` in ``folder``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {pattern} downloaded into {folder}: {[p.name for p in folder.iterdir()]}")
