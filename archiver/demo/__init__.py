"""The bundled demo news sites, served on 127.0.0.1: the ground truth of the end-to-end tests.

Two flavours (``archiver demo --flavour``): ``wordpress``, a WordPress news site
(``site.DemoSite`` generates it and is its ground truth, ``pages``/``feeds`` render HTML
and XML, ``text`` makes the prose), and ``custom``, a custom-CMS publisher of another
shape (``custom.CustomSite``). ``server.DemoServer`` serves either.
"""

from archiver.demo.custom import CustomSite
from archiver.demo.site import DemoSite

#: The demo publishers by name.
FLAVOURS: dict[str, type[DemoSite] | type[CustomSite]] = {"wordpress": DemoSite, "custom": CustomSite}
