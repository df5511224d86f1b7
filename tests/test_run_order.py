"""The run's order (tests/conftest.py): tests without the database first, transactional ones last; slow tests first
and the demo county's last within their kind."""

from tests import conftest


class Item:
    def __init__(self, name, fixtures=(), slow=False):
        self.name, self.fixturenames, self.slow = name, list(fixtures), slow

    def get_closest_marker(self, name):
        return object() if name == "slow" and self.slow else None

    def add_marker(self, marker):
        pass


def test_no_database_first_transactional_last_and_within_a_kind_slow_first_and_the_demo_last():
    items = [
        Item("no database"),
        Item("on the demo", ["demo_county", "db"]),
        Item("db slow", ["db"], slow=True),
        Item("in db", ["db"]),
        Item("flushes", ["transactional_db"]),
        Item("browser slow", ["live_server"], slow=True),
        Item("browser on the demo", ["demo_site"]),  # replaces the database afterwards
        Item("plain"),
        Item("plain slow", slow=True),
        Item("among a module's rows", ["module_db"]),  # uses the database through them
    ]
    conftest.pytest_collection_modifyitems(items)
    assert [item.name for item in items] == [
        "plain slow",  # needs no database: at the very front
        "no database",  # while the first worker to need the database builds it
        "plain",
        "db slow",
        "in db",
        "among a module's rows",
        "on the demo",  # the first worker to need it seeds it while the others go on
        "browser slow",
        "flushes",
        "browser on the demo",
    ]
