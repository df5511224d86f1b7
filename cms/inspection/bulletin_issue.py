"""Issuing a 季度通报 from a recorded run: the ranked table frozen onto a new draft under a chosen column."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug

from site_pages.models import ColumnPage

from .bulletin import Bulletin, quarter_label
from .findings import Kind
from .runs import InspectionRun
from .scoring import score_run
from .scoring_models import kind_label

# Findings whose evidence quotes what must not be republished (flagged words, 暗链 addresses, tampered text):
# the bulletin names the page and the rule; the run keeps the full evidence for the inspectors.
WITHHELD_EVIDENCE_KINDS = {Kind.CONTENT_FLAGGED, Kind.HIDDEN_LINK, Kind.TAMPER}
# Content findings' details start with the page's title in 《》.
TITLE_PREFIX = re.compile(r"^《[^》]{1,200}》")


def public_detail(row):
    detail = row.get("detail", "")
    if row.get("kind") not in WITHHELD_EVIDENCE_KINDS:
        return detail
    title = TITLE_PREFIX.match(detail)
    return _("%(title)s存在问题，详见检查记录。") % {"title": title.group(0) if title else _("网页")}


def decimal_text(value):
    """95.50 -> "95.5", 100.00 -> "100": as a bulletin prints a score."""
    return f"{value.normalize():f}"


def bulletin_entries(scores):
    """UnitScores as the rows the page keeps (JSON: decimals as text)."""
    return [
        {
            "rank": score.rank,
            "unit_code": score.unit_code,
            "unit_name": score.unit_name,
            "score": decimal_text(score.score),
            "findings": len(score.deductions),
            "deductions": [
                {
                    "kind": row.get("kind", ""),
                    "label": str(kind_label(row.get("kind", ""))),
                    "detail": public_detail(row),
                    "rule": row.get("rule", ""),
                    "points": decimal_text(points),
                }
                for row, points in score.deductions
            ],
            "vetoed": score.vetoed,
            "praised": score.praised,
        }
        for score in scores
    ]


def bulletin_columns(user):
    """Live columns where a bulletin may stand and `user` may add pages, in tree order."""
    columns = ColumnPage.objects.live().order_by("path").select_related("owning_unit")
    return [
        column
        for column in columns
        if Bulletin.can_exist_under(column) and column.permissions_for_user(user).can_add_subpage()
    ]


def default_title(run):
    return _("关于%(quarter)s政府网站和政务新媒体检查情况的通报") % {"quarter": quarter_label(run.quarter)}


def default_intro(run, column, entries):
    vetoed = sum(1 for entry in entries if entry["vetoed"])
    praised = sum(1 for entry in entries if entry["praised"])
    text = _(
        "根据政府网站和政务新媒体管理有关规定，%(issuer)s以%(date)s为检查时点，对%(units)d个单位的政府网站栏目和"
        "政务新媒体进行了%(quarter)s检查。"
    ) % {
        "issuer": column.owning_unit.name if column.owning_unit else _("县政府办公室"),
        "date": _("%(year)d年%(month)d月%(day)d日")
        % {"year": run.as_of.year, "month": run.as_of.month, "day": run.as_of.day},
        "units": len(entries),
        "quarter": quarter_label(run.quarter),
    }
    if praised:
        text += _("其中%(praised)d个单位未发现问题，予以通报表扬。") % {"praised": praised}
    if vetoed:
        text += _("%(vetoed)d个单位触发单项否决。") % {"vetoed": vetoed}
    text += _("各单位得分和扣分情况见下表，请有关单位对照问题立即整改。")
    return format_html("<p>{}</p>", text)


def existing_bulletin(run):
    return Bulletin.objects.filter(run=run).order_by("pk").first()


def issue_bulletin(run, column, user=None):
    """A new draft bulletin of `run` under `column`, saved as a revision by `user`; one bulletin per run."""
    with transaction.atomic():
        # Two inspectors pressing 生成 at once must not make two bulletins of one run.
        run = InspectionRun.objects.select_for_update().get(pk=run.pk)
        if existing_bulletin(run) is not None:
            raise ValidationError(_("本次检查已生成季度通报。"))
        if not Bulletin.can_exist_under(column):
            raise ValidationError(_("所选栏目不能发布季度通报，请选择通知公告类栏目。"))
        entries = bulletin_entries(score_run(run))
        page = Bulletin(
            title=default_title(run),
            slug=find_available_slug(column, f"jdtb-{run.quarter.lower()}"),
            quarter=run.quarter,
            run=run,
            intro=default_intro(run, column, entries),
            entries=entries,
            live=False,
        )
        column.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
    return page
