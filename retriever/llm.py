"""Answering as langchain runnables: the extractive default, and an optional LLM whose text is verified.

The LLM only rewrites what retrieval found; every 《X》第N条 it writes is checked against the corpus and the
retrieved sources, and sentences with a failed citation are removed and flagged. Any OpenAI-compatible
endpoint works (base URL, model and key from settings); tests use a deterministic fake chat model.
"""
from __future__ import annotations

import logging
from datetime import date

from corpus.errors import ConfigError
from corpus.settings import Settings

from .answer import Answer, ExtractiveAnswerer, record_answer
from .search import Searcher
from .verify import strip_failed, verify_text

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "你是危险化学品安全监管执法助手。只能依据下面给出的条文回答，不得引用未给出的法规或条文，"
    "不得编造条号。回答格式：先用一句话给出结论，再分“违法依据”“处罚依据”列出，"
    "每条写成《法规全称》第N条，并用中文引号原样引用关键原文。没有依据时回答“未在知识库中找到明确依据”。"
)


def _context(answer: Answer) -> str:
    return "\n\n".join(f"[{c.role}] 《{c.law}》{c.article}（{c.level}，{c.status}）\n{c.text}"
                       for c in answer.citations)


class LLMAnswerer:
    """Retrieve and compose as the extractive answerer does, then let a chat model phrase it, then verify."""

    def __init__(self, searcher: Searcher, chat_model):
        self.extractive = ExtractiveAnswerer(searcher)
        self.searcher = searcher
        self.chat_model = chat_model

    def answer(self, question: str, k: int = 5, law: str | None = None, as_of: date | None = None,
               levels=None, unit_type: str | None = None) -> Answer:
        base = self.extractive.answer(question, k=k, law=law, as_of=as_of, levels=levels,
                                      unit_type=unit_type)
        if base.abstained:
            return base
        if base.items:  # a numbered record: each item's answer is phrased and verified on its own
            for item in base.items:
                if not item.answer.abstained:
                    self.rewrite(item.answer, as_of)
            return record_answer(base.question, base.items)
        return self.rewrite(base, as_of)

    def rewrite(self, base: Answer, as_of: date | None = None) -> Answer:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(SYSTEM_PROMPT), HumanMessage(f"问题：{base.question}\n\n条文：\n{_context(base)}")]
        try:
            text = self.chat_model.invoke(messages).content
        except Exception as exc:  # a remote endpoint can fail in many ways; the extractive answer stands
            log.warning("LLM call failed: %s", exc)
            base.notes.append(f"大模型调用失败（{type(exc).__name__}），已返回知识库原文组织的答案")
            return base
        sources = {c.unit_id for c in base.citations}
        checks = verify_text(self.searcher.catalog, text, sources=sources, as_of=as_of)
        failed = [c for c in checks if not c.ok]
        if failed:
            text = strip_failed(text, checks)
            base.notes.append("已删除大模型答案中无法核实的引用：" + "；".join(
                f"《{c.law}》{c.article}（{c.problem}）" for c in failed))
        base.answer = text or base.answer
        base.checks = [c.as_dict() for c in checks]
        return base


def as_runnable(answerer):
    """The answerer as a langchain runnable: {"question", "k", "law", "as_of", "levels", "unit_type"} -> Answer."""
    from langchain_core.runnables import RunnableLambda

    return RunnableLambda(lambda x: answerer.answer(x["question"], k=x.get("k", 5), law=x.get("law"),
                                                    as_of=x.get("as_of"), levels=x.get("levels"),
                                                    unit_type=x.get("unit_type")))


def chat_model_from_settings(settings: Settings):
    """An OpenAI-compatible chat model, when configured."""
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ConfigError("已配置大模型接口，但未安装 langchain-openai；请运行 pip install 'hazkb[llm]'") from exc
    if not settings.llm_model:
        raise ConfigError("已配置 HAZKB_LLM_BASE_URL，但缺少 HAZKB_LLM_MODEL（模型名称）")
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                      api_key=settings.llm_api_key or "none", temperature=0, timeout=60, max_retries=1)


def make_answerer(settings: Settings, searcher: Searcher):
    if settings.llm_base_url:
        return LLMAnswerer(searcher, chat_model_from_settings(settings))
    return ExtractiveAnswerer(searcher)
