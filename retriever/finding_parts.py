"""The parts of a finding: the violations it names one by one ("没有安全技术说明书，也没贴标签"), without what it says
the unit did ("安评报告做了，就是没公开")."""
from __future__ import annotations

import re

from corpus.text import CLAUSE_BREAK

# A finding that names two violations: "没有安全技术说明书，也没贴标签", "叉车没登记，开叉车的人也没有证" (也没, 也不,
# 也从来, 也过期 … after the clause's own subject; not "啥资质也没有", "一个也没", "后来也没出事", "他也不知道", nor
# 既…也 inside one clause), "…；…". 也被, 也拿不出 and 还被/还用 were tried too: on the read dev sets a third to a
# half of the answers they made firm were wrong (the fire-law/safety-law pairs), so they stay one violation.
# A record's "，且未…" (将作业交给无资质的施工队，且未签订安全管理协议) names a second one too; 且 without a negation
# does not ("，且已影响作业").
# 还 before 在, 没, 照 … is "still" ("许可证过期了，还在卖", "投产一年了，还没登记"): one violation, not two.
_SECOND_VIOLATION = re.compile(
    r"[，,；;。]\s*(?=(?:也|还(?!在|没|未|不|照|要|能|用|是|继续)|并且|而且|同时|另外|此外|又|且(?=未|无|没|不))"
    r"|(?!既)(?:(?!啥|什么|任何|一)[^，,。；;？?]){1,12}?也都?(?:没(?!出|造成|发生|什么)|未|无|过期|一直没|从来|从没|坏"
    r"|不(?!知|懂|会|在|管|听|说|让|肯|愿|想)))|[；;]")
MIN_PART = 6  # characters a part must have to be matched on its own
# "安评报告做了，就是没公开", "预案倒是编了，可一次没演练": a clause before the contrast that denies nothing
# says what the unit did. It names no violation, so it is not matched on its own (in the whole finding its words
# stay: they say what the violation is about; weighing them less changed no answer on the dev sets).
_CONTRAST = re.compile(r"[，,；;]\s*(?:但是|但|可是|可(?!能|以|燃)|就是|只是|却|不过)")
_DENIAL = re.compile(r"没|未|不|无|缺|忘|漏|拖|迟|过期|超|坏|失|私自|擅自|违")


def affirmed_clauses(text: str) -> set[str]:
    """The clauses before a contrast that deny nothing: what the unit did ("安评报告做了")."""
    contrast = _CONTRAST.search(text)
    if not contrast:
        return set()
    return {c.strip() for c in CLAUSE_BREAK.split(text[:contrast.start()]) if c.strip() and not _DENIAL.search(c)}


def split_findings(question: str) -> list[str]:
    """The parts of a finding that names more than one violation (one part when it names one); a part that only
    says what the unit did names none."""
    affirmed = affirmed_clauses(question)
    parts = [p.strip(" ，,。；;") for p in _SECOND_VIOLATION.split(question)]
    parts = [p for p in parts if len(p) >= MIN_PART
             and not all(c.strip() in affirmed for c in CLAUSE_BREAK.split(p) if c.strip())]
    return parts if len(parts) > 1 else [question]


# "依据哪条？", "这个怎么定性？", "谁来处罚？": a clause made only of these words asks; it describes nothing found.
_ASK_WORDS = re.compile(
    r"请问|这两个|这两项|两个|两项|这个|这种|这样|上述|以上|问题|情况|行为|分别|应该|能不能|可不可以|可以|要不要|需要|是否"
    r"|怎么|如何|怎样|罚多少|罚款|处罚|处理|定性|追责|依据|按照|哪一条|哪条|什么|罚则|违法|违规|有没有|谁来|归谁|负责"
    r"|[这那此该应能要会咋罚办算按啥吗呢啊谁管归有的]")


def asks_only(text: str) -> bool:
    """Every clause of the text only asks ("依据哪条？怎么罚？"): it tells nothing found."""
    clauses = [c.strip() for c in CLAUSE_BREAK.split(text) if c.strip()]
    return bool(clauses) and not any(_ASK_WORDS.sub("", c) for c in clauses)


def told_clauses(text: str) -> str:
    """The finding without its clauses that only ask ("怎么罚", "依据哪条处罚", "这个违法吗"); all of it when every
    clause asks."""
    clauses = [c.strip() for c in CLAUSE_BREAK.split(text) if c.strip()]
    told = [c for c in clauses if not asks_only(c)]
    return "，".join(told) if told and len(told) < len(clauses) else text
