"""On-site exams: blueprints, papers, sessions, grading, crash safety, exports, statistics, CLI.

Real SQLite under tmp_path, the real shared banks imported with import_file, a real subprocess killed with -9.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quiz.bank_files import import_file
from quiz.blueprint import Blueprint, blueprint_for, load_blueprints
from quiz.errors import QuizError
from quiz.exam import NO_ID, ExamBook, clean_id_number, grade, mask_id, open_exams
from quiz.model import ENTERPRISE_TYPES, LETTERS, ROLES, Basis, QType, Question, Review
from quiz.paper import Paper, candidates, draw_paper, redraw
from quiz.printout import write_exam_docx, write_paper_docx, write_records_xlsx
from quiz.stats import exam_stats
from quiz.store import QuestionBank, open_bank

ROOT = Path(__file__).resolve().parents[1]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    """A valid 18-digit resident ID (check digit computed), different for each n."""
    body = f"110105198{n % 10}{(n // 10) % 10 + 1:02d}0{(n // 100) % 9 + 1}{n % 1000:03d}"[:17]
    body = body.ljust(17, "0")
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS)) % 11]


def wrong_answer(item) -> str:
    """A letter outside the key, or (a 多选 whose every option is right) all but one of the keys."""
    return next((c for c in item.letters if c not in item.key), item.key[:-1])


class Clock:
    """A clock the test moves on (aware UTC)."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 5, 11, 2, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


# -- the real banks, imported once --------------------------------------------------------------


@pytest.fixture(scope="session")
def real_bank_db(tmp_path_factory, shared_dir) -> Path:
    """Both shared banks imported: the manager bank tagged 安全管理人员; the principal bank's items (all of them
    already in the manager bank) tagged 主要负责人 too. Every item gets an explanation and a basis."""
    folder = shared_dir / "question_banks"
    path = tmp_path_factory.mktemp("realbank") / "catalog.db"
    bank = QuestionBank(f"sqlite:///{path}")
    bank.create()
    managers = import_file(bank, folder / "一般企业安全管理员.xlsx", roles=["安全管理人员"])
    assert managers.imported == 298 and not managers.rejected
    principals = import_file(bank, folder / "一般企业安全负责人.xlsx", roles=["主要负责人"])
    assert principals.imported + len(principals.duplicates) == 249 and not principals.rejected
    principal_qids = {d["qid"] for d in principals.duplicates}
    for q in bank.list():
        if q.qid in principal_qids and "主要负责人" not in q.roles:
            q.roles.append("主要负责人")
        q.explanation = f"解析{q.qid}：正确答案是“{'、'.join(q.answer_texts())}”。"
        q.basis = [Basis(law="中华人民共和国安全生产法", article_no=21)]
        bank.update(q)
    bank.close()
    return path


@pytest.fixture
def home(settings, real_bank_db):
    """A data home holding a copy of the imported real banks."""
    settings.home.mkdir(parents=True, exist_ok=True)
    shutil.copy(real_bank_db, settings.home / "catalog.db")
    return settings


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def book(home, clock):
    b = open_exams(home, clock=clock)
    yield b
    b.bank.close()


def start(book: ExamBook, n: int = 1, role: str = "主要负责人", etype: str = "危险化学品生产", **kw) -> object:
    args = {"enterprise": "某某化工有限公司", "enterprise_type": etype, "person": f"考生{n}", "id_number": id_number(n),
            "role": role, "inspector": "王检查"}
    args.update(kw)
    return book.start(**args)


# -- blueprints ---------------------------------------------------------------------------------


def test_shipped_blueprints_and_fallbacks(tmp_path):
    blueprints = load_blueprints()
    pairs = {(b.role, b.enterprise_type) for b in blueprints}
    for role in ("主要负责人", "安全管理人员", "特种作业人员", "从业人员"):
        for etype in ("危险化学品生产", "经营(带储存)", "使用", "储存", "气体充装", "加油站", "一般化工"):
            assert (role, etype) in pairs
    # Every role × enterprise type the form offers has a blueprint (分管 and 不带储存 through the fallbacks).
    assert all(blueprint_for(r, t, blueprints) for r in ROLES for t in ENTERPRISE_TYPES)
    for b in blueprints:
        assert b.total_points == 100 and b.pass_mark == 80 and 15 <= b.total_items <= 40 and b.time_limit <= 45
    deputy = blueprint_for("分管安全负责人", "经营（不带储存）")
    assert (deputy.role, deputy.enterprise_type) == ("主要负责人", "经营(带储存)")
    assert blueprint_for("安全管理人员", "经营(不带储存)").enterprise_type == "经营(带储存)"
    assert blueprint_for("主要负责人", "危险化学品生产").counts == {QType.TRUE_FALSE: 10, QType.SINGLE: 10,
                                                               QType.MULTIPLE: 5}
    managers = [b for b in blueprints if b.role in ("主要负责人", "安全管理人员") and b.enterprise_type != "储存"]
    with pytest.raises(QuizError,
                       match="岗位“从业人员”没有考试蓝图.*可选岗位：主要负责人、分管安全负责人、安全管理人员"):
        blueprint_for("从业人员", "使用", managers)
    with pytest.raises(QuizError, match="企业类型“储存”没有考试蓝图.*可选企业类型：危险化学品生产"):
        blueprint_for("主要负责人", "储存", managers)

    # a home may add or replace blueprints; a broken one names its file and field
    extra = tmp_path / "blueprints"
    extra.mkdir()
    (extra / "mine.json").write_text(json.dumps({
        "name": "使用企业主要负责人（本局）", "role": "主要负责人", "enterprise_type": "使用",
        "counts": {"判断": 5, "单选": 5}, "points": {"判断": 10, "单选": 10}, "time_limit": 15, "pass_mark": 60},
        ensure_ascii=False), encoding="utf-8")
    mine = blueprint_for("主要负责人", "使用", load_blueprints(extra))
    assert mine.name == "使用企业主要负责人（本局）" and mine.total_items == 10 and mine.total_points == 100
    (extra / "zbad.json").write_text(json.dumps({"role": "主要负责人", "enterprise_type": "一般化工",
                                                 "counts": {"判断": 5}, "points": {"判断": 10}, "time_limit": 10,
                                                 "pass_mark": 60}), encoding="utf-8")
    with pytest.raises(QuizError, match="合格分数 60 高于满分 50"):
        load_blueprints(extra)
    (extra / "zbad.json").write_text('{"role": "主要负责人", "enterprise_type": "使用", "counts": {"填空": 3}}',
                                     encoding="utf-8")
    with pytest.raises(QuizError, match="zbad.json.*题型“填空”无效"):
        load_blueprints(extra)


# -- papers -------------------------------------------------------------------------------------


def test_hundred_papers_match_the_blueprint(home):
    bank = open_bank(home)
    bp = blueprint_for("主要负责人", "危险化学品生产")
    pool = candidates(bank, bp)
    stored = {q.qid: q for q in bank.list()}
    assert all("主要负责人" in q.roles for q in pool) and len(pool) == 249
    signatures = set()
    shuffled = 0
    for seed in range(100):
        paper = draw_paper(bank, bp, seed=seed, pool=pool)
        assert paper.seed == seed
        assert [i.position for i in paper.items] == list(range(1, bp.total_items + 1))
        for qtype, n in bp.counts.items():
            assert sum(1 for i in paper.items if i.qtype is qtype) == n
        assert len(set(paper.qids())) == len(paper.items)
        assert paper.total_points == 100 and sum(i.points for i in paper.items) == 100
        signatures.add(paper.signature())
        for item in paper.items:
            original = stored[item.qid]
            assert original.review is Review.APPROVED
            assert sorted(item.options) == sorted(original.options)
            assert item.options == [original.options[i] for i in item.order]
            # the remapped key points at the same option texts as the bank's key
            assert sorted(item.options[LETTERS.index(c)] for c in item.key) == sorted(original.answer_texts())
            assert len(item.key) == len(original.answer)
            if item.qtype is QType.TRUE_FALSE:
                assert item.options == ["正确", "错误"] and item.key == original.answer
            shuffled += item.order != sorted(item.order)
    assert len(signatures) == 100
    assert shuffled > 1000  # options really are shuffled (about 3/4 of the choice items move)

    again = draw_paper(bank, bp, seed=42)  # read from the bank, not the cached pool
    first = draw_paper(bank, bp, seed=42, pool=pool)
    assert again.signature() == first.signature() and again.keys() == first.keys()
    assert again.paper_id != first.paper_id
    assert redraw(bank, bp, first).signature() == first.signature()
    assert draw_paper(bank, bp, seed=43, pool=pool).signature() != first.signature()
    bank.close()


def test_options_about_the_other_options_keep_their_place(tmp_path):
    bank = QuestionBank(f"sqlite:///{tmp_path / 'b.db'}")
    bank.create()
    bank.add_many([
        Question(qtype=QType.SINGLE, stem="职业健康检查包括（）", options=["上岗前", "在岗期间", "离岗时", "以上均对"],
                 answer="D", review=Review.APPROVED),
        Question(qtype=QType.SINGLE, stem="正确的是（）", options=["甲", "乙", "A和B", "都不对"], answer="C",
                 review=Review.APPROVED),
    ])
    bp = Blueprint(name="t", role="主要负责人", enterprise_type="使用", counts={QType.SINGLE: 2},
                   points={QType.SINGLE: 50}, time_limit=10, pass_mark=50)
    for seed in range(30):
        paper = draw_paper(bank, bp, seed=seed)
        by_stem = {i.stem: i for i in paper.items}
        assert by_stem["职业健康检查包括（）"].options[3] == "以上均对" and by_stem["职业健康检查包括（）"].key == "D"
        assert by_stem["正确的是（）"].options == ["甲", "乙", "A和B", "都不对"]
    bank.close()


def _judge(n: int, answer: str, article: int) -> Question:
    return Question(qtype=QType.TRUE_FALSE, stem=f"第{n}号仓库应当设置明显的安全警示标志，并由专人管理。",
                    options=["正确", "错误"], answer=answer, review=Review.APPROVED,
                    basis=[Basis(law="某安全法", article_no=article)])


def test_a_paper_balances_its_judge_answers_and_takes_one_item_per_article(tmp_path):
    """30 正确 and 10 错误 判断 items over 20 articles (two items each): a 10-item section has at most 6 of one
    answer and never two items about one article; a bank without 错误 items still gives a paper."""
    bank = QuestionBank(f"sqlite:///{tmp_path / 'b.db'}")
    bank.create()
    bank.add_many([_judge(n, "A" if n < 30 else "B", 1 + n % 20) for n in range(40)])
    bp = Blueprint(name="t", role="主要负责人", enterprise_type="使用", counts={QType.TRUE_FALSE: 10},
                   points={QType.TRUE_FALSE: 10}, time_limit=10, pass_mark=60)
    for seed in range(40):
        paper = draw_paper(bank, bp, seed=seed)
        keys = [i.key for i in paper.items]
        assert keys.count("A") <= 6 and keys.count("B") <= 6, keys
        assert len({i.basis[0] for i in paper.items}) == 10
        assert redraw(bank, bp, paper).signature() == paper.signature()
    bank.close()

    only_true = QuestionBank(f"sqlite:///{tmp_path / 'c.db'}")
    only_true.create()
    only_true.add_many([_judge(n, "A", 1 + n % 3) for n in range(12)])  # too few articles and no 错误 item
    paper = draw_paper(only_true, bp, seed=1)
    assert len(paper.items) == 10 and {i.key for i in paper.items} == {"A"}
    only_true.close()


FORBIDDEN_KEYS = {"key", "keys", "answer", "answers", "explanation", "basis", "order", "seed", "avoided", "qid"}


def _all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _all_keys(v)}
    return set()


def test_public_view_reveals_no_key(home):
    bank = open_bank(home)
    bp = blueprint_for("安全管理人员", "使用")
    paper = draw_paper(bank, bp, seed=7)
    view = paper.public_view()
    assert not _all_keys(view) & FORBIDDEN_KEYS
    text = json.dumps(view, ensure_ascii=False)
    assert "《中华人民共和国安全生产法》第二十一条" not in text and '"order"' not in text
    for item in paper.items:
        assert f"解析{item.qid}" not in text and item.qid not in text
    assert len(view["items"]) == bp.total_items and view["counts"] == {"判断": 15, "单选": 15, "多选": 5}
    for entry, item in zip(view["items"], paper.items):
        assert [o["text"] for o in entry["options"]] == item.options
        assert [o["letter"] for o in entry["options"]] == list(item.letters)
    # the full record keeps everything an audit needs, and survives JSON
    full = Paper.from_dict(json.loads(json.dumps(paper.to_dict(), ensure_ascii=False)))
    assert full.signature() == paper.signature() and full.keys() == paper.keys() and full.seed == 7
    bank.close()


def test_shortage_says_which_type_and_how_many(tmp_path):
    bank = QuestionBank(f"sqlite:///{tmp_path / 'b.db'}")
    bank.create()
    bank.add_many([Question(qtype=QType.TRUE_FALSE, stem=f"判断{i}", options=["正确", "错误"], answer="A",
                            review=Review.APPROVED) for i in range(12)]
                  + [Question(qtype=QType.MULTIPLE, stem=f"多选{i}", options=["甲", "乙", "丙"], answer="AB",
                              review=Review.APPROVED) for i in range(2)]
                  + [Question(qtype=QType.MULTIPLE, stem="草稿", options=["甲", "乙", "丙"], answer="AB")]
                  + [Question(qtype=QType.MULTIPLE, stem="带标记", options=["甲", "乙", "丙"], answer="AB",
                              review=Review.APPROVED, flags=["依据已修订"])]
                  + [Question(qtype=QType.MULTIPLE, stem="加油站专用", options=["甲", "乙", "丙"], answer="AB",
                              review=Review.APPROVED, enterprise_types=["加油站"])])
    bp = blueprint_for("主要负责人", "危险化学品生产")
    with pytest.raises(QuizError) as err:
        draw_paper(bank, bp, seed=1)
    message = str(err.value)
    assert "单选题需要 10 道，只有 0 道，还差 10 道" in message
    assert "多选题需要 5 道，只有 2 道，还差 3 道" in message and "判断题" not in message.split("：", 1)[1]
    assert "hazkb quiz import" in message
    bank.close()


# -- sessions -----------------------------------------------------------------------------------


def test_no_repeat_of_recent_items(book):
    first = start(book, 1)
    second = start(book, 1)
    third = start(book, 1)
    q1, q2, q3 = (set(e.paper.qids()) for e in (first, second, third))
    assert not q1 & q2 and not q3 & (q1 | q2)
    assert set(third.paper.avoided) == q1 | q2
    other = start(book, 2, seed=first.paper.seed)  # someone else, same seed: same paper as the first one
    assert other.paper.signature() == first.paper.signature()
    # an audit reproduces the third paper from its seed and the stored avoided items
    bp = blueprint_for("主要负责人", "危险化学品生产", book.blueprints)
    assert redraw(book.bank, bp, book.get(third.exam_id).paper).signature() == third.paper.signature()


def test_no_repeat_falls_back_when_the_bank_is_small(tmp_path, clock):
    bank = QuestionBank(f"sqlite:///{tmp_path / 'b.db'}")
    bank.create()
    bank.add_many([Question(qtype=QType.TRUE_FALSE, stem=f"判断题{i}", options=["正确", "错误"], answer="AB"[i % 2],
                            review=Review.APPROVED) for i in range(7)])
    bp = Blueprint(name="小卷", role="主要负责人", enterprise_type="使用", counts={QType.TRUE_FALSE: 4},
                   points={QType.TRUE_FALSE: 25}, time_limit=10, pass_mark=75)
    book = ExamBook(bank, blueprints=[bp], clock=clock)
    book.create()
    a = book.start("甲公司", "使用", "张三", id_number(5), "主要负责人", "李四")
    b = book.start("甲公司", "使用", "张三", id_number(5), "主要负责人", "李四")
    qa, qb = set(a.paper.qids()), set(b.paper.qids())
    assert len(qb) == 4 and len(qa & qb) == 1 and len(qa | qb) == 7  # all 3 fresh items, then one repeat
    bank.close()


def test_examinees_without_an_id_number_are_not_one_person(tmp_path, clock):
    """NO_ID is recorded as such; for the repeat avoidance it is unknown, not one person who sat every exam."""
    bank = QuestionBank(f"sqlite:///{tmp_path / 'b.db'}")
    bank.create()
    bank.add_many([Question(qtype=QType.TRUE_FALSE, stem=f"判断题{i}", options=["正确", "错误"], answer="AB"[i % 2],
                            review=Review.APPROVED) for i in range(7)])
    bp = Blueprint(name="小卷", role="主要负责人", enterprise_type="使用", counts={QType.TRUE_FALSE: 4},
                   points={QType.TRUE_FALSE: 25}, time_limit=10, pass_mark=75)
    book = ExamBook(bank, blueprints=[bp], clock=clock)
    book.create()
    a = book.start("甲公司", "使用", "张三", NO_ID, "主要负责人", "李四", seed=3)
    b = book.start("乙公司", "使用", "王五", " 无身份证号 ", "主要负责人", "李四", seed=3)
    assert a.paper.qids() == b.paper.qids() and not b.paper.avoided  # nothing of 张三's paper kept from 王五
    assert book.get(b.exam_id).id_number == NO_ID and book.recent_qids(NO_ID) == set()
    with pytest.raises(QuizError, match="身份证号格式不对：应为 18 位，填写的有 3 位"):
        book.start("甲公司", "使用", "张三", "123", "主要负责人", "李四")
    bank.close()


def test_full_run_grading_review_and_refusals(book, clock):
    exam = start(book, 3, role="分管安全负责人", etype="经营(不带储存)")
    paper = exam.paper
    assert paper.blueprint == "主要负责人现场考试（危险化学品经营企业）" and exam.time_limit == 30
    assert exam.role == "分管安全负责人" and exam.enterprise_type == "经营(不带储存)"
    points = {QType.TRUE_FALSE: 3, QType.SINGLE: 4, QType.MULTIPLE: 6}
    expected = 0
    wrong_positions = []
    for item in paper.items:
        if item.position % 4 == 0:
            book.save_answer(exam.exam_id, item.position, wrong_answer(item))
            wrong_positions.append(item.position)
        elif item.position % 7 == 0:
            continue  # left blank
        elif item.qtype is QType.MULTIPLE and item.position == paper.items[-1].position:
            book.save_answer(exam.exam_id, item.position, item.key[:-1] or "A")  # partly right: no points
            wrong_positions.append(item.position)
        else:
            given = item.key.lower() if item.qtype is QType.MULTIPLE else item.key
            assert book.save_answer(exam.exam_id, item.position, ",".join(given)) == item.key
            expected += points[item.qtype]
    clock.advance(12)
    # answers can be changed; a cleared answer is not an answer
    first_single = next(i for i in paper.items if i.qtype is QType.SINGLE and i.position % 4 and i.position % 7)
    book.save_answer(exam.exam_id, first_single.position, "")
    assert first_single.position not in book.resume(exam.exam_id).answers
    book.save_answer(exam.exam_id, first_single.position, first_single.key)

    with pytest.raises(QuizError, match="单选题，只能选一个答案"):
        book.save_answer(exam.exam_id, first_single.position, "AB")
    with pytest.raises(QuizError, match="第 1 题只有 A–B 2 个选项，答案中的 C 无效"):
        book.save_answer(exam.exam_id, 1, "C")
    with pytest.raises(QuizError, match="题号 26 不存在；本试卷共 25 题"):
        book.save_answer(exam.exam_id, 26, "A")
    with pytest.raises(QuizError, match="没有编号为 nope 的考试"):
        book.save_answer("nope", 1, "A")

    resumed = book.resume(exam.exam_id)
    assert len(resumed.answers) == 25 - sum(1 for i in paper.items if i.position % 7 == 0 and i.position % 4)
    assert resumed.public_view(clock())["remaining_seconds"] == 18 * 60
    assert not _all_keys(resumed.public_view()) & (FORBIDDEN_KEYS - {"answers"})

    result = book.submit(exam.exam_id)
    assert result.score == expected and result.passed == (expected >= 80) and result.total_points == 100
    assert result.score == sum(r.earned for r in result.items)
    for review in result.items:
        item = paper.item(review.position)
        assert review.key == item.key and review.correct == (review.answer == item.key)
        assert review.explanation.startswith(f"解析{item.qid}")
        assert review.basis == ["《中华人民共和国安全生产法》第二十一条"]
        if review.position in wrong_positions or review.position % 7 == 0:
            assert not review.correct and review.earned == 0
    stored = book.get(exam.exam_id)
    assert stored.score == expected and stored.passed == result.passed and stored.result.correct_count == \
        result.correct_count and stored.status() in ("合格", "不合格")

    with pytest.raises(QuizError, match="已于 .* 交卷.*不能重复交卷"):
        book.submit(exam.exam_id)
    with pytest.raises(QuizError, match="已于 .* 交卷，不能再作答"):
        book.save_answer(exam.exam_id, 1, "A")

    # a perfect run passes with full marks
    perfect = start(book, 4)
    for item in perfect.paper.items:
        book.save_answer(perfect.exam_id, item.position, item.key)
    done = book.submit(perfect.exam_id)
    assert done.score == 100 and done.passed and done.correct_count == 25


def test_time_limit_with_grace(book, clock):
    exam = start(book, 6, role="安全管理人员", etype="加油站")
    assert exam.time_limit == 30
    clock.advance(31)  # inside the grace period
    book.save_answer(exam.exam_id, 1, exam.paper.items[0].key)
    clock.advance(2)
    with pytest.raises(QuizError, match="作答时间已到（限时 30 分钟.*已保存的答案有效，请交卷"):
        book.save_answer(exam.exam_id, 2, "A")
    assert book.get(exam.exam_id).status(clock()) == "已超时未交卷"
    result = book.submit(exam.exam_id)  # late submission is allowed; only the saved answer counts
    assert result.score == exam.paper.items[0].points and not result.passed


def test_id_numbers_are_checked_and_masked(book):
    assert clean_id_number(" 11010519491231002x ") == "11010519491231002X"
    with pytest.raises(QuizError, match="校验位不正确"):
        clean_id_number("110105194912310021")
    for wrong in ("123", "ABCDEFGHIJKLMNOPQR", "G12345678", "11010519491231002Y"):
        with pytest.raises(QuizError, match=f"身份证号格式不对.*18 位.*{NO_ID}"):
            clean_id_number(wrong)
    assert clean_id_number(f" {NO_ID} ") == NO_ID and mask_id(NO_ID) == NO_ID  # an examinee without an ID
    assert mask_id("11010519491231002X") == "110***********002X"
    with pytest.raises(QuizError, match="考生姓名不能为空"):
        start(book, 7, person="  ")


CRASH_SCRIPT = textwrap.dedent("""
    import json, sys, time
    from corpus.settings import Settings
    from quiz.exam import open_exams

    settings = Settings.from_env({}, home=sys.argv[1], no_builtin=True)
    book = open_exams(settings)
    exam = book.start("崩溃测试化工厂", "使用", "赵六", sys.argv[2], "安全管理人员", "钱检查")
    saved = {}
    for item in exam.paper.items[:12]:
        wrong = next((c for c in item.letters if c not in item.key), item.key[:-1])
        letters = item.key if item.position % 3 else wrong
        saved[item.position] = book.save_answer(exam.exam_id, item.position, letters)
    print(json.dumps({"exam_id": exam.exam_id, "saved": saved}), flush=True)
    time.sleep(120)
""")


def test_killed_process_loses_no_saved_answer(home, tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASH_SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen([sys.executable, str(script), str(home.home), id_number(77)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.poll() is not None else "no output from the exam process"
        report = json.loads(line)
    finally:
        proc.kill()  # SIGKILL: no cleanup, no checkpoint, no atexit
        proc.wait(timeout=30)
    assert proc.returncode == -9
    assert (home.home / "catalog.db-wal").exists()  # the answers live in the WAL the dead process left behind

    book = open_exams(home)
    exam = book.resume(report["exam_id"])
    assert exam.answers == {int(k): v for k, v in report["saved"].items()} and len(exam.answers) == 12
    assert not exam.submitted
    book.save_answer(exam.exam_id, 13, exam.paper.items[12].key)
    result = book.submit(exam.exam_id)
    expected = sum(i.points for i in exam.paper.items[:13] if i.position % 3 or i.position == 13)
    assert result.score == expected
    book.bank.close()


# -- exports ------------------------------------------------------------------------------------


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_exports_xlsx_and_docx(book, clock, tmp_path):
    import openpyxl

    graded = start(book, 11, person="孙七", enterprise="甲化工有限公司")
    for item in graded.paper.items[:22]:
        book.save_answer(graded.exam_id, item.position, item.key)
    result = book.submit(graded.exam_id)
    clock.advance(60)
    second = start(book, 12, person="周八", role="安全管理人员", etype="使用", enterprise="乙仓储有限公司")
    book.submit(second.exam_id)
    clock.advance(5)
    open_exam = start(book, 13, person="吴九", enterprise="丙加油站", etype="加油站")

    exams = book.records()
    assert [e.person for e in exams] == ["吴九", "周八", "孙七"]  # newest first
    xlsx = tmp_path / "records.xlsx"
    assert write_records_xlsx(exams, xlsx) == 3
    wb = openpyxl.load_workbook(xlsx)
    rows = list(wb["考试记录"].iter_rows(values_only=True))
    assert rows[0][:5] == ("考试编号", "企业名称", "企业类型", "姓名", "身份证号") and len(rows) == 4
    by_person = {r[3]: r for r in rows[1:]}
    sun = by_person["孙七"]
    assert sun[1] == "甲化工有限公司" and sun[4] == mask_id(id_number(11)) and "*" in sun[4]
    assert sun[5] == "主要负责人" and sun[6] == "王检查" and sun[10] == result.score and sun[13] == "合格"
    assert by_person["周八"][10] == 0 and by_person["周八"][13] == "不合格"
    assert by_person["吴九"][10] is None and by_person["吴九"][13] == "考试中"
    details = list(wb["答题明细"].iter_rows(values_only=True))
    assert len(details) == 1 + 25 + 35  # the two submitted exams, every item
    sun_items = [r for r in details[1:] if r[1] == "孙七"]
    assert sum(1 for r in sun_items if r[9] == "正确") == 22 and sum(r[11] for r in sun_items) == result.score
    cells = " ".join(str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r)
    assert id_number(11) not in cells and id_number(12) not in cells

    graded_doc = write_exam_docx(book.get(graded.exam_id), tmp_path / "graded.docx")
    text = _docx_text(graded_doc)
    assert "孙七" in text and "甲化工有限公司" in text and f"{result.score:g} / 100" in text and "合格" in text
    assert "考生签字" in text and "检查人员签字" in text and "日期：" in text
    assert "正确答案：" in text and f"解析{graded.paper.items[0].qid}" in text and "第二十一条" in text
    assert id_number(11) not in text and mask_id(id_number(11)) in text

    blank = _docx_text(write_exam_docx(book.get(open_exam.exam_id), tmp_path / "blank.docx"))
    assert "吴九" in blank and "考生签字" in blank and "答案：________" in blank
    assert "正确答案" not in blank and "解析" not in blank

    paper_only = _docx_text(write_paper_docx(open_exam.paper, tmp_path / "paper.docx"))
    assert "解析" not in paper_only and "答案：________" in paper_only and "考生签字" in paper_only
    keyed = _docx_text(write_paper_docx(open_exam.paper, tmp_path / "keyed.docx", with_key=True))
    assert f"答案：{open_exam.paper.items[0].key}" in keyed and "检查人员用" in keyed
    with pytest.raises(QuizError, match="须为 .docx"):
        write_exam_docx(book.get(graded.exam_id), tmp_path / "x.pdf")


def test_records_filters(book, clock):
    a = start(book, 21, person="郑一", enterprise="东方化工有限公司")
    clock.advance(60 * 24)
    b = start(book, 22, person="王二", enterprise="西方燃气有限公司", etype="气体充装")
    book.submit(b.exam_id)
    assert [e.exam_id for e in book.records(enterprise="东方")] == [a.exam_id]
    assert [e.exam_id for e in book.records(person="王二")] == [b.exam_id]
    assert [e.exam_id for e in book.records(id_number=id_number(21))] == [a.exam_id]
    assert [e.exam_id for e in book.records(submitted=True)] == [b.exam_id]
    day_a = book.get(a.exam_id).record()["date"]
    assert [e.exam_id for e in book.records(date_from=date.fromisoformat(day_a),
                                            date_to=date.fromisoformat(day_a))] == [a.exam_id]
    assert len(book.records(date_from=date.fromisoformat(day_a))) == 2
    assert book.records(date_to=date.fromisoformat(day_a) - timedelta(days=1)) == []


# -- statistics ---------------------------------------------------------------------------------


def test_stats_match_hand_computed_values(settings, clock):
    """Five items, each exam takes all of them; three submitted exams and one open one."""
    bank = open_bank(settings)
    items = {
        "T1": Question(qtype=QType.TRUE_FALSE, stem="判断一", options=["正确", "错误"], answer="A", topics=["法规"]),
        "T2": Question(qtype=QType.TRUE_FALSE, stem="判断二", options=["正确", "错误"], answer="B", topics=["应急"]),
        "S1": Question(qtype=QType.SINGLE, stem="单选一", options=["甲", "乙", "丙"], answer="B", topics=["法规"]),
        "S2": Question(qtype=QType.SINGLE, stem="单选二", options=["甲", "乙", "丙"], answer="C", topics=["应急"]),
        "M1": Question(qtype=QType.MULTIPLE, stem="多选一", options=["甲", "乙", "丙", "丁"], answer="ACD",
                       topics=["法规"]),
    }
    for qid, q in items.items():
        q.qid, q.review = qid, Review.APPROVED
    bank.add_many(items.values())
    spec = dict(counts={QType.TRUE_FALSE: 2, QType.SINGLE: 2, QType.MULTIPLE: 1},
                points={QType.TRUE_FALSE: 20, QType.SINGLE: 20, QType.MULTIPLE: 20}, time_limit=20, pass_mark=60)
    blueprints = [Blueprint(name="甲", role="主要负责人", enterprise_type="使用", **spec),
                  Blueprint(name="乙", role="安全管理人员", enterprise_type="使用", **spec)]
    book = ExamBook(bank, blueprints=blueprints, clock=clock, no_repeat=0)
    book.create()

    def sit(n, enterprise, role, right: set[str], blank: set[str] = frozenset(), submit=True):
        exam = book.start(enterprise, "使用", f"考生{n}", id_number(100 + n), role, "检查员")
        for item in exam.paper.items:
            if item.qid in blank:
                continue
            answer = item.key if item.qid in right else wrong_answer(item)
            book.save_answer(exam.exam_id, item.position, answer)
        if submit:
            book.submit(exam.exam_id)
        return exam

    sit(1, "甲公司", "主要负责人", {"T1", "T2", "S1", "S2", "M1"})  # 100, pass
    sit(2, "甲公司", "安全管理人员", {"T1", "S1", "M1"})  # 60, pass
    sit(3, "乙公司", "主要负责人", {"T1"}, blank={"M1"})  # 20, fail
    sit(4, "乙公司", "主要负责人", {"T1", "T2", "S1", "S2", "M1"}, submit=False)  # open: not counted

    data = exam_stats(book.records())
    assert data["open"] == 1
    assert data["overall"] == {"count": 3, "average": 60.0, "pass_rate": 0.6667, "passed": 2}
    assert data["by_enterprise"] == [
        {"enterprise": "甲公司", "count": 2, "average": 80.0, "pass_rate": 1.0, "passed": 2},
        {"enterprise": "乙公司", "count": 1, "average": 20.0, "pass_rate": 0.0, "passed": 0}]
    assert data["by_role"] == [
        {"role": "主要负责人", "count": 2, "average": 60.0, "pass_rate": 0.5, "passed": 1},
        {"role": "安全管理人员", "count": 1, "average": 60.0, "pass_rate": 1.0, "passed": 1}]
    assert data["by_topic"] == [
        {"topic": "法规", "count": 9, "correct": 7, "accuracy": 0.7778, "average": 77.78},
        {"topic": "应急", "count": 6, "correct": 2, "accuracy": 0.3333, "average": 33.33}]
    missed = [(r["qid"], r["stem"], r["missed"], r["miss_rate"]) for r in data["most_missed"]]
    assert missed == [("S2", "单选二", 2, 0.6667), ("T2", "判断二", 2, 0.6667), ("M1", "多选一", 1, 0.3333),
                      ("S1", "单选一", 1, 0.3333)]  # T1 was never missed
    only_a = exam_stats(book.records(enterprise="甲公司"))
    assert only_a["overall"]["count"] == 2 and only_a["most_missed"][0]["qid"] in ("S2", "T2")
    bank.close()


def test_grade_is_all_or_nothing_for_multiple_choice():
    bp = Blueprint(name="g", role="主要负责人", enterprise_type="使用", counts={QType.MULTIPLE: 1},
                   points={QType.MULTIPLE: 10}, time_limit=5, pass_mark=10)
    from quiz.paper import PaperItem

    paper = Paper(paper_id="p", blueprint=bp.name, role=bp.role, enterprise_type=bp.enterprise_type, seed=1,
                  time_limit=5, pass_mark=10, total_points=10,
                  items=[PaperItem(position=1, qid="q", qtype=QType.MULTIPLE, stem="s", options=["a", "b", "c"],
                                   key="AC", order=[0, 1, 2], points=10)])
    assert grade(paper, {1: "AC"})[0] == 10
    assert grade(paper, {1: "A"})[0] == 0 and grade(paper, {1: "ABC"})[0] == 0 and grade(paper, {})[0] == 0


# -- command line -------------------------------------------------------------------------------


def run(home: Path, *args, code: int = 0):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "--home", str(home), "--no-builtin", "quiz", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert proc.returncode == code, proc.stderr + proc.stdout
    return proc


def test_cli_exam_records_print_stats(home, tmp_path):
    h = home.home
    out = json.loads(run(h, "exam", "--role", "主要负责人", "--enterprise", "危险化学品生产", "--seed", "5",
                         "--json").stdout)
    again = json.loads(run(h, "exam", "--role", "主要负责人", "--enterprise", "危险化学品生产", "--seed", "5",
                           "--json").stdout)
    assert out["seed"] == 5 and len(out["items"]) == 25 and out["exam_id"] is None
    assert not _all_keys(out["items"]) & FORBIDDEN_KEYS and "解析" not in json.dumps(out, ensure_ascii=False)
    assert [i["stem"] for i in out["items"]] == [i["stem"] for i in again["items"]]
    keyed = json.loads(run(h, "exam", "--role", "主要负责人", "--enterprise", "危险化学品生产", "--seed", "5",
                           "--json", "--with-key").stdout)
    bank = open_bank(home)
    paper = draw_paper(bank, blueprint_for("主要负责人", "危险化学品生产"), seed=5)
    bank.close()
    assert [i["key"] for i in keyed["items"]] == [i.key for i in paper.items]
    text = run(h, "exam", "--role", "分管安全负责人", "--enterprise", "经营（不带储存）", "--seed", "9").stdout
    assert "主要负责人现场考试（危险化学品经营企业）" in text and "答案：" not in text and "--seed 9" in text
    failed = run(h, "exam", "--role", "从业人员", "--enterprise", "使用", code=1)
    assert "暂不能组卷" in failed.stderr and "目前可以组卷的岗位·企业类型：主要负责人·危险化学品生产" in failed.stderr

    started = run(h, "exam", "--role", "安全管理人员", "--enterprise", "使用", "--person", "陈十",
                  "--id-number", id_number(31), "--company", "丁化工有限公司", "--inspector", "检查甲", "--json").stdout
    exam_id = json.loads(started)["exam_id"]
    records = json.loads(run(h, "records", "--json").stdout)
    assert [r["exam_id"] for r in records] == [exam_id] and records[0]["id_number"] == mask_id(id_number(31))
    book = open_exams(home)
    exam = book.get(exam_id)
    for item in exam.paper.items:
        book.save_answer(exam_id, item.position, item.key)
    book.submit(exam_id)
    book.bank.close()

    xlsx = tmp_path / "r.xlsx"
    assert "已导出 1 条考试记录" in run(h, "records", "--enterprise", "丁化工", "--export", str(xlsx)).stdout
    assert xlsx.exists()
    docx_file = tmp_path / "exam.docx"
    assert "已评分答题记录" in run(h, "print", exam_id, str(docx_file)).stdout
    assert "陈十" in _docx_text(docx_file) and "100 / 100" in _docx_text(docx_file)
    run(h, "print", "no-such-exam", str(tmp_path / "x.docx"), code=1)

    stats = json.loads(run(h, "stats", "--exams", "--json").stdout)
    assert stats["overall"] == {"count": 1, "average": 100.0, "pass_rate": 1.0, "passed": 1}
    assert "平均分 100" in run(h, "stats", "--exams").stdout
    assert "共 298 道题" in run(h, "stats").stdout  # the bank statistics are unchanged


def test_bank_changes_reach_the_next_draw(tmp_path, clock):
    """The exam book caches candidate items; retiring or adding an item is seen by the next exam."""
    bank = QuestionBank(f"sqlite:///{tmp_path / 'b.db'}")
    bank.create()
    bank.add_many([Question(qtype=QType.TRUE_FALSE, stem=f"判断题{i}", options=["正确", "错误"], answer="A",
                            review=Review.APPROVED, qid=f"Q{i}") for i in range(3)])
    bp = Blueprint(name="小卷", role="主要负责人", enterprise_type="使用", counts={QType.TRUE_FALSE: 3},
                   points={QType.TRUE_FALSE: 10}, time_limit=10, pass_mark=20)
    book = ExamBook(bank, blueprints=[bp], clock=clock, no_repeat=0)
    book.create()
    assert set(book.start("甲", "使用", "张", id_number(1), "主要负责人", "李").paper.qids()) == {"Q0", "Q1", "Q2"}
    bank.set_review("Q1", Review.RETIRED)
    with pytest.raises(QuizError, match="判断题需要 3 道，只有 2 道"):
        book.start("甲", "使用", "张", id_number(1), "主要负责人", "李")
    bank.add(Question(qtype=QType.TRUE_FALSE, stem="判断题新", options=["正确", "错误"], answer="B",
                      review=Review.APPROVED, qid="Q9"))
    assert set(book.start("甲", "使用", "张", id_number(1), "主要负责人", "李").paper.qids()) == {"Q0", "Q2", "Q9"}
    bank.close()
