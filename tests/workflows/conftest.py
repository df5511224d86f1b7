import pytest

from tests.factories import make_content, member

STAGE_CHECKLISTS = {
    "review_1": ["confidentiality", "conformity", "accuracy", "language"],
    "review_2": ["factual_basis", "publication_basis", "document_norms", "publication_value"],
    "review_3": ["political_orientation", "policy_law", "social_impact"],
}


@pytest.fixture
def reviewers(township_a):
    """Six distinct people of 石羊镇 covering the six stages (two deputy heads: 二审 and 三校)."""
    return {
        "info_officer": member(township_a, "info_officer", username="sy_xinxiyuan", email="xxy@example.invalid"),
        "deputy_head": member(township_a, "deputy_head", username="sy_fenguan", email="fg@example.invalid"),
        "head": member(township_a, "head", username="sy_zhuyao", email="zy@example.invalid"),
        "typesetter": member(township_a, "typesetter", username="sy_paiban", email="pb@example.invalid"),
        "section_chief": member(township_a, "section_chief", username="sy_gushi", email="gs@example.invalid"),
        "deputy_head_2": member(township_a, "deputy_head", username="sy_fenguan2", email="fg2@example.invalid"),
    }


@pytest.fixture
def draft(portal, reviewers):
    """An unpublished article of 石羊镇, last saved by its info officer."""
    page = make_content(portal["a"], title="石羊镇召开春耕生产工作会", text="会议部署了春耕备耕工作。", publish=False)
    page.save_revision(user=reviewers["info_officer"])
    return page
