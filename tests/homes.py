"""Small test homes built from hand-written regulations."""
from __future__ import annotations


def small_home(root, name: str, text: str):
    """A home holding one small hand-written regulation: (settings, catalog, searcher)."""
    from corpus.catalog import open_catalog
    from corpus.settings import Settings
    from ingest.pipeline import ingest_paths
    from retriever.kb import open_searcher

    law = root / "src" / name
    law.parent.mkdir(parents=True)
    law.write_text(text, encoding="utf-8")
    settings = Settings.from_env({}, home=root / "home", no_builtin=True)
    catalog = open_catalog(settings)
    assert ingest_paths(catalog, [law]).ok
    searcher, _ = open_searcher(settings, catalog)
    return settings, catalog, searcher


TWO_ITEM_BANK = [
    {"qtype": "判断", "stem": "危险化学品经营企业可以向未经许可从事危险化学品生产、经营活动的企业采购危险化学品。",
     "options": ["正确", "错误"], "answer": "B"},
    {"qtype": "单选", "stem": "生产经营单位主要负责人（）内不得担任任何生产经营单位的主要负责人。",
     "options": ["一年", "二年", "三年", "五年"], "answer": "D"},
]


def write_two_item_bank(path):
    """A JSON bank of two items whose keys the corpus answers (危险化学品安全管理条例, 安全生产法)."""
    import json

    path.write_text(json.dumps(TWO_ITEM_BANK, ensure_ascii=False), encoding="utf-8")
    return path


def small_gold_dir(folder, n: int = 3):
    """A folder of gold sets under the shipped names, each the first n questions of the shipped one (inspector.jsonl
    n + 1), as a bureau keeps its own (HAZKB_GOLD_DIR, --gold-dir); small, so a whole report runs fast."""
    from eval.run_all import GOLD_DIR

    folder.mkdir(parents=True, exist_ok=True)
    for path in GOLD_DIR.glob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines()[: n + (path.name == "inspector.jsonl")]
        (folder / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
