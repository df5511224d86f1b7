"""person_name: how registers, exports, records and admin screens name a colleague."""

from django.contrib.auth import get_user_model

from cms.organisation.people import person_name


def test_the_full_name_else_the_login_else_what_the_caller_shows_for_nobody():
    user = get_user_model()(username="sy_editor", first_name="", last_name="")
    assert person_name(user) == "sy_editor"
    user.last_name, user.first_name = "张", "三"
    assert person_name(user) == user.get_full_name() and "张" in person_name(user)
    assert person_name(None) == ""
    assert person_name(None, missing="已删除的用户") == "已删除的用户"
