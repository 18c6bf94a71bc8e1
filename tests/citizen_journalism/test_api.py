"""The buyers' API: a token opens the articles its buyer licensed or bought, and nothing else; tokens
are issued and revoked from the buyer's page; errors are JSON in the client's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from citizen_journalism import services
from citizen_journalism.api.throttling import BuyerTokenThrottle
from citizen_journalism.models import BuyerToken, token_hash
from kpmi_si.audit.models import AuditEntry

from .conftest import article_data, today, with_photo

LIST = "/api/v1/articles/"


def detail(article) -> str:
    return f"/api/v1/articles/{article.pk}/"


@pytest.fixture
def buyer(officer_entrepreneurs):
    return services.buyer_create(actor=officer_entrepreneurs, data={"name": "Garut Pos", "kind": "media"})


@pytest.fixture
def other_buyer(officer_entrepreneurs):
    return services.buyer_create(actor=officer_entrepreneurs, data={"name": "Yayasan Literasi", "kind": "organisation"})


@pytest.fixture
def key(officer_entrepreneurs, buyer):
    return services.buyer_token_issue(actor=officer_entrepreneurs, buyer=buyer)[1]


def sell(actor, article, buyer, kind="licence", amount="100000"):
    return services.sale_record(
        actor=actor, article=article, buyer=buyer, kind=kind, amount=Decimal(amount), date=today()
    )


def publish(pioneer, editor, kpmi, category, title):
    article = services.article_write(
        actor=pioneer, data=article_data(kpmi, category, title=title), submit=True, photos=with_photo()
    )
    return services.article_approve(actor=editor, article=article)


def api(client, url, key=None, language="en", method="get"):
    headers = {"Accept-Language": language}
    if key is not None:
        headers["Authorization"] = f"Token {key}"
    return getattr(client, method)(url, headers=headers)


# --- what a buyer sees -------------------------------------------------------------------------------------


def test_a_licensed_buyer_fetches_its_article_in_full(client, officer_entrepreneurs, buyer, key, published):
    sell(officer_entrepreneurs, published, buyer)
    response = api(client, LIST, key)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # The site's security headers reach the API's answers too.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row["id"] == published.pk and row["licence"] == {"kind": "licence", "date": today().isoformat()}

    article = api(client, detail(published), key).json()
    assert article["title"] == published.title
    assert article["body_markdown"].startswith("Petani kini bisa **memantau harga**")
    assert "<strong>memantau harga</strong>" in article["body_html"]
    assert article["author"]["name"] == "Asep Perintis"
    assert article["author"]["pioneer"] is True
    assert article["author"]["kpmi"]["name"] == published.author.kpmi.name
    assert article["category"]["slug"] == "teknologi"
    assert article["kecamatan"]["code"] == published.kecamatan_id
    assert article["desa"]["code"] == published.desa_id
    assert article["published_at"] and article["correction_note"] == ""
    (photo,) = article["photos"]
    assert set(photo["sizes"]) == {"s", "m", "l"}
    assert photo["sizes"]["m"]["url"].startswith("http://testserver/berita/foto/")
    assert photo["caption"] == "Saung tani"
    # The photo URL is the public site's, and it answers.
    assert client.get(photo["sizes"]["s"]["url"]).status_code == 200
    assert article["public_url"] == f"http://testserver{published.get_absolute_url()}"


def test_an_exclusive_purchase_shows_as_exclusive(client, officer_entrepreneurs, buyer, key, published):
    sell(officer_entrepreneurs, published, buyer, kind="exclusive")
    assert api(client, detail(published), key).json()["licence"]["kind"] == "exclusive"


def test_another_buyers_article_is_not_found_as_if_it_did_not_exist(
    client, officer_entrepreneurs, buyer, other_buyer, key, published, submitted
):
    sell(officer_entrepreneurs, published, other_buyer)
    assert api(client, LIST, key).json()["count"] == 0
    theirs = api(client, detail(published), key)
    missing = api(client, "/api/v1/articles/999999/", key)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"detail": "Not found."}
    assert api(client, detail(published), key, language="id").json() == {"detail": "Data tidak ditemukan."}


def test_an_unpublished_article_is_not_found(client, officer_entrepreneurs, buyer, key, pioneer, kpmi_a, category):
    draft = services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=True)
    assert api(client, detail(draft), key).status_code == 404


def test_a_cancelled_sale_takes_the_article_away(client, officer_entrepreneurs, buyer, key, published):
    sale = sell(officer_entrepreneurs, published, buyer)
    assert api(client, detail(published), key).status_code == 200
    services.sale_cancel(actor=officer_entrepreneurs, sale=sale, reason="Salah catat.")
    assert api(client, detail(published), key).status_code == 404
    assert api(client, LIST, key).json()["count"] == 0


def test_pages_of_articles(client, officer_entrepreneurs, buyer, key, pioneer, editor, kpmi_a, category):
    for number in range(3):
        sell(officer_entrepreneurs, publish(pioneer, editor, kpmi_a, category, f"Berita {number}"), buyer)
    first = api(client, f"{LIST}?page_size=2", key).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    second = api(client, first["next"], key).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]} == set(
        buyer.sales.values_list("article_id", flat=True)
    )
    assert api(client, f"{LIST}?page=9", key, language="id").json() == {"detail": "Halaman tidak valid."}


def test_the_query_count_does_not_grow_with_the_page(
    client, officer_entrepreneurs, buyer, key, pioneer, editor, kpmi_a, category, django_assert_max_num_queries
):
    sell(officer_entrepreneurs, publish(pioneer, editor, kpmi_a, category, "Berita satu"), buyer)
    api(client, LIST, key)  # the token's first use is written once
    # The token with its buyer, the count, the articles, their photos.
    with django_assert_max_num_queries(4):
        assert len(api(client, LIST, key).json()["results"]) == 1
    for number in range(6):
        sell(officer_entrepreneurs, publish(pioneer, editor, kpmi_a, category, f"Berita {number}"), buyer)
    with django_assert_max_num_queries(4):
        assert len(api(client, LIST, key).json()["results"]) == 7


# --- tokens ------------------------------------------------------------------------------------------------------


def test_no_token_a_garbage_or_a_foreign_scheme_is_401_json(client, key, published):
    for headers in (
        {},
        {"Authorization": "Token nonsense"},
        {"Authorization": "Token a b"},
        {"Authorization": "Bearer x"},
    ):
        response = client.get(LIST, headers={"Accept-Language": "en", **headers})
        assert response.status_code == 401, headers
        assert "detail" in response.json()
    assert client.get(LIST, headers={"Authorization": "Token nonsense"})["WWW-Authenticate"] == "Token"


def test_another_buyers_token_does_not_open_this_buyers_articles(
    client, officer_entrepreneurs, buyer, other_buyer, published
):
    sell(officer_entrepreneurs, published, buyer)
    _token, theirs = services.buyer_token_issue(actor=officer_entrepreneurs, buyer=other_buyer)
    assert api(client, detail(published), theirs).status_code == 404


def test_a_revoked_token_is_refused_in_the_clients_language(client, officer_entrepreneurs, buyer, key, published):
    token = BuyerToken.objects.get(key_hash=token_hash(key))
    services.buyer_token_revoke(actor=officer_entrepreneurs, token=token)
    english = api(client, LIST, key)
    assert english.status_code == 401 and english.json() == {"detail": "Invalid token."}
    indonesian = api(client, LIST, key, language="id")
    assert indonesian.status_code == 401 and indonesian.json() == {"detail": "Token tidak valid."}


def test_a_deactivated_buyers_token_is_refused(client, officer_entrepreneurs, buyer, key):
    services.buyer_update(actor=officer_entrepreneurs, buyer=buyer, data={"active": False})
    response = api(client, LIST, key, language="id")
    assert response.status_code == 401
    assert response.json() == {"detail": "Akses pembeli ini ditangguhkan."}


def test_the_api_writes_nothing(client, officer_entrepreneurs, buyer, key, published):
    sell(officer_entrepreneurs, published, buyer)
    for method in ("post", "put", "patch", "delete"):
        assert api(client, detail(published), key, method=method).status_code == 405
        assert api(client, LIST, key, method=method).status_code == 405
    response = api(client, LIST, key, method="post", language="id")
    assert response.json() == {"detail": 'Metode "POST" tidak diizinkan.'}


def test_the_api_is_throttled_per_token(client, officer_entrepreneurs, buyer, key, monkeypatch):
    monkeypatch.setattr(BuyerTokenThrottle, "THROTTLE_RATES", {"buyers_api": "2/min"})
    assert api(client, LIST, key).status_code == 200
    assert api(client, LIST, key).status_code == 200
    throttled = api(client, LIST, key, language="id")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert throttled.json()["detail"].startswith("Terlalu banyak permintaan: coba lagi dalam ")
    # Another token of the same buyer has its own count.
    _token, fresh = services.buyer_token_issue(actor=officer_entrepreneurs, buyer=buyer)
    assert api(client, LIST, fresh).status_code == 200


def test_an_officer_issues_a_token_shown_once_and_stored_only_as_a_hash(client, officer_entrepreneurs, buyer):
    client.force_login(officer_entrepreneurs)
    url = reverse("citizen_journalism:buyer_tokens", args=[buyer.pk])
    response = client.post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    token = BuyerToken.objects.get(buyer=buyer)
    assert token.key_hash == token_hash(key) and key not in token.key_hash and key.startswith(token.prefix)
    assert key not in client.get(url).content.decode()  # never again
    assert api(client, LIST, key).status_code == 200
    entry = AuditEntry.objects.get(action="buyer_token.issue")
    assert key not in str(entry.changes)

    response = client.post(reverse("citizen_journalism:buyer_token_revoke", args=[buyer.pk, token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == officer_entrepreneurs
    assert AuditEntry.objects.filter(action="buyer_token.revoke").count() == 1
    assert api(client, LIST, key).status_code == 401


def test_only_those_who_run_the_market_issue_tokens(client, member_user_a, buyer):
    client.force_login(member_user_a)
    assert client.post(reverse("citizen_journalism:buyer_tokens", args=[buyer.pk])).status_code == 403
    assert not BuyerToken.objects.exists()


def test_an_inactive_buyer_gets_no_token(officer_entrepreneurs, buyer):
    from django.core.exceptions import ValidationError

    services.buyer_update(actor=officer_entrepreneurs, buyer=buyer, data={"active": False})
    with pytest.raises(ValidationError):
        services.buyer_token_issue(actor=officer_entrepreneurs, buyer=buyer)
    assert not BuyerToken.objects.exists()


# --- the schema -------------------------------------------------------------------------------------------------


def test_the_schema_is_served_and_valid(client, tmp_path):
    # drf-spectacular's own check: the OpenAPI 3 validator, and any generator warning fails it.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert set(schema["paths"]) == {"/api/v1/articles/", "/api/v1/articles/{id}/"}
    assert "buyerToken" in schema["components"]["securitySchemes"]
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200 and response.json()["openapi"].startswith("3.")
    assert client.get("/api/v1/schema/").status_code == 200
