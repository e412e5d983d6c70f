"""For tools that still run ``setup.py`` (scrapyd-deploy builds its egg with ``setup.py
bdist_egg``): everything, the ``[scrapy] settings`` entry point included, is in pyproject.toml.
Without this file scrapyd-deploy writes its own, whose settings pyproject.toml overrides."""

from setuptools import setup

setup()
