"""Update monitoring (更新监测): how long since an account last posted, and posts published outside the system.

Days are calendar days in the county's time zone between the date of the newest post and today: an account
whose newest post is ``NEWMEDIA_WARNING_DAYS`` (default 10) or more days old is in warning, and
``NEWMEDIA_STALE_DAYS`` (default 14) or more days old is stale. Only accounts in operation (运营中) are
monitored; one that never posted counts from its opening date. The newest post is the account's 最近发文时间
(``last_updated_at``), which every published or recorded post moves forward (``models.note_post``).

Posts published outside the system are recorded one by one or imported from a CSV file (UTF-8, with or
without BOM; columns 账号, 标题, 链接, 发布时间). An import is all or nothing: any bad row is reported with
its line number and no row is saved.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .models import AccountStatus, NewMediaAccount, NewMediaPost

OK, WARNING, STALE = "ok", "warning", "stale"
LABELS = {OK: gettext_lazy("正常"), WARNING: gettext_lazy("即将超期未更新"), STALE: gettext_lazy("超期未更新")}
CSV_COLUMNS = ("账号", "标题", "链接", "发布时间")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")
validate_url = URLValidator(schemes=["http", "https"])


def warning_days():
    return getattr(settings, "NEWMEDIA_WARNING_DAYS", 10)


def stale_days():
    return getattr(settings, "NEWMEDIA_STALE_DAYS", 14)


def days_since_post(account, today=None):
    """Calendar days since the newest post (or the opening when there is none); None when unknown."""
    today = today or timezone.localdate()
    if account.last_updated_at is not None:
        return (today - timezone.localdate(account.last_updated_at)).days
    if account.opened_on is not None:
        return (today - account.opened_on).days
    return None


def staleness(account, today=None):
    """The account's state: "ok", "warning" or "stale" when in operation; "ok" in any other state."""
    if account.status != AccountStatus.ACTIVE:
        return OK
    days = days_since_post(account, today)
    if days is None or days >= stale_days():
        return STALE
    if days >= warning_days():
        return WARNING
    return OK


def label(account, today=None):
    level = staleness(account, today)
    if level == OK:
        return ""
    days = days_since_post(account, today)
    if days is None:
        return _("从未发文")
    return _("%(label)s（%(days)s 天未更新）") % {"label": LABELS[level], "days": days}


def attention(accounts, today=None):
    """(account, level, label) of the active accounts in warning or stale, the stale ones first."""
    rows = []
    for account in accounts.filter(status=AccountStatus.ACTIVE).select_related("unit"):
        level = staleness(account, today)
        if level != OK:
            rows.append((account, level, label(account, today)))
    rows.sort(key=lambda row: (row[1] != STALE, row[0].unit.name, row[0].name))
    return rows


# ---------------------------------------------------------------- posts published outside the system


def record_outside_post(account, user, *, url, published_at, title):
    """A post the unit published on the platform directly: recorded as published, with no workflow."""
    post = NewMediaPost(
        account=account,
        title=title,
        platform_url=url,
        published_at=published_at,
        live=True,
        has_unpublished_changes=False,
        recorded_outside=True,
        recorded_by=user,
    )
    post.save()
    return post


def already_recorded(account, url):
    return account.posts.filter(platform_url=url).exists()


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class ImportResult:
    created: int = 0
    errors: list = field(default_factory=list)  # (line number, message)

    @property
    def ok(self):
        return not self.errors


def parse_time(value):
    for fmt in TIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return timezone.make_aware(moment)
    return None


def _account_lookup(user):
    """Name or "平台：名称" -> accounts, over every account (to tell another unit's account from an unknown one)."""
    lookup = {}
    for account in NewMediaAccount.objects.select_related("other_platform"):
        for key in (account.name, str(account)):
            lookup.setdefault(key, []).append(account)
    return lookup, set(access.editable_accounts(user).values_list("pk", flat=True))


def _row_account(cell, lookup, editable):
    if not cell:
        return None, _("账号不能为空。")
    found = lookup.get(cell, [])
    if not found:
        return None, _("台账中没有账号“%(name)s”。") % {"name": cell}
    own = [account for account in found if account.pk in editable]
    if not own:
        return None, _("账号“%(name)s”不属于本单位，不能为其登记发文。") % {"name": cell}
    if len(own) > 1:
        return None, _("账号“%(name)s”在多个平台重名，请写成“平台：名称”，如“%(example)s”。") % {
            "name": cell,
            "example": own[0],
        }
    return own[0], None


def read_csv(data):
    """(line number, row dict) of a UTF-8 CSV file with the four columns in its header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("文件不是 UTF-8 编码的 CSV，请另存为 UTF-8 后重新导入。")) from error
    if not text.strip():
        raise ImportFileError(_("文件是空的，没有可导入的发文。"))
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader)]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            _("第 1 行表头缺少列：%(missing)s（须有：%(columns)s）。")
            % {"missing": "、".join(missing), "columns": "、".join(CSV_COLUMNS)}
        )
    index = {column: header.index(column) for column in CSV_COLUMNS}
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        cells = [cell.strip() for cell in cells] + [""] * len(header)
        rows.append((reader.line_num, {column: cells[position] for column, position in index.items()}))
    if not rows:
        raise ImportFileError(_("文件只有表头，没有可导入的发文。"))
    return rows


def import_posts(data, user):
    """Record every row of the CSV as an outside post, or none: a bad row is reported by line number."""
    result = ImportResult()
    try:
        rows = read_csv(data)
    except ImportFileError as error:
        result.errors.append((None, str(error)))
        return result
    lookup, editable = _account_lookup(user)
    now = timezone.now()
    valid, seen = [], set()
    for number, row in rows:
        problems = []
        account, problem = _row_account(row["账号"], lookup, editable)
        if problem:
            problems.append(problem)
        if not row["标题"]:
            problems.append(_("标题不能为空。"))
        try:
            validate_url(row["链接"])
        except ValidationError:
            problems.append(_("链接“%(url)s”不是以 http:// 或 https:// 开头的网址。") % {"url": row["链接"]})
        if account is not None and row["链接"] and (row["链接"] in seen or already_recorded(account, row["链接"])):
            problems.append(_("链接“%(url)s”已登记过，请勿重复导入。") % {"url": row["链接"]})
        seen.add(row["链接"])
        published_at = parse_time(row["发布时间"])
        if published_at is None:
            problems.append(
                _("发布时间“%(value)s”无法识别，请写成 2026-12-03 或 2026-12-03 09:30。") % {"value": row["发布时间"]}
            )
        elif published_at > now:
            problems.append(_("发布时间“%(value)s”晚于当前时间。") % {"value": row["发布时间"]})
        if problems:
            result.errors.extend((number, problem) for problem in problems)
        else:
            valid.append((account, row, published_at))
    if result.errors:
        return result
    with transaction.atomic():
        for account, row, published_at in valid:
            record_outside_post(account, user, url=row["链接"], published_at=published_at, title=row["标题"])
    result.created = len(valid)
    return result
