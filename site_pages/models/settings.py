from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Header and footer of the public site: every identification number is data, not template text."""

    site_name = models.CharField(_("网站名称"), max_length=100, default="")
    emblem = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("网站标志（徽标）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sponsor = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=50, blank=True)
    icp_url = models.URLField(_("ICP备案查询链接"), blank=True, default="https://beian.miit.gov.cn/")
    police_number = models.CharField(_("公安机关备案号"), max_length=50, blank=True)
    police_url = models.URLField(_("公安机关备案查询链接"), blank=True)
    conac_url = models.URLField(_("党政机关网站标识链接"), blank=True)

    select_related = ["emblem"]

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("emblem")], heading=_("网站名称与标志")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sponsor"), FieldPanel("organiser")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            ],
            heading=_("主办与联系方式"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("site_code"),
                FieldRowPanel([FieldPanel("icp_number"), FieldPanel("icp_url")]),
                FieldRowPanel([FieldPanel("police_number"), FieldPanel("police_url")]),
                FieldPanel("conac_url"),
            ],
            heading=_("备案与标识"),
        ),
    ]

    class Meta:
        verbose_name = _("门户网站设置")
