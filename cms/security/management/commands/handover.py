from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.security.handover import HandoverError, describe, find_user, hand_over


class Command(BaseCommand):
    help = _("人员调离交接：停用账号，把角色、审核中的提交和草稿交给接替人员，列出需更换口令的新媒体账号")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("调离人员的用户名"))
        parser.add_argument("--successor", required=True, help=_("接替人员的用户名"))
        parser.add_argument("--reason", default="", help=_("调离原因"))

    def handle(self, *args, username, successor, reason, **options):
        try:
            user = find_user(username, role_label=_("调离人员"))
            heir = find_user(successor, role_label=_("接替人员"))
            handover = hand_over(user, heir, reason=reason)
        except HandoverError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(describe(handover))
        newmedia = handover.summary["newmedia"]
        for account in newmedia["accounts"]:
            self.stdout.write(
                _("须更换口令：%(name)s（%(roles)s）") % {"name": account["name"], "roles": "、".join(account["roles"])}
            )
        self.stdout.write(newmedia["note"])
