"""The two services the source text names, as KOMTIK catalogue templates with their rules: basic ICT
installation and maintenance training, free for trainer candidates; ICT deployment, free for the
target community. Names in Indonesian: they are data a KPMI adopts, shown as typed."""

from django.db import migrations

TRAINER_CANDIDATE = 1


def seed(apps, schema_editor):
    Template = apps.get_model("entrepreneurship", "ServiceTemplate")
    Rule = apps.get_model("entrepreneurship", "EligibilityRule")
    training, _ = Template.objects.get_or_create(
        name="Pelatihan dasar instalasi dan pemeliharaan TIK",
        defaults={
            "description": "Pelatihan instalasi sistem operasi, aplikasi dan perawatan perangkat TIK.",
            "unit": "participant",
            "work_kind": "training",
            "suggested_price": 150000,
        },
    )
    deployment, _ = Template.objects.get_or_create(
        name="Pendayagunaan TIK",
        defaults={
            "description": "Pemasangan dan pendampingan pemanfaatan TIK di lokasi klien.",
            "unit": "site",
            "work_kind": "deployment",
            "suggested_price": 500000,
        },
    )
    if not Rule.objects.filter(template=training).exists():
        Rule.objects.create(template=training, client_level=TRAINER_CANDIDATE)
    if not Rule.objects.filter(template=deployment).exists():
        Rule.objects.create(template=deployment, client_category="target_community")


class Migration(migrations.Migration):
    dependencies = [("entrepreneurship", "0002_ledger_immutable")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
