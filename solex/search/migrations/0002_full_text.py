"""The full-text part of the index, per database vendor (see solex.search.backends)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_document ADD COLUMN search_vector tsvector")
        schema_editor.execute(
            "CREATE INDEX search_document_vector ON search_document USING GIN (search_vector)"
        )
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX search_document_vector")
        schema_editor.execute("ALTER TABLE search_document DROP COLUMN search_vector")
    else:
        schema_editor.execute("DROP TABLE search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
