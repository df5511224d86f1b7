"""Checks on new-media accounts (issue 14 §3), each with a Chinese refusal.

- One account per unit per platform, unless the county office approved an exception (``PlatformException``).
- Names: related to the unit (its name, its short name, or for county-level units the county's name),
  no personal names or private titles, no campaign-style names (临时/活动/专项 ...), no imitation of
  another organ.
- The verified entity (认证主体) is an organisation, never a person (article 10).

Listings for 清理整合: duplicate accounts and names inconsistent across a unit's platforms.
"""

import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from cms.organisation.models import Unit, UnitKind
from workflows.lexicon.models import LeaderTitle

from .models import ENDED_APPLICATION_STATUSES, AccountStatus, NewMediaAccount, Platform, PlatformException

# Accounts that still exist on the platform, or are on their way there (not a refused or withdrawn application).
LIVE_STATUSES = [s for s in AccountStatus.values if s not in (AccountStatus.DEREGISTERED, *ENDED_APPLICATION_STATUSES)]

CAMPAIGN_WORDS = ("临时", "活动", "专项", "专题", "行动", "大赛", "比赛", "晚会", "庆典", "峰会", "论坛", "会议")
PRIVATE_TITLES = ("小编", "工作室", "个人", "私人", "哥", "姐", "叔", "阿姨", "大爷", "老师")
OFFICIAL_TITLES = ("书记", "县长", "镇长", "乡长", "局长", "主任", "部长", "区长", "市长", "委员", "站长", "所长")
# A surname, then an official title or 哥/姐: 张书记说事, 李局长信箱, 王哥说政策.
COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
TITLED_PERSON = re.compile(rf"[{COMMON_SURNAMES}](?:{'|'.join(OFFICIAL_TITLES)}|哥|姐|叔)|[小老阿][{COMMON_SURNAMES}]")
# Organs a local account must not pass itself off as, unless the unit's own name carries the word.
ORGAN_WORDS = ("国务院", "中央", "四川省", "资阳市", "公安", "法院", "检察院", "纪委", "监委", "税务", "网信")
# An organisation ends with one of these; a person's name does not.
ORGANISATION_SUFFIXES = (
    "政府", "办公室", "委员会", "办事处", "局", "委", "办", "中心", "站", "所", "院", "馆", "队", "部", "处", "科",
    "厅", "镇", "乡", "街道", "社区", "村委会", "公司", "协会", "学会", "学校", "小学", "中学", "医院", "集团", "台",
)  # fmt: skip
COUNTY = re.compile(r"^(.{1,4}?)县")


class CheckError(Exception):
    """A refusal by one of the checks; the message is Chinese and meant for the user."""


def county_name(unit):
    # Party organs are named 中共安岳县委…: the county's name follows the party's.
    match = COUNTY.match(unit.name.removeprefix("中共"))
    return match.group(1) if match else ""


def unit_names(unit):
    """The names an account of this unit may be known by."""
    names = {unit.name, unit.short_name, unit.short_name.removeprefix("县")}
    if unit.kind not in (UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT):
        names.add(county_name(unit))
    return {n for n in names if len(n) >= 2}


def person_names():
    """Full names of staff and of officials in the leader register (only names of two or more characters)."""
    names = set(LeaderTitle.objects.values_list("name", flat=True))
    for first, last in get_user_model().objects.filter(is_active=True).values_list("first_name", "last_name"):
        names.add(f"{last}{first}")
        names.add(f"{first}{last}")
    return {n for n in names if 2 <= len(n) <= 4}


def name_problems(unit, name, people=None):
    """Every reason the name is not acceptable for an account of the unit (empty list: acceptable)."""
    problems = []
    own = unit_names(unit)
    if not any(n in name for n in own):
        problems.append(
            _("账号名称“%(name)s”须与开设单位相关，应含单位名称或简称（%(names)s）。")
            % {"name": name, "names": "、".join(sorted(own))}
        )
    people = [n for n in (person_names() if people is None else people) if n in name]
    titled = TITLED_PERSON.search(name)
    private = [w for w in PRIVATE_TITLES if w in name]
    if people or titled or private:
        found = people or ([titled.group(0)] if titled else private)
        problems.append(
            _("账号名称不得使用个人名字或私人称谓（“%(word)s”），政务新媒体以单位名义开设。") % {"word": found[0]}
        )
    campaign = [w for w in CAMPAIGN_WORDS if w in name]
    if campaign:
        problems.append(
            _("账号名称不得含“%(word)s”等临时性、活动性、专项性字样，不得为单项工作或活动开设账号。")
            % {"word": campaign[0]}
        )
    own_text = unit.name + unit.short_name
    organs = [w for w in ORGAN_WORDS if w in name and w not in own_text]
    others = Unit.objects.exclude(pk=unit.pk).filter(active=True)
    for other_name, other_short in others.values_list("name", "short_name"):
        for candidate in (other_name, other_short):
            if len(candidate) >= 3 and candidate in name and not any(candidate in n for n in own):
                organs.append(candidate)
    if organs:
        problems.append(_("账号名称不得仿冒其他机关或单位（“%(word)s”）。") % {"word": organs[0]})
    return problems


def check_name(unit, name):
    problems = name_problems(unit, name)
    if problems:
        raise CheckError(problems[0])


def entity_problem(entity, people=None):
    entity = (entity or "").strip()
    if not entity:
        return None
    if entity in (person_names() if people is None else people) or not entity.endswith(ORGANISATION_SUFFIXES):
        return _("认证主体“%(entity)s”必须是机关或单位，不得以个人身份认证（第十条）。") % {"entity": entity}
    return None


def check_verified_entity(entity):
    problem = entity_problem(entity)
    if problem:
        raise CheckError(problem)


def platform_filter(platform, other_platform=None):
    if platform == Platform.OTHER:
        return Q(platform=platform, other_platform=other_platform)
    return Q(platform=platform)


def has_exception(unit, platform, other_platform=None):
    return PlatformException.objects.filter(platform_filter(platform, other_platform), unit=unit).exists()


def check_one_per_platform(unit, platform, other_platform=None, exclude=None):
    existing = NewMediaAccount.objects.filter(
        platform_filter(platform, other_platform), unit=unit, status__in=LIVE_STATUSES
    )
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    first = existing.first()
    if first is not None and not has_exception(unit, platform, other_platform):
        raise CheckError(
            _(
                "“%(unit)s”在%(platform)s已有账号“%(name)s”：同一单位在同一平台只能开设一个账号，确需增设的须先经批准列为例外。"
            )
            % {"unit": unit.display_name, "platform": first.platform_label, "name": first.name}
        )


def duplicate_accounts(accounts=None):
    """Groups of two or more live accounts of one unit on one platform, without an approved exception."""
    accounts = (accounts if accounts is not None else NewMediaAccount.objects.all()).filter(status__in=LIVE_STATUSES)
    groups = defaultdict(list)
    for account in accounts.select_related("unit", "other_platform").order_by("unit__name", "platform", "name"):
        groups[(account.unit_id, account.platform, account.other_platform_id)].append(account)
    return [
        group
        for (unit_id, platform, other_id), group in groups.items()
        if len(group) > 1 and not has_exception(group[0].unit, platform, group[0].other_platform)
    ]


def registered_problems(accounts=None):
    """Live accounts whose name or verified entity fails today's checks: [(account, [reasons])]."""
    accounts = (accounts if accounts is not None else NewMediaAccount.objects.all()).filter(status__in=LIVE_STATUSES)
    people = person_names()
    found = []
    for account in accounts.select_related("unit", "other_platform").order_by("unit__name", "platform", "name"):
        reasons = name_problems(account.unit, account.name, people)
        entity = entity_problem(account.verified_entity, people)
        if entity:
            reasons.append(entity)
        if reasons:
            found.append((account, reasons))
    return found


def inconsistent_names(accounts=None):
    """Units whose live accounts go by different names on different platforms: [(unit, [accounts])]."""
    accounts = (accounts if accounts is not None else NewMediaAccount.objects.all()).filter(status__in=LIVE_STATUSES)
    by_unit = defaultdict(list)
    for account in accounts.select_related("unit", "other_platform").order_by("unit__name", "platform"):
        by_unit[account.unit].append(account)
    return [(unit, group) for unit, group in by_unit.items() if len({a.name for a in group}) > 1]
