"""Give the system administrator (系统管理员) the new-media registry."""

from django.db import migrations

from cms.security.roles import create_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0005_login_protection_roles"),
        ("newmedia", "0001_registry"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
