"""`make audit`'s dependency check fails on a known vulnerability, and is skipped, saying so, when the
vulnerability database cannot be reached (a network reason never fails CI, nor passes as audited)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from kpmi_si import dependency_audit


def _report(dependencies):
    def run(report):
        report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
        return 1 if any(d.get("vulns") for d in dependencies) else 0

    return run


@pytest.fixture
def reachable(monkeypatch):
    monkeypatch.setattr(dependency_audit, "probe", lambda url, timeout=15: None)


def test_unreachable_database_is_skipped_without_running_pip_audit(monkeypatch, capsys):
    monkeypatch.setattr(dependency_audit, "probe", lambda url, timeout=15: "pypi.org: Name or service not known")
    monkeypatch.setattr(dependency_audit, "run_pip_audit", lambda report: pytest.fail("must not run"))
    assert dependency_audit.main() == 0
    assert "skipped: vulnerability database unreachable" in capsys.readouterr().out


def test_a_known_vulnerability_fails(reachable, monkeypatch, capsys):
    vuln = {"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"], "aliases": [], "description": "x"}
    dependencies = [{"name": "django", "version": "5.2.19", "vulns": [vuln]}, {"name": "celery", "version": "5.7.0"}]
    monkeypatch.setattr(dependency_audit, "run_pip_audit", _report(dependencies))
    assert dependency_audit.main() == 1
    assert "VULNERABLE django 5.2.19: PYSEC-2099-1 (fixed in 5.2.20)" in capsys.readouterr().out


def test_nothing_looked_up_is_not_a_pass(reachable, monkeypatch, capsys):
    # What a PyPI mirror without the JSON API gives: every package "not found", exit code 0.
    skipped = [{"name": n, "skip_reason": "Dependency not found on PyPI"} for n in ("django", "celery")]
    monkeypatch.setattr(dependency_audit, "run_pip_audit", _report(skipped))
    assert dependency_audit.main() == 0
    assert "skipped: vulnerability database unreachable" in capsys.readouterr().out


def test_audited_and_clean_passes(reachable, monkeypatch, capsys):
    clean = [{"name": "django", "version": "5.2.19", "vulns": []}]
    monkeypatch.setattr(dependency_audit, "run_pip_audit", _report(clean))
    assert dependency_audit.main() == 0
    assert "no known vulnerabilities in 1 pinned packages" in capsys.readouterr().out


def test_pip_audit_failing_without_a_report_fails(reachable, monkeypatch):
    monkeypatch.setattr(dependency_audit, "run_pip_audit", lambda report: 2)
    assert dependency_audit.main() == 2


def test_probe_tells_why_the_database_cannot_be_used():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = {"info": {}} if self.path == "/mirror" else {"info": {}, "vulnerabilities": []}
            self.send_response(200)
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        assert dependency_audit.probe(f"{base}/api") is None
        assert "no vulnerability data" in dependency_audit.probe(f"{base}/mirror")
    finally:
        server.shutdown()
        server.server_close()
    # Nothing listens on the discard port: refused at once.
    assert dependency_audit.probe("http://127.0.0.1:9/", timeout=2) is not None


def test_the_first_pin_is_read_from_requirements():
    name, version = dependency_audit.first_pin()
    assert name == "Django" and version.count(".") == 2
