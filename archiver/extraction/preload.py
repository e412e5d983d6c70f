"""What an extraction worker loads before its first page, done once in the forkserver.

Imported by multiprocessing's forkserver (:func:`archiver.shutdown.start_forkserver`), so
every worker forked from it starts with the extractor imported and trafilatura's union
of jusText stop-word lists (which it builds on the first page of an unknown language,
~0.4 s) already built, instead of each worker doing both again.
"""

from trafilatura.external import jt_stoplist_init

from archiver.extraction import extract  # noqa: F401  (imported for the workers)

jt_stoplist_init()
