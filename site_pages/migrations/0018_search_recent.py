"""Each live page's first publication kept with its search index entry, so that a search reads its matches newest
first and stops (site_pages.search_recent).

Triggers keep it: on the index entries (Wagtail's backend writes them through the ORM and by bulk inserts) and on
the page table (publishing, unpublishing and a changed first publication, whether or not the page is indexed
again). Only pages are kept: an entry of another model never matches a page's id and content type.
- SQLite: an FTS5 table of the entries' title and body, whose rowid is the page's publication minute since 1900
  times 2**31 plus the page id (pages never published take minute 0), and a table from entry to that rowid.
- PostgreSQL: a column on the entries, indexed, with the publication of a live page (-infinity when it has none).
"""

from django.db import migrations

TABLE = "site_pages_search_recent"
KEYS = "site_pages_search_recent_key"
ENTRIES = "wagtailsearch_indexentry"
PAGES = "wagtailcore_page"
COLUMN = "site_pages_published_at"

SQLITE_KEY = (
    "(CASE WHEN {p}.first_published_at IS NULL THEN 0 ELSE "
    "MAX(0, CAST((julianday({p}.first_published_at) - 2415020.5) * 1440 AS INTEGER)) END) * 2147483648 + {p}.id"
)


def _sqlite_add(entry):
    """Statements filing the entry `entry` (NEW or e) of a live page."""
    return (
        f"INSERT INTO {KEYS} (entry_id, recent_key) SELECT {entry}.id, {SQLITE_KEY.format(p='p')} FROM {PAGES} p "
        f"WHERE p.id = CAST({entry}.object_id AS INTEGER) AND p.content_type_id = {entry}.content_type_id "
        f"AND p.live;"
        f"INSERT INTO {TABLE} (rowid, title, body) SELECT k.recent_key, {entry}.title, {entry}.body FROM {KEYS} k "
        f"WHERE k.entry_id = {entry}.id;"
    )


def _sqlite_remove(entry_id):
    return (
        f"DELETE FROM {TABLE} WHERE rowid IN (SELECT recent_key FROM {KEYS} WHERE entry_id = {entry_id});"
        f"DELETE FROM {KEYS} WHERE entry_id = {entry_id};"
    )


PAGE_ENTRIES = (
    f"SELECT id FROM {ENTRIES} WHERE content_type_id = NEW.content_type_id AND object_id = CAST(NEW.id AS TEXT)"
)

SQLITE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body)",
    f"CREATE TABLE {KEYS} (entry_id INTEGER PRIMARY KEY, recent_key INTEGER NOT NULL)",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON {ENTRIES} BEGIN {_sqlite_add('NEW')} END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF title, body, object_id, content_type_id ON {ENTRIES} "
    f"BEGIN {_sqlite_remove('OLD.id')} {_sqlite_add('NEW')} END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON {ENTRIES} BEGIN {_sqlite_remove('OLD.id')} END",
    f"CREATE TRIGGER {TABLE}_page AFTER UPDATE OF first_published_at, live ON {PAGES} "
    "WHEN OLD.first_published_at IS NOT NEW.first_published_at OR OLD.live IS NOT NEW.live BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid IN (SELECT recent_key FROM {KEYS} WHERE entry_id IN ({PAGE_ENTRIES}));"
    f"DELETE FROM {KEYS} WHERE entry_id IN ({PAGE_ENTRIES});"
    f"INSERT INTO {KEYS} (entry_id, recent_key) SELECT e.id, {SQLITE_KEY.format(p='NEW')} FROM {ENTRIES} e "
    f"WHERE NEW.live AND e.id IN ({PAGE_ENTRIES});"
    f"INSERT INTO {TABLE} (rowid, title, body) SELECT k.recent_key, e.title, e.body FROM {KEYS} k "
    f"JOIN {ENTRIES} e ON e.id = k.entry_id WHERE e.id IN ({PAGE_ENTRIES});"
    "END",
    f"INSERT INTO {KEYS} (entry_id, recent_key) SELECT e.id, {SQLITE_KEY.format(p='p')} FROM {ENTRIES} e "
    f"JOIN {PAGES} p ON p.id = CAST(e.object_id AS INTEGER) AND p.content_type_id = e.content_type_id WHERE p.live",
    f"INSERT INTO {TABLE} (rowid, title, body) SELECT k.recent_key, e.title, e.body FROM {KEYS} k "
    f"JOIN {ENTRIES} e ON e.id = k.entry_id",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_page",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TABLE IF EXISTS {KEYS}",
    f"DROP TABLE IF EXISTS {TABLE}",
]

# The page's publication when it is live; -infinity for a live page never published (listed last).
PG_PUBLISHED = "CASE WHEN {p}.live THEN COALESCE({p}.first_published_at, '-infinity') END"
POSTGRESQL = [
    f"ALTER TABLE {ENTRIES} ADD COLUMN {COLUMN} timestamp with time zone",
    f"CREATE INDEX {ENTRIES}_{COLUMN} ON {ENTRIES} ({COLUMN} DESC, id DESC) WHERE {COLUMN} IS NOT NULL",
    f"""CREATE FUNCTION {COLUMN}_of_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.{COLUMN} := (SELECT {PG_PUBLISHED.format(p="p")} FROM {PAGES} p
            WHERE p.id::varchar(50) = NEW.object_id AND p.content_type_id = NEW.content_type_id);
        RETURN NEW;
    END $$""",
    f"CREATE TRIGGER {COLUMN}_of_entry BEFORE INSERT OR UPDATE OF object_id, content_type_id ON {ENTRIES} "
    f"FOR EACH ROW EXECUTE FUNCTION {COLUMN}_of_entry()",
    f"""CREATE FUNCTION {COLUMN}_of_page() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {ENTRIES} SET {COLUMN} = {PG_PUBLISHED.format(p="NEW")}
            WHERE content_type_id = NEW.content_type_id AND object_id = NEW.id::varchar(50);
        RETURN NULL;
    END $$""",
    f"CREATE TRIGGER {COLUMN}_of_page AFTER UPDATE OF first_published_at, live, content_type_id ON {PAGES} "
    "FOR EACH ROW WHEN (OLD.first_published_at IS DISTINCT FROM NEW.first_published_at "
    "OR OLD.live IS DISTINCT FROM NEW.live OR OLD.content_type_id IS DISTINCT FROM NEW.content_type_id) "
    f"EXECUTE FUNCTION {COLUMN}_of_page()",
    f"UPDATE {ENTRIES} e SET {COLUMN} = {PG_PUBLISHED.format(p='p')} FROM {PAGES} p "
    "WHERE p.id::varchar(50) = e.object_id AND p.content_type_id = e.content_type_id",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS {COLUMN}_of_page ON {PAGES}",
    f"DROP FUNCTION IF EXISTS {COLUMN}_of_page()",
    f"DROP TRIGGER IF EXISTS {COLUMN}_of_entry ON {ENTRIES}",
    f"DROP FUNCTION IF EXISTS {COLUMN}_of_entry()",
    f"ALTER TABLE {ENTRIES} DROP COLUMN IF EXISTS {COLUMN}",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0017_search_vector_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
