"""The S3 storage of MEDIA_STORAGE=s3 (cms.mediastorage): private objects, links on the site's own addresses."""

from urllib.parse import urljoin

from botocore.config import Config
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def __init__(self, **options):
        super().__init__(**options)
        # botocore 1.36 started sending CRC32 checksums in a trailer on every upload, which S3-compatible
        # services (Aliyun OSS, Tencent COS, older MinIO and Ceph) refuse; checksums only where S3 requires them.
        self.client_config = self.client_config.merge(
            Config(request_checksum_calculation="when_required", response_checksum_validation="when_required")
        )

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The file's address under MEDIA_URL, as on disk, instead of a signed bucket link.

        Renditions are served there (cms.mediastorage.serve_rendition), so pages link to the site itself: the
        Content-Security-Policy allows images from 'self' only, the page caches keep no link that expires after
        an hour, and export_static recognises the addresses as the site's media.
        """
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))
