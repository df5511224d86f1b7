"""Seeding runs the real workflow, which e-mails approvers; the demo keeps those e-mails off the console."""

from contextlib import contextmanager

from django.core import mail
from django.test.utils import override_settings


@contextmanager
def held_mail():
    """Collect the e-mails sent inside the block instead of sending them; yields the list they land in."""
    held = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        previous = getattr(mail, "outbox", None)
        mail.outbox = held
        try:
            yield held
        finally:
            if previous is None:
                del mail.outbox
            else:
                mail.outbox = previous
