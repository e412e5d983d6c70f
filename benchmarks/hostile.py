"""Requests per crawler trap and the failure summary of one crawl of the hostile fixture site.

Serves ``tests/hostile_site.py`` (traps, redirect loops, faults, bad content around 22
good articles), crawls it with ``archiver crawl`` as the tests do, and prints the summary,
the total request count and the requests each trap cost (bound: ~30 per trap family).

    python benchmarks/hostile.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_site import TRAPS, HostileServer, build_site  # noqa: E402

FAST = ["--workers", "0", "--set", "DOWNLOAD_TIMEOUT=2", "--set", "ARCHIVER_RETRY_BACKOFF_BASE=0.1",
        "--set", "DOWNLOAD_MAXSIZE=1000000"]


def main() -> None:
    site = build_site()
    with HostileServer(site) as server, tempfile.TemporaryDirectory() as data_dir:
        done = subprocess.run([sys.executable, "-m", "archiver", "crawl", server.base_url + "/", "--data-dir", data_dir,
                               *FAST], capture_output=True, text=True)
        print(f"exit {done.returncode}\n{done.stdout.strip()}")
        print(f"requests: {len(server.hits)} for {len(site.articles)} good articles")
        for prefix in TRAPS:
            hits = [h.path for h in server.hits if h.path.startswith(prefix)]
            print(f"trap {prefix:10} {len(set(hits)):4d} URLs requested ({len(hits)} requests with retries)")


if __name__ == "__main__":
    main()
