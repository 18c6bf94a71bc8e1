"""Histories show what happened in words: every audit code the code base writes has a label."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.utils import translation

from awards.models import AwardRound
from citizen_journalism.states import Action
from kpmi_si.audit.labels import ACTION_LABELS, action_label

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", ".git", "tests", "migrations", "node_modules", "staticfiles", "media"}

# Codes built from a prefix at run time, and what the prefix is followed by. A new f-string code
# fails the test until it is taught here.
DYNAMIC: dict[str, list[str]] = {
    "award_round.": list(AwardRound.Status.values),
    "article.": list(Action.values),
    "activity.": ["approve", "reject"],
}


def _constants(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _callee(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def written_codes() -> tuple[set[str], list[str]]:
    """Every `action=` code in the modules that write the audit trail: given to `audit_log` directly,
    or, dotted, to a helper that passes it on (`_move(..., action="invitation.send")`)."""
    codes: set[str] = set()
    unknown: list[str] = []
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        source = path.read_text()
        if "audit_log(" not in source:
            continue
        for call in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)):
            for keyword in call.keywords:
                if keyword.arg != "action":
                    continue
                direct = _callee(call) == "audit_log"
                codes.update(c for c in _constants(keyword.value) if direct or "." in c)
                if direct and isinstance(keyword.value, ast.JoinedStr):
                    head = keyword.value.values[0]
                    prefix = head.value if isinstance(head, ast.Constant) else ""
                    if prefix in DYNAMIC:
                        codes.update(prefix + suffix for suffix in DYNAMIC[prefix])
                    else:
                        unknown.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return codes, unknown


def test_every_audit_code_written_has_a_label():
    codes, unknown = written_codes()
    assert unknown == [], "an audit code built at run time: list what it can be in DYNAMIC"
    assert len(codes) > 80  # the scan finds the services' codes, not nothing
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_labels_are_indonesian_words_and_an_unknown_code_stays_readable():
    with translation.override("id"):
        assert action_label("activity.log") == "Kegiatan dicatat"
        assert action_label("award_round.published") == "Diumumkan"
        assert action_label("article.publish") == "Terbit"
    assert action_label("some.unknown_code") == "some.unknown_code"
