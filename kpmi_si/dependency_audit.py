"""`make audit`'s dependency check: pip-audit over the pinned requirements. It fails on any known
vulnerability, and is skipped, saying so, where the vulnerability database cannot be reached: a
network that is down must not fail CI, and must not pass as "no known vulnerabilities" either.

pip-audit asks PyPI's JSON API about each pinned release (https://pypi.org/pypi/<name>/<version>/json,
whose "vulnerabilities" come from the OSV database). Some networks reach only a mirror of PyPI that
serves the packages but not that API; pip-audit then reports every package as "not found on PyPI" and
exits 0, a pass that audited nothing. So the API is probed first with the first pin of
requirements.txt, and a report in which no package could be audited counts as unreachable too.

    python -m kpmi_si.dependency_audit
"""

from __future__ import annotations

import json
import subprocess  # nosec B404  # runs pip-audit, a fixed command of this project
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# requirements-dev.txt includes requirements.txt (`-r`): one file names every pin.
REQUIREMENTS = ROOT / "requirements-dev.txt"
RUNTIME_REQUIREMENTS = ROOT / "requirements.txt"
PYPI_JSON_API = "https://pypi.org/pypi"
SKIPPED = "skipped: vulnerability database unreachable"


def first_pin(path: Path = RUNTIME_REQUIREMENTS) -> tuple[str, str]:
    """The first `name==version` of a requirements file (extras and comments dropped)."""
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            return name.split("[", 1)[0].strip(), version.strip()
    raise ValueError(f"no pinned requirement in {path}")


def probe(url: str, timeout: float = 15) -> str | None:
    """None when the vulnerability database answers at `url`; otherwise why not."""
    try:
        # A fixed https address of PyPI's API (or a test's local one), never user input.
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310
            answer = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"{url}: {getattr(exc, 'reason', exc)}"
    if not isinstance(answer, dict) or "vulnerabilities" not in answer:
        return f"{url}: the answer carries no vulnerability data"
    return None


def run_pip_audit(report: Path) -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--progress-spinner=off",
        "--format=json",
        f"--output={report}",
        "--requirement",
        str(REQUIREMENTS),
    ]
    return subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603  # nosec B603


def _read(report: Path) -> dict[str, Any] | None:
    try:
        return json.loads(report.read_text())
    except (OSError, ValueError):
        return None


def main(probe_url: str | None = None) -> int:
    if probe_url is None:
        name, version = first_pin()
        probe_url = f"{PYPI_JSON_API}/{name}/{version}/json"
    reason = probe(probe_url)
    if reason:
        print(f"pip-audit {SKIPPED} ({reason})")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "pip-audit.json"
        code = run_pip_audit(report_path)
        report = _read(report_path)
    if report is None:
        # pip-audit stopped before writing its report; if the database went away meanwhile, that is the
        # network's doing, not a finding.
        reason = probe(probe_url)
        if reason:
            print(f"pip-audit {SKIPPED} ({reason})")
            return 0
        print("pip-audit failed without a report (see its output above)")
        return code or 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {dependency['name']} {dependency.get('version', '')}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        return 1
    if not audited:
        print(f"pip-audit {SKIPPED} (no package could be looked up: {len(dependencies)} skipped)")
        return 0
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    if skipped:
        print(f"pip-audit could not look up: {', '.join(skipped)}")
    print(f"pip-audit: no known vulnerabilities in {len(audited)} pinned packages")
    return code


if __name__ == "__main__":
    sys.exit(main())
