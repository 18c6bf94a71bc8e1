"""A web worker settles its heap once the site is loaded (kpmi_si.heap, called by kpmi_si.wsgi): the
objects loading created are out of the collector's walks, so a full collection landing on a request
walks only what requests made since, not the whole site (README, Benchmark, issue #16). In a process of
its own (no database needed): freezing is per process and would reach into this test session's
collector."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, json, sys
import kpmi_si.wsgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "views_loaded": all(name in sys.modules for name in ("associations.views", "members.views", "awards.views")),
    "tracked": len(gc.get_objects()),
}))
"""


def test_a_loaded_web_worker_leaves_what_it_loaded_out_of_the_collectors_walks() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kpmi_si.settings", "REDIS_URL": ""}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    # The URLconf was loaded before the freeze: every view module, and what they import, is frozen.
    assert probe["views_loaded"]
    assert probe["frozen"] > 50_000
    # What a full collection still walks once the worker serves: what its requests make, not the site.
    assert probe["tracked"] < probe["frozen"] / 100
