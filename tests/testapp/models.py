"""A workflow-enabled snippet, standing in for the disclosure and new-media content that will reuse 三审三校."""

from django.db import models
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin


class ReviewedNotice(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    title = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    owning_unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return self.title
