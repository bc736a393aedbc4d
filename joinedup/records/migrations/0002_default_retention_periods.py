from typing import Any

from django.db import migrations

from joinedup.records.defaults import DEFAULT_PERIODS


def seed(apps: Any, schema_editor: Any) -> None:
    period = apps.get_model("records", "RetentionPeriod")
    for record_type, (months, until_age, why) in DEFAULT_PERIODS.items():
        period.objects.get_or_create(
            record_type=record_type, defaults={"months": months, "until_age": until_age, "why": why}
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
