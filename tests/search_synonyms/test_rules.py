"""The rules of a synonym group (``site/search_synonyms.py``): words, duplicates, who may change what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.search.analysis import Analysis, analysis
from sunshine.site import search_synonyms as synonyms
from sunshine.site.db import db
from sunshine.site.models import Department, SearchSynonym, User


@pytest.fixture
def ctx(demo):
    """A request context of the demo app (messages in Chinese, the default language)."""
    with demo.test_request_context():
        yield demo


@pytest.fixture
def words_ctx(app):
    """A request context without data: checking words reads none."""
    with app.test_request_context():
        yield app


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _department(code: str) -> Department:
    return db.session.scalars(select(Department).where(Department.code == code)).one()


@pytest.mark.parametrize(("typed", "message"), [
    ("", "请填写同义词：一行一组，词与词之间用空格隔开。"),
    ("   　 ", "请填写同义词：一行一组，词与词之间用空格隔开。"),
    ("个体工商户", "一组同义词至少要有两个不同的词，词与词之间用空格隔开。"),
    ("身份证 身份證", "一组同义词至少要有两个不同的词，词与词之间用空格隔开。"),  # one word, once traditional
    ("工商所 市场所!", "“市场所!”中有“!”：词里只能用汉字、字母和数字，词与词之间用空格隔开。"),
    ("工商所/市场所 工商局", "“工商所/市场所”中有“/”：词里只能用汉字、字母和数字，词与词之间用空格隔开。"),
    ("城乡居民基本养老保险参保登记手续办理流程表 养老保险", "“城乡居民基本养老保险参保登记手续办理流程表”太长：每个词最多20个字。"),
    (" ".join(f"证明{n}" for n in range(21)), "一组同义词最多20个词，现在有21个，请分成几组添加。"),
])
def test_a_bad_line_is_refused_with_its_reason(words_ctx, typed, message):
    with pytest.raises(synonyms.SynonymError) as refused:
        synonyms.parse_words(typed)
    assert str(refused.value) == message


def test_twenty_words_of_twenty_characters_are_accepted(words_ctx):
    words = [f"{n:02d}" + "养" * 18 for n in range(20)]
    assert synonyms.parse_words(" ".join(words)) == words


def test_list_commas_separate_words_like_spaces(words_ctx):
    assert synonyms.parse_words("市场监督管理所、工商所，市场所, 监管所") == ["市场监督管理所", "工商所", "市场所", "监管所"]


def test_full_width_letters_and_digits_become_half_width(words_ctx):
    assert synonyms.parse_words("ＥＴＣ卡 高速通行卡 粤通卡２") == ["ETC卡", "高速通行卡", "粤通卡2"]


def test_a_word_typed_twice_counts_once_in_its_first_spelling(words_ctx):
    assert synonyms.parse_words("不動產登記 房产证 不动产登记") == ["不動產登記", "房产证"]


def test_a_group_of_the_repository_in_another_order_is_refused(ctx):
    with pytest.raises(synonyms.SynonymError) as refused:
        synonyms.add_group("低保 最低生活保障", _department("mz"), _user("editor-mz"))
    assert str(refused.value) == "这组同义词已经有了（系统内置），不用重复添加。"
    assert db.session.scalars(select(SearchSynonym)).all() == []


def test_a_group_another_office_added_is_refused_naming_that_office(ctx, add_stored):
    add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    with pytest.raises(synonyms.SynonymError) as refused:
        synonyms.add_group("五保户 特困人员救助供养 特困供养", None, _user("admin"))
    assert str(refused.value) == "这组同义词已经有了（清川县民政局），不用重复添加。"


def test_a_word_may_be_in_several_groups(ctx):
    group = synonyms.add_group("市场监督管理所 工商所 工商局", _department("scjg"), _user("editor-scjg"))
    assert group.words == "市场监督管理所 工商所 工商局"  # 工商局 is in a repository group too
    assert group.department_id == _department("scjg").id
    assert group.created_by_id == _user("editor-scjg").id


def test_an_office_clerk_may_not_add_for_another_department(ctx):
    with pytest.raises(synonyms.SynonymRefused):
        synonyms.add_group("婚姻登记 领结婚证 扯证", _department("mz"), _user("editor-zjj"))
    assert db.session.scalars(select(SearchSynonym)).all() == []


def test_an_office_clerk_may_not_add_a_centre_group(ctx):
    with pytest.raises(synonyms.SynonymRefused):
        synonyms.add_group("政务服务中心 办事大厅 市民中心", None, _user("editor-zjj"))


def test_the_supervisor_may_not_add_groups(ctx):
    with pytest.raises(synonyms.SynonymRefused):
        synonyms.add_group("政务服务中心 办事大厅 市民中心", None, _user("supervisor"))


def test_an_office_clerk_may_not_delete_another_departments_group(ctx, add_stored):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    with pytest.raises(synonyms.SynonymRefused):
        synonyms.delete_group(db.session.get(SearchSynonym, group_id), _user("editor-zjj"))
    assert db.session.get(SearchSynonym, group_id) is not None


def test_the_administrator_may_delete_any_departments_group(ctx, add_stored):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    synonyms.delete_group(db.session.get(SearchSynonym, group_id), _user("admin"))
    assert db.session.get(SearchSynonym, group_id) is None


def test_adding_writes_an_audit_entry_naming_the_words(ctx, audit_entries):
    group = synonyms.add_group("个体工商户设立登记 个体户 个体执照", _department("scjg"), _user("editor-scjg"))
    [entry] = audit_entries()
    assert (entry.action, entry.username, entry.department, entry.target_id, entry.summary, entry.detail) == (
        "create", "editor-scjg", "scjg", group.id, "添加检索同义词：个体工商户设立登记 个体户 个体执照",
        {"words": ["个体工商户设立登记", "个体户", "个体执照"]})


def test_deleting_writes_an_audit_entry_naming_the_words(ctx, add_stored, audit_entries):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    synonyms.delete_group(db.session.get(SearchSynonym, group_id), _user("admin"))
    [entry] = audit_entries()
    assert (entry.action, entry.username, entry.department, entry.target_id, entry.summary) == (
        "delete", "admin", "mz", group_id, "删除检索同义词：特困人员救助供养 特困供养 五保户")


def test_a_refused_group_writes_no_audit_entry(ctx, audit_entries):
    with pytest.raises(synonyms.SynonymError):
        synonyms.add_group("低保 最低生活保障", _department("mz"), _user("editor-mz"))
    db.session.rollback()
    assert audit_entries() == []


def test_current_synonyms_relate_an_office_word_to_a_repository_word(ctx, add_stored):
    add_stored("市场监督管理所 工商所 工商局", "scjg", "editor-scjg")
    related = synonyms.current_synonyms().related("我想去工商局办个体执照")
    assert "工商所" in related  # the office's word
    assert "市场监督管理局" in related  # the repository's group still applies


def test_current_synonyms_are_the_repository_groups_then_the_office_groups_by_id(ctx, add_stored):
    add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    add_stored("个体工商户设立登记 个体户 个体执照", "scjg", "editor-scjg")
    groups = synonyms.current_synonyms().groups
    assert groups[-2:] == (("特困人员救助供养", "特困供养", "五保户"), ("个体工商户设立登记", "个体户", "个体执照"))
    assert groups[:-2] == synonyms.repo_synonyms().groups


def test_an_office_word_is_cut_whole_once_current_synonyms_are_read(ctx, add_stored):
    fresh = Analysis()
    assert "一窗通办" not in fresh.segment("一窗通办")  # not a word jieba knows
    add_stored("一窗受理 一窗通办 综合窗口", None)
    synonyms.current_synonyms()
    assert analysis().segment("到综合窗口一窗通办") == ["到", "综合窗口", "一窗通办"]
