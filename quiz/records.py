"""Question <-> plain dict: the JSON file format and the bank's row contents share this shape."""
from __future__ import annotations

from .errors import RowRejected
from .fields import check_tags, keyed_options, parse_qtype, parse_review
from .model import Basis, Origin, QType, Question, Review

FIELDS = ("qid", "qtype", "stem", "options", "answer", "explanation", "basis", "roles", "enterprise_types",
          "topics", "difficulty", "origin", "review", "flags")


def basis_to_dict(basis: Basis) -> dict:
    return {"law": basis.law, "article_no": basis.article_no, "article_sub": basis.article_sub,
            "unit_id": basis.unit_id}


def origin_to_dict(origin: Origin) -> dict:
    return {"kind": origin.kind, "file": origin.file, "sheet": origin.sheet, "row": origin.row,
            "generator": origin.generator, "unit_id": origin.unit_id}


def question_to_dict(question: Question) -> dict:
    return {
        "qid": question.qid, "qtype": question.qtype.value, "stem": question.stem, "options": list(question.options),
        "answer": question.answer, "explanation": question.explanation,
        "basis": [basis_to_dict(b) for b in question.basis], "roles": list(question.roles),
        "enterprise_types": list(question.enterprise_types), "topics": list(question.topics),
        "difficulty": question.difficulty, "origin": origin_to_dict(question.origin),
        "review": question.review.value, "flags": list(question.flags),
    }


def basis_from_dict(data: dict) -> Basis:
    return Basis(law=data["law"], article_no=int(data["article_no"]), article_sub=int(data.get("article_sub") or 0),
                 unit_id=data.get("unit_id"))


def origin_from_dict(data: dict | None) -> Origin:
    data = data or {}
    return Origin(kind=data.get("kind") or "manual", file=data.get("file"), sheet=data.get("sheet"),
                  row=data.get("row"), generator=data.get("generator"), unit_id=data.get("unit_id"))


def stored_question(data: dict) -> Question:
    """A question from a bank row (already validated when it was written)."""
    return Question(
        qtype=QType(data["qtype"]), stem=data["stem"], options=list(data["options"] or []), answer=data["answer"],
        explanation=data.get("explanation") or "", basis=[basis_from_dict(b) for b in data.get("basis") or []],
        roles=list(data.get("roles") or []), enterprise_types=list(data.get("enterprise_types") or []),
        topics=list(data.get("topics") or []), difficulty=int(data.get("difficulty") or 2),
        origin=origin_from_dict(data.get("origin")), review=Review(data.get("review") or Review.DRAFT.value),
        flags=list(data.get("flags") or []), qid=data.get("qid") or "",
    )


def _strings(data: dict, key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RowRejected(f"字段 {key} 应为字符串列表，如 [\"主要负责人\"]")
    return [v.strip() for v in value if v.strip()]


def question_from_record(data, default_review: Review) -> Question:
    """A question from one object of a JSON bank file, checked like a spreadsheet row."""
    if not isinstance(data, dict):
        raise RowRejected("应为一个对象（{\"qtype\": ..., \"stem\": ..., ...}）")
    missing = [k for k in ("qtype", "stem", "answer") if not data.get(k)]
    if missing:
        names = {"qtype": "题型 qtype", "stem": "题干 stem", "answer": "答案 answer"}
        raise RowRejected(f"缺少{'、'.join(names[k] for k in missing)}")
    qtype = parse_qtype(str(data["qtype"]))
    # Too few choices is reported by quiz.validate.problem() with the wording for JSON items.
    options, answer = keyed_options(qtype, _strings(data, "options"), str(data["answer"]), where="本题",
                                    count_choices=False)
    try:
        basis = [basis_from_dict(b) for b in data.get("basis") or []]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise RowRejected("依据 basis 应为列表，每项如 {\"law\": \"安全生产法\", \"article_no\": 21}") from None
    roles, enterprise_types = _strings(data, "roles"), _strings(data, "enterprise_types")
    check_tags(roles, enterprise_types)
    difficulty = data.get("difficulty", 2)
    if difficulty in (None, ""):
        difficulty = 2
    if difficulty not in (1, 2, 3):
        raise RowRejected(f"难度 difficulty 应为 1、2 或 3，本题为“{difficulty}”")
    origin = data.get("origin")
    if origin is not None and not isinstance(origin, dict):
        raise RowRejected("来源 origin 应为对象，如 {\"kind\": \"imported\"}")
    return Question(
        qtype=qtype, stem=str(data["stem"]).strip(), options=options, answer=answer,
        explanation=str(data.get("explanation") or "").strip(), basis=basis, roles=roles,
        enterprise_types=enterprise_types, topics=_strings(data, "topics"), difficulty=int(difficulty),
        origin=origin_from_dict(origin) if origin else Origin(kind="imported"),
        review=parse_review(str(data.get("review") or ""), default_review),
        flags=_strings(data, "flags"), qid=str(data.get("qid") or "").strip(),
    )
