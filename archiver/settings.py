"""Scrapy settings of the archiver project (``scrapy.cfg`` points here).

Every archiver tunable is named ``ARCHIVER_<COMPONENT>_<NAME>``; override any of them
with ``-s NAME=VALUE`` (scrapy) or the matching ``archiver crawl`` option.
"""

from scrapy.settings import default_settings

BOT_NAME = "archiver"
SPIDER_MODULES = ["archiver.spiders"]
NEWSPIDER_MODULE = "archiver.spiders"

# -- politeness ---------------------------------------------------------------------
ROBOTSTXT_OBEY = True
USER_AGENT = "news-archiver/0.1 (+https://github.com/news-archiver/news-archiver; research archive crawler)"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
#: Outputs of one response (its item and its link requests) processed at a time. Scrapy starts
#: one asyncio task per slot for every response (100 by default), and a page here yields at most
#: one item, so a few slots do the same work (benchmarks/crawl.py -s CONCURRENT_ITEMS=N).
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
ARCHIVER_SITEMAP_MAXSIZE = 64 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
#: A page that still fails is counted and listed in the crawl summary (``Failed: ...``), not an error in the log.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
#: Seconds before the first retry of a failed page; doubled each retry, capped; Retry-After wins.
ARCHIVER_RETRY_BACKOFF_BASE = 1.0
ARCHIVER_RETRY_BACKOFF_MAX = 60.0
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
#: Scrapy's remote-control server (since 2.19 on by default) runs Python code sent to a local
#: port and writes a token file under ~/.local/state/scrapy, left behind when a crawl is killed:
#: off, and not even loaded (see EXTENSIONS_BASE), so a crawl writes nothing outside its data dir.
REMOTE_CONTROL_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    "archiver.middlewares.netguard.NetworkGuardMiddleware": 75,  # before robots.txt: never even ask an internal host
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "archiver.middlewares.retry.BackoffRetryMiddleware": 550,
    "archiver.middlewares.conditional.ConditionalRequestMiddleware": 560,
    # after HttpCompressionMiddleware (590): sees a response before it is decoded, for the WARC capture
    "archiver.middlewares.wire.WireCaptureMiddleware": 595,
}

# -- crawler traps (see archiver/middlewares/traps.py) -------------------------------------------
SPIDER_MIDDLEWARES = {"archiver.middlewares.traps.TrapGuardMiddleware": 950}
ARCHIVER_TRAP_MAX_DEPTH = 12
ARCHIVER_TRAP_MAX_REPEATS = 3
ARCHIVER_TRAP_MAX_QUERY_PARAMS = 4
ARCHIVER_TRAP_CHAIN_LIMIT = 30

# -- archiving ----------------------------------------------------------------------
#: Data directory; empty means $ARCHIVER_DATA_DIR, else ./archive (archiver/datadir.py).
ARCHIVER_DATA_DIR = ""
#: This machine's crawl-state dir when not the data dir's state/ (distributed workers); empty: state/.
ARCHIVER_STATE_DIR = ""
#: Extraction worker processes (archiver/extensions/extraction.py); 0 extracts inline in the crawl process.
ARCHIVER_EXTRACT_WORKERS = None  # None: one per CPU core
#: Pages with fewer words of body text are not articles (a paywalled teaser is kept whatever its length).
ARCHIVER_EXTRACT_MIN_WORDS = 40
#: Page kinds that are archived (archiver/extraction/classify.py): article, liveblog, gallery,
#: video, listing, profile, static, other. The others are counted by kind and left out.
ARCHIVER_EXTRACT_KINDS = ["article"]
#: Points of page-kind signals by name, overriding classify.SIGNALS (0 switches one off),
#: e.g. -s 'ARCHIVER_EXTRACT_KIND_WEIGHTS={"url-static": 0}'.
ARCHIVER_EXTRACT_KIND_WEIGHTS: dict[str, float] = {}
#: Points a non-article kind needs (and more than "article" has) for a page to count as that kind.
ARCHIVER_EXTRACT_KIND_MIN_EVIDENCE = 3.0
#: Keep the raw capture of every archived page in WARC files (warc/), for replay and
#: offline re-extraction: request and response records, revisits for unchanged pages and 304s.
ARCHIVER_STORE_RAW = True
#: Start a new WARC file once the current one reaches this many bytes (records are never split).
ARCHIVER_WARC_MAX_SIZE = 1_000_000_000
#: Also keep robots.txt, sitemaps, feeds and listing pages in the WARC, so the crawl can be reconstructed.
ARCHIVER_WARC_ALL_RESPONSES = False
#: The archive makes records durable in batches of this many pages (1: each page at once)...
ARCHIVER_ARCHIVE_BATCH_SIZE = 32
#: ...or once the oldest waited this many seconds; the batch's stored articles go on to the index then.
ARCHIVER_ARCHIVE_BATCH_SECONDS = 1.0
#: Stop the crawl cleanly when less than this many MB are free on the data dir's disk.
ARCHIVER_MIN_FREE_MB = 50
ARCHIVER_DISK_CHECK_INTERVAL = 1.0
#: Temp files older than this (seconds) are removed when a crawl opens: a killed
#: crawl's unfinished writes. 0 suits one crawl per data dir (the lock guarantees it).
ARCHIVER_TEMP_FILE_MAX_AGE = 0
#: Only archive articles published in this window of ISO days (inclusive; empty: open).
#: Pages clearly outside it (by URL date, feed date, sitemap lastmod) are not fetched.
ARCHIVER_SINCE = ""
ARCHIVER_UNTIL = ""
#: Fetch articles in order of date, newest first (by URL, feed or sitemap dates).
ARCHIVER_NEWEST_FIRST = False
#: Revisit everything: no conditional requests, no skipping by sitemap lastmod.
ARCHIVER_FULL = False
#: Days a page that answered 404/410 is not asked again (unless its sitemap lastmod moves).
ARCHIVER_GONE_RECHECK_DAYS = 30
#: Stop paging an archive after this many listing pages in a row hold no new article link.
ARCHIVER_STALE_LISTING_PAGES = 2
ARCHIVER_INDEX_ENABLED = True
#: The index commits every this many stored articles...
ARCHIVER_INDEX_BATCH_SIZE = 200
#: ...or once the oldest uncommitted one waited this many seconds (0: only by batch and at the end).
ARCHIVER_INDEX_COMMIT_INTERVAL = 10
#: Live progress line on stderr (only when stderr is a terminal).
ARCHIVER_PROGRESS = True
#: Seconds a crawl may take to stop gracefully after Ctrl-C, SIGTERM or SIGHUP before it
#: ends at once (as after kill -9, which the next run recovers from); 0: wait for ever.
ARCHIVER_STOP_TIMEOUT = 10

# -- distributed crawling on Redis (archiver/distributed/) -------------------------
#: Redis URL of a distributed crawl (``--redis``); empty: the single-machine crawl.
ARCHIVER_REDIS_URL = ""
#: Seconds a worker's heartbeat lives: a worker silent this long counts as dead, and
#: the requests it had leased go back to the shared queue.
ARCHIVER_REDIS_WORKER_TTL = 30

ITEM_PIPELINES = {
    "archiver.pipelines.extract.ExtractPipeline": 100,
    "archiver.pipelines.archive.ArchivePipeline": 200,
    "archiver.pipelines.index.IndexPipeline": 300,
}
DUPEFILTER_CLASS = "archiver.dupefilters.SessionDupeFilter"
#: Scrapy's own extensions but the telnet console and the remote-control server, which a crawl
#: never runs. They are left out of the base list rather than set to None in EXTENSIONS because
#: Scrapy imports every module named in EXTENSIONS to compare its keys, None or not: the
#: remote control's import pulls in aiohttp (about 0.3 s of CPU in every crawl process).
EXTENSIONS_BASE = {path: order for path, order in default_settings.EXTENSIONS_BASE.items()
                   if path not in ("scrapy.extensions.remote_control.RemoteControl",
                                   "scrapy.extensions.telnet.TelnetConsole")}
EXTENSIONS = {
    "archiver.extensions.lock.CrawlLock": 0,
    "archiver.extensions.diskguard.DataDirGuard": 10,
    # the extraction workers, shared by the spider (one parse per page: extraction and links)
    "archiver.extensions.extraction.ExtractionPool": 100,
    "archiver.extensions.frontier.SavedFrontier": 520,
    "archiver.extensions.progress.ProgressLine": 500,
    "archiver.extensions.runlog.RunLog": 510,
}
LOG_LEVEL = "INFO"
LOG_FORMATTER = "archiver.logformatter.QuietDropsFormatter"
FEED_EXPORT_ENCODING = "utf-8"
