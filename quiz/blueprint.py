"""Exam blueprints: what a short on-site exam (逢查必考) contains for one role in one kind of enterprise.

A blueprint gives the number of items of each type, the points per item of each type, an optional topic filter,
an optional difficulty mix (a preference, filled from other levels when the bank lacks items), the time limit in
minutes and the pass mark. Blueprints ship as JSON files in quiz/blueprints/; a home may add or override them in
HOME/blueprints/*.json (same format, same role + enterprise type replaces the shipped one).

`blueprint_for(role, enterprise_type)` falls back where a role or an enterprise type has no blueprint of its own:
分管安全负责人 takes 主要负责人's, 经营(不带储存) takes 经营(带储存)'s.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import QuizError
from .model import ENTERPRISE_TYPES, ROLES, QType

# who sits which exam when they have no blueprint of their own
ROLE_FALLBACK = {"分管安全负责人": "主要负责人"}
ENTERPRISE_FALLBACK = {"经营(不带储存)": "经营(带储存)"}
DIFFICULTY_LEVELS = (1, 2, 3)


@dataclass(frozen=True)
class Blueprint:
    name: str
    role: str
    enterprise_type: str
    counts: dict[QType, int]  # items per type
    points: dict[QType, float]  # points per item of each type
    time_limit: int  # minutes
    pass_mark: float
    topics: tuple[str, ...] = ()  # when set: only items sharing one of these topics
    difficulty_mix: dict[int, float] = field(default_factory=dict)  # level -> share; a preference
    source: str = ""  # the file it was read from

    @property
    def total_items(self) -> int:
        return sum(self.counts.values())

    @property
    def total_points(self) -> float:
        return sum(self.counts[t] * self.points.get(t, 0) for t in self.counts)

    def as_dict(self) -> dict:
        return {
            "name": self.name, "role": self.role, "enterprise_type": self.enterprise_type,
            "counts": {t.value: n for t, n in self.counts.items()},
            "points": {t.value: p for t, p in self.points.items()},
            "time_limit": self.time_limit, "pass_mark": self.pass_mark, "total_points": self.total_points,
            "topics": list(self.topics), "difficulty_mix": {str(k): v for k, v in self.difficulty_mix.items()},
        }


def _norm(text) -> str:
    """经营（带储存） and 经营 (带储存) are 经营(带储存)."""
    return unicodedata.normalize("NFKC", str(text or "")).replace(" ", "").strip()


def _number(value, what: str, where: str, positive: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (positive and value == 0):
        raise QuizError(f"蓝图 {where} 的 {what} 应为{'正数' if positive else '非负数'}，当前为“{value}”")
    return value


def blueprint_from_dict(data: dict, where: str = "") -> Blueprint:
    """A blueprint from its JSON object; a QuizError names the file and the bad field."""
    if not isinstance(data, dict):
        raise QuizError(f"蓝图 {where} 应为一个 JSON 对象")
    role, etype = _norm(data.get("role")), _norm(data.get("enterprise_type"))
    if role not in ROLES:
        raise QuizError(f"蓝图 {where} 的岗位 role“{data.get('role')}”无效；可选：{'、'.join(ROLES)}")
    if etype not in ENTERPRISE_TYPES:
        raise QuizError(f"蓝图 {where} 的企业类型 enterprise_type“{data.get('enterprise_type')}”无效；"
                        f"可选：{'、'.join(ENTERPRISE_TYPES)}")
    raw_counts, raw_points = data.get("counts") or {}, data.get("points") or {}
    if not isinstance(raw_counts, dict) or not isinstance(raw_points, dict):
        raise QuizError(f"蓝图 {where} 的 counts / points 应为对象，如 {{\"判断\": 10, \"单选\": 10, \"多选\": 5}}")
    unknown = [k for k in [*raw_counts, *raw_points] if k not in {t.value for t in QType}]
    if unknown:
        raise QuizError(f"蓝图 {where} 中的题型“{'、'.join(unknown)}”无效；题型为 判断、单选、多选")
    counts: dict[QType, int] = {}
    points: dict[QType, float] = {}
    for qtype in QType:
        n = raw_counts.get(qtype.value, 0)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise QuizError(f"蓝图 {where} 的 {qtype.value} 题数应为非负整数，当前为“{n}”")
        if n:
            counts[qtype] = n
            points[qtype] = _number(raw_points.get(qtype.value), f"{qtype.value}题每题分值", where)
    if not counts:
        raise QuizError(f"蓝图 {where} 没有任何题目；请在 counts 中填写各题型题数")
    time_limit = data.get("time_limit")
    if isinstance(time_limit, bool) or not isinstance(time_limit, int) or time_limit <= 0:
        raise QuizError(f"蓝图 {where} 的考试时长 time_limit 应为正整数（分钟），当前为“{time_limit}”")
    pass_mark = _number(data.get("pass_mark"), "合格分数 pass_mark", where)
    topics = data.get("topics") or []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise QuizError(f"蓝图 {where} 的 topics 应为字符串列表")
    mix_raw = data.get("difficulty_mix") or {}
    if not isinstance(mix_raw, dict):
        raise QuizError(f"蓝图 {where} 的 difficulty_mix 应为对象，如 {{\"1\": 0.3, \"2\": 0.5, \"3\": 0.2}}")
    mix: dict[int, float] = {}
    for level, share in mix_raw.items():
        if str(level) not in {str(lv) for lv in DIFFICULTY_LEVELS}:
            raise QuizError(f"蓝图 {where} 的难度“{level}”无效；难度为 1、2、3")
        mix[int(level)] = _number(share, f"难度 {level} 的比例", where, positive=False)
    if mix and abs(sum(mix.values()) - 1) > 0.01:
        raise QuizError(f"蓝图 {where} 的 difficulty_mix 各比例之和应为 1，当前为 {sum(mix.values()):g}")
    bp = Blueprint(name=str(data.get("name") or f"{role}·{etype}"), role=role, enterprise_type=etype, counts=counts,
                   points=points, time_limit=time_limit, pass_mark=pass_mark, topics=tuple(t.strip() for t in topics),
                   difficulty_mix=mix, source=where)
    if bp.pass_mark > bp.total_points:
        raise QuizError(f"蓝图 {where} 的合格分数 {bp.pass_mark:g} 高于满分 {bp.total_points:g}")
    return bp


def _read(path_name: str, text: str) -> Blueprint:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuizError(f"蓝图文件 {path_name} 不是有效的 JSON（第 {exc.lineno} 行：{exc.msg}）") from exc
    return blueprint_from_dict(data, path_name)


def _shipped() -> list[Blueprint]:
    folder = resources.files("quiz") / "blueprints"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".json")), key=lambda e: e.name)
    return [_read(e.name, e.read_text(encoding="utf-8")) for e in entries]


def load_blueprints(extra_dir: str | Path | None = None) -> list[Blueprint]:
    """The shipped blueprints, then those in `extra_dir` (e.g. HOME/blueprints); a later one with the same
    role and enterprise type replaces an earlier one. Ordered by role, then enterprise type."""
    found: dict[tuple[str, str], Blueprint] = {}
    for bp in _shipped():
        found[(bp.role, bp.enterprise_type)] = bp
    if extra_dir is not None and Path(extra_dir).is_dir():
        for path in sorted(Path(extra_dir).glob("*.json")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QuizError(f"无法读取蓝图文件 {path}（{exc}）；请保存为 UTF-8 编码的 JSON") from exc
            bp = _read(str(path), text)
            found[(bp.role, bp.enterprise_type)] = bp
    return sorted(found.values(), key=lambda b: (ROLES.index(b.role), ENTERPRISE_TYPES.index(b.enterprise_type)))


def blueprint_for(role: str, enterprise_type: str, blueprints: list[Blueprint] | None = None) -> Blueprint:
    """The blueprint for this role in this kind of enterprise, with the fallbacks above; QuizError when none."""
    blueprints = load_blueprints() if blueprints is None else blueprints
    index = {(b.role, b.enterprise_type): b for b in blueprints}
    role_n, etype_n = _norm(role), _norm(enterprise_type)
    for r in (role_n, ROLE_FALLBACK.get(role_n)):
        for e in (etype_n, ENTERPRISE_FALLBACK.get(etype_n)):
            if r and e and (r, e) in index:
                return index[(r, e)]
    roles = sorted({b.role for b in blueprints} | {k for k, v in ROLE_FALLBACK.items()
                                                    if v in {b.role for b in blueprints}}, key=ROLES.index)
    types = sorted({b.enterprise_type for b in blueprints} | {k for k, v in ENTERPRISE_FALLBACK.items()
                                                              if v in {b.enterprise_type for b in blueprints}},
                   key=ENTERPRISE_TYPES.index)
    if role_n not in roles:
        problem = f"岗位“{role}”没有考试蓝图"
    elif etype_n not in types:
        problem = f"企业类型“{enterprise_type}”没有考试蓝图"
    else:
        problem = f"没有“{role}”在“{enterprise_type}”企业的考试蓝图"
    raise QuizError(f"{problem}。可选岗位：{'、'.join(roles)}；可选企业类型：{'、'.join(types)}。"
                    "如需其他组合，可在数据目录的 blueprints 文件夹中添加蓝图 JSON 文件")
