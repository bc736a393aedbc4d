"""The partnership's starting list of reasons for referral, in neutral words that describe what
is happening for a child rather than label them. Administrators can change it."""

from django.db import migrations

DEFAULT_CONCERNS = [
    "Not attending school regularly",
    "At risk of being excluded from school",
    "Behaviour that is worrying adults at school or in the community",
    "Has had contact with the police",
    "Emotional wellbeing or mental health",
    "Friendships or relationships that may put the child at risk",
    "Alcohol or drug use",
    "The family is under pressure (for example money, housing or health)",
    "Bereavement, loss or family breakdown",
    "Caring for someone at home",
]


def add_concerns(apps, schema_editor):
    Concern = apps.get_model("referrals", "Concern")
    for order, label in enumerate(DEFAULT_CONCERNS):
        Concern.objects.get_or_create(label=label, defaults={"order": order})


def remove_concerns(apps, schema_editor):
    apps.get_model("referrals", "Concern").objects.filter(label__in=DEFAULT_CONCERNS).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(add_concerns, remove_concerns)]
