"""Distributed crawling on Redis: the shared frontier, the workers' scheduler, seeding runs and workers."""

#: Finish reason of a worker that met a site seeded after it started (here, not beside the
#: Redis client, so that the CLI can name it without importing the optional redis package).
NEW_SEEDS = "new_seeds"
