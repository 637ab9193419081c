"""URL canonicalisation, so one article reached by many URLs is stored once.

Drops tracking parameters (utm_*, fbclid, gclid, …), the fragment, default
ports, a trailing slash, AMP markers (/amp, ?amp, amp. hosts, outputType=amp)
and "www."; lower-cases the host; treats http and https alike (the canonical
form is https); sorts the remaining query parameters.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_BLANKS = re.compile(r"[\s\x00-\x1f\x7f]")

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|"
    r"ref|ref_src|ref_url|cmpid|cmp|smid|smtyp|sr_share|share|ito|icid|ncid|ocid|taid|at_\w+|"
    r"rss|rssfeed|feed|mbid|guccounter|guce_\w+|s_cid|spm|amp|outputtype|__twitter_impression)$",
    re.I,
)


def parsable_url(url: str) -> bool:
    """Whether urllib can split the URL and read its port (a broken IPv6 literal or port cannot)."""
    try:
        _ = urlsplit(url).port
    except ValueError:
        return False
    return True


def _canonical_path(path: str) -> str:
    """The path without repeated slashes, AMP markers ("/amp", ".amp", a leading "/amp/") or a trailing
    slash; repeated until nothing changes, so that it is idempotent ("/amp/amp" → "/", not "/amp")."""
    for _ in range(len(path) + 1):  # each round that changes the path shortens it
        new = re.sub(r"/+", "/", path or "/")
        new = re.sub(r"(?:/amp|\.amp)(?=/?$)", "", new)
        new = re.sub(r"^/amp/", "/", new)
        if len(new) > 1:
            new = new.rstrip("/")
        new = new or "/"  # a root whose AMP marker was dropped is the root, not an empty path
        if new == path:
            break
        path = new
    return path


def canonical_url(url: str) -> str:
    """The one form of `url` used as its identity in the store (idempotent); a URL that does not parse
    (a bad port, a broken IPv6 literal) is its own identity."""
    url = _BLANKS.sub(lambda m: quote(m[0], safe=""), url.strip())  # idempotent: no blank left to strip later
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    host = re.sub(r"^(?:(?:www\d?|amp|m)\.)+", "", host)  # all of them: "m.m.x" once is "m.x", not idempotent
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets ("[::1]:8080", not "::1:8080")
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    # a relative path is written out absolute ("https:///amp/x"): make it so before cleaning it, or the
    # second pass would strip a leading "/amp/" the first could not see
    path = _canonical_path(parts.path if parts.path.startswith("/") else "/" + parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))
