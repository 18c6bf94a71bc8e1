"""Login lands each role on its own page; password change and reset work in Indonesian."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from members.models import KpmiRole
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin_user", lambda ctx: reverse("komtik_home")),
        ("officer_platform", lambda ctx: reverse("home")),
        ("manager_a", lambda ctx: reverse("home")),
        ("member_user_a", lambda ctx: ctx["member_user_a"].member.get_absolute_url()),
        ("outsider", lambda ctx: reverse("directory:kpmi_list")),
    ],
)
def test_each_role_lands_on_its_own_home(request, client, who, expected, kpmi_a):
    user = request.getfixturevalue(who)
    ctx = {"kpmi_a": kpmi_a, who: user}
    response = _login(client, user.username)
    assert response.redirect_chain[-1][0] == expected(ctx)
    assert response.status_code == 200


def test_a_supervisor_of_two_groups_sees_both_side_by_side(client, kpmi_a, kpmi_b):
    user = factories.make_keeper(kpmi_a, KpmiRole.Role.SUPERVISOR, username="guru")
    KpmiRole.objects.create(kpmi=kpmi_b, user=user, role=KpmiRole.Role.SUPERVISOR)
    response = _login(client, "guru")
    body = response.content.decode()
    assert "Apa yang menunggu Anda" in body
    assert body.count("Pekerjaan menunggu persetujuan") == 2
    assert "KPMI Alfa" in body and "KPMI Beta" in body


def test_wrong_password_gets_a_message_not_a_login(client, manager_a):
    response = client.post(reverse("login"), {"username": "manager_a", "password": "salah"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "benar" in response.content.decode()  # Django's Indonesian "masukkan ... yang benar"


def test_logout_is_a_post(client_for, manager_a):
    client = client_for(manager_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client_for, manager_a):
    client = client_for(manager_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Garut-Berkarya-2026", "new_password2": "Garut-Berkarya-2026"},
    )
    assert response.status_code == 302
    manager_a.refresh_from_db()
    assert manager_a.check_password("Garut-Berkarya-2026")


def test_password_reset_by_email_in_indonesian(client, manager_a):
    response = client.post(reverse("password_reset"), {"email": manager_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager_a.email]
    assert "Atur ulang kata sandi" in message.subject
    link = re.search(r"https?://[^/]+(/akun/reset/\S+)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    confirm_url = response.redirect_chain[-1][0]
    response = client.post(confirm_url, {"new_password1": "Kopi-Garut-Enak-9", "new_password2": "Kopi-Garut-Enak-9"})
    assert response.status_code == 302
    manager_a.refresh_from_db()
    assert manager_a.check_password("Kopi-Garut-Enak-9")


def test_unknown_email_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "tidak.ada@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


class TestKomtikAndAssociationHomes:
    def test_komtik_home_is_for_the_admin_only(self, client_for, admin_user, officer_users, manager_a):
        assert client_for(admin_user).get(reverse("komtik_home")).status_code == 200
        for user in (officer_users, manager_a):
            assert client_for(user).get(reverse("komtik_home")).status_code == 403

    def test_officer_sees_own_association_not_another(self, client_for, officer_users, kpmi_a):
        client = client_for(officer_users)
        response = client.get(reverse("associations:home", args=["users"]))
        assert response.status_code == 200
        assert "Perhimpunan Pengguna TIK" in response.content.decode()
        assert client.get(reverse("associations:home", args=["platform"])).status_code == 403

    def test_unknown_association_is_404_and_manager_is_403(self, client_for, admin_user, manager_a):
        assert client_for(admin_user).get(reverse("associations:home", args=["nope"])).status_code == 404
        assert client_for(manager_a).get(reverse("associations:home", args=["users"])).status_code == 403

    def test_wrong_method(self, client_for, admin_user):
        assert client_for(admin_user).post(reverse("komtik_home")).status_code == 405
        assert client_for(admin_user).post(reverse("associations:home", args=["users"])).status_code == 405


def test_healthz(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_one_login_page_for_every_link(client):
    # Django's own /akun/login/ is not mounted: the "log in" links and LOGIN_URL reach /akun/masuk/.
    assert reverse("login") == "/akun/masuk/"
    assert client.get("/akun/login/").status_code == 404
    assert client.get(reverse("home")).url.startswith("/akun/masuk/")
