"""The default list of assessment domains, used by every panel without a list of its own: the
eleven areas of the Youth Justice Board's ONSET framework, described in plain English."""

from django.db import migrations

ONSET_DOMAINS = [
    (
        "living_arrangements",
        "Living arrangements and family relationships",
        "Where and with whom the child lives and how settled that is; how they get on with the "
        "people who care for them. Think about changes in the family, loss, arguments at home, "
        "and the care, support and supervision they get.",
    ),
    (
        "education",
        "Education, training and attendance",
        "How the child gets on at school: attendance, exclusions, help with learning, how they "
        "get on with staff and other pupils, and what they enjoy or do well.",
    ),
    (
        "neighbourhood",
        "Neighbourhood",
        "The area where the child lives and spends time: whether it feels safe, what there is "
        "to do, and whether anything there puts them at risk.",
    ),
    (
        "lifestyle",
        "Lifestyle and friendships",
        "How the child spends their free time and with whom: friendships, clubs and activities, "
        "and any friends or older people who may draw them into risky situations.",
    ),
    (
        "substance_use",
        "Substance use",
        "Any smoking, drinking alcohol, use of solvents or drugs by the child, or by people close "
        "to them, and how it affects the child.",
    ),
    (
        "physical_health",
        "Physical health",
        "The child's health and development: illness or disability, sleep, eating, and whether "
        "they get the health care they need.",
    ),
    (
        "emotional_health",
        "Emotional and mental health",
        "How the child feels: worry, low mood, anger, grief or distressing experiences, any "
        "self-harm, and any support from health services such as CAMHS.",
    ),
    (
        "perception",
        "Perception of self and others",
        "How the child sees themself and other people: confidence, identity, a sense of "
        "belonging, and whether they feel treated unfairly or discriminated against.",
    ),
    (
        "thinking_behaviour",
        "Thinking and behaviour",
        "How the child makes decisions and manages their feelings: acting on impulse, thinking "
        "about what happens next, coping with frustration and solving problems.",
    ),
    (
        "attitudes",
        "Attitudes",
        "What the child thinks about behaviour that harms other people and about those it "
        "affects, and how they see rules and the adults who set them.",
    ),
    (
        "motivation",
        "Motivation to change",
        "Whether the child and their family see a reason for things to change, want support, "
        "and believe things can get better.",
    ),
]


def add_default_domains(apps, schema_editor):
    Domain = apps.get_model("assessments", "Domain")
    for order, (key, name, description) in enumerate(ONSET_DOMAINS, start=1):
        Domain.objects.get_or_create(
            panel=None,
            key=key,
            defaults={"name": name, "description": description, "order": order},
        )


def remove_default_domains(apps, schema_editor):
    Domain = apps.get_model("assessments", "Domain")
    Domain.objects.filter(panel=None, key__in=[key for key, _, _ in ONSET_DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(add_default_domains, remove_default_domains)]
