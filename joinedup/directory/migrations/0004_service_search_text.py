from collections import defaultdict

from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    """The same words as joinedup.directory.search_text, for the services already saved (the
    historical models cannot call the module, which uses today's models)."""
    Service = apps.get_model("directory", "Service")
    ServiceTerm = apps.get_model("directory", "ServiceTerm")
    needs = defaultdict(list)
    for service_id, need in ServiceTerm.objects.order_by("term__name").values_list(
        "service_id", "term__name"
    ):
        needs[service_id].append(need)
    changed = []
    for pk, name, description, provider in Service.objects.values_list(
        "pk", "name", "description", "provider__name"
    ):
        text = "\n".join((name, description, provider, *needs.get(pk, ()))).lower()
        changed.append(Service(pk=pk, search_text=text))
    Service.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_and_api_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
