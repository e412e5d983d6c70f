"""Summarise a py-spy speedscope profile as text: where each thread's samples went.

``py-spy record --format speedscope`` writes one profile per thread; speedscope.app shows
them as flame graphs, but a report needs numbers. This prints, for each thread with at
least ``--min-share`` of the samples, the functions with the most *self* time and the
most *inclusive* time (a function counted once per sample however deep it recurses),
and splits its samples into the crawl's stages (:data:`STAGES`): a sample belongs to
the first stage, in that order, with a frame on its stack.

    py-spy record --subprocesses --format speedscope -o crawl.json -- python -m archiver crawl URL
    python benchmarks/pyspy_summary.py crawl.json --top 15
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any


#: Crawl stages and the frame labels (substrings of "function (path:line)", paths relative to
#: site-packages, the standard library or this project) that mark them, in order of precedence.
STAGES = (
    ("index: Whoosh upserts and commits", ("IndexPipeline", "archiver/pipelines/index.py", "(index/", "whoosh/")),
    ("extraction: hand-off to the workers (or inline extraction)",
     ("ExtractPipeline", "archiver/pipelines/extract.py", "archiver/extensions/extraction.py", "archiver/extraction/",
      "trafilatura/")),
    ("archive hand-off and the archive thread", ("ArchivePipeline", "archiver/pipelines/archive.py", "archiver/storage/")),
    ("spider: parsing pages, links, sitemaps, feeds",
     ("archiver/spiders/", "parsel/", "archiver/discovery/", "archiver/responses.py", "archiver/urls.py")),
    ("archiver middlewares: traps, conditional requests, net guard, wire capture", ("archiver/middlewares/",)),
    ("HTTP download (Scrapy/Twisted client)", ("scrapy/core/downloader/", "twisted/web/", "HTTP11", "twisted/internet/tcp")),
    ("scheduler, disk queue, dupefilter", ("scrapy/core/scheduler", "dupefilters", "queuelib/", "squeues", "pqueues")),
    ("other Scrapy (engine, scraper, middlewares, signals, stats)", ("scrapy/",)),
    ("reactor and asyncio loop", ("asyncio/", "twisted/")),
)
#: Where a frame's file path starts being worth showing.
PATH_MARKERS = ("site-packages/", f"{Path(__file__).resolve().parents[1]}/", "lib/python3")


def stage_of(labels: list[str]) -> str:
    for stage, marks in STAGES:
        if any(mark in label for label in labels for mark in marks):
            return stage
    return "other"


def _label(frame: dict[str, Any]) -> str:
    file = str(frame.get("file") or "")
    for marker in PATH_MARKERS:
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{frame['name']} ({file}:{frame.get('line')})"


def summarise(path: Path, top: int, min_share: float, match: str | None) -> None:
    data = json.loads(path.read_text())
    frames = [_label(f) for f in data["shared"]["frames"]]
    profiles = data["profiles"]
    total = sum(sum(p["weights"]) for p in profiles)
    print(f"{path}: {total:.1f} s of samples in {len(profiles)} threads")
    for profile in profiles:
        seconds = sum(profile["weights"])
        if seconds < total * min_share:
            continue
        own: Counter[str] = Counter()
        inclusive: Counter[str] = Counter()
        stages: Counter[str] = Counter()
        for stack, weight in zip(profile["samples"], profile["weights"]):
            labels = [frames[i] for i in stack]
            if labels:
                own[labels[-1]] += weight
            for name in set(labels):
                inclusive[name] += weight
            stages[stage_of(labels)] += weight
        print(f"\n== {profile['name']}: {seconds:.1f} s")
        print("  stages:")
        for name, value in stages.most_common():
            print(f"    {value:7.2f} s {100 * value / seconds:5.1f}%  {name}")
        print("  self:")
        for name, value in own.most_common(top):
            print(f"    {value:7.2f} s {100 * value / seconds:5.1f}%  {name}")
        print("  inclusive:")
        shown = [(n, v) for n, v in inclusive.most_common() if match is None or match in n][:top]
        for name, value in shown:
            print(f"    {value:7.2f} s {100 * value / seconds:5.1f}%  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--min-share", type=float, default=0.02, help="skip threads with less of the samples")
    parser.add_argument("--match", help="list only inclusive entries whose label contains this")
    args = parser.parse_args()
    summarise(args.profile, args.top, args.min_share, args.match)


if __name__ == "__main__":
    main()
