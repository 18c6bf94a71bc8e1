"""The pickers without JavaScript (#14): the form's own "Search" and "Show the villages" buttons send
it back; the page comes back with what was typed, nothing saved, the people narrowed to the matches
the field accepts (checkboxes or radio buttons, the chosen ones kept) and the villages to the chosen
district. A village outside the chosen district is refused on its field when saving."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kpmi_si.picker import SEARCH_BUTTON
from members.models import Desa, Kpmi, Level
from programs.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db

PUBLICATION = reverse("programs:activity_create", args=["terbitan"])
TRAINING = reverse("programs:activity_create", args=["pelatihan"])


@pytest.fixture
def people(kpmi_a, kpmi_b):
    kpmi_c = factories.KpmiFactory(name="KPMI Gamma", kecamatan=factories.kecamatan("Leles"))
    return {
        "own": factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Ujang Sendiri"),
        "other": factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Ujang Tetangga"),
        "candidate_b": factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER_CANDIDATE, full_name="Ujang Calon"),
        "gamma": factories.MemberFactory(kpmi=kpmi_c, level=Level.TRAINER, full_name="Siti Gamma"),
        "rina": factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER, full_name="Rina Beta"),
    }


def _publication(kpmi: Kpmi, **changes):
    return {
        "title": "Berita posyandu",
        "date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "channel": "website",
        "link": "https://desa.example.id/1",
        "kecamatan": kpmi.kecamatan_id,
        "desa": "",
        "summary": "Ringkasan yang diketik",
        **changes,
    }


def _shown(response, name: str) -> list[str]:
    """The ids a picker offers on the page: its checkboxes/radios after a search, else its options."""
    widget = response.context["form"].fields[name].widget
    if widget.matches is not None:
        return [pk for pk, _label in widget.matches]
    return [str(pk) for _group, options in widget.choices if isinstance(options, list) for pk, _label in options]


class TestSearchWithoutJavaScript:
    def test_the_form_offers_a_search_box_and_button_of_its_own(self, client_for, manager_a):
        body = client_for(manager_a).get(PUBLICATION).content.decode()
        assert '<label class="form-label small mb-1" for="id_credited_other_q">' in body
        assert 'name="credited_other_q"' in body
        assert f'name="{SEARCH_BUTTON}" value="credited_other" formnovalidate' in body
        assert f'name="{SEARCH_BUTTON}" value="desa" formnovalidate' in body

    def test_search_shows_the_matches_as_checkboxes_keeps_the_data_and_saves_nothing(
        self, client_for, manager_a, kpmi_a, people
    ):
        data = _publication(
            kpmi_a,
            credited=[people["own"].pk],
            credited_other=[people["gamma"].pk],
            credited_other_q="ujang",
            **{SEARCH_BUTTON: "credited_other"},
        )
        response = client_for(manager_a).post(PUBLICATION, data)
        assert response.status_code == 200
        assert not Activity.objects.exists()
        form = response.context["form"]
        assert not form.errors  # not validated yet: the user is still filling it in
        # The matches of another group, and the member chosen before (not a match) still chosen.
        assert sorted(_shown(response, "credited_other")) == sorted(
            str(people[k].pk) for k in ("other", "candidate_b", "gamma")
        )
        body = response.content.decode()
        assert (
            f'type="checkbox" name="credited_other" value="{people["gamma"].pk}" id="id_credited_other_0" checked'
            in body
        )
        assert f'value="{people["other"].pk}" id="id_credited_other_' in body
        assert 'value="Berita posyandu"' in body and "Ringkasan yang diketik" in body
        assert 'value="ujang"' in body
        assert "Rina Beta" not in body  # neither a match nor chosen: not on the page
        assert "Belum disimpan" in body or "Not saved yet" in body

    def test_enter_in_the_search_box_searches_and_elsewhere_saves(self, client_for, manager_a, kpmi_a, people):
        # Enter presses the hidden default Save (first in the form, so that Enter in the title saves):
        # a query typed since the page showed its matches is searched instead.
        client = client_for(manager_a)
        body = client.get(PUBLICATION).content.decode()
        assert body.index('class="default-submit" tabindex="-1" aria-hidden="true"') < body.index(SEARCH_BUTTON)
        data = _publication(kpmi_a, credited=[people["own"].pk], credited_other_q="tetangga")
        searched = client.post(PUBLICATION, data)
        assert searched.status_code == 200 and not Activity.objects.exists()
        assert _shown(searched, "credited_other") == [str(people["other"].pk)]
        saved = client.post(PUBLICATION, {**data, "credited_other_q_shown": "tetangga"})
        assert saved.status_code == 302 and Activity.objects.count() == 1
        assert (
            client.post(PUBLICATION, _publication(kpmi_a, title="Tanpa cari", credited=[people["own"].pk])).status_code
            == 302
        )

    def test_the_narrowed_form_then_saves_what_was_ticked(self, client_for, manager_a, kpmi_a, people):
        client = client_for(manager_a)
        data = _publication(kpmi_a, credited=[people["own"].pk], credited_other_q="tetangga")
        searched = client.post(PUBLICATION, {**data, SEARCH_BUTTON: "credited_other"})
        assert _shown(searched, "credited_other") == [str(people["other"].pk)]
        # The page shows the matches of "tetangga" (the hidden credited_other_q_shown): Save saves.
        assert 'name="credited_other_q_shown" value="tetangga"' in searched.content.decode()
        shown = {"credited_other_q_shown": "tetangga"}
        response = client.post(PUBLICATION, {**data, **shown, "credited_other": [people["other"].pk]})
        assert response.status_code == 302
        activity = Activity.objects.get()
        assert set(activity.credits.values_list("member_id", flat=True)) == {people["own"].pk, people["other"].pk}

    def test_search_on_the_edit_page_changes_nothing_stored(self, client_for, manager_a, kpmi_a, people):
        from tests.forms import form_data, opened_now

        from .factories import make_activity

        record = make_activity(kpmi=kpmi_a, credited=[people["own"]], created_by=manager_a, title="Judul lama")
        url = reverse("programs:activity_edit", args=[record.pk])
        client = client_for(manager_a)
        shown = client.get(url).context["form"]
        data = opened_now(form_data(shown, title="Judul baru", credited_other_q="tetangga"), record)
        response = client.post(url, {**data, SEARCH_BUTTON: "credited_other"})
        assert response.status_code == 200 and _shown(response, "credited_other") == [str(people["other"].pk)]
        assert 'value="Judul baru"' in response.content.decode()
        record.refresh_from_db()
        assert record.title == "Judul lama"
        # Then saved from the narrowed page, with the one found ticked.
        data["credited_other_q_shown"] = "tetangga"
        response = client.post(url, {**data, "credited_other": [people["other"].pk]})
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.title == "Judul baru"
        assert set(record.credits.values_list("member_id", flat=True)) == {people["own"].pk, people["other"].pk}

    def test_search_finds_only_what_the_field_accepts(self, client_for, manager_a, kpmi_a, people):
        client = client_for(manager_a)
        data = {**_publication(kpmi_a), "credited_other_q": "ujang", SEARCH_BUTTON: "credited_other"}
        # Members of the logging group itself are not "of another KPMI".
        assert str(people["own"].pk) not in _shown(client.post(PUBLICATION, data), "credited_other")
        training = {
            **_publication(kpmi_a),
            "lead_trainer_q": "ujang",
            "credited_other_q": "ujang",
            SEARCH_BUTTON: "lead_trainer",
        }
        response = client.post(TRAINING, training)
        assert sorted(_shown(response, "lead_trainer")) == sorted([str(people["own"].pk), str(people["other"].pk)])
        assert _shown(response, "credited_other") == [str(people["other"].pk)]  # trainers of other groups only
        assert 'type="radio" name="lead_trainer"' in response.content.decode()

    def test_a_manager_cannot_search_for_a_group_they_do_not_log_for(self, client_for, manager_a, kpmi_b, people):
        data = {**_publication(kpmi_b), "credited_other_q": "ujang", SEARCH_BUTTON: "credited_other"}
        response = client_for(manager_a).post(f"{PUBLICATION}?kpmi={kpmi_b.pk}", data)
        assert response.status_code == 403
        assert "Ujang" not in response.content.decode()

    def test_one_letter_searches_nothing_and_says_so(self, client_for, manager_a, kpmi_a, people):
        data = {**_publication(kpmi_a), "credited_other_q": "u", SEARCH_BUTTON: "credited_other"}
        response = client_for(manager_a).post(PUBLICATION, data)
        assert response.context["form"].fields["credited_other"].widget.matches is None
        assert response.context["form"].fields["credited_other"].widget.note
        assert not Activity.objects.exists()

    def test_nobody_found_is_said_and_tampered_ids_do_not_break_the_page(self, client_for, manager_a, kpmi_a, people):
        data = {
            **_publication(kpmi_a),
            "credited_other_q": "zzzz",
            "credited_other": ["abc", "9" * 40, str(people["own"].pk)],
            SEARCH_BUTTON: "credited_other",
        }
        response = client_for(manager_a).post(PUBLICATION, data)
        assert response.status_code == 200
        # The own-group member is not one the field accepts: not shown, even as "already chosen".
        assert _shown(response, "credited_other") == []
        assert "zzzz" in response.context["form"].fields["credited_other"].widget.note


class TestVillagesWithoutJavaScript:
    def test_show_villages_narrows_to_the_chosen_district(self, client_for, manager_a, kpmi_a):
        leles = factories.kecamatan("Leles")
        # The village chosen before, of the group's own district, is not kept: the user asked for Leles'.
        before = factories.desa_of(factories.kecamatan("Tarogong Kidul"))
        data = {**_publication(kpmi_a, kecamatan=leles.pk, desa=before.pk), SEARCH_BUTTON: "desa"}
        response = client_for(manager_a).post(PUBLICATION, data)
        assert response.status_code == 200 and not Activity.objects.exists()
        assert sorted(_shown(response, "desa")) == sorted(
            Desa.objects.filter(kecamatan=leles).values_list("code", flat=True)
        )

    def test_a_village_of_another_district_is_kept_visible_and_refused_on_save(
        self, client_for, manager_a, kpmi_a, people
    ):
        leles, cibatu = factories.kecamatan("Leles"), factories.kecamatan("Cibatu")
        wrong = factories.desa_of(cibatu)
        response = client_for(manager_a).post(
            PUBLICATION, _publication(kpmi_a, kecamatan=leles.pk, desa=wrong.pk, credited=[people["own"].pk])
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["desa"]  # on its field, nothing else wrong
        assert not Activity.objects.exists()
        shown = _shown(response, "desa")
        assert wrong.pk in shown and factories.desa_of(leles).pk in shown
        assert not Desa.objects.filter(kecamatan=cibatu).exclude(pk=wrong.pk).filter(pk__in=shown).exists()

    def test_a_village_of_the_chosen_district_is_saved(self, client_for, manager_a, kpmi_a, people):
        leles = factories.kecamatan("Leles")
        village = factories.desa_of(leles)
        response = client_for(manager_a).post(
            PUBLICATION, _publication(kpmi_a, kecamatan=leles.pk, desa=village.pk, credited=[people["own"].pk])
        )
        assert response.status_code == 302
        assert Activity.objects.get().desa_id == village.pk

    def test_the_kpmi_form_narrows_too(self, client_for, officer_communities):
        leles = factories.kecamatan("Leles")
        data = {"name": "KPMI Baru", "kecamatan": leles.pk, "desa": "", SEARCH_BUTTON: "desa"}
        response = client_for(officer_communities).post(reverse("members:kpmi_create"), data)
        assert response.status_code == 200 and not Kpmi.objects.filter(name="KPMI Baru").exists()
        assert sorted(_shown(response, "desa")) == sorted(leles.desa.values_list("code", flat=True))

    def test_the_order_form_narrows_the_new_clients_villages(self, client_for, manager_a, kpmi_a):
        from entrepreneurship.models import Order

        leles = factories.kecamatan("Leles")
        data = {"client_type": "new", "new_client_kecamatan": leles.pk, SEARCH_BUTTON: "new_client_desa"}
        response = client_for(manager_a).post(reverse("entrepreneurship:order_create", args=[kpmi_a.pk]), data)
        assert response.status_code == 200 and not Order.objects.exists()
        assert sorted(_shown(response, "new_client_desa")) == sorted(leles.desa.values_list("code", flat=True))

    def test_the_order_form_refuses_a_new_clients_village_of_another_district(self, kpmi_a):
        from entrepreneurship.forms.orders import OrderForm

        leles, cibatu = factories.kecamatan("Leles"), factories.kecamatan("Cibatu")
        data = {
            "client_type": "new",
            "new_client_name": "Toko Baru",
            "new_client_category": "business",
            "new_client_kecamatan": leles.pk,
            "new_client_desa": factories.desa_of(cibatu).pk,
        }
        form = OrderForm(data, kpmi=kpmi_a)
        assert not form.is_valid() and form.errors["new_client_desa"]
        form = OrderForm({**data, "new_client_desa": factories.desa_of(leles).pk}, kpmi=kpmi_a)
        form.is_valid()
        assert "new_client_desa" not in form.errors
