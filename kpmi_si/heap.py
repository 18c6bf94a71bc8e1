"""A web process's heap, settled once it has loaded the site.

Python's cyclic garbage collector walks every tracked object it holds in its oldest generation on each
full collection. After loading Django, the apps, URL patterns, templates and translations, a process
holds ~170,000 of them; a full collection then took ~85 ms, landing on whichever request happened to
cross the collector's threshold: that request took ten times its usual time (the bench's dashboards read
12.7x and 19x their stored SQL on one run of seven, README, Benchmark, issue #16). Those objects live as
long as the process: `gc.freeze()` moves them out of the collector's sight, and a full collection then
walks only what requests created since (~14,000 objects). Under gunicorn with copy-on-write workers it
also keeps the collector from writing to the pages the workers share.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load what the first request would (the URLconf imports every view module: ~66,000 objects of
    the ~170,000), collect what loading left behind, then freeze everything alive now. Called once per
    process, with Django set up and before it serves."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URL modules and their views
    resolver.reverse_dict  # noqa: B018 - and builds the lookup every {% url %} and reverse() reads
    gc.collect()
    gc.freeze()
