"""Which addresses and URLs the fetcher may use: the deny list (after Advocate and SafeCurl) and IRI encoding.

Pure functions, no network: `fetch.py` resolves a host once and asks `denied` about every address it got.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, urlsplit, urlunsplit

_DENY_V4 = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "255.255.255.255/32",
    )
]
_DENY_V6 = [
    ipaddress.ip_network(n)
    for n in (
        "::/128",
        "::1/128",
        "::ffff:0:0/96",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "2002::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
]
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # RFC 3986 reserved characters and '%' (already-encoded URLs stay as they are)


def iri_to_uri(url: str) -> str:
    """An IRI as an ASCII URI: the host in IDNA, non-ASCII, spaces and controls in path and query percent-encoded.

    http.client refuses anything else (a redirect to `/café` or a feed link with an accent raised
    UnicodeEncodeError); a host that IDNA cannot encode is refused by `check_url`.
    """
    if url.isascii() and not any(c <= " " or c == "\x7f" for c in url):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                return url  # check_url refuses it with a reason
        netloc = host if ":" not in host else f"[{host}]"
        if parts.port is not None:
            netloc += f":{parts.port}"
    except ValueError:
        return url
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=URL_SAFE, errors="surrogatepass"),
            quote(parts.query, safe=URL_SAFE, errors="surrogatepass"),
            "",
        )
    )


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses wrapped in an IPv6 one: mapped, 6to4, Teredo (both ends), NAT64."""
    found = []
    if address.ipv4_mapped:
        found.append(address.ipv4_mapped)
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    if any(address in net for net in _NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    # IPv4-compatible (deprecated ::a.b.c.d)
    if int(address) >> 32 == 0 and int(address) > 1:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def denied(address: str, allow: frozenset[str] = frozenset()) -> str | None:
    """Why this address may not be fetched from, or None when it is public (or explicitly allowed)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if str(ip) in allow:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in embedded_ipv4(ip):
            reason = denied(str(inner), allow)
            if reason:
                return f"{ip} wraps {inner}, which is {reason}"
        for net in _DENY_V6:
            if ip in net:
                return f"in the reserved range {net}"
    else:
        for net in _DENY_V4:
            if ip in net:
                return f"in the reserved range {net}"
    if not ip.is_global or ip.is_multicast or ip.is_reserved:
        return "not a public address"
    return None
