"""统一社会信用代码 (GB 32100-2015) validation.

python-stdnum's cn.uscc rejects codes whose first two characters are letters, which the
standard allows (e.g. registration authority codes other than 1-9), so we check the
structure and the check character ourselves.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100 character set: digits and capitals without I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def uscc_check_character(first17):
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value):
    return (value or "").strip().upper().replace(" ", "")


def validate_uscc(value):
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"), code="length", params={"n": len(code)}
        )
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用I、O、Z、S、V）。"),
            code="charset",
            params={"chars": "、".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为行政区划代码（数字）。"), code="region")
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="checksum")
