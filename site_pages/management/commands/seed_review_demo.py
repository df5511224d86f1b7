"""Demo of 三审三校 on top of seed_demo: a graded-review variant, and items at different points of review.

Idempotent: an item that already exists is left as it is.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask
from wagtail.rich_text import RichText

from site_pages.demo.mail import held_mail
from site_pages.models import ArticlePage
from workflows import api
from workflows.models import RejectionReason, Stage, UnitRoleTask, UnitSource

GRADED_WORKFLOW = "县政府文件（分级审核）"
GRADED_COLUMN = "/zcwj/xzfwj/"
DEMO_COLUMN = "/xwdt/xzdt/sy/"
ORDER = ["info_officer", "deputy_head", "head", "typesetter", "section_chief", "deputy_head"]

ITEMS = [
    # (slug, title, paragraph, how far it gets)
    (
        "review-demo-published",
        "石羊镇开展秋冬季森林防火专项检查",
        "石羊镇组织应急、林业等部门对辖区重点林区开展防火专项检查，排查隐患12处，已全部整改。",
        "published",
    ),
    (
        "review-demo-second",
        "石羊镇召开柠檬产业发展推进会",
        "会议总结了今年柠檬产业发展情况，安排部署了明年标准化果园建设工作。",
        "review_2",
    ),
    (
        "review-demo-rejected",
        "石羊镇完成农村公路安全生命防护工程",
        "全镇完成农村公路安全生命防护工程约30公里。",
        "rejected",
    ),
]


class Command(BaseCommand):
    help = "创建三审三校演示数据：分级审核流程，以及处于不同审核阶段的信息（需先运行 seed_demo）。"

    def handle(self, *args, **options):
        User = get_user_model()
        column = Page.objects.filter(url_path__endswith=DEMO_COLUMN).first()
        if column is None:
            raise CommandError("未找到演示栏目，请先运行 seed_demo。")
        users = {role: User.objects.get(username=f"sy_{role}") for role in set(ORDER)}
        with held_mail() as held, transaction.atomic():
            self.seed_graded_workflow()
            for slug, title, text, target in ITEMS:
                if Page.objects.child_of(column).filter(slug=slug).exists():
                    continue
                self.seed_item(column.specific, users, slug, title, text, target)
        recipients = {address for message in held for address in message.to}
        self.stdout.write(
            self.style.SUCCESS(
                f"三审三校演示数据已就绪。审核通知邮件 {len(held)} 封（{len(recipients)} 位收件人）未实际发送。"
            )
        )

    def seed_graded_workflow(self):
        if Workflow.objects.filter(name=GRADED_WORKFLOW).exists():
            return
        default = Workflow.objects.get(name="三审三校")
        tasks = [wt.task for wt in default.workflow_tasks.select_related("task").order_by("sort_order")]
        graded, _created = UnitRoleTask.objects.get_or_create(
            name="分级审核（县政府办公室）",
            defaults={"stage": Stage.GRADED, "role": "head", "unit_source": UnitSource.SUPERVISOR},
        )
        review_3 = next(i for i, t in enumerate(tasks) if getattr(t.specific, "stage", "") == Stage.REVIEW_3)
        tasks.insert(review_3 + 1, graded)
        workflow = Workflow.objects.create(name=GRADED_WORKFLOW)
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        column = Page.objects.filter(url_path__endswith=GRADED_COLUMN).first()
        if column is not None:
            WorkflowPage.objects.update_or_create(page=column, defaults={"workflow": workflow})

    def seed_item(self, column, users, slug, title, text, target):
        page = ArticlePage(title=title, slug=slug, body=[("paragraph", RichText(f"<p>{text}</p>"))], live=False)
        column.add_child(instance=page)
        page.save_revision(user=users["info_officer"])
        api.submit(page, users["info_officer"])
        for role in ORDER:
            stage = api.current_stage(page)
            if stage is None or stage.stage == target:
                return
            if target == "rejected" and stage.stage == Stage.REVIEW_2:
                api.reject(
                    page,
                    users[role],
                    reasons=[RejectionReason.INACCURATE],
                    comment="请核实防护工程里程数据，并补充资金来源。",
                )
                return
            api.approve(page, users[role], checked=api.checklist_for(page), comment="同意。")
