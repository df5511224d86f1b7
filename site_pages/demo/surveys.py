"""The demo county's 征集调查: one closed with published results, one open and taking answers.

Times are relative to the moment of seeding, so both keep their states whenever the demo is seeded; the
closed survey's answers are made up (no real personal data) and added only while it has none. See
seed_surveys, called by seed_demo.
"""

import datetime

from django.utils.crypto import salted_hmac
from wagtail.models import Page

from ..models import SurveyPage, SurveyResponse

COLUMN = "hdjl"

CLOSED = {
    "slug": "bmfwmyddc",
    "title": "2026年便民服务中心群众满意度调查",
    "owner": "xzfb",
    "opens_days": -40,
    "closes_days": -10,
    "intro": "<p>为改进政务服务，县政府办公室就各镇（街道）便民服务中心的服务情况征求群众意见。</p>",
    "questions": [
        ("single", "sat", "您对便民服务中心的总体服务是否满意？", ["满意", "基本满意", "不满意"]),
        (
            "multiple",
            "imp",
            "您认为最需要改进的方面有哪些？（最多选两项）",
            ["等候时间", "办事指引", "服务态度", "网上办理"],
        ),
        ("text", "sug", "您对便民服务中心还有哪些意见和建议？", 300),
    ],
    # (satisfaction, improvements, how many visitors answered so)
    "answers": [
        ("满意", ["网上办理"], 21),
        ("满意", ["等候时间", "办事指引"], 9),
        ("基本满意", ["等候时间"], 11),
        ("基本满意", ["办事指引", "网上办理"], 6),
        ("不满意", ["等候时间", "服务态度"], 4),
    ],
}

OPEN = {
    "slug": "qmjsyjzj",
    "title": "城区公共停车场规划建设意见征集",
    "owner": "xzfb",
    "opens_days": -3,
    "closes_days": 27,
    "intro": "<p>县城区拟新建一批公共停车场，现就选址和收费方式征求群众意见，欢迎参与。</p>",
    "questions": [
        ("single", "often", "您在县城区停车的频率是？", ["每天", "每周几次", "偶尔", "从不"]),
        ("multiple", "where", "您认为哪些区域最需要新建停车场？", ["老城区", "医院周边", "学校周边", "商业街区"]),
        ("text", "idea", "其他意见建议", 500),
    ],
    "answers": [],
}


def _stream(questions):
    stream = []
    for kind, key, question, extra in questions:
        value = {"question": question, "required": kind != "text"}
        if kind == "text":
            value["max_length"] = extra
        else:
            value["options"] = extra
        if kind == "multiple":
            value["max_choices"] = 2
        stream.append({"type": kind, "id": key, "value": value})
    return stream


def _seed_answers(survey, entry):
    if survey.responses.exists():
        return
    rows = []
    for satisfaction, improvements, times in entry["answers"]:
        rows += [{"sat": satisfaction, "imp": improvements}] * times
    span = survey.closes_at - survey.opens_at
    for number, answers in enumerate(rows):
        key = salted_hmac("site_pages.demo.surveys", f"{survey.pk}:{number}", algorithm="sha256").hexdigest()
        response = SurveyResponse.objects.create(survey=survey, answers=answers, visitor_key=key)
        # Spread over the period the survey was open, as real answers would be.
        moment = survey.opens_at + span * (number + 1) / (len(rows) + 1)
        SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=moment)


def seed_surveys(columns, units, now):
    """Creates the missing demo surveys below 互动交流; returns how many were created."""
    column = columns[COLUMN]
    created = 0
    for entry in (CLOSED, OPEN):
        survey = SurveyPage.objects.child_of(column).filter(slug=entry["slug"]).first()
        if survey is None and not Page.objects.child_of(column).filter(slug=entry["slug"]).exists():
            survey = SurveyPage(
                title=entry["title"],
                slug=entry["slug"],
                owning_unit=units[entry["owner"]],
                intro=entry["intro"],
                questions=_stream(entry["questions"]),
                opens_at=now + datetime.timedelta(days=entry["opens_days"]),
                closes_at=now + datetime.timedelta(days=entry["closes_days"]),
                publish_results=True,
            )
            column.add_child(instance=survey)
            survey.save_revision().publish()
            created += 1
        if survey is not None:
            _seed_answers(survey, entry)
    return created
