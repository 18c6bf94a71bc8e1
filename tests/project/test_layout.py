"""The site's shared look: each role's menu is short and offers nothing the role cannot use; list
tables carry their column names into each cell (cards on a phone) in a region a keyboard reaches;
every list's filters fold behind one button that counts the filters in use."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from members.models import Level
from tests import factories

pytestmark = pytest.mark.django_db

PARTS = ("/lomba/", "/proyek/", "/undangan/")


def _menu(client) -> tuple[list[str], list[str]]:
    """(primary hrefs, hrefs one level down) of the main menu of the page at /kpmi/."""
    body = client.get(reverse("directory:kpmi_list")).content.decode()
    menu = re.search(r'<ul class="navbar-nav me-auto" id="main-menu".*?\n</ul>', body, re.S).group(0)
    more = re.search(r'<ul class="dropdown-menu".*?</ul>', menu, re.S)
    primary = menu.replace(more.group(0), "") if more else menu
    hrefs = lambda html: re.findall(r'href="([^"#]+)"', html)  # noqa: E731
    return hrefs(primary), hrefs(more.group(0)) if more else []


def test_the_admins_bar_is_short_and_the_rest_one_level_down(client_for, admin_user):
    primary, more = _menu(client_for(admin_user))
    assert len(primary) <= 6
    assert "/program/tot/" in more and "/lomba/" in more


def test_a_juror_and_a_plain_member_see_no_competitions_projects_or_invitations_they_cannot_use(
    client_for, admin_user, kpmi_a
):
    from awards.models import AwardRound, JuryMember

    juror = factories.UserFactory(username="juri")
    round = AwardRound.objects.create(year=2025, status=AwardRound.Status.IN_REVIEW, created_by=admin_user)
    JuryMember.objects.create(round=round, user=juror, added_by=admin_user)
    primary, more = _menu(client_for(juror))
    assert reverse("awards:jury_home") in primary
    assert not any(part in href for href in primary + more for part in PARTS)

    candidate = factories.UserFactory(username="calon")
    factories.MemberFactory(kpmi=kpmi_a, user=candidate, level=Level.TRAINER_CANDIDATE)
    primary, more = _menu(client_for(candidate))
    assert not any(part in href for href in primary + more for part in ("/lomba/", "/proyek/"))
    assert "/kegiatan/saya/" in primary


def test_a_menu_shown_again_follows_a_change_of_the_role_at_once(client_for, manager_a, kpmi_a):
    """Menus are rendered once per role key (kpmi_si.layout.templatetags.layout): what they name is in
    the key, so a promotion or a renamed group shows on the next page."""
    candidate = factories.UserFactory(username="calon")
    member = factories.MemberFactory(kpmi=kpmi_a, user=candidate, level=Level.TRAINER_CANDIDATE)
    client = client_for(candidate)
    assert "/lomba/" not in _menu(client)[1]
    type(member).objects.filter(pk=member.pk).update(level=Level.MANAGER)
    assert "/lomba/" in _menu(client)[1]

    client = client_for(manager_a)

    def menu_html() -> str:
        body = client.get(reverse("directory:kpmi_list")).content.decode()
        return re.search(r'id="main-menu".*?\n</ul>', body, re.S).group(0)

    assert "KPMI Alfa" in menu_html() and "KPMI Alfa Baru" not in menu_html()
    type(kpmi_a).objects.filter(pk=kpmi_a.pk).update(name="KPMI Alfa Baru")
    assert "KPMI Alfa Baru" in menu_html()


def test_a_manager_has_the_groups_work_first(client_for, manager_a, kpmi_a):
    primary, more = _menu(client_for(manager_a))
    assert reverse("members:member_list", args=[kpmi_a.pk]) in primary
    assert "/undangan/" in primary and "/lomba/" in more


def test_an_officer_has_the_associations_own_tools_first(client_for, officer_communities, officer_platform):
    primary, _ = _menu(client_for(officer_communities))
    assert "/program/tot/" in primary and "/proyek/" not in primary
    primary, more = _menu(client_for(officer_platform))
    assert "/proyek/" in primary and "/program/tot/" in more


def test_the_bell_is_an_svg_icon_with_a_label_not_an_emoji(client_for, manager_a):
    body = client_for(manager_a).get(reverse("directory:kpmi_list")).content.decode()
    bell = re.search(r'<a [^>]*id="notification-bell".*?</a>', body, re.S).group(0)
    assert "bell.svg" in bell and 'alt=""' in bell
    assert "Notifikasi" in bell  # the name a screen reader reads
    assert "&#128276;" not in body and "\U0001f514" not in body


def test_anonymous_visitors_see_the_public_pages_only(client):
    primary, more = _menu(client)
    assert primary == [reverse("directory:kpmi_list"), reverse("awards:index"), reverse("citizen_journalism:front")]
    assert more == []


TABLE = """{% load layout %}{% cardtable "Anggota" %}<table class="table">
<thead><tr><th>Nama</th><th class="d-none d-md-table-cell">Desa &amp; kec.</th><th colspan="2">Aksi</th></tr></thead>
<tbody><tr><td>Asep</td><td>Cibatu</td><td>a</td><td>b</td></tr><tr><td colspan="4">Tidak ada</td></tr></tbody>
</table>{% endcardtable %}"""


def test_a_card_table_labels_each_cell_with_its_column_and_can_be_reached_by_keyboard():
    html = Template(TABLE).render(Context())
    assert '<div class="table-responsive" tabindex="0" role="region" aria-label="Anggota">' in html
    assert '<table class="table-cards table">' in html
    assert '<td data-label="Nama">Asep</td>' in html
    assert '<td data-label="Desa &amp; kec.">Cibatu</td>' in html
    assert html.count('data-label="Aksi"') == 2  # a header spanning two columns labels both
    assert '<td colspan="4">Tidak ada</td>' in html  # a whole-row message needs no label


def test_the_filter_button_counts_the_filters_in_use():
    from members.filters import MemberFilter
    from members.models import Member

    request = RequestFactory().get("/", {"q": "asep", "level": "", "page": "2"})
    filterset = MemberFilter(request.GET, queryset=Member.objects.none())
    html = Template('{% include "_filter_form.html" %}').render(Context({"filter": filterset, "request": request}))
    assert "<details" in html and "data-filter-box" in html
    summary = re.search(r"<summary.*?</summary>", html, re.S).group(0)
    assert re.search(r"badge[^>]*>1<", summary)


def test_an_editor_has_the_newsroom_first(client_for, kpmi_a):
    from citizen_journalism.models import EditorRole

    editor = factories.UserFactory(username="redaksi")
    EditorRole.objects.create(user=editor)
    primary, _ = _menu(client_for(editor))
    assert reverse("citizen_journalism:queue") in primary
    # A member who also edits finds the newsroom on the news pages.
    writer = factories.UserFactory(username="penulis")
    factories.MemberFactory(kpmi=kpmi_a, user=writer, level=Level.PIONEER)
    EditorRole.objects.create(user=writer)
    body = client_for(writer).get(reverse("citizen_journalism:front")).content.decode()
    menu = re.search(r'<ul class="navbar-nav me-auto" id="main-menu".*?\n</ul>', body, re.S).group(0)
    assert reverse("citizen_journalism:queue") in menu


def test_a_kept_header_carries_each_requests_own_user_token_and_address(client_for, officer_communities):
    """The navigation bar is kept per role key and path (kpmi_si.layout.templatetags.layout); the
    username, the CSRF token and the address the language switch comes back to are each request's own."""
    other = factories.make_officer("communities", username="petugas-kedua")
    url = reverse("directory:kpmi_list") + "?q=a'b&page=2"
    bars = []
    for user in (officer_communities, other):
        client = client_for(user, enforce_csrf_checks=True)
        body = client.get(url).content.decode()
        bar = re.search(r"<nav .*?</nav>", body, re.S).group(0)
        bars.append(bar)
        assert f'aria-expanded="false">{user.get_username()}</button>' in bar
        # The address comes back escaped: a quote in the query string cannot close the attribute.
        assert 'name="next" type="hidden" value="/kpmi/?q=a&#x27;b&amp;page=2"' in bar
        # The token in the bar is this session's: the logout form that carries it is accepted.
        token = re.search(
            rf'action="{reverse("logout")}" method="post"><input type="hidden" name="csrfmiddlewaretoken" '
            r'value="([^"]+)"',
            bar,
        ).group(1)
        assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
        assert client.get(reverse("directory:kpmi_list")).wsgi_request.user.is_anonymous
    assert other.get_username() not in bars[0] and officer_communities.get_username() not in bars[1]


def test_an_address_spelling_a_stand_in_of_the_kept_header_comes_back_as_written(client_for, officer_communities):
    from kpmi_si.layout.templatetags.layout import _HOLES

    client = client_for(officer_communities)
    client.get(reverse("directory:kpmi_list"))  # the header of this role and path is kept from here
    body = client.get(reverse("directory:kpmi_list") + f"?q={_HOLES['username']}-{_HOLES['csrf_token_value']}").content
    bar = re.search(r"<nav .*?</nav>", body.decode(), re.S).group(0)
    assert f'value="/kpmi/?q={_HOLES["username"]}-{_HOLES["csrf_token_value"]}"' in bar
    assert officer_communities.get_username() in bar and bar.count(officer_communities.get_username()) == 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_short_datetime_says_when_as_djangos_date_filter_does(language) -> None:
    """The dashboard's "last evaluation" and "computed at" times: the same text as Django's
    `date:"j M Y H:i"`, in each language, every month, local time (Asia/Jakarta), old years padded."""
    import datetime as dt
    import zoneinfo

    from django.utils import translation

    ours = Template("{% load layout %}{{ when|short_datetime }}")
    django = Template('{{ when|date:"j M Y H:i" }}')
    moments = [None, ""]
    for month in range(1, 13):
        moments += [
            dt.datetime(2026, month, 3, 23, 5, tzinfo=dt.UTC),  # the next day in Garut
            dt.datetime(999, month, 28, 0, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")),
        ]
    with translation.override(language):
        for when in moments:
            assert ours.render(Context({"when": when})) == django.render(Context({"when": when}))
        december = ours.render(Context({"when": dt.datetime(2026, 12, 3, 23, 5, tzinfo=dt.UTC)}))
    assert december == {"id": "4 Des 2026 06:05", "en": "4 Dec 2026 06:05"}[language]


# templates/_pagination.html as it was written in the template language, before {% pagination %}.
_PAGINATION_AS_TEMPLATE = (
    "{% load i18n %}{% if page.has_other_pages %}\n"
    "<nav aria-label=\"{% translate 'Pages' %}\">\n"
    '  <ul class="pagination flex-wrap">\n'
    "    {% if page.has_previous %}\n"
    '      <li class="page-item"><a class="page-link" href="{% querystring page=page.previous_page_number %}">'
    '&laquo; {% translate "Previous" %}</a></li>\n'
    "    {% endif %}\n"
    '    <li class="page-item disabled"><span class="page-link">'
    "{% blocktranslate with n=page.number total=page.paginator.num_pages %}"
    "Page {{ n }} of {{ total }}{% endblocktranslate %}</span></li>\n"
    "    {% if page.has_next %}\n"
    '      <li class="page-item"><a class="page-link" href="{% querystring page=page.next_page_number %}">'
    '{% translate "Next" %} &raquo;</a></li>\n'
    "    {% endif %}\n"
    "  </ul>\n"
    "</nav>\n"
    "{% endif %}"
)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "query", ["", "?page=2", "?kecamatan=320501&sort=-ratio&page=3", "?q=a%26b%3Cc&q=second&page=9"]
)
@pytest.mark.parametrize("items", [0, 10, 30, 75])
def test_pagination_gives_the_links_the_template_gave(language, query, items) -> None:
    """Every list's page links: the same markup as the template they replace, keeping each other
    parameter (a repeated one too, escaped), the page number clamped as Paginator.get_page clamps it."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.paginator import Paginator
    from django.test.html import parse_html
    from django.utils import translation

    request = RequestFactory().get("/list/" + query)
    request.user = AnonymousUser()
    page = Paginator(range(items), 25).get_page(request.GET.get("page"))
    from django.template import RequestContext

    with translation.override(language):
        ours = Template("{% include '_pagination.html' %}").render(RequestContext(request, {"page": page}))
        written = Template(_PAGINATION_AS_TEMPLATE).render(RequestContext(request, {"page": page}))
    assert parse_html(ours) == parse_html(written)
    assert ("pagination" in ours) == (items > 25)
    if items > 25 and "q=" in query:
        assert "q=a%26b%3Cc&amp;q=second" in ours


def test_pagination_without_a_page_in_the_context_shows_nothing() -> None:
    assert Template("{% include '_pagination.html' %}").render(Context({})).strip() == ""
