"""How a colleague is named on screens, exports and records: the full name, or the login when there is none."""


def person_name(user, missing=""):
    """The user's full name, else their login; ``missing`` when there is no user (deleted, or never set)."""
    if user is None:
        return missing
    return user.get_full_name() or user.get_username()
