"""The demo county's 在线访谈: one finished with its transcript, one upcoming and accepting questions.

Times are relative to the moment of seeding, so the two keep their states whenever the demo is seeded.
Made-up but plausible contents; no real personal data. See seed_interviews, called by seed_demo.
"""

import datetime

from django.utils import timezone
from wagtail.models import Page

from ..models import InterviewGuest, InterviewPage, InterviewQuestion
from ..models.interviews import QuestionStatus

COLUMN = "hdjl"

FINISHED = {
    "slug": "zxft-ncylsbtz",
    "title": "农村饮水安全巩固提升工程进展",
    "owner": "xzfb",
    "days_ago": 20,
    "intro": "县农业农村局负责同志介绍我县农村饮水安全巩固提升工程的建设进展，并回答网友关心的问题。",
    "host": "李敏",
    "guests": [("张国华", "局长", "安岳县农业农村局"), ("王秀英", "农村饮水股股长", "安岳县农业农村局")],
    "questions": [
        ("柠檬之乡", "我们村的自来水管网什么时候能通到户？", True),
        ("岳阳居民", "水费标准会不会调整？", True),
    ],
    "transcript": [
        ("host", "李敏", "各位网友大家好，欢迎参加本期在线访谈。今天我们请到县农业农村局的两位负责同志。"),
        ("guest", "张国华", "网友朋友们好。今年全县新建和改造供水管网约120公里，受益群众约8万人。"),
        ("question", "柠檬之乡", "我们村的自来水管网什么时候能通到户？"),
        ("guest", "王秀英", "今年计划实施的管网延伸工程将在年底前完工，具体进度可以咨询所在乡镇。"),
        ("question", "岳阳居民", "水费标准会不会调整？"),
        ("guest", "张国华", "水价调整须依法召开听证会，目前没有调整计划。"),
        ("host", "李敏", "感谢两位嘉宾，也感谢各位网友的参与。本期访谈到此结束。"),
    ],
}

UPCOMING = {
    "slug": "zxft-qyrsjbz",
    "title": "城乡居民养老保险政策解读",
    "owner": "xzfb",
    "days_ahead": 10,
    "intro": "县人力资源和社会保障局负责同志解读城乡居民基本养老保险参保缴费和待遇领取政策，欢迎网友提前提问。",
    "host": "周丽",
    "guests": [("刘建军", "副局长", "安岳县人力资源和社会保障局")],
}


def _interview(column, units, entry, start):
    page = InterviewPage.objects.child_of(column).filter(slug=entry["slug"]).first()
    if page is not None:
        return page, False
    page = InterviewPage(
        title=entry["title"],
        slug=entry["slug"],
        owning_unit=units[entry["owner"]],
        intro=entry["intro"],
        host=entry["host"],
        start_at=start,
        end_at=start + datetime.timedelta(hours=1, minutes=30),
        questions_close_at=start - datetime.timedelta(hours=2),
        guests=[
            InterviewGuest(name=name, position=position, unit=unit, sort_order=order)
            for order, (name, position, unit) in enumerate(entry["guests"])
        ],
        transcript=[
            ("turn", {"kind": kind, "speaker": speaker, "text": text})
            for kind, speaker, text in entry.get("transcript", [])
        ],
    )
    column.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def seed_interviews(columns, units, now):
    """Creates the two demo interviews under 互动交流 unless they exist; returns how many were created."""
    column = columns[COLUMN]
    day = timezone.localdate(now)
    at_ten = datetime.time(10, 0)
    finished_start = timezone.make_aware(
        datetime.datetime.combine(day - datetime.timedelta(days=FINISHED["days_ago"]), at_ten)
    )
    upcoming_start = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=UPCOMING["days_ahead"]), at_ten)
    )
    finished, created_finished = _interview(column, units, FINISHED, finished_start)
    _upcoming, created_upcoming = _interview(column, units, UPCOMING, upcoming_start)
    if created_finished:
        Page.objects.filter(pk=finished.pk).update(
            first_published_at=finished_start - datetime.timedelta(days=7),
            last_published_at=finished.end_at,
        )
        for nickname, text, answered in FINISHED["questions"]:
            InterviewQuestion.objects.create(
                page=finished, nickname=nickname, text=text, status=QuestionStatus.ADOPTED, answered=answered
            )
    return int(created_finished) + int(created_upcoming)
