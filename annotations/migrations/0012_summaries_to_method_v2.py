"""Every stored summary to method version 2, on codebook version 1 (the flag set as it stands).

The recomputation runs today's summaries.refresh() on purpose: the summaries must come out exactly
as `recompute_summaries --check` computes them. Going back leaves the numbers alone; the old code's
`recompute_summaries` rebuilds them by its own rules.
"""
from django.db import migrations

BATCH = 500


def forward(apps, schema_editor):
    Flag = apps.get_model("annotations", "Flag")
    CodebookVersion = apps.get_model("annotations", "CodebookVersion")
    ArticleSummary = apps.get_model("annotations", "ArticleSummary")
    if not CodebookVersion.objects.exists():
        CodebookVersion.objects.create(
            number=1,
            flags=[
                {"id": pk, "name": name, "category": category, "active": active}
                for pk, name, category, active in Flag.objects.order_by("pk").values_list(
                    "pk", "name", "category", "active"
                )
            ],
            reason="The flag set when scoring method version 2 began",
        )
    from annotations import summaries

    ids = list(ArticleSummary.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        summaries.refresh(ids[start : start + BATCH])


class Migration(migrations.Migration):
    dependencies = [("annotations", "0011_method_v2_codebook")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
