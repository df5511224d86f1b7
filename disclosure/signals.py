from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarDay


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_day_changed(sender, **kwargs):
    # Clear now so the rest of this request sees the change, and tell other processes only once
    # the change is committed (see calendar.invalidate_everywhere).
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate_everywhere)
