"""The run's order (tests/conftest.py): slow tests first within what pytest-django allows, the demo county's after
the others of their kind, transactional ones last."""

from tests import conftest


class Item:
    def __init__(self, name, fixtures=(), slow=False):
        self.name, self.fixturenames, self.slow = name, list(fixtures), slow

    def get_closest_marker(self, name):
        return object() if name == "slow" and self.slow else None

    def add_marker(self, marker):
        pass


def test_slow_first_of_their_kind_the_demo_after_the_others_and_the_transactional_tests_last():
    items = [
        Item("no database"),
        Item("on the demo", ["demo_county", "db"]),
        Item("db slow", ["db"], slow=True),
        Item("in db", ["db"]),
        Item("flushes", ["transactional_db"]),
        Item("browser slow", ["live_server"], slow=True),
        Item("plain"),
        Item("plain slow", slow=True),
    ]
    conftest.pytest_collection_modifyitems(items)
    assert [item.name for item in items] == [
        "plain slow",  # needs no database: at the very front
        "db slow",
        "in db",
        "on the demo",  # the first worker to need it seeds it while the others go on
        "no database",
        "plain",
        "browser slow",
        "flushes",
    ]
