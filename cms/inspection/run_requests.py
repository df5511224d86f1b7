"""立即检查 as a request: the admin records it, and ``run_requested_inspections`` (a timer, every minute) runs it.

An inspection of a large portal takes minutes (tests/benchmarks/bench_inspection.py: about 10 at 2,000 columns),
longer than gunicorn lets a request live, so the admin view only stores an ``InspectionRequest``. At most one
request is queued or running at a time (a partial unique index, so two inspectors clicking at once queue one).
A taker marks the oldest queued request running with a conditional UPDATE (and, on PostgreSQL, first locks it
with SKIP LOCKED), so two timers on two servers never run the same request. A request still running after
``STALE_AFTER`` (its process was killed, say) counts as failed, and the next 立即检查 expires it.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .runs import InspectionRun, record_run

logger = logging.getLogger(__name__)

# Generous: the slowest inspection measured took under 10 minutes.
STALE_HOURS = 2
STALE_AFTER = datetime.timedelta(hours=STALE_HOURS)
ERROR_LENGTH = 2000


class State(models.TextChoices):
    QUEUED = "queued", gettext_lazy("排队中")
    RUNNING = "running", gettext_lazy("检查中")
    DONE = "done", gettext_lazy("已完成")
    FAILED = "failed", gettext_lazy("失败")


PENDING = (State.QUEUED, State.RUNNING)


class InspectionRequest(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(gettext_lazy("提出时间"), default=timezone.now)
    state = models.CharField(gettext_lazy("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(gettext_lazy("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("结束时间"), null=True, blank=True)
    run = models.ForeignKey(
        InspectionRun,
        verbose_name=gettext_lazy("检查记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField(gettext_lazy("错误信息"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("检查请求")
        verbose_name_plural = gettext_lazy("检查请求")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Every pending row has the same value for the expression, so only one can exist.
            models.UniqueConstraint(Value(1), condition=Q(state__in=PENDING), name="inspection_request_one_pending"),
        ]

    def __str__(self):
        return f"{self.get_state_display()} {self.requested_at.isoformat()}"

    @property
    def stale(self):
        return self.state == State.RUNNING and self.started_at is not None and self.started_at < stale_before()

    @property
    def as_of(self):
        """The day the inspector asked about: the day of the click, even when the run starts after midnight."""
        return timezone.localdate(self.requested_at)


def stale_before():
    return timezone.now() - STALE_AFTER


def expire_stale():
    """Marks requests running for longer than STALE_AFTER failed; returns how many."""
    count = InspectionRequest.objects.filter(state=State.RUNNING, started_at__lt=stale_before()).update(
        state=State.FAILED,
        finished_at=timezone.now(),
        error=_("检查开始后超过 %(hours)s 小时仍未结束（进程可能已被终止），视为失败。") % {"hours": STALE_HOURS},
    )
    if count:
        logger.warning("Expired %s inspection request(s) running for more than %s", count, STALE_AFTER)
    return count


def pending_request():
    return InspectionRequest.objects.filter(state__in=PENDING).select_related("requested_by").first()


def queue(user):
    """(request, True) for a new queued request; (the pending one, False) when one is already queued or running."""
    expire_stale()
    try:
        with transaction.atomic(using=router.db_for_write(InspectionRequest)):
            return InspectionRequest.objects.create(requested_by=user), True
    except IntegrityError:
        return pending_request(), False


def take():
    """Marks the oldest queued request running and returns it; None when none is queued.

    The conditional UPDATE decides who gets a request on every database; on PostgreSQL the row lock with
    SKIP LOCKED first lets a second taker pass over a request another is taking instead of waiting for it.
    """
    alias = router.db_for_write(InspectionRequest)
    skip_locked = connections[alias].features.has_select_for_update_skip_locked
    while True:
        with transaction.atomic(using=alias):
            queued = InspectionRequest.objects.filter(state=State.QUEUED).order_by("requested_at", "pk")
            if skip_locked:
                queued = queued.select_for_update(skip_locked=True)
            candidate = queued.first()
            if candidate is None:
                return None
            started = InspectionRequest.objects.filter(pk=candidate.pk, state=State.QUEUED).update(
                state=State.RUNNING, started_at=timezone.now()
            )
        if started:
            candidate.refresh_from_db()
            return candidate


def run_request(request):
    """Runs the inspection `request` asks for (taken by `take`) and records how it ended; returns it refreshed."""
    try:
        run = record_run(request.as_of, request.requested_by)
    except Exception as error:
        logger.exception("Requested inspection %s failed", request.pk)
        text = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        InspectionRequest.objects.filter(pk=request.pk).update(
            state=State.FAILED, finished_at=timezone.now(), error=text
        )
    else:
        # By pk alone: a run that ends after being expired as stale still did finish.
        InspectionRequest.objects.filter(pk=request.pk).update(
            state=State.DONE, finished_at=timezone.now(), run=run, error=""
        )
    request.refresh_from_db()
    return request
