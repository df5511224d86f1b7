"""Model fields for rich text that the admin's editor must always be able to open."""

from wagtail.fields import RichTextField

from .sanitize import clean_rich_text


class EditorRichTextField(RichTextField):
    """Rich text with the body's editor features, cleaned to what that editor can open on every save.

    pre_save is where both a database save and a revision (modelcluster serialises through it) take
    the value, so no path stores markup that would make the editor answer 500.
    """

    def __init__(self, *args, **kwargs):
        from .blocks import RICH_TEXT_FEATURES

        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value:
            value = clean_rich_text(value)
            setattr(model_instance, self.attname, value)
        return value
