"""The search-as-you-type picker of the logging forms (#14): its JSON searches are scoped to what the
field accepts and to groups the user logs for; the form still validates on the server."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Desa, Kecamatan, Level
from programs.forms import FORMS
from programs.models import Activity
from tests import factories

from .factories import make_activity

pytestmark = pytest.mark.django_db

SEARCH = reverse("programs:member_search")
DESA = reverse("members:desa_options")


@pytest.fixture
def people(kpmi_a, kpmi_b):
    return {
        "own": factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Ujang Sendiri"),
        "other": factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Ujang Tetangga"),
        "candidate_b": factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER_CANDIDATE, full_name="Ujang Calon"),
        "gone": factories.MemberFactory(
            kpmi=kpmi_b, level=Level.MANAGER, full_name="Ujang Pergi", anonymised_at=timezone.now()
        ),
    }


def names(response) -> list[str]:
    return [row["label"] for row in response.json()["results"]]


class TestMemberSearch:
    def test_other_members_searches_only_other_groups(self, client_for, manager_a, kpmi_a, people):
        response = client_for(manager_a).get(
            SEARCH, {"kpmi": kpmi_a.pk, "kind": "publication", "field": "credited_other", "q": "ujang"}
        )
        assert response.status_code == 200
        assert sorted(names(response)) == ["Ujang Calon", "Ujang Tetangga"]
        row = response.json()["results"][0]
        # Name and group only: no phone, e-mail or birth year in the picker.
        assert set(row) == {"id", "label", "group"}

    def test_lead_trainer_searches_trainers_and_above(self, client_for, manager_a, kpmi_a, people):
        response = client_for(manager_a).get(
            SEARCH, {"kpmi": kpmi_a.pk, "kind": "training", "field": "lead_trainer", "q": "ujang"}
        )
        assert sorted(names(response)) == ["Ujang Sendiri", "Ujang Tetangga"]

    def test_one_letter_finds_nothing_yet(self, client_for, manager_a, kpmi_a, people):
        assert (
            names(
                client_for(manager_a).get(
                    SEARCH, {"kpmi": kpmi_a.pk, "kind": "publication", "field": "credited_other", "q": "u"}
                )
            )
            == []
        )

    def test_only_for_a_group_the_user_logs_for(self, client_for, manager_a, kpmi_b, officer_users, people):
        params = {"kpmi": kpmi_b.pk, "kind": "publication", "field": "credited_other", "q": "ujang"}
        assert client_for(manager_a).get(SEARCH, params).status_code == 403
        assert client_for(officer_users).get(SEARCH, params).status_code == 403
        assert client_for(None).get(SEARCH, params).status_code == 302

    @pytest.mark.parametrize(
        "params, status",
        [
            ({"field": "credited_other", "q": "ujang"}, 400),
            ({"kpmi": "²", "field": "credited_other", "q": "ujang"}, 404),
            ({"kpmi": "9" * 40, "field": "credited_other", "q": "ujang"}, 404),
            ({"kpmi": "A", "kind": "publication", "field": "phone", "q": "ujang"}, 400),
            ({"kpmi": "A", "field": "credited_other", "q": "ujang"}, 400),
            ({"kpmi": "A", "kind": "poem", "field": "credited_other", "q": "ujang"}, 400),
            # Only the training form has a lead trainer.
            ({"kpmi": "A", "kind": "publication", "field": "lead_trainer", "q": "ujang"}, 400),
        ],
    )
    def test_bad_input_is_refused_not_a_server_error(self, client_for, manager_a, kpmi_a, params, status):
        params = {k: (kpmi_a.pk if v == "A" else v) for k, v in params.items()}
        assert client_for(manager_a).get(SEARCH, params).status_code == status

    def test_post_is_not_allowed(self, client_for, manager_a, kpmi_a):
        assert client_for(manager_a).post(SEARCH, {"kpmi": kpmi_a.pk}).status_code == 405


class TestTheSearchOffersWhatTheFormAccepts:
    """The JSON search and the form share one definition (ActivityForm.people): whom saving
    refuses, the search does not offer."""

    @pytest.mark.parametrize(
        "kind, field, who, accepted",
        [
            ("training", "credited_other", "candidate_b", False),  # a training credits trainers only
            ("training", "credited_other", "other", True),
            ("publication", "credited_other", "candidate_b", True),
            ("publication", "credited_other", "gone", False),  # anonymised: left, identity removed
            ("training", "lead_trainer", "gone", False),
            ("publication", "credited_other", "own", False),  # of the logging group: not "other"
        ],
    )
    def test_refused_by_the_form_means_not_offered(
        self, client_for, manager_a, kpmi_a, people, kind, field, who, accepted
    ):
        member = people[who]
        form = FORMS[kind](
            data={field: [str(member.pk)]} if field == "credited_other" else {field: str(member.pk)},
            kpmi=kpmi_a,
            user=manager_a,
        )
        form.is_valid()
        assert (field not in form.errors) is accepted
        params = {"kpmi": kpmi_a.pk, "kind": kind, "field": field, "q": member.full_name[:8]}
        offered = [row["id"] for row in client_for(manager_a).get(SEARCH, params).json()["results"]]
        assert (str(member.pk) in offered) is accepted

    def test_an_anonymised_member_already_credited_still_saves_with_the_record(self, manager_a, kpmi_a, people):
        activity = make_activity(kpmi=kpmi_a, credited=[people["gone"]], created_by=manager_a)
        form = FORMS["publication"](
            data={"credited_other": [people["gone"].pk]}, kpmi=kpmi_a, user=manager_a, activity=activity
        )
        form.is_valid()
        assert "credited_other" not in form.errors


class TestDesaOptions:
    def test_villages_of_one_district(self, client_for, manager_a):
        kecamatan = Kecamatan.objects.order_by("pk").first()
        response = client_for(manager_a).get(DESA, {"kecamatan": kecamatan.pk})
        assert sorted(row["id"] for row in response.json()["results"]) == sorted(
            Desa.objects.filter(kecamatan=kecamatan).values_list("code", flat=True)
        )

    @pytest.mark.parametrize("raw, status", [("", 404), ("x", 404), ("²", 404), ("9" * 20, 404), ("9999999", 404)])
    def test_bad_district(self, client_for, manager_a, raw, status):
        assert client_for(manager_a).get(DESA, {"kecamatan": raw}).status_code == status


class TestTheLoggingForm:
    def test_the_fields_carry_the_picker_and_keep_their_names(self, client_for, manager_a, kpmi_a):
        body = client_for(manager_a).get(reverse("programs:activity_create", args=["terbitan"])).content.decode()
        assert (
            'name="credited_other"' in body
            and f'data-picker="{SEARCH}?kpmi={kpmi_a.pk}&amp;kind=publication&amp;field=credited_other"' in body
        )
        assert 'name="desa"' in body and 'data-depends-on="kecamatan"' in body
        assert "js/picker.js" in body and "css/picker.css" in body
        assert "hold Ctrl" not in body and "tahan Ctrl" not in body

    def test_the_page_lists_only_the_people_chosen(self, client_for, manager_a, kpmi_a, kpmi_b):
        # At Garut scale the field accepts ~15,000 members: the page carries the chosen ones only,
        # and the search adds the others.
        chosen = factories.MemberFactory(kpmi=kpmi_b, full_name="Dipilih Tetangga")
        factories.MemberFactory(kpmi=kpmi_b, full_name="Tidak Dipilih Tetangga")
        client = client_for(manager_a)
        new = client.get(reverse("programs:activity_create", args=["terbitan"])).content.decode()
        assert "Tetangga" not in new
        activity = make_activity(kpmi=kpmi_a, credited=[chosen], created_by=manager_a)
        edit = client.get(reverse("programs:activity_edit", args=[activity.pk])).content.decode()
        assert f'<option value="{chosen.pk}" selected>Dipilih Tetangga · {kpmi_b.name}</option>' in edit
        assert "Tidak Dipilih" not in edit

    def test_a_tampered_id_is_a_field_error_and_nothing_is_saved(self, client_for, manager_a, kpmi_a, people):
        client = client_for(manager_a)
        url = reverse("programs:activity_create", args=["terbitan"])
        data = {
            "title": "Berita posyandu",
            "date": "2025-06-01",
            "channel": "website",
            "link": "https://desa.example.id/1",
            "kecamatan": kpmi_a.kecamatan_id,
            "credited": [people["own"].pk],
            # A member of the logging group itself is not "of another KPMI": refused on the field.
            "credited_other": [people["own"].pk],
        }
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors.get("credited_other")
        assert not Activity.objects.exists()
