"""The fixed vocabularies of 依申请公开: applicants, forms of delivery, states and the reply types.

Reply types and their sub-reasons follow the rows of table 三 of the 2021 national format of the
政府信息公开工作年度报告 (国办公开办函〔2021〕30号), so the annual report can count every row directly.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("公民")
    ORGANISATION = "organisation", _("法人或其他组织")


class ApplicantCategory(models.TextChoices):
    """The columns of the annual report's requests table."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


ORGANISATION_CATEGORIES = [c for c in ApplicantCategory if c != ApplicantCategory.NATURAL_PERSON]


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HMT_PERMIT = "hmt_permit", _("港澳台居民居住证或来往内地通行证")
    FOREIGN_PERMANENT = "foreign_permanent", _("外国人永久居留身份证")
    USCC = "uscc", _("统一社会信用代码")


CITIZEN_ID_TYPES = [t for t in IdType if t != IdType.USCC]


class ResponseForm(models.TextChoices):
    PAPER = "paper", _("纸质文本")
    ELECTRONIC = "electronic", _("电子文档")
    DISC = "disc", _("光盘")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    COLLECT = "collect", _("当面领取")
    FAX = "fax", _("传真")


# Fax is no longer offered on the form (it would need a fax number the office must then hold as personal
# data); the value stays so that requests which chose it still display.
OFFERED_DELIVERY_METHODS = [m for m in DeliveryMethod if m != DeliveryMethod.FAX]


class Status(models.TextChoices):
    RECEIVED = "received", _("办理中")
    SUPPLEMENT = "supplement", _("待申请人补正")
    CONSULTING = "consulting", _("征求第三方意见中")
    ANSWERED = "answered", _("已答复")
    ARCHIVED = "archived", _("已归档")


OPEN_STATUSES = (Status.RECEIVED, Status.SUPPLEMENT, Status.CONSULTING)


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD = "withheld", _("不予公开")
    UNABLE = "unable", _("无法提供")
    NOT_PROCESSED = "not_processed", _("不予处理")
    OTHER = "other", _("其他处理")


class OutcomeReason(models.TextChoices):
    NOT_HELD = "not_held", _("本机关不掌握相关政府信息")
    NEEDS_CREATION = "needs_creation", _("没有现成信息需要另行制作")
    STILL_UNCLEAR = "still_unclear", _("补正后申请内容仍不明确")
    PETITION = "petition", _("信访举报投诉类申请")
    REPEATED = "repeated", _("重复申请")
    PUBLICATION = "publication", _("要求提供公开出版物")
    MASS_REPEATED = "mass_repeated", _("无正当理由大量反复申请")
    CONFIRMATION = "confirmation", _("要求行政机关确认或重新出具已获取信息")
    NO_SUPPLEMENT = "no_supplement", _("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    FEE_UNPAID = "fee_unpaid", _("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    OTHER = "other", _("其他")


# Which sub-reasons belong to which reply type, in the order of the annual report's rows.
# 不予公开 takes a disclosure.statutory.WithholdingReason instead.
OUTCOME_REASONS = {
    Outcome.UNABLE: (OutcomeReason.NOT_HELD, OutcomeReason.NEEDS_CREATION, OutcomeReason.STILL_UNCLEAR),
    Outcome.NOT_PROCESSED: (
        OutcomeReason.PETITION,
        OutcomeReason.REPEATED,
        OutcomeReason.PUBLICATION,
        OutcomeReason.MASS_REPEATED,
        OutcomeReason.CONFIRMATION,
    ),
    Outcome.OTHER: (OutcomeReason.NO_SUPPLEMENT, OutcomeReason.FEE_UNPAID, OutcomeReason.OTHER),
}


class EventAction(models.TextChoices):
    SUBMITTED = "submitted", _("提交申请")
    ASSIGNED = "assigned", _("分办")
    ACCEPTED = "accepted", _("签收办理")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("告知补正")
    SUPPLEMENT_RECEIVED = "supplement_received", _("收到补正")
    CONSULTATION_STARTED = "consultation_started", _("征求第三方意见")
    CONSULTATION_ENDED = "consultation_ended", _("第三方意见征询结束")
    EXTENDED = "extended", _("延期答复")
    ANSWERED = "answered", _("作出答复")
    ARCHIVED = "archived", _("归档")
