"""The load scenario (run by harness.py; not imported by the app). Three kinds of users, no think time
by default, so that the server, not the scenario, sets the pace:

- managers log work: open the publication form, post it with a unique marker in the title, land on the
  record; a share of the posts is sent twice with the same form, the second 50 ms after the first (a
  double tap), idempotency key and all where the form carries one. Every 302 to a record is written
  down as an acknowledged write;
- officers open their association's dashboard and, now and then, its XLSX export;
- the public reads the KPMI directory, KPMI pages and the award pages.

`CeilingUser` alone measures Django's ceiling on the same server: the smallest view there is.
The plan (sessions, URLs, where to write the results) comes from the harness in LOAD_PLAN."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import string
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import gevent
from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

from kpmi_si.loadtest.htmlform import form_fields

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else {}
RECORD = re.compile(r"^/kegiatan/(\d+)/$")
CREDITED = re.compile(r'name="credited" value="(\d+)"')
ACKS: list[dict[str, Any]] = []
SEEN = {"idempotency_key": False}
_slots: dict[str, itertools.count] = {}


def _slot(kind: str, choices: list[Any]) -> Any:
    counter = _slots.setdefault(kind, itertools.count())
    return choices[next(counter) % len(choices)]


class SiteUser(FastHttpUser):
    abstract = True
    wait_time = constant(float(PLAN.get("wait", 0)))

    def start_session(self, session_key: str) -> None:
        # The harness made the sessions (no password hashing in the measured mix) and the CSRF secret is
        # ours: sent by hand, because the site's cookies are Secure and this client speaks plain HTTP.
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        cookies = {PLAN["session_cookie"]: session_key, PLAN["csrf_cookie"]: csrf}
        self.headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, headers=self.headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")


class ManagerUser(SiteUser):
    weight = 2

    def on_start(self) -> None:
        manager = _slot("managers", PLAN["managers"])
        self.start_session(manager["session"])
        self.form_url = manager["log_url"]
        self.serial = itertools.count(1)
        self.tag = f"{PLAN['run']}-{id(self):x}"
        # Never follow a redirect: the 302 is the acknowledgement. Set once for the client rather than
        # per request (allow_redirects=False), which two taps in flight together would race on.
        self.client.client.redirect_response_codes = frozenset()

    def _post(self, body: str, name: str) -> int | None:
        headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post(self.form_url, data=body, name=name, headers=headers, catch_response=True) as response:
            location = urlparse(response.headers.get("Location") or "").path
            match = RECORD.match(location)
            if response.status_code != 302 or match is None:
                response.failure(f"{response.status_code}, not a redirect to the record ({location or 'none'})")
                return None
            return int(match.group(1))

    @task
    def log_work(self) -> None:
        with self.client.get(
            self.form_url, name="manager: work form", headers=self.headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            html = response.text
        rendered = form_fields(html, having="title", fill_selects=True)
        pairs = [(k, v) for k, v in rendered if k not in ("title", "link", "summary")]
        if not any(k == "credited" for k, _ in pairs):
            # Someone who keeps the group without being in it ticks a member, as the form asks.
            first = CREDITED.search(html)
            pairs += [("credited", first.group(1))] if first else []
        marker = f"{self.tag}-{next(self.serial)}"
        pairs += [("title", marker), ("link", "https://example.id/berita"), ("summary", "Uji beban")]
        key = next((v for k, v in pairs if k == "idempotency_key"), None)
        SEEN["idempotency_key"] |= key is not None
        body = urlencode(pairs)
        double_tap = random.random() < float(PLAN.get("double_tap", 0))
        if double_tap:
            # The second tap leaves while the first is still on its way, as from an impatient thumb.
            taps = [
                gevent.spawn(self._post, body, "manager: work submit"),
                gevent.spawn_later(0.05, self._post, body, "manager: double tap"),
            ]
            gevent.joinall(taps)
            pks = [tap.value for tap in taps if tap.value is not None]
        else:
            pks = [pk for pk in [self._post(body, "manager: work submit")] if pk is not None]
        if not pks:
            return
        ACKS.append({"marker": marker, "pks": pks, "key": key, "double_tap": double_tap})
        self.page(f"/kegiatan/{pks[0]}/", "manager: work record")


class OfficerUser(SiteUser):
    weight = 1

    def on_start(self) -> None:
        officer = _slot("officers", PLAN["officers"])
        self.start_session(officer["session"])
        self.dashboards = officer["dashboards"]

    @task(3)
    def dashboard(self) -> None:
        self.page(random.choice(self.dashboards), "officer: dashboard")

    @task(1)
    def export(self) -> None:
        self.page(random.choice(self.dashboards) + "&format=xlsx", "officer: xlsx export")


class PublicUser(SiteUser):
    weight = 2

    def on_start(self) -> None:
        self.headers = {}

    @task(2)
    def directory(self) -> None:
        self.page("/kpmi/", "public: directory")

    @task(2)
    def kpmi_page(self) -> None:
        self.page(random.choice(PLAN["kpmi_pages"]), "public: kpmi page")

    @task(1)
    def awards(self) -> None:
        self.page(random.choice(PLAN["award_pages"]), "public: awards")


class CeilingUser(SiteUser):
    def on_start(self) -> None:
        self.headers = {}

    @task
    def healthz(self) -> None:
        self.page("/healthz", "ceiling: healthz")


@events.test_stop.add_listener
def write_results(environment: Any, **kwargs: Any) -> None:
    stats = environment.stats

    def figures(entry: Any) -> dict[str, Any]:
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.total_rps, 2),
            "p50_ms": round(entry.get_response_time_percentile(0.5) or 0),
            "p95_ms": round(entry.get_response_time_percentile(0.95) or 0),
        }

    result = {
        "kinds": {entry.name: figures(entry) for entry in stats.entries.values()},
        "total": figures(stats.total),
        "failures": [f"{e.name}: {e.error} (x{e.occurrences})" for e in list(stats.errors.values())[:20]],
        "acks": ACKS,
        "idempotency_key_in_form": SEEN["idempotency_key"],
    }
    with open(os.environ["LOAD_RESULT"], "w") as out:
        json.dump(result, out)
