"""Demo of the public side (run by seed_newmedia_demo; idempotent): the 政务新媒体矩阵 page under 互动交流
(or the home page), QR codes for the accounts a citizen can follow, and a fake-account report half handled."""

import io

import segno
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from site_pages.models import ColumnPage, HomePage

from .models import NewMediaAccount, Platform
from .public import FakeAccountReport, NewMediaDirectoryPage, StepKind, public_accounts, receive_report, record_step

INTERACTION_SLUG = "hdjl"
DEMO_REPORT_ACCOUNT = "安岳县政府发布厅"


def seed_public(stdout):
    page = directory_page()
    if page is None:
        return
    for account in public_accounts().filter(qr_code=""):
        account.qr_code.save(f"{account.pk}.png", ContentFile(qr_png(account)), save=False)
        NewMediaAccount.objects.filter(pk=account.pk).update(qr_code=account.qr_code.name)
    demo_report()
    stdout.write(_("政务新媒体矩阵页面已就绪：%(url)s") % {"url": page.url})


def directory_page():
    existing = NewMediaDirectoryPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    if home is None:
        return None
    parent = ColumnPage.objects.child_of(home).filter(slug=INTERACTION_SLUG).first() or home
    page = NewMediaDirectoryPage(
        title=_("政务新媒体矩阵"),
        slug="zwxmt",
        show_in_menus=True,
        intro=_("安岳县各机关、乡镇（街道）开设的政务新媒体账号名录。"),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def qr_png(account):
    """A demo QR code: it encodes the account's platform and name, as the platform's own code would."""
    buffer = io.BytesIO()
    segno.make(f"{account.platform_label}：{account.name}", error="m").save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def demo_report():
    if FakeAccountReport.objects.exists():
        return
    report = receive_report(
        FakeAccountReport(
            platform=Platform.DOUYIN,
            account=DEMO_REPORT_ACCOUNT,
            description=_("该账号使用县政府名义和县徽头像，发布招聘收费信息，疑似假冒。"),
        )
    )
    officer = get_user_model().objects.filter(username="wxb_info_officer").first()
    if officer is not None:
        record_step(report, officer, StepKind.VERIFY, _("经核实，本县未开设该账号，系假冒。"))
