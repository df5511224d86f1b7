"""inspect_site: the quarterly inspection's findings for every unit (or one), as text or JSON.

Stores nothing unless ``--record`` (what cron runs): then the whole portal's findings are also kept as an
``InspectionRun``, and the latest run of a quarter is the quarter's.
"""

import argparse
import datetime
import json
from itertools import groupby

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import Unit

from ...findings import InspectionContext, Severity
from ...report import inspect
from ...runs import store_run


class Command(BaseCommand):
    help = _("检查考核：对全站或一个单位运行全部检查，输出检查发现（文本或 JSON）。")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help=_("检查日期 YYYY-MM-DD，默认今天"))
        parser.add_argument("--format", choices=["text", "json"], default="text", help=_("输出格式"))
        parser.add_argument("--unit", help=_("只检查该单位（统一社会信用代码）"))
        parser.add_argument(
            "--external-links",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=_("是否通过网络检查指向其他网站的链接；默认按 INSPECTION_CHECK_EXTERNAL_LINKS 设置"),
        )
        parser.add_argument(
            "--record", action="store_true", help=_("保存本次检查结果（季度检查记录），供评分和季度通报使用")
        )

    def handle(self, *args, **options):
        as_of = parse_date(options["as_of"])
        unit_code = options["unit"]
        if unit_code is not None and not Unit.objects.filter(organisation_code=unit_code).exists():
            raise CommandError(_("单位“%(code)s”不存在，请填写单位的统一社会信用代码。") % {"code": unit_code})
        if options["record"] and unit_code is not None:
            raise CommandError(_("--record 保存的是全站检查结果，不能与 --unit 同时使用。"))
        context = InspectionContext(as_of=as_of, unit_code=unit_code, check_external_links=options["external_links"])
        reported = inspect(context)
        run = store_run(as_of, reported) if options["record"] else None
        if options["format"] == "json":
            document = {"as_of": as_of.isoformat(), "findings": [row.as_dict() for row in reported]}
            if run is not None:
                document["run"] = {"id": run.pk, "quarter": run.quarter}
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text_report(as_of, reported))
            if run is not None:
                self.stdout.write(
                    _("已保存为 %(quarter)s 季度检查记录（编号 %(id)s）。") % {"quarter": run.quarter, "id": run.pk}
                )


def parse_date(value):
    if value is None:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("检查日期“%(value)s”无效，请按 YYYY-MM-DD 填写，例如 2026-03-31。") % {"value": value}
        ) from None


def text_report(as_of, reported):
    marked = sum(1 for row in reported if row.false_positive)
    counts = {severity: 0 for severity in Severity}
    for row in reported:
        if not row.false_positive:
            counts[row.finding.severity] = counts.get(row.finding.severity, 0) + 1
    lines = [
        _("检查考核报告（检查日期 %(as_of)s）") % {"as_of": as_of.isoformat()},
        _("单项否决 %(veto)s 项，问题 %(finding)s 项，预警 %(warning)s 项，已标记误报 %(marked)s 项。")
        % {
            "veto": counts[Severity.VETO],
            "finding": counts[Severity.FINDING],
            "warning": counts[Severity.WARNING],
            "marked": marked,
        },
    ]
    if not reported:
        lines.append(_("未发现问题。"))
    codes = {row.finding.unit for row in reported}
    names = dict(Unit.objects.filter(organisation_code__in=codes).values_list("organisation_code", "name"))
    for code, rows in groupby(reported, key=lambda row: row.finding.unit):
        heading = _("全站") if not code else f"{names.get(code, code)}（{code}）"
        lines += ["", f"== {heading} =="]
        for row in rows:
            lines += finding_lines(row)
    return "\n".join(lines)


def finding_lines(row):
    finding = row.finding
    label = _("已标记误报") if row.false_positive else Severity(finding.severity).label
    lines = [f"[{label}] {finding.detail}", "    " + _("对象：%(object)s") % {"object": finding.object}]
    lines.append("    " + _("依据：%(rule)s") % {"rule": finding.rule})
    if row.false_positive:
        lines.append("    " + _("误报理由：%(reason)s") % {"reason": row.false_positive.reason})
    return lines
