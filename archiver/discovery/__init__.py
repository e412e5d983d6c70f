"""Where articles are found: robots.txt, sitemaps, feeds, URL shapes, date windows, site profiles.

Pure functions and plain data; the spider (:mod:`archiver.spiders.news`) fetches.
"""
