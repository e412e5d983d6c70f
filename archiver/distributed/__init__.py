"""Distributed crawling on Redis: the shared frontier, the workers' scheduler, seeding runs and workers."""
