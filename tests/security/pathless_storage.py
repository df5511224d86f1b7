"""Django's InMemoryStorage without its path(): like a bucket, it has no file on this machine to point at."""

import os

from django.core.files.storage import InMemoryStorage


class PathlessStorage(InMemoryStorage):
    def path(self, name):
        # InMemoryStorage answers a made-up path under MEDIA_ROOT, which code could open without noticing.
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name):
        # InMemoryStorage finds its nodes through path(); the same lookup, without offering it to callers.
        return os.path.relpath(super().path(name), self.location)
