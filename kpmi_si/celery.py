"""The Celery application. With REDIS_URL unset, settings make tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpmi_si.settings")

app = Celery("kpmi_si")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
