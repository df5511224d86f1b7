"""搜索统计: how often each query was searched per week and how often it found nothing.

Only the normalised query text and counts are kept: no user, no IP address, no time finer than the week.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..segmentation import normalise

MAX_QUERY_LENGTH = 100


def week_of(day):
    """The Monday of the week holding `day`."""
    return day - datetime.timedelta(days=day.weekday())


def normalise_query(query):
    return " ".join(normalise(query).split())[:MAX_QUERY_LENGTH]


class SearchQueryStat(models.Model):
    week = models.DateField(_("周（周一）"))
    query = models.CharField(_("搜索词"), max_length=MAX_QUERY_LENGTH)
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    zero_results = models.PositiveIntegerField(_("无结果次数"), default=0)

    class Meta:
        verbose_name = _("搜索统计")
        verbose_name_plural = _("搜索统计")
        constraints = [models.UniqueConstraint(fields=["week", "query"], name="unique_search_stat_per_week")]

    def __str__(self):
        return f"{self.week} {self.query}"

    @classmethod
    def record(cls, query, found):
        """Count one search."""
        text = normalise_query(query)
        if text:
            cls.add(week_of(timezone.localdate()), text, searches=1, zero_results=0 if found else 1)

    @classmethod
    def add(cls, week, text, searches, zero_results):
        """Add counts to the row of a normalised query; two requests at once for a new query may race to create it."""
        changes = {"searches": F("searches") + searches, "zero_results": F("zero_results") + zero_results}
        if cls.objects.filter(week=week, query=text).update(**changes):
            return
        try:
            with transaction.atomic():
                cls.objects.create(week=week, query=text, searches=searches, zero_results=zero_results)
        except IntegrityError:
            cls.objects.filter(week=week, query=text).update(**changes)
