"""A static copy of the public portal for a disaster-recovery mirror (`manage.py export_static DIR`).

Pages are rendered in-process through the whole middleware stack as an anonymous visitor (Django's test
client), so the mirror holds exactly what the public is served: view restrictions, the document serving
checks and the page templates apply unchanged. django-bakery was not used: it wants a BuildableMixin view
per URL (wagtail-bakery, its Wagtail adapter, pins django-bakery 0.13 and Wagtail 4-5), copies the whole
MEDIA_ROOT (original images and every document file, public or not), keeps absolute links and brings
boto3, botocore and fsspec for a feature this portal does not use.

- `addresses`: which URLs are the site's own, where each lands in the mirror, relative links between files;
- `rewrite`: the links in HTML and CSS, found and rewritten;
- `export`: the crawl from every live public page, the files written and the manifest of a previous run.
"""
