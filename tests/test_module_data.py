"""Rows shared by a module's tests (tests/module_data.py): each test sees them as they were made.

Every test here first checks the rows and objects as made, then changes them, in the database and in memory.
Five of them: in a parallel run, at least two land on one worker, so the later one would see a leak.
"""

import pytest

from site_pages.models import ColumnPage
from tests import module_data
from tests.factories import make_content

pytestmark = pytest.mark.usefixtures("shared_portal")


@pytest.mark.parametrize("turn", range(5))
def test_each_test_sees_the_rows_as_made_whatever_an_earlier_one_changed(portal, township_a, home, turn):
    column = portal["a"]
    assert portal["home"] is home and column.owning_unit is township_a
    assert column.title == "石羊镇" and ColumnPage.objects.get(pk=column.pk).title == "石羊镇"
    assert township_a.short_name == "石羊镇"
    assert not column.get_children().exists()

    column.title = f"改过的栏目{turn}"
    column.save()
    township_a.short_name = f"改过的{turn}"
    township_a.save()
    make_content(column, title=f"第{turn}条")
    assert ColumnPage.objects.get(pk=column.pk).title == f"改过的栏目{turn}"


class Item:
    def __init__(self, fixtures, kind):
        self.nodeid, self.fixturenames, self.kind = "test_x", fixtures, kind


@pytest.mark.parametrize(
    ("fixtures", "kind"),
    [(["module_db", "transactional_db"], 2), (["module_db", "demo_county", "db"], 1)],
)
def test_a_module_with_shared_rows_refuses_tests_that_replace_the_database(fixtures, kind):
    with pytest.raises(pytest.UsageError):
        module_data.check_modules([Item(fixtures, kind)], lambda item: item.kind)
    module_data.check_modules([Item(["module_db", "db"], 1)], lambda item: item.kind)
