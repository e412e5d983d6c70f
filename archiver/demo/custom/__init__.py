"""The second demo publisher: a custom-CMS news site (``archiver demo --flavour custom``)."""

from archiver.demo.custom.site import CustomSite

__all__ = ["CustomSite"]
