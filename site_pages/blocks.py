"""StreamField blocks for government pages. There is deliberately no raw-HTML block."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .sanitize import clean_rich_text

# Headings, emphasis, lists and links only: no embeds, code or colours in official text.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(
        label=_("替代文字"),
        max_length=200,
        help_text=_("供读屏软件朗读的图片说明，必填。"),
    )
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "site_pages/blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("附件"))
    title = blocks.CharBlock(label=_("附件名称"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("附件下载")
        template = "site_pages/blocks/attachment.html"


class VideoBlock(blocks.StructBlock):
    video = DocumentChooserBlock(label=_("视频文件"), help_text=_("上传 MP4 或 WebM 文件。"))
    poster = ImageChooserBlock(label=_("封面图"), required=False)
    caption = blocks.CharBlock(label=_("视频说明"), max_length=200)

    class Meta:
        icon = "media"
        label = _("视频")
        template = "site_pages/blocks/video.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("正文段落"))
    image = ImageWithCaptionBlock()
    table = TableBlock(label=_("表格"), table_options={"startRows": 3, "startCols": 3, "renderer": "text"})
    attachment = AttachmentBlock()
    video = VideoBlock()

    class Meta:
        block_counts = {}

    def get_prep_value(self, value):
        # Every save path (the editor, the ORM, revisions, imported raw JSON) comes through here, so stored
        # rich text never holds markup that the page editor cannot open.
        prep = super().get_prep_value(value)
        for item in prep:
            if item.get("type") == "paragraph" and isinstance(item.get("value"), str):
                item["value"] = clean_rich_text(item["value"])
        return prep
