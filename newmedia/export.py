"""The registry as an .xlsx workbook (openpyxl): one row per account, the columns of the 台账."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.organisation.people import person_name


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


COLUMNS = [
    (gettext_lazy("单位"), lambda a: a.unit.name),
    (gettext_lazy("平台"), lambda a: a.platform_label),
    (gettext_lazy("账号名称"), lambda a: a.name),
    (gettext_lazy("平台账号（ID）"), lambda a: a.account_id),
    (gettext_lazy("状态"), lambda a: a.get_status_display()),
    (gettext_lazy("认证主体"), lambda a: a.verified_entity),
    (gettext_lazy("功能定位"), lambda a: a.purpose),
    (gettext_lazy("开通日期"), lambda a: _date(a.opened_on)),
    (gettext_lazy("批复文号"), lambda a: a.approval_document_number),
    (gettext_lazy("全国系统报送日期"), lambda a: _date(a.nationally_registered_on)),
    (gettext_lazy("承办机构"), lambda a: a.contractor),
    (gettext_lazy("保密协议签订日期"), lambda a: _date(a.contractor_nda_on)),
    (gettext_lazy("委托合同截止日期"), lambda a: _date(a.contractor_contract_end)),
    (gettext_lazy("责任人"), lambda a: person_name(a.responsible)),
    (gettext_lazy("副责任人"), lambda a: person_name(a.deputy)),
    (gettext_lazy("最近一次更换口令"), lambda a: _date(a.password_changed_at)),
    (gettext_lazy("须更换口令"), lambda a: _("是") if a.password_change_required else ""),
    (gettext_lazy("最近发文时间"), lambda a: _date(a.last_updated_at)),
    (gettext_lazy("省政府办公厅通报次数"), lambda a: a.provincial_notice_count),
    (gettext_lazy("应予强制关停"), lambda a: _("是") if a.forced_closure else ""),
    (gettext_lazy("关停公示"), lambda a: f"{_date(a.notice_start)} 至 {_date(a.notice_end)}" if a.notice_start else ""),
    (gettext_lazy("注销日期"), lambda a: _date(a.deregistered_on)),
]


def accounts_xlsx(accounts):
    from openpyxl import Workbook  # about half a second to import: only when the registry is exported
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("政务新媒体台账")
    sheet.append([str(label) for label, _value in COLUMNS])
    for account in accounts:
        sheet.append([value(account) for _label, value in COLUMNS])
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
