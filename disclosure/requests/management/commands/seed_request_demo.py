"""Demo requests for disclosure in several states and a 2025 annual report; safe to run twice.

Each demo request is recognised by its description, so a second run creates nothing new.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cms.organisation.models import Role, Unit
from disclosure import calendar
from disclosure.requests import services
from disclosure.requests.clock import effective_receipt
from disclosure.requests.models import AnnualReportPage, DisclosureRequest

REPLY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# (description, applicant category, working days before today it arrived, what happened)
DEMO_REQUESTS = [
    ("申请公开石羊镇2025年农村公路建设项目招标公告及中标结果。", "natural_person", 3, "new"),
    ("申请公开周礼镇某村土地征收补偿安置方案。", "natural_person", 5, "supplement"),
    ("申请公开县卫健局2025年医疗机构校验结果。", "commercial", 8, "consulting"),
    ("申请公开县教体局2025年学校建设项目资金使用情况。", "public_interest", 15, "extended"),
    ("申请公开县发改局2025年重大项目审批文件。", "legal_service", 30, "answered"),
    ("申请公开县人社局2024年就业补贴发放名单。", "research", 60, "archived"),
]
ORGANISATION_NAMES = {
    "commercial": "四川某建设工程有限公司",
    "public_interest": "安岳县某公益服务中心",
    "legal_service": "四川某律师事务所",
    "research": "某大学公共管理学院",
}
DEMO_USCC = "91512021MA00000002"


class Command(BaseCommand):
    help = "创建依申请公开演示数据（不同办理状态的申请和2025年度报告），可重复运行。"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError("当前环境不允许生成演示数据（DEMO_SEED_ALLOWED 未开启）。")
        admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        heads = Unit.objects.filter(memberships__role=Role.HEAD).distinct().order_by("pk")
        unit = heads.filter(kind="department").first() or heads.first()
        if admin is None or unit is None:
            raise CommandError("请先运行 seed_demo 创建演示单位和用户。")
        head = unit.memberships.filter(role=Role.HEAD).first().user
        created = 0
        with transaction.atomic():
            for description, category, days_ago, state in DEMO_REQUESTS:
                if not DisclosureRequest.objects.filter(description=description).exists():
                    self.create(description, category, days_ago, state, unit, admin, head)
                    created += 1
            report = self.seed_report()
        self.stdout.write(self.style.SUCCESS(f"依申请公开演示数据已就绪：新建 {created} 件申请；{report}"))

    def create(self, description, category, days_ago, state, unit, admin, head):
        today = timezone.localdate()
        received = calendar.add_working_days(today, -days_ago)
        organisation = category != "natural_person"
        item = DisclosureRequest(
            applicant_type="organisation" if organisation else "citizen",
            applicant_category=category,
            name=ORGANISATION_NAMES.get(category, "张三"),
            id_type="uscc" if organisation else "resident_id",
            id_number=DEMO_USCC if organisation else "11010519491231002X",
            contact_person="李四" if organisation else "",
            phone="13800000000",
            email="demo@example.invalid",
            description=description,
            response_form="electronic",
            delivery_method="email",
            submitted_at=timezone.make_aware(timezone.datetime.combine(received, timezone.datetime.min.time()))
            + timedelta(hours=10),
        )
        services.submit(item)
        if state == "new":
            return
        services.assign(item, admin, unit)

        def step(n):  # the n-th working day of handling, never in the future
            return min(calendar.add_working_days(effective_receipt(received), n), today)

        if state == "supplement":
            services.request_supplement(item, admin, step(2), "请写明所需信息的村名和文件名称。")
        elif state == "consulting":
            services.start_consultation(item, admin, step(3), "四川某医院")
        elif state == "extended":
            services.approve_extension(item, head, step(10), 15, "需协调多个学校汇总资金数据。")
        else:
            outcome = {"answered": "disclosed", "archived": "partial"}[state]
            services.answer(item, admin, step(12), outcome, ContentFile(REPLY_PDF, name="reply.pdf"))
            if state == "archived":
                services.archive(item, admin)

    def seed_report(self):
        from django.apps import apps

        try:
            index_model = apps.get_model("disclosure", "AnnualReportIndexPage")
        except LookupError:
            return "信息公开目录尚未安装，未创建年度报告。"
        index = index_model.objects.first()
        if index is None:
            return "没有“政府信息公开年报”栏目，未创建年度报告（请先运行 seed_disclosure_demo）。"
        if AnnualReportPage.objects.filter(year=2025).exists():
            return "2025年度报告已存在。"
        report = AnnualReportPage(
            title="安岳县2025年政府信息公开工作年度报告",
            slug="2025-annual-report",
            year=2025,
            overview="<p>2025年，安岳县认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "围绕县委县政府中心工作，持续深化政务公开，不断提升政府信息公开质量。</p>",
            problems="<p>部分单位信息更新不够及时，下一步将加强培训和督查。</p>",
            other_matters="<p>本年度未收取信息处理费。</p>",
            licensing_decisions=2816,
            punishment_decisions=341,
            coercion_decisions=12,
            fee_amount=0,
        )
        index.add_child(instance=report)
        report.save_revision().publish()
        return "已创建2025年度报告。"
