"""Give the security administrator (安全管理员) the login-protection permissions: unlock, reset 2FA."""

from django.db import migrations

from cms.security.roles import create_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0004_accounts"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
