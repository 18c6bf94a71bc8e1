"""The ledger refuses UPDATE and DELETE in the database itself, so no code path (the admin, a shell,
a careless migration, raw SQL) can rewrite a KPMI's money history. PostgreSQL only: SQLite is the
demo database, where the model's save()/delete() guard is the only one."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION entrepreneurship_posting_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a ledger posting is never changed or deleted; record a reversing posting'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER entrepreneurship_posting_immutable
    BEFORE UPDATE OR DELETE ON entrepreneurship_posting
    FOR EACH ROW EXECUTE FUNCTION entrepreneurship_posting_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS entrepreneurship_posting_immutable ON entrepreneurship_posting;
DROP FUNCTION IF EXISTS entrepreneurship_posting_immutable();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("entrepreneurship", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
