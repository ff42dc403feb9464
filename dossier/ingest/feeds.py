"""A feed's or sitemap's bytes to its entries: (address, date as stated) pairs; BadInput with the parse error."""
import io

import feedparser
from lxml import etree

from .drafts import BadInput

# No entities expanded, nothing fetched, no huge documents: a sitemap is someone else's XML.
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def feed_entries(content):
    """The entries of an RSS or Atom feed, in the feed's order; BadInput if it is not a feed."""
    # A stream, never a string: feedparser fetches a string that looks like an address.
    parsed = feedparser.parse(io.BytesIO(content))
    # dict.get: FeedParserDict.get("updated") falls back to "published" with a DeprecationWarning.
    entries = [(entry.get("link", "").strip(), dict.get(entry, "updated") or dict.get(entry, "published") or "")
               for entry in parsed.entries]
    entries = [(link, updated) for link, updated in entries if link]
    if not entries and (parsed.bozo or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS or Atom entries found"
        raise BadInput(f"malformed feed: {why}")
    return entries


def sitemap_entries(content):
    """(entries, child sitemaps) of a sitemap or sitemap index: <url><loc>/<lastmod> and <sitemap><loc>."""
    try:
        root = etree.fromstring(content, parser=_XML)
    except etree.XMLSyntaxError as error:
        raise BadInput(f"malformed sitemap: {error}") from None
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise BadInput(f"malformed sitemap: the root element is <{kind}>, not <urlset> or <sitemapindex>")
    items = []
    for item in root:
        if not isinstance(item.tag, str):
            continue  # a comment or processing instruction
        fields = {etree.QName(child).localname: (child.text or "").strip() for child in item
                  if isinstance(child.tag, str)}
        if fields.get("loc"):
            items.append((fields["loc"], fields.get("lastmod", "")))
    return (items, []) if kind == "urlset" else ([], [loc for loc, _ in items])
