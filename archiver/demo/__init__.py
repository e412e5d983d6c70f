"""The bundled demo news site: a deterministic WordPress-like site served on 127.0.0.1.

``site.DemoSite`` generates the site (and is the ground truth), ``server.DemoServer``
serves it, ``pages``/``feeds`` render HTML and XML, ``text`` makes the prose.
"""
