"""The search index's token (SearchIndexState) and the triggers that give it a new random value
whenever a table the index reads changes, in the same transaction as the change.

PostgreSQL fires once per statement (and on TRUNCATE); SQLite has only row triggers, so a bulk
load there rewrites the one row once per row loaded, which costs little next to the load.
"""

from django.db import migrations, models

# The tables search_index.build_index reads.
INDEXED_MODELS = (
    "Service",
    "ServiceTerm",
    "TaxonomyTerm",
    "ServiceArea",
    "ServiceLanguage",
    "Schedule",
    "Location",
    "ServiceAtLocation",
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION joinedup_directory_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO directory_searchindexstate (id, token) VALUES (1, gen_random_uuid()::text)
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _tables(apps):
    return [apps.get_model("directory", name)._meta.db_table for name in INDEXED_MODELS]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in _tables(apps):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_index_changed AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION joinedup_directory_changed()"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_index_truncated AFTER TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION joinedup_directory_changed()"
            )
    elif vendor == "sqlite":
        for table in _tables(apps):
            for event in ("INSERT", "UPDATE", "DELETE"):
                # The model's own table names, not input:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_index_{event.lower()} AFTER {event} ON {table} "  # noqa: S608
                    "BEGIN INSERT OR REPLACE INTO directory_searchindexstate (id, token) "
                    "VALUES (1, lower(hex(randomblob(16)))); END"
                )
    else:
        # No triggers, so no token: the index is never kept, and every search reads the
        # directory afresh (search_index.directory_index).
        return
    schema_editor.execute(
        "INSERT INTO directory_searchindexstate (id, token) VALUES (1, %s)", ["initial"]
    )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in _tables(apps):
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_index_changed ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_index_truncated ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_index_{event}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS joinedup_directory_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_service_search_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("token", models.CharField(max_length=36)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
