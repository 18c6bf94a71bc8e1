"""Every place a member's data can sit is a decision: a new text field or a new relation to a member or
a login that nobody classified fails here, before it ships unexported or un-anonymised."""

from __future__ import annotations

import pytest
from django.apps import apps

from kpmi_si.privacy import registry
from kpmi_si.privacy.selectors import ACTIONS_OF, MEMBER_DATA_SOURCES, READ_BY_SECTION
from members.models import Member, User

OWN_APPS = {
    "accounts",
    "audit",
    "notifications",
    "privacy",
    "members",
    "associations",
    "programs",
    "awards",
    "entrepreneurship",
    "citizen_journalism",
}


def _own_models():
    return [model for model in apps.get_models() if model._meta.app_label in OWN_APPS]


def test_every_text_field_is_classified_once():
    lists = (registry.IDENTITY, registry.FREE_TEXT, registry.NOT_PERSONAL)
    unclassified, twice = [], []
    for model in _own_models():
        for field in registry.text_fields(model):
            n = sum(field.name in named.get(model._meta.label, ()) for named in lists)
            if n == 0:
                unclassified.append(f"{model._meta.label}.{field.name}")
            elif n > 1:
                twice.append(f"{model._meta.label}.{field.name}")
    assert unclassified == [], "add each to kpmi_si/privacy/registry.py"
    assert twice == []


def test_the_registry_names_only_fields_that_exist():
    for named in (registry.IDENTITY, registry.FREE_TEXT, registry.NOT_PERSONAL):
        for label, names in named.items():
            model = apps.get_model(label)
            for name in names:
                model._meta.get_field(name)


def test_every_relation_to_a_member_or_a_login_is_exported_or_an_act_of_theirs():
    relations = {
        f"{model._meta.label}.{field.name}"
        for model in _own_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model in (Member, User)
    }
    assert relations - set(READ_BY_SECTION) - ACTIONS_OF == set(), "add a source in kpmi_si/privacy/selectors.py"
    assert set(READ_BY_SECTION) | ACTIONS_OF <= relations


@pytest.mark.django_db
def test_each_declared_section_is_a_source(member_user_a):
    keys = {source(member_user_a.member).key for source in MEMBER_DATA_SOURCES}
    assert set(READ_BY_SECTION.values()) <= keys
