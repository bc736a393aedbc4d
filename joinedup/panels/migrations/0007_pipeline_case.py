"""The pipeline's stored stages, worked out for every case already recorded."""

import django.db.models.deletion
from django.db import migrations, models


def work_out_every_case(apps, schema_editor):
    # The stages are worked out by the app's own code, which knows the rules; a database with
    # no referral yet (a new installation) has nothing to work out.
    if not apps.get_model("referrals", "Referral").objects.exists():
        return
    from joinedup.panels.pipeline import cases_rebuild

    cases_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0002_child_merged_into_childmerge_matchkey"),
        ("panels", "0006_pipeline_indexes"),
        ("plans", "0002_pipeline_indexes"),
        ("referrals", "0004_possible_matches"),
    ]

    operations = [
        migrations.CreateModel(
            name="PipelineCase",
            fields=[
                (
                    "referral",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="pipeline_case",
                        serialize=False,
                        to="referrals.referral",
                    ),
                ),
                ("stage", models.CharField(max_length=16)),
                ("since", models.DateTimeField()),
                ("leaves_at", models.DateTimeField(blank=True, null=True)),
                ("review_due_on", models.DateField(blank=True, null=True)),
                ("submitted_at", models.DateTimeField()),
                (
                    "child",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="children.child",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="panels.decision",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="panels.agendaitem",
                    ),
                ),
                (
                    "panel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="panels.panel",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="plans.plan",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["panel", "stage", "since"], name="panels_pipe_panel_i_4972ae_idx"
                    ),
                    models.Index(fields=["child"], name="panels_pipe_child_i_812280_idx"),
                ],
            },
        ),
        migrations.RunPython(work_out_every_case, migrations.RunPython.noop),
    ]
