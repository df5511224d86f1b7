"""The demo county's message boards under 互动交流 and a few letters, some answered and published (seed_demo).

Idempotent: a board is created once, and its letters only while it has none. Answered letters get their
handling steps as MessageEvents with the reply fields set directly, as the handling would leave them.
"""

from datetime import timedelta

from ..letters import intake
from ..models.letters import LetterStatus, Message, MessageAction, MessageBoardPage, MessageEvent

# (slug, title, default unit key, intro)
BOARDS = [
    ("xzxx", "县长信箱", "xzfb", "<p>县长信箱受理对全县经济社会发展的意见建议和涉及县政府工作的咨询、投诉。</p>"),
    ("zxts", "咨询投诉", "xzfb", "<p>受理政务服务、政策执行等方面的咨询和投诉，由县政府办公室转办相关单位答复。</p>"),
    ("jyxc", "建言献策", "xzfb", "<p>欢迎对全县发展规划、民生实事和营商环境建言献策。</p>"),
]

# board slug -> letters: (type, subject, content, writer, days ago, reply (unit key, text, days to reply) or None)
LETTERS = {
    "xzxx": [
        (
            "consult",
            "岳阳街道老旧小区改造何时开工？",
            "我住在岳阳街道某小区，楼道灯和排水管老化严重，请问今年的老旧小区改造计划包括我们小区吗？何时开工？",
            "陈明",
            30,
            ("yyjd", "您好！您反映的小区已列入今年老旧小区改造计划，预计下月开工，届时将在小区公示施工安排。", 6),
        ),
        (
            "complaint",
            "石羊镇场镇夜间施工噪音扰民",
            "石羊镇场镇某工地连续多日在晚上十一点后施工，噪音很大，影响居民休息，请有关部门处理。我的电话13812345678。",
            "刘芳",
            20,
            ("sy", "经核实，该工地已按要求调整作业时间，夜间22时后停止施工，镇综合执法队将持续巡查。", 4),
        ),
        (
            "help",
            "母亲医保报销材料如何准备",
            "母亲在外地住院，回安岳后报销需要准备哪些材料？在哪里办理？",
            "王磊",
            2,
            None,
        ),
    ],
    "zxts": [
        (
            "consult",
            "新生儿落户需要哪些材料",
            "孩子刚出生，想咨询一下办理落户需要准备哪些材料，能否网上办理？",
            "赵丽",
            15,
            ("xzfb", "新生儿落户可通过“天府通办”网上申请，需出生医学证明、父母户口簿和身份证、结婚证。", 3),
        ),
    ],
    "jyxc": [
        (
            "suggestion",
            "建议增加县城至周礼镇的公交班次",
            "周礼镇到县城的公交班次较少，早晚高峰很拥挤，建议增加班次或开通快线。",
            "周强",
            5,
            None,
        ),
    ],
}

CLOSING_STEPS = (
    MessageAction.ACCEPTED,
    MessageAction.TRANSFERRED,
    MessageAction.STARTED,
    MessageAction.DRAFTED,
    MessageAction.APPROVED,
    MessageAction.CLOSED,
)


def seed_letter_boards(columns, units, now):
    """Boards below the 互动交流 column with their demo letters; returns how many letters were created."""
    column = columns["hdjl"]
    created = 0
    for slug, title, unit_key, intro in BOARDS:
        board = MessageBoardPage.objects.child_of(column).filter(slug=slug).first()
        if board is None:
            board = MessageBoardPage(
                title=title, slug=slug, intro=intro, default_unit=units[unit_key], show_in_menus=True
            )
            column.add_child(instance=board)
            board.save_revision().publish()
        if not Message.objects.filter(board=board).exists():
            for letter in LETTERS.get(slug, ()):
                _letter(board, units, now, *letter)
                created += 1
    return created


def _letter(board, units, now, letter_type, subject, content, writer, days_ago, reply):
    data = {
        "letter_type": letter_type,
        "subject": subject,
        "content": content,
        "name": writer,
        "show_name": True,
        "mobile": "13900000000",
        "email": "",
        "consent_to_publish": True,
    }
    message, _code, _created = intake.receive(board, data, [], intake.new_submission_token())
    submitted = now - timedelta(days=days_ago)
    Message.objects.filter(pk=message.pk).update(submitted_at=submitted)
    MessageEvent.objects.filter(message=message).update(at=submitted)
    if reply is None:
        return
    unit_key, text, reply_days = reply
    unit = units[unit_key]
    replied = submitted + timedelta(days=reply_days)
    Message.objects.filter(pk=message.pk).update(
        status=LetterStatus.CLOSED,
        accepted_at=submitted + timedelta(hours=4),
        handling_unit=unit,
        reply_text=text,
        reply_unit=unit,
        replied_at=replied,
        published=True,
    )
    for n, action in enumerate(CLOSING_STEPS):
        event = MessageEvent.objects.create(message=message, action=action, unit=unit if n else board.default_unit)
        step_at = submitted + (replied - submitted) * (n + 1) / len(CLOSING_STEPS)
        MessageEvent.objects.filter(pk=event.pk).update(at=step_at)
