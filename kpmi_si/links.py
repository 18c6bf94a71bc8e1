"""Links to this site inside stored records.

A record that points at a page of SI KPMI keeps the page's path where it can (a level change's
evidence: "/undangan/12/"). A URL field cannot hold a bare path (an activity's evidence link, a
publication's link, both made when an article is published), so there the full address is stored
and only its path is trusted: whatever host it was written with — the development server of a
seeded demo, an old domain — pages link to the path and exports to the site's address of today.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

# Hosts a stored link may carry and still mean this site: the development server's defaults.
DEVELOPMENT_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def _own_hosts() -> set[str]:
    hosts = set(DEVELOPMENT_HOSTS)
    hosts.add(urlsplit(settings.SITE_URL).hostname or "")
    hosts.update(h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*")
    return {h.lower() for h in hosts if h}


def site_path(url: str) -> str | None:
    """The path of a link to this site (with its query and fragment), or None for anyone else's link."""
    if not url:
        return None
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in _own_hosts():
        return None
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def site_relative(url: str) -> str:
    """For a page: a link to this site as its path, any other link as it is."""
    path = site_path(url)
    return path if path is not None else url


def site_absolute(url: str) -> str:
    """For an export or an e-mail: a link to this site at today's address, any other link as it is."""
    path = site_path(url)
    return f"{settings.SITE_URL}{path}" if path is not None else url
