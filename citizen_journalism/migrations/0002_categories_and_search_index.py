"""The first news categories (KOMTIK adds more in the admin), and the full-text search index, which
exists only on PostgreSQL: SQLite (make run) searches with a plain match instead."""

from django.db import migrations

CATEGORIES = [
    ("Berita Desa", "berita-desa"),
    ("Teknologi & TIK", "teknologi"),
    ("Pendidikan", "pendidikan"),
    ("Ekonomi & UMKM", "ekonomi"),
    ("Pertanian", "pertanian"),
    ("Budaya & Wisata", "budaya-wisata"),
    ("Kesehatan", "kesehatan"),
    ("Kegiatan KPMI", "kegiatan-kpmi"),
]


def seed_categories(apps, schema_editor):
    category = apps.get_model("citizen_journalism", "Category")
    for position, (name, slug) in enumerate(CATEGORIES):
        category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


def search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_search_gin ON citizen_journalism_article USING gin (search_document)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_gin")


class Migration(migrations.Migration):
    dependencies = [("citizen_journalism", "0001_newsroom")]

    operations = [
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
        migrations.RunPython(search_index, drop_search_index),
    ]
