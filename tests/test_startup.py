"""What a crawl process loads before its first request: nothing it never runs.

Scrapy builds a crawler's extensions from ``EXTENSIONS_BASE`` plus ``EXTENSIONS``, and
imports every module named in ``EXTENSIONS`` to compare the two, even one set to None; the
remote-control server's module imports aiohttp (about 0.3 s of CPU in each crawl process,
which every cron run, test crawl and distributed worker pays).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: The crawl's settings (archiver.crawl.crawl_settings), then the extension list Scrapy's
#: ExtensionManager builds from them, each class loaded as the manager loads it.
EXTENSIONS_OF_A_CRAWL = """
import json, sys
from pathlib import Path
from scrapy.extension import ExtensionManager
from scrapy.utils.misc import load_object
from archiver.crawl import CrawlOptions, crawl_settings
from archiver.datadir import DataDir

settings = crawl_settings(CrawlOptions(urls=["http://127.0.0.1/"], data_dir=DataDir(Path(sys.argv[1]))),
                          Path(sys.argv[1]) / "crawl.log")
names = ExtensionManager._get_mwlist_from_settings(settings)
for name in names:
    load_object(name)
print(json.dumps({"extensions": names,
                  "imported": [m for m in ("aiohttp", "scrapy.extensions.remote_control", "twisted.conch.telnet")
                               if m in sys.modules]}))
"""


def test_a_crawl_never_imports_the_remote_control_or_the_telnet_console(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", EXTENSIONS_OF_A_CRAWL, str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert loaded["imported"] == []
    assert "archiver.extensions.lock.CrawlLock" in loaded["extensions"]
    assert "scrapy.extensions.corestats.CoreStats" in loaded["extensions"]  # Scrapy's own are still there
