"""Export rate and peak memory on a large synthetic archive (memory must stay flat).

Writes N synthetic article records straight into a store (no crawl), then times
``archiver export --format F --out FILE`` for each format in a child process and reads its
peak RSS, at two sizes, so flat memory is visible as equal peaks.

    python benchmarks/export.py                    # N = 20,000 and 100,000
    python benchmarks/export.py --sizes 5000,20000
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archiver.storage.dedup import content_hash
from archiver.items import Article
from archiver.storage.records import ArticleStore

WORDS = "the city council voted contract immigration police budget school water mayor report court state".split()


def build_store(data_dir: Path, n: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    store = ArticleStore(data_dir)
    for i in range(n):
        text = "\n\n".join(" ".join(rng.choices(WORDS, k=100)) for _ in range(6))
        day = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        url = f"https://news.example/{day.replace('-', '/')}/story-{i}/"
        store.write(Article(id=f"{i:016x}", url=url, urls=[url], site="news.example", title=f"Story {i}",
                            authors=["Jane Doe"], published=day, modified=None, text=text, description=None,
                            categories=["News"], tags=["city"], language="en", word_count=len(text.split()),
                            content_hash=content_hash(text), fetched_at="2026-11-29T00:00:00+00:00"))


def export_once(data_dir: Path, fmt: str, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one export in a fresh process."""
    code = (
        "import resource, sys\n"
        "from archiver.cli.commands import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, "export", "--format", fmt, "--out", str(out),
                             "--data-dir", str(data_dir)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000,100000")
    args = parser.parse_args()
    print(f"{'records':>8} {'format':>8} {'seconds':>8} {'records/s':>10} {'peak RSS MB':>11} {'file MB':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "archive"
            build_store(data_dir, n)
            for fmt in ("jsonl", "csv", "parquet"):
                out = Path(tmp) / f"out.{fmt}"
                seconds, rss = export_once(data_dir, fmt, out)
                print(f"{n:>8} {fmt:>8} {seconds:>8.1f} {n / seconds:>10.0f} {rss:>11.0f} "
                      f"{out.stat().st_size / 1e6:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
