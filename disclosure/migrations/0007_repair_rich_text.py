"""Rich text already stored in catalogue items and section pages is cleaned to what the editor can open.

Their bodies are BodyBlock streams, cleaned on every save since site_pages' migration 0006; this repairs
rows and revisions written before, so every catalogue page opens in the editor.
"""

from django.db import migrations

from site_pages.sanitize import repair_stored_rich_text


def repair_rich_text(apps, schema_editor):
    repair_stored_rich_text(apps, "disclosure", ["disclosureitem", "disclosuresectionpage"], stream_fields=("body",))


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0006_merge_policy_duplicates"),
        ("site_pages", "0006_body_starts_with_paragraph_and_editable_rich_text"),
    ]

    operations = [migrations.RunPython(repair_rich_text, migrations.RunPython.noop, elidable=True)]
