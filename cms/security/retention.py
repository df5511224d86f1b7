"""Personal data kept only as long as a setting says: the cut-off, its check, and the files erased after it.

Shared by the purges of requests for disclosure (``disclosure.requests.retention``) and of letters
(``site_pages.letters.retention``); each decides which records and fields it erases.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext


class RetentionError(Exception):
    pass


def _where(storage, name):
    """The path to remove by hand, or the storage's name for the file when it has no local path (a bucket)."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return name


@dataclass
class PurgeResult:
    records: list
    files_deleted: int = 0
    # Paths the storage refused to delete; the operator removes them by hand.
    leftovers: list = field(default_factory=list)

    def delete_files(self, files):
        """Deletes (storage, name) pairs. Called after the purge's commit: a rolled-back purge must keep them."""
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                self.leftovers.append(_where(storage, name))
            else:
                self.files_deleted += 1
        return self


@dataclass(frozen=True)
class RetentionPeriod:
    setting: str
    default_days: int
    # Refuses a cut-off later than the latest allowed one; takes %(days)d and %(cutoff)s.
    too_late: str

    def days(self):
        days = getattr(settings, self.setting, self.default_days)
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ImproperlyConfigured(
                gettext("%(setting)s 应为正整数（天数），当前为 %(value)r。") % {"setting": self.setting, "value": days}
            )
        return days

    def latest_allowed_cutoff(self, today=None):
        """Records closed before this date are past retention."""
        return (today or timezone.localdate()) - datetime.timedelta(days=self.days())

    def check_cutoff(self, before):
        cutoff = self.latest_allowed_cutoff()
        if before > cutoff:
            raise RetentionError(str(self.too_late) % {"days": self.days(), "cutoff": cutoff.isoformat()})
