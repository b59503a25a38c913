"""The 依据 cell <-> Basis list, and its catalog links.

A cell reads like '《危险化学品安全管理条例》第二十条；《安全生产法》第一百零一条'.
"""
from __future__ import annotations

import re

from corpus.citations import parse_references
from corpus.errors import NotFoundError

from .errors import RowRejected
from .model import Basis

_SEGMENTS = re.compile(r"[；;\n]+")
_HOW = "请写成《法规名称》第N条，多条之间用“；”分隔"


def parse_basis(text: str) -> list[Basis]:
    """Every citation in the cell; each ；-separated part must name a law and at least one article."""
    out: list[Basis] = []
    for segment in (s.strip() for s in _SEGMENTS.split(text or "")):
        if not segment:
            continue
        refs = [r for r in parse_references(segment) if r.article_no]
        if not refs:
            raise RowRejected(f"依据“{segment}”无法识别；{_HOW}")
        named = [Basis(law=r.law.strip(), article_no=r.article_no, article_sub=r.article_sub)
                 for r in refs if r.law is not None and r.article_no]
        if len(named) < len(refs):
            raise RowRejected(f"依据“{segment}”没有写明法规名称；{_HOW}")
        for basis in named:
            if not any((b.law, b.article_no, b.article_sub) == (basis.law, basis.article_no, basis.article_sub)
                       for b in out):
                out.append(basis)
    return out


def format_basis(basis: list[Basis]) -> str:
    return "；".join(b.cite() for b in basis)


def resolve_basis(basis: list[Basis], catalog) -> list[str]:
    """Link each basis to the current version's article (sets unit_id); a flag for each one not found."""
    flags: list[str] = []
    for item in basis:
        try:
            doc = catalog.find_law(item.law)
            item.unit_id = catalog.article(doc.doc_id, item.article_no, item.article_sub).unit_id
        except NotFoundError:
            item.unit_id = None
            flags.append(f"依据未在知识库中找到：{item.cite()}")
    return flags
