"""Give the security administrator (安全管理员) the list of URL shortener hosts (短链接域名)."""

from django.db import migrations

from cms.security.roles import create_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0008_public_mailbox_domain_role"),
        ("workflows", "0005_url_shortener_host"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
