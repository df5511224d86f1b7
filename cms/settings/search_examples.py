"""WAGTAILSEARCH_BACKENDS for a deployment that moves search to Elasticsearch or OpenSearch.

Not imported by any settings module: a deployment copies one of these into its own settings (see
docs/deployment.md). The segmenting wrapper stays in front of the engine, so the engine receives the
same words and character pairs as the database backend; the Chinese analyser set as the index's
default analyser then handles the title and any text the wrapper does not touch.
"""

import os

# Elasticsearch 8 with the IK analysis plugin (elasticsearch-analysis-ik, same version as the server):
# ik_max_word indexes every word it knows, ik_smart cuts the query into the fewest words.
ELASTICSEARCH_IK = {
    "default": {
        "BACKEND": "site_pages.search_backend",
        "INNER": "wagtail.search.backends.elasticsearch8",
        "URLS": [os.environ.get("SEARCH_URL", "http://127.0.0.1:9200")],
        "INDEX_PREFIX": "anyue_portal_",
        "TIMEOUT": 10,
        "OPTIONS": {},
        "INDEX_SETTINGS": {
            "settings": {
                "analysis": {
                    "analyzer": {
                        "default": {"type": "custom", "tokenizer": "ik_max_word", "filter": ["lowercase"]},
                        "default_search": {"type": "custom", "tokenizer": "ik_smart", "filter": ["lowercase"]},
                    }
                }
            }
        },
    }
}

# OpenSearch 2 with the smartcn plugin (`opensearch-plugin install analysis-smartcn`), which needs no dictionary.
OPENSEARCH_SMARTCN = {
    "default": {
        "BACKEND": "site_pages.search_backend",
        "INNER": "wagtail.search.backends.opensearch2",
        "URLS": [os.environ.get("SEARCH_URL", "https://127.0.0.1:9200")],
        "INDEX_PREFIX": "anyue_portal_",
        "TIMEOUT": 10,
        "OPTIONS": {},
        "INDEX_SETTINGS": {
            "settings": {
                "analysis": {
                    "analyzer": {
                        "default": {"type": "smartcn"},
                        "default_search": {"type": "smartcn"},
                    }
                }
            }
        },
    }
}
