"""Words of the 政府信息公开条例 (2019) shared by catalogue items and requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class WithholdingReason(models.TextChoices):
    """The only grounds on which information may be withheld (条例 第十四、十五、十六条)."""

    STATE_SECRET = "state_secret", _("属于国家秘密")
    PROHIBITED_BY_LAW = "prohibited_by_law", _("法律、行政法规禁止公开")
    THREE_SECURITIES = "three_securities", _("危及国家安全、公共安全、经济安全、社会稳定")
    THIRD_PARTY = "third_party", _("涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害")
    INTERNAL_AFFAIRS = "internal_affairs", _("属于人事管理、后勤管理、内部工作流程等内部事务信息")
    PROCESS_INFORMATION = "process_information", _("属于讨论记录、过程稿、磋商信函、请示报告等过程性信息")
    ENFORCEMENT_FILES = "enforcement_files", _("属于行政执法案卷信息")
    ADMINISTRATIVE_QUERY = "administrative_query", _("属于行政查询事项")
