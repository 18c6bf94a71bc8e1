"""Notification e-mails leave through a background job after the change commits: once per
notification however often the job runs, and a mail server that is down never breaks the request."""

from __future__ import annotations

import pytest
from django.conf import settings

from kpmi_si.notifications import services
from kpmi_si.notifications.models import Notification
from kpmi_si.notifications.tasks import notification_email_task
from tests import factories

pytestmark = pytest.mark.django_db


def _tell(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipient=user, message=lambda: "Undangan ToT", link="/undangan/7/")
    return Notification.objects.get(recipient=user)


def test_the_mail_leaves_after_commit_with_a_full_link(mailoutbox, django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="pengelola@example.id", language="id")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notification_send(recipient=user, message=lambda: "Undangan ToT", link="/undangan/7/")
    assert mailoutbox == []  # nothing leaves before the change is committed
    for callback in callbacks:
        callback()
    note = Notification.objects.get(recipient=user)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].body == f"Undangan ToT\n\n{settings.SITE_URL}/undangan/7/"
    assert mailoutbox[0].to == ["pengelola@example.id"]
    assert note.emailed_at is not None


def test_running_the_job_twice_sends_once(mailoutbox, django_capture_on_commit_callbacks):
    note = _tell(factories.UserFactory(email="a@example.id"), django_capture_on_commit_callbacks)
    assert notification_email_task.delay(note.pk).get() is False
    assert services.notification_email(notification_id=note.pk) is False
    assert len(mailoutbox) == 1


def test_no_address_no_mail_but_the_bell_still_shows_it(mailoutbox, django_capture_on_commit_callbacks):
    note = _tell(factories.UserFactory(email=""), django_capture_on_commit_callbacks)
    assert note.email_subject == "" and note.emailed_at is None
    assert mailoutbox == []


def test_a_mail_server_that_is_down_does_not_break_the_request(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.test_notification_email.DownBackend"
    user = factories.UserFactory(email="a@example.id")
    note = _tell(user, django_capture_on_commit_callbacks)  # in-process (no broker): no exception
    note.refresh_from_db()
    assert note.emailed_at is None  # not marked sent: a worker's retry would still send it
    assert Notification.objects.filter(recipient=user).count() == 1


class DownBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
