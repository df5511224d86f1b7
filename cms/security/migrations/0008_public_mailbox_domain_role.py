"""Give the security administrator (安全管理员) the list of public mailbox domains (公开邮箱域名)."""

from django.db import migrations

from cms.security.roles import create_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0007_checked_pdf"),
        ("workflows", "0004_public_mailbox_domain"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
