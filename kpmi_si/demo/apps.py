from django.apps import AppConfig


class DemoConfig(AppConfig):
    # An app only so that Django finds the seed_demo command; it has no models.
    name = "kpmi_si.demo"
    label = "demo"
    verbose_name = "Demo data"
