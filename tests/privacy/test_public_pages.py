"""Public pages never show a member's phone, e-mail or birth year. Every page an anonymous visitor can
open is requested (the URL configuration is walked, so a new public page is checked too) with members
and logins whose contact details and birth year are distinctive."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from awards.models import Award
from members.models import Kpmi, Member, User
from programs.models import AssociationAward

pytestmark = pytest.mark.django_db

PHONE = "0899-7777-1234"
EMAIL_DOMAIN = "rahasia-pribadi.example"
BIRTH_YEAR = 1931
SECRETS = (PHONE, "089977771234", EMAIL_DOMAIN, str(BIRTH_YEAR))

# Pages that must answer an anonymous visitor (the test fails if one stops rendering).
PUBLIC = {
    "landing",
    "login",
    "password_reset",
    "healthz",
    "directory:kpmi_list",
    "directory:kpmi_detail",
    "awards:index",
    "awards:year",
    "awards:verify",
    "awards:verify_code",
    "awards:certificate",
}


def _named_patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            # The Django admin is for staff only; its login page shows no data.
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


@pytest.fixture
def distinctive(published, garut, officer_platform):
    """Every member and login gets the same phone, an e-mail at one domain and a birth year nobody has."""
    Member.objects.update(phone=PHONE, birth_year=BIRTH_YEAR)
    for member in Member.objects.all():
        Member.objects.filter(pk=member.pk).update(email=f"anggota{member.pk}@{EMAIL_DOMAIN}")
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(email=f"akun{user.pk}@{EMAIL_DOMAIN}")
    from associations.models import Association

    AssociationAward.objects.create(
        association=Association.objects.get(code="platform"),
        member=garut.asep,
        name="Relawan Teladan",
        reason="Memasang jaringan.",
        awarded_on=garut.asep.joined_on,
        granted_by=officer_platform,
    )
    return garut


def _samples(garut):
    award = Award.objects.order_by("pk").first()
    # Each primary key a page might load: every KPMI, and the first row of every model of the project.
    pks = [k.pk for k in Kpmi.objects.order_by("pk")]
    for model in apps.get_models():
        if model._meta.app_label in {"members", "associations", "programs", "awards", "audit", "notifications"}:
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if isinstance(first, int) and first not in pks:
                pks.append(first)
    return {
        "pk": pks,
        "kpmi_pk": [k.pk for k in Kpmi.objects.order_by("pk")],
        "year": [award.round.year],
        "code": [award.code_display],
        "kind_slug": ["terbitan"],
        "evidence_pk": [1],
        "signup_pk": [1],
        "uidb64": ["MQ"],
        "token": ["set-password"],
        # entrepreneurship (orders): a KPMI's services, rules and templates are behind a login
        "rule_pk": [1],
        "template_pk": [1],
        # Garut Citizen Journalism (#13): an article's slug, a category's, a photo size.
        "slug": ["teknologi"],
        "size": ["s"],
        # Garut Citizen Journalism: buyers' API (#13): a buyer's token (its pages are behind a login).
        "token_pk": [1],
    }


def _urls(name, params, samples):
    if not params:
        return [reverse(name)]
    missing = [p for p in params if p not in samples]
    if missing:
        pytest.fail(f"{name}: add a sample value for {missing} to this test")
    # One URL per candidate of the first parameter; the others take their first sample.
    first, *rest = params
    return [reverse(name, kwargs={first: value, **{p: samples[p][0] for p in rest}}) for value in samples[first]]


def test_no_public_page_shows_a_phone_an_email_or_a_birth_year(client, distinctive):
    samples = _samples(distinctive)
    answered = set()
    for name, params in _named_patterns(get_resolver()):
        for url in _urls(name, params, samples):
            response = client.get(url)
            if response.status_code in (301, 302, 403, 405):
                break  # for a signed-in user only (or not a page): no need to try other records
            if response.status_code != 200:
                continue
            answered.add(name)
            body = response.content.decode(errors="ignore")
            leaked = [secret for secret in SECRETS if secret in body]
            assert leaked == [], f"{url} shows {leaked}"
    assert answered >= PUBLIC, f"public pages that did not render: {PUBLIC - answered}"


def test_the_public_pages_name_the_winners(client, distinctive):
    """The check above reads real pages: the winners and their groups are on them."""
    body = client.get(reverse("awards:year", args=[2025])).content.decode()
    assert "Asep" in body and "KPMI Alfa" in body
    assert "Asep" in client.get(distinctive.kpmi_a.get_absolute_url()).content.decode()
