"""HTML templates of the demo site, modelled on a WordPress news theme with Yoast and Jetpack.

The chrome around articles (menus, sidebar, share buttons, author box, related posts,
newsletter box, comments) is deliberately rich: an extractor must leave all of it out.
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from archiver.demo import text
from archiver.demo.model import DemoArticle, Listing, other_host

if TYPE_CHECKING:
    from archiver.demo.site import DemoSite

TEXTURIZE = str.maketrans({"’": "&#8217;", "“": "&#8220;", "”": "&#8221;", "—": "&#8212;", "…": "&#8230;"})
TAGLINE = "Independent news for working people"
STYLE = ("<style id='theme-inline-css'>body{font-family:Georgia,serif;margin:0}.site-header{background:#111;color:#fff}"
         ".screen-reader-text{position:absolute;left:-9999px}.entry-content p{line-height:1.6}"
         ".widget-area{font-size:.9em}.sharedaddy li{display:inline-block}</style>")
SCRIPTS = ('<script type="text/javascript">window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core'
           '\\/emoji\\/12.0.0-1\\/72x72\\/","ext":".png","source":{"concatemoji":"\\/wp-includes\\/js\\/wp-emoji-release'
           '.min.js?ver=5.2.4"}};</script>\n<script src="https://www.googletagmanager.com/gtag/js?id=UA-00000000-1" '
           'async></script>')

STATIC_PAGES = text.STATIC_PAGES


def esc(value: str) -> str:
    """HTML-escape and texturize (curly quotes as numeric entities, like WordPress)."""
    return html.escape(value).translate(TEXTURIZE)


def human_date(iso_date: str) -> str:
    year, month, day = iso_date[:4], int(iso_date[5:7]), int(iso_date[8:10])
    return f"{text.MONTHS[month - 1]} {day}, {year}"


def _ld(data: dict) -> str:
    body = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{body}</script>'


def _head(site: DemoSite, base: str, title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="profile" href="https://gmpg.org/xfn/11">\n<title>{esc(title)}</title>\n{extra}'
        f'<link rel="alternate" type="application/rss+xml" title="{esc(site.name)} &raquo; Feed" href="{base}/feed/" />\n'
        f'<link rel="alternate" type="application/rss+xml" title="{esc(site.name)} &raquo; Comments Feed" '
        f'href="{base}/comments/feed/" />\n<link rel="https://api.w.org/" href="{base}/wp-json/" />\n'
        f'<meta name="generator" content="WordPress 5.2.4" />\n{STYLE}\n{SCRIPTS}\n</head>\n'
    )


def _header(site: DemoSite, base: str) -> str:
    menu = "".join(f'<li class="menu-item menu-item-type-taxonomy"><a href="{base}/category/{site.category_slugs[c]}/">'
                   f"{esc(c)}</a></li>" for c in text.CATEGORIES[:7])
    menu += "".join(f'<li class="menu-item"><a href="{base}{p}">{esc(STATIC_PAGES[p][0])}</a></li>'
                    for p in ("/about/", "/contact/"))
    return (
        f'<div id="page" class="site">\n<a class="skip-link screen-reader-text" href="#content">Skip to content</a>\n'
        f'<header id="masthead" class="site-header">\n<div class="site-branding"><p class="site-title">'
        f'<a href="{base}/" rel="home">{esc(site.name)}</a></p><p class="site-description">{TAGLINE}</p></div>\n'
        f'<nav id="site-navigation" class="main-navigation"><button class="menu-toggle">Menu</button>'
        f'<ul id="primary-menu" class="menu">{menu}</ul></nav>\n'
        f'<form role="search" method="get" class="search-form" action="{base}/"><label><span class="screen-reader-text">'
        'Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" name="s" /></label>'
        '<input type="submit" class="search-submit" value="Search" /></form>\n</header>\n'
        '<div id="content" class="site-content">\n<div id="primary" class="content-area">\n<main id="main" class="site-main">\n'
    )


def _variant_link(site: DemoSite, base: str, article: DemoArticle, how: int) -> str:
    """A link to an article in one of the forms real sites scatter around (slashless, tracked, fragment)."""
    url = base + article.path
    return [url, url.rstrip("/"), url + "?utm_source=twitter&utm_medium=social", url + f"?fbclid={site.fbclid(article)}",
            url + "#comments"][how % 5]


def _sidebar(site: DemoSite, base: str) -> str:
    recent = "".join(f'<li><a href="{base}{a.path}">{esc(a.title)}</a></li>' for a in site.recent(5))
    popular = "".join(f'<li><a href="{_variant_link(site, base, a, i + 1)}">{esc(a.title)}</a></li>'
                      for i, a in enumerate(site.popular()))
    cats = "".join(f'<li class="cat-item"><a href="{base}/category/{s}/">{esc(c)}</a></li>'
                   for c, s in site.category_slugs.items())
    return (
        '</main>\n</div>\n<aside id="secondary" class="widget-area">\n'
        f'<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>\n'
        f'<section class="widget widget_popular"><h2 class="widget-title">Popular This Week</h2><ul>{popular}</ul></section>\n'
        f'<section class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>{cats}</ul></section>\n'
        '<section class="widget widget_meta"><h2 class="widget-title">Meta</h2><ul>'
        f'<li><a href="{base}/wp-login.php">Log in</a></li><li><a href="{base}/wp-admin/">Site Admin</a></li>'
        f'<li><a href="{base}/private/staff-directory/">Staff directory</a></li>'
        f'<li><a href="{base}/feed/">Entries <abbr title="Really Simple Syndication">RSS</abbr></a></li>'
        f'<li><a href="{base}/comments/feed/">Comments RSS</a></li></ul></section>\n</aside>\n</div>\n'
    )


def _footer(site: DemoSite, base: str) -> str:
    links = "".join(f'<li><a href="{base}{p}">{esc(t)}</a></li>' for p, (t, _, _) in STATIC_PAGES.items())
    return (
        f'<footer id="colophon" class="site-footer">\n<nav class="footer-navigation"><ul>{links}'
        f'<li><a href="{base}/go/partner/">Partner offers</a></li>'
        f'<li><a href="{other_host(base)}/about/">Mirror site</a></li></ul></nav>\n'
        '<div class="social-links"><a href="https://twitter.com/demogazette">Twitter</a> '
        '<a href="https://www.facebook.com/demogazette/">Facebook</a></div>\n'
        f'<div class="site-info">&copy; 2019 {esc(site.name)}. Proudly powered by '
        '<a href="https://wordpress.org/">WordPress</a>.</div>\n</footer>\n</div>\n</body>\n</html>\n'
    )


def _document(site: DemoSite, base: str, title: str, head: str, body_class: str, main: str) -> str:
    return (_head(site, base, title, head) + f'<body class="{body_class}">\n' + _header(site, base) + main
            + _sidebar(site, base) + _footer(site, base))


def _og(site: DemoSite, kind: str, title: str, url: str, description: str | None = None) -> str:
    desc = f'<meta property="og:description" content="{esc(description)}" />\n' if description else ""
    return (f'<meta property="og:locale" content="en_US" />\n<meta property="og:type" content="{kind}" />\n'
            f'<meta property="og:title" content="{esc(title)}" />\n{desc}<meta property="og:url" content="{url}" />\n'
            f'<meta property="og:site_name" content="{esc(site.name)}" />\n'
            '<meta name="twitter:card" content="summary_large_image" />\n')


def byline(site: DemoSite, article: DemoArticle, base: str, link: bool = True) -> str:
    """The visible byline and dates: "By Jane Doe, Staff Writer | July 5, 2018" (two authors: "By A and B")."""
    names = [f'<span class="author vcard"><a class="url fn n" rel="author" href="{base}/author/'
             f'{site.author(n).slug}/">{esc(n)}</a></span>' for n in article.authors]
    if len(names) == 1:
        who = f'By {names[0]}, <span class="author-role">{esc(site.author(article.authors[0]).role)}</span>'
    else:
        who = "By " + " and ".join(names)
    times = (f'<time class="entry-date published" datetime="{article.published}">'
             f"{human_date(article.published)}</time>")
    if article.modified:
        times += f'<time class="updated" datetime="{article.modified}">{human_date(article.modified)}</time>'
    if link:
        times = f'<a href="{base}{article.path}" rel="bookmark">{times}</a>'
    return (f'<div class="entry-meta"><span class="byline">{who}</span><span class="sep"> | </span>'
            f'<span class="posted-on">{times}</span></div>')


def _article_head(site: DemoSite, a: DemoArticle, base: str, noindex: bool) -> str:
    url = base + a.path
    head = "<meta name='robots' content='noindex, follow' />\n" if noindex else ""
    head += (f'<link rel="canonical" href="{url}" />\n<link rel="shortlink" href="{base}/?p={a.number}" />\n'
             f'<link rel="amphtml" href="{url}amp/" />\n')
    if a.markup != "visible":
        head += f'<meta name="description" content="{esc(a.description)}" />\n'
    head += _og(site, "article", a.title, url, a.description if a.markup != "visible" else None)
    if a.markup == "visible":
        return head
    head += f'<meta property="article:published_time" content="{a.published}" />\n'
    if a.modified:
        head += f'<meta property="article:modified_time" content="{a.modified}" />\n'
    head += "".join(f'<meta property="article:section" content="{esc(c)}" />\n' for c in a.categories)
    head += "".join(f'<meta property="article:tag" content="{esc(t)}" />\n' for t in a.tags)
    if a.markup == "meta":
        head += f'<meta name="author" content="{esc(", ".join(a.authors))}" />\n'
        head += "".join(f'<meta property="article:author" content="{base}/author/{site.author(n).slug}/" />\n'
                        for n in a.authors)
        return head
    return head + _ld(_article_graph(site, a, base)) + "\n"


def _article_graph(site: DemoSite, a: DemoArticle, base: str) -> dict:
    url = base + a.path
    people = [{"@type": "Person", "name": n, "url": f"{base}/author/{site.author(n).slug}/"} for n in a.authors]
    news = {
        "@type": "NewsArticle", "@id": url + "#article", "isPartOf": {"@id": url + "#webpage"},
        "headline": a.title, "datePublished": a.published, "dateModified": a.modified or a.published,
        "author": people[0] if len(people) == 1 else people, "mainEntityOfPage": {"@id": url + "#webpage"},
        "publisher": {"@id": base + "/#organization"}, "articleSection": ", ".join(a.categories),
        "keywords": ", ".join(a.tags), "image": {"@id": url + "#primaryimage"},
    }
    return {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": base + "/#organization", "name": site.name, "url": base + "/",
         "sameAs": ["https://twitter.com/demogazette"]},
        {"@type": "WebSite", "@id": base + "/#website", "url": base + "/", "name": site.name,
         "potentialAction": {"@type": "SearchAction", "target": base + "/?s={search_term_string}",
                             "query-input": "required name=search_term_string"}},
        {"@type": "WebPage", "@id": url + "#webpage", "url": url, "name": f"{a.title} | {site.name}",
         "isPartOf": {"@id": base + "/#website"}, "datePublished": a.published,
         "dateModified": a.modified or a.published},
        news,
    ]}


def body_html(site: DemoSite, a: DemoArticle, base: str) -> str:
    """The paragraphs as HTML; one may carry an in-body link to a related article."""
    paragraphs = [esc(p) for p in a.paragraphs]
    anchor = esc(text.LINK_ANCHOR)
    if text.has_inline_link(a.body_seed):
        related = site.related(a, 1)
        for i, p in enumerate(paragraphs):
            if anchor in p and related:
                link = _variant_link(site, base, related[0], a.body_seed % 3)
                paragraphs[i] = p.replace(anchor, f'<a href="{link}">{anchor}</a>', 1)
                break
    return "".join(f"<p>{p}</p>\n" for p in paragraphs)


def _share(site: DemoSite, a: DemoArticle, base: str) -> str:
    url, title = quote(base + a.path, safe=""), quote(a.title, safe="")
    return (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
        '<h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>'
        f'<li class="share-twitter"><a rel="nofollow noopener noreferrer" class="share-twitter sd-button" '
        f'href="https://twitter.com/share?url={url}&amp;text={title}" target="_blank">Twitter</a></li>'
        f'<li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button" '
        f'href="https://www.facebook.com/sharer/sharer.php?u={url}" target="_blank">Facebook</a></li>'
        f'<li class="share-email"><a rel="nofollow" class="share-email sd-button" '
        f'href="mailto:?subject={title}&amp;body={url}">Email</a></li>'
        f'<li class="share-print"><a rel="nofollow" class="share-print sd-button" href="{base}{a.path}?print=1">'
        'Print</a></li></ul></div></div></div>\n'
    )


def _author_boxes(site: DemoSite, a: DemoArticle, base: str) -> str:
    boxes = []
    for name in a.authors:
        author = site.author(name)
        avatar = hashlib.md5(author.slug.encode()).hexdigest()
        boxes.append(
            f'<div class="author-info"><div class="author-avatar"><img alt="" src="https://secure.gravatar.com/avatar/'
            f'{avatar}?s=96&amp;d=mm" class="avatar avatar-96 photo" height="96" width="96" /></div>'
            f'<div class="author-description"><h2 class="author-title">About {esc(name)}</h2>'
            f'<p class="author-bio">{esc(name)} is a {esc(author.role.lower())} at {esc(site.name)} covering '
            f'{esc(author.beat)}. Before joining the newsroom, they reported for local papers across the Midwest. '
            f'<a class="author-link" href="{base}/author/{author.slug}/" rel="author">View all posts by {esc(name)}</a>'
            "</p></div></div>\n"
        )
    return "".join(boxes)


def _related(site: DemoSite, a: DemoArticle, base: str) -> str:
    teasers = "".join(
        f'<div class="related-post"><h4 class="related-post-title"><a href="{_variant_link(site, base, r, a.body_seed + i)}">'
        f'{esc(r.title)}</a></h4><p class="related-post-excerpt">{esc(r.description)}</p></div>'
        for i, r in enumerate(site.related(a)))
    return f'<section class="related-posts"><h3 class="related-posts-title">Related Posts</h3>{teasers}</section>\n'


def _newsletter(site: DemoSite, base: str) -> str:
    return (f'<div class="newsletter-signup"><h3>Get the {esc(site.name)} newsletter</h3><p>The stories that matter '
            'to working families, delivered to your inbox every weekday morning.</p>'
            f'<form action="{base}/newsletter/subscribe/" method="post"><input type="email" name="email" '
            'placeholder="Your email address" required /><button type="submit">Subscribe</button></form></div>\n')


def _comments(site: DemoSite, a: DemoArticle, base: str) -> str:
    url = base + a.path
    comments = text.make_comments(a.body_seed, a.number, a.published_dt)
    out = '<div id="comments" class="comments-area">\n'
    if comments:
        n = len(comments)
        out += (f'<h2 class="comments-title">{n} thought{"s" if n > 1 else ""} on &#8220;{esc(a.title)}&#8221;</h2>'
                '<ol class="comment-list">')
        for c in comments:
            stamp = c.date.isoformat()
            out += (
                f'<li id="comment-{c.id}" class="comment even thread-even depth-1"><article id="div-comment-{c.id}" '
                f'class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">'
                f'<b class="fn">{esc(c.author)}</b> <span class="says">says:</span></div><div class="comment-metadata">'
                f'<a href="{url}#comment-{c.id}"><time datetime="{stamp}">{human_date(stamp)} at '
                f'{c.date:%I:%M %p}</time></a></div></footer><div class="comment-content"><p>{esc(c.text)}</p></div>'
                f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="{url}?replytocom={c.id}#respond">'
                "Reply</a></div></article></li>"
            )
        out += "</ol>\n"
    return out + (
        '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>'
        f'<form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>'
        '<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> '
        'Required fields are marked <span class="required">*</span></p>'
        '<p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment" '
        'cols="45" rows="8" maxlength="65525" required="required"></textarea></p>'
        '<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label>'
        '<input id="author" name="author" type="text" value="" size="30" maxlength="245" required=\'required\' /></p>'
        '<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label>'
        '<input id="email" name="email" type="email" value="" size="30" maxlength="100" required=\'required\' /></p>'
        '<p class="comment-form-url"><label for="url">Website</label><input id="url" name="url" type="url" value="" '
        'size="30" maxlength="200" /></p><p class="form-submit"><input name="submit" type="submit" id="submit" '
        f'class="submit" value="Post Comment" /><input type=\'hidden\' name=\'comment_post_ID\' value=\'{a.number}\' '
        "id='comment_post_ID' /></p></form></div>\n</div>\n"
    )


def _term_classes(site: DemoSite, a: DemoArticle) -> str:
    return " ".join([f"category-{site.category_slugs[c]}" for c in a.categories]
                    + [f"tag-{site.tag_slugs[t]}" for t in a.tags])


def article_page(site: DemoSite, a: DemoArticle, base: str, noindex: bool = False) -> str:
    """A single post, as a WordPress news theme renders it."""
    cats = ", ".join(f'<a href="{base}/category/{site.category_slugs[c]}/" rel="category tag">{esc(c)}</a>'
                     for c in a.categories)
    tags = ", ".join(f'<a href="{base}/tag/{site.tag_slugs[t]}/" rel="tag">{esc(t)}</a>' for t in a.tags)
    y, m = a.published[:4], a.published[5:7]
    main = (
        f'<article id="post-{a.number}" class="post-{a.number} post type-post status-publish format-standard '
        f'has-post-thumbnail hentry {_term_classes(site, a)}">\n<header class="entry-header">'
        f'<div class="entry-categories">{cats}</div><h1 class="entry-title">{esc(a.title)}</h1>'
        f"{byline(site, a, base)}</header>\n"
        f'<div class="post-thumbnail"><img width="1024" height="576" src="{base}/wp-content/uploads/{y}/{m}/'
        f'{a.slug[:40]}-1024x576.jpg" class="attachment-post-thumbnail wp-post-image" alt="" /></div>\n'
        f'<div class="entry-content">\n{body_html(site, a, base)}{_share(site, a, base)}</div>\n'
        f'<footer class="entry-footer"><span class="cat-links">Posted in {cats}</span> '
        f'<span class="tags-links">Tagged {tags}</span> <span class="comments-link">'
        f'<a href="{base}{a.path}#respond">Leave a comment</a></span></footer>\n'
        f"{_author_boxes(site, a, base)}{_newsletter(site, base)}{_related(site, a, base)}</article>\n"
        f"{_comments(site, a, base)}"
    )
    return _document(site, base, f"{a.title} | {site.name}", _article_head(site, a, base, noindex),
                     f"post-template-default single single-post postid-{a.number} single-format-standard", main)


def amp_page(site: DemoSite, a: DemoArticle, base: str) -> str:
    """The AMP rendering (AMP plugin "reader" template): canonical link back to the article."""
    url = base + a.path
    ld = _ld(_article_graph(site, a, base)) if a.markup == "jsonld" else ""
    tags = " ".join(f'<a href="{base}/tag/{site.tag_slugs[t]}/" rel="tag">{esc(t)}</a>' for t in a.tags)
    return (
        f'<!doctype html>\n<html amp lang="en-US">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">\n'
        f"<title>{esc(a.title)} | {esc(site.name)}</title>\n<link rel=\"canonical\" href=\"{url}\" />\n"
        '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
        "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>\n"
        f"<style amp-custom>.amp-wp-header{{background:#111}}</style>\n{ld}</head>\n"
        '<body class="">\n<header id="top" class="amp-wp-header"><div>'
        f'<a href="{base}/">{esc(site.name)}</a></div></header>\n'
        f'<article class="amp-wp-article">\n<header class="amp-wp-article-header"><h1 class="amp-wp-title">'
        f"{esc(a.title)}</h1>{byline(site, a, base, link=False)}</header>\n"
        f'<div class="amp-wp-article-content">\n{"".join(f"<p>{esc(p)}</p>" + chr(10) for p in a.paragraphs)}</div>\n'
        f'<footer class="amp-wp-article-footer"><div class="amp-wp-meta amp-wp-tax-tag">Tags: {tags}</div>'
        f'<div class="amp-wp-meta amp-wp-comments-link"><a href="{url}#respond">Leave a Comment</a></div></footer>\n'
        f'</article>\n<footer class="amp-wp-footer"><div><h2>{esc(site.name)}</h2>'
        '<a href="#top" class="back-to-top">Back to top</a></div></footer>\n</body>\n</html>\n'
    )


def print_page(site: DemoSite, a: DemoArticle, base: str) -> str:
    """Printer-friendly copy: same text, no canonical link (dedup has to match it by content)."""
    who = " and ".join(esc(n) for n in a.authors)
    return (
        f'<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n<title>{esc(a.title)} | '
        f"{esc(site.name)}</title>\n<meta name='robots' content='noindex, nofollow' />\n"
        "<style>@media print{.no-print{display:none}}</style>\n</head>\n<body class=\"print-view\">\n"
        f'<div class="print-site">{esc(site.name)}</div>\n<article class="print-article">\n'
        f'<header class="print-header"><h1 class="print-title">{esc(a.title)}</h1>\n<p class="print-byline">By {who} | '
        f'<time datetime="{a.published}">{human_date(a.published)}</time></p></header>\n'
        f'<div class="print-content">\n{"".join(f"<p>{esc(p)}</p>" + chr(10) for p in a.paragraphs)}</div>\n'
        f'</article>\n<div class="no-print"><a href="javascript:window.print()">Print this page</a></div>\n'
        "</body>\n</html>\n"
    )


def syndicated_page(site: DemoSite, a: DemoArticle, base: str) -> str:
    """A partner's republished copy: other chrome, no canonical link, no JSON-LD."""
    who = " and ".join(esc(n) for n in a.authors)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{esc(a.title)} &#8211; '
        "Partner News Network</title>\n<meta property=\"og:type\" content=\"article\" />\n"
        f'<meta property="og:title" content="{esc(a.title)}" />\n</head>\n<body class="partner-story">\n'
        '<div class="pnn-topbar"><a href="#">Partner News Network</a> <nav><a href="#">Home</a> '
        '<a href="#">Local</a> <a href="#">National</a></nav></div>\n<main class="pnn-main">\n'
        f'<article class="story">\n<h1 class="story-headline">{esc(a.title)}</h1>\n'
        f'<p class="story-byline">By {who} | <time datetime="{a.published}">{human_date(a.published)}</time></p>\n'
        f'<div class="story-body">\n{"".join(f"<p>{esc(p)}</p>" + chr(10) for p in a.paragraphs)}</div>\n'
        "</article>\n"
        f'<aside class="republish-note">Republished with permission from <a href="{base}/">{esc(site.name)}</a>.</aside>\n'
        "</main>\n<footer class=\"pnn-footer\">&copy; Partner News Network</footer>\n</body>\n</html>\n"
    )


def listing_page(site: DemoSite, base: str, listing: Listing) -> str:
    """Home, category, tag or author archive page: excerpts, newest first, with pagination."""
    url = base + listing.page_path(listing.page)
    suffix = f" &#8211; Page {listing.page} of {listing.pages}" if listing.page > 1 else ""
    title, heading, body_class = {
        "home": (f"{site.name} &#8211; {TAGLINE}", "", "home blog"),
        "category": (f"{listing.name} Archives", f"Category: {esc(listing.name)}", "archive category"),
        "tag": (f"{listing.name} Archives", f"Tag: {esc(listing.name)}", "archive tag"),
        "author": (f"{listing.name}, Author at {site.name}", f"Author: {esc(listing.name)}", "archive author"),
    }[listing.kind]
    title = html.unescape(title + suffix) + ("" if listing.kind == "home" else f" | {site.name}")
    head = f'<link rel="canonical" href="{url}" />\n'
    if listing.page > 1:
        head += f'<link rel="prev" href="{base}{listing.page_path(listing.page - 1)}" />\n'
    if listing.page < listing.pages:
        head += f'<link rel="next" href="{base}{listing.page_path(listing.page + 1)}" />\n'
    head += _og(site, "website", title, url) + _ld({"@context": "https://schema.org", "@graph": [
        {"@type": "CollectionPage", "@id": url + "#webpage", "url": url, "name": title,
         "isPartOf": {"@id": base + "/#website"}}]}) + "\n"
    if listing.kind != "home":
        body_class += f" {listing.kind}-{listing.path.strip('/').split('/')[-1]}"
    if listing.page > 1:
        body_class += f" paged paged-{listing.page}"
    main = f'<header class="page-header"><h1 class="page-title">{heading}</h1></header>\n' if heading else ""
    for a in listing.items:
        n = text.comment_count(a.body_seed)
        comments = f"{n} Comment{'s' if n != 1 else ''}" if n else "Leave a comment"
        main += (
            f'<article id="post-{a.number}" class="post-{a.number} post type-post status-publish format-standard '
            f'hentry {_term_classes(site, a)}">\n<header class="entry-header"><h2 class="entry-title">'
            f'<a href="{base}{a.path}" rel="bookmark">{esc(a.title)}</a></h2>{byline(site, a, base)}</header>\n'
            f'<div class="entry-summary"><p>{esc(a.description)} [&hellip;]</p></div>\n'
            f'<footer class="entry-footer"><span class="comments-link"><a href="{base}{a.path}#comments">{comments}'
            f'</a></span> <a class="more-link" href="{base}{a.path}">Continue reading<span class="screen-reader-text"> '
            f'&#8220;{esc(a.title)}&#8221;</span></a></footer>\n</article>\n'
        )
    return _document(site, base, title, head, body_class, main + _pagination(base, listing))


def _pagination(base: str, listing: Listing) -> str:
    if listing.pages == 1:
        return ""
    nav = '<nav class="navigation posts-navigation" role="navigation"><div class="nav-links">'
    if listing.page < listing.pages:
        nav += (f'<div class="nav-previous"><a href="{base}{listing.page_path(listing.page + 1)}" rel="next">'
                "Older posts</a></div>")
    if listing.page > 1:
        nav += (f'<div class="nav-next"><a href="{base}{listing.page_path(listing.page - 1)}" rel="prev">'
                "Newer posts</a></div>")
    numbers = sorted({1, listing.pages, *range(max(1, listing.page - 2), min(listing.pages, listing.page + 2) + 1)})
    nav += '<div class="page-numbers">' + " ".join(
        f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == listing.page
        else f'<a class="page-numbers" href="{base}{listing.page_path(n)}">{n}</a>' for n in numbers)
    return nav + "</div></div></nav>\n"


def static_page(site: DemoSite, base: str, path: str) -> str:
    """A WordPress "page" (about, contact...): no byline, no date; some misleadingly og:type article."""
    if path == "/partner-landing/":
        return message_page(site, base, "Partner offers", "Special offers from our partners.")
    title, paragraphs, yoast_article = STATIC_PAGES[path]
    url = base + path
    body = "".join(f"<p>{esc(p.format(name=site.name))}</p>\n" for p in paragraphs)
    if path == "/partners/":
        body += "<ul class=\"partner-list\">" + "".join(
            f'<li><a href="{base}{site.syndicated_path(a)}">{esc(a.title)}</a> (Partner News Network)</li>'
            for a in site.syndicated_articles()) + "</ul>\n"
        body += f'<p><a href="{base}/go/partner/">See offers from our partners</a></p>\n'
    if path == "/contact/":
        body += (f'<form class="wpcf7-form" action="{base}/contact/#wpcf7-f5-o1" method="post"><p><label>Your Name'
                 '<input type="text" name="your-name" /></label></p><p><label>Your Message<textarea name="your-message">'
                 '</textarea></label></p><p><input type="submit" value="Send" /></p></form>\n')
    head = f'<link rel="canonical" href="{url}" />\n' + _og(site, "article" if yoast_article else "website", title, url)
    head += _ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": url + "#webpage", "url": url, "name": f"{title} | {site.name}",
         "isPartOf": {"@id": base + "/#website"}}]}) + "\n"
    page_id = 2 + sum(map(ord, path)) % 50
    main = (f'<article id="post-{page_id}" class="post-{page_id} page type-page status-publish hentry">\n'
            f'<header class="entry-header"><h1 class="entry-title">{esc(title)}</h1></header>\n'
            f'<div class="entry-content">\n{body}</div>\n</article>\n')
    return _document(site, base, f"{title} | {site.name}", head,
                     f"page-template-default page page-id-{page_id}", main)


def message_page(site: DemoSite, base: str, title: str, message: str) -> str:
    main = (f'<section class="no-results"><header class="page-header"><h1 class="page-title">{esc(title)}</h1>'
            f'</header><div class="page-content"><p>{esc(message)}</p></div></section>\n')
    return _document(site, base, f"{title} | {site.name}", "<meta name='robots' content='noindex, nofollow' />\n",
                     "page", main)


def not_found_page(site: DemoSite, base: str) -> str:
    main = ('<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">'
            "Oops! That page can&rsquo;t be found.</h1></header><div class=\"page-content\"><p>It looks like nothing "
            "was found at this location. Maybe try one of the links below or a search?</p></div></section>\n")
    return _document(site, base, f"Page not found | {site.name}", "<meta name='robots' content='noindex, follow' />\n",
                     "error404", main)
