"""The template loader keeps what constant {% translate %}, {% url %} and {% static %} tags write (kpmi_si.templating):
a page must read exactly as Django's own tags write it, whatever the language, arguments, script prefix
or escaping, and a settings change must forget what was kept."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from kpmi_si import kept, templating


@pytest.fixture
def engine(tmp_path):
    """An engine reading templates from tmp_path through the project's loader."""

    def write(name: str, text: str):
        (tmp_path / name).write_text(text)
        return built.get_template(name)

    built = Engine(
        dirs=[str(tmp_path)],
        loaders=[("kpmi_si.templating.Loader", ["django.template.loaders.filesystem.Loader"])],
        libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"},
    )
    return write


def _render(template, **values) -> str:
    return template.render(Context(values))


def _nodes(template, kind) -> list:
    return template.nodelist.get_nodes_by_type(kind)


def test_the_project_loads_templates_through_the_loader():
    loader = engines["django"].engine.template_loaders[0]
    assert type(loader) is templating.Loader


def test_only_constant_tags_are_kept(engine):
    template = engine(
        "t.html",
        '{% load i18n %}{% translate "Filter" %}|{% translate "Filter" as kept %}{{ kept }}|'
        '{% translate word %}|{% translate "Filter" context "verb" %}|{% translate "Filter"|upper %}|'
        '{% url "associations:home" "users" %}|{% url name "users" %}|{% url "associations:home" "users" as u %}'
        "{% if yes %}{% for x in xs %}{% translate 'Reset' %}{% endfor %}{% endif %}",
    )
    kinds = [type(node).__name__ for node in template.nodelist.get_nodes_by_type(TranslateNode)]
    # The literal one and the one inside if/for are kept; as, a variable, a context, a filter are not.
    assert kinds.count("KeptTranslateNode") == 2 and kinds.count("TranslateNode") == 4
    urls = [type(node).__name__ for node in _nodes(template, templating.URLNode)]
    assert urls == ["KeptURLNode", "URLNode", "URLNode"]
    with translation.override("id"):
        text = _render(template, word="Reset", name="associations:home", yes=True, xs=[1, 2])
    home = reverse("associations:home", args=["users"])
    assert text == f"Saring|Saring|Atur ulang|Filter|SARING|{home}|{home}|Atur ulangAtur ulang"


def test_a_template_is_swapped_once(engine):
    first = engine("t.html", '{% load i18n %}{% translate "Filter" %}')
    node = first.nodelist[1]
    again = first.engine.get_template("t.html")
    assert again is first and again.nodelist[1] is node and type(node) is templating.KeptTranslateNode


def test_translated_text_follows_the_language(engine):
    template = engine("t.html", '{% load i18n %}{% translate "Filter" %}')
    for _round in range(2):
        with translation.override("id"):
            assert _render(template) == "Saring"
        with translation.override("en"):
            assert _render(template) == "Filter"


def test_an_address_follows_its_arguments(engine):
    template = engine("t.html", '{% url "associations:home" code %}')
    for _round in range(2):
        for code in ("users", "communities", "entrepreneurs"):
            assert _render(template, code=code) == reverse("associations:home", args=[code])


def test_true_is_not_the_address_of_one(engine):
    template = engine("t.html", '{% url "associations:home" code %}')
    assert _render(template, code=True) == reverse("associations:home", args=[True])
    assert (
        _render(template, code=1) == reverse("associations:home", args=[1]) != reverse("associations:home", args=[True])
    )


def test_an_argument_that_is_not_a_plain_value_is_reversed_each_time(engine):
    class Code:
        value = "users"

        def __str__(self) -> str:
            return self.value

    template = engine("t.html", '{% url "associations:home" code %}')
    code = Code()
    assert _render(template, code=code) == reverse("associations:home", args=["users"])
    code.value = "communities"
    assert _render(template, code=code) == reverse("associations:home", args=["communities"])


def test_an_address_follows_the_escaping(engine):
    """The same tag in an escaped page and in an unescaped one (an e-mail's text part)."""
    template = engine("t.html", '{% url "awards:verify_code" code %}')
    raw = reverse("awards:verify_code", args=["a&b"])
    assert "&" in raw
    for _round in range(2):
        assert template.render(Context({"code": "a&b"})) == raw.replace("&", "&amp;")
        assert template.render(Context({"code": "a&b"}, autoescape=False)) == raw


def test_an_address_follows_the_script_prefix(engine):
    template = engine("t.html", '{% url "associations:home" "users" %}')
    plain = _render(template)
    try:
        set_script_prefix("/kpmi/")
        assert _render(template) == "/kpmi" + plain
    finally:
        set_script_prefix("/")
    assert _render(template) == plain


def test_a_file_address_is_kept_and_follows_the_settings_and_the_escaping(engine):
    from django.templatetags.static import StaticNode, static

    template = engine(
        "t.html",
        '{% load static %}{% static "css/site.css" %}|{% static name %}|{% static "css/site.css" as u %}{{ u }}'
        '|{% static "a&b.css" %}',
    )
    kinds = [type(node).__name__ for node in _nodes(template, StaticNode)]
    # The literal one is kept; a variable path and `as` are not.
    assert kinds == ["KeptStaticNode", "StaticNode", "StaticNode", "KeptStaticNode"]
    for static_url in ("/static/", "/berkas/", "/static/"):
        with override_settings(STATIC_URL=static_url, STORAGES=settings.STORAGES | {"staticfiles": PLAIN_FILES}):
            site = static("css/site.css")
            assert site.startswith(static_url)
            for _round in range(2):
                assert _render(template, name="css/site.css") == f"{site}|{site}|{site}|{static('a&b.css')}".replace(
                    "&", "&amp;"
                )
                assert template.render(Context({"name": "x.css"}, autoescape=False)).endswith(static("a&b.css"))


PLAIN_FILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def test_a_settings_change_forgets_what_was_kept(engine):
    template = engine("t.html", '{% load i18n %}{% translate "Filter" %}')
    before = kept.generation()
    with translation.override("id"):
        assert _render(template) == "Saring"
    with override_settings(LANGUAGE_CODE="en"):
        assert kept.generation() > before
        # What the node kept under the old generation is not what it holds now.
        assert template.nodelist[1]._memory() == {}


def test_a_node_keeps_a_bounded_number_of_addresses(engine):
    template = engine("t.html", '{% url "awards:verify_code" code %}')
    codes = [f"K{n}" for n in range(templating._MAX_KEPT + 50)]
    for code in codes:
        assert _render(template, code=code) == reverse("awards:verify_code", args=[code])
    node = _nodes(template, templating.URLNode)[0]
    assert len(node._memory()) == templating._MAX_KEPT
    # The codes past the bound are still right, reversed every time.
    assert _render(template, code=codes[-1]) == reverse("awards:verify_code", args=[codes[-1]])


def test_a_renewing_memory_starts_again_when_full():
    """Keys that come and go (the menu's path): when full, the memory forgets all and keeps the new
    ones, instead of working out every later key for good; each answer is the key's own either way."""
    worked_out = []

    def work_out(key):
        worked_out.append(key)
        return f"<{key}>"

    renewing, plain = templating.Kept(3, renew_when_full=True), templating.Kept(3)
    for memory in (renewing, plain):
        worked_out.clear()
        for key in ("a", "b", "c", "d", "d", "e", "e", "a"):
            assert memory.get(key, lambda key=key: work_out(key)) == f"<{key}>"
        if memory is renewing:
            # d renewed the memory (a, b, c forgotten) and was kept, as was e: each worked out once.
            assert worked_out == ["a", "b", "c", "d", "e", "a"]
            assert set(memory.outputs()) == {"d", "e", "a"}
        else:
            # Full with a, b, c: d and e are worked out at every ask.
            assert worked_out == ["a", "b", "c", "d", "d", "e", "e"]
            assert set(memory.outputs()) == {"a", "b", "c"}


@pytest.mark.django_db
def test_pages_read_the_same_in_both_languages_after_being_kept(client):
    """The public news front, drawn in Indonesian, then English, then Indonesian again."""
    url = reverse("citizen_journalism:front")
    pages = []
    for language in ("id", "en", "id"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages.append(client.get(url).content.decode())
    assert pages[0] == pages[2] != pages[1]
    assert 'lang="id"' in pages[0] and 'lang="en"' in pages[1]


def test_nothing_is_kept_when_the_work_fails():
    """A statement that cannot be compiled (an empty filter's EmptyResultSet) is asked again next time."""
    memory = kept.Kept(4)

    def fails():
        raise LookupError("no statement")

    with pytest.raises(LookupError):
        memory.get("k", fails)
    assert memory.outputs() == {}
    assert memory.get("k", lambda: "compiled") == "compiled"
