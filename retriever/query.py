"""Query understanding: domain synonyms and colloquialisms, law names in the question, direct article lookups."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.citations import parse_references
from corpus.names import normalize_title
from corpus.numbers import NUMERAL, from_chinese

from .chemicals import mentions_hazchem
from .tokenize import normalize

# Inspectors' words -> the words the regulations use. Expansions are added to the query, never replace it.
SYNONYMS: dict[str, str] = {
    "危化品": "危险化学品",
    "危化": "危险化学品",
    "一书一签": "安全技术说明书 安全标签 化学品安全技术说明书 化学品安全标签",
    "msds": "安全技术说明书",
    "sds": "安全技术说明书",
    "两重点一重大": "重点监管的危险化工工艺 重点监管的危险化学品 重大危险源",
    "三同时": "安全设施 同时设计 同时施工 同时投入生产和使用",
    "特殊作业": "动火 受限空间 有限空间 吊装 临时用电 危险作业",
    "动火": "动火 危险作业 作业",
    "受限空间": "有限空间 危险作业",
    "有限空间": "有限空间 危险作业",
    "高处作业": "高处作业 危险作业",
    "没设": "未设置", "没有设": "未设置", "未设": "未设置",
    "没": "未", "不设": "未设置", "不给": "未",
    "罚多少": "罚款", "怎么罚": "罚款 处罚 责令", "如何处罚": "罚款 处罚 责令", "怎么处理": "处罚 责令 罚款",
    "怎么处罚": "罚款 处罚 责令",
    "被偷": "被盗 丢失", "丢了": "丢失 被盗", "丢失": "丢失 被盗",
    "瞒报": "瞒报 谎报 迟报 漏报", "迟报": "迟报 漏报", "不报告": "未报告 报告",
    "仓库": "仓库 储存 专用仓库", "库房": "仓库 储存", "存放": "储存",
    "培训": "教育和培训 培训", "持证": "资格 证书 操作资格证书", "无证": "未取得 许可证",
    "证照": "许可证", "执照": "许可证 营业执照",
    "警示标志": "安全警示标志", "标签": "安全标签",
    "一把手": "主要负责人", "负责人": "主要负责人",
    "安全管理员": "安全生产管理人员",
    "应急局": "应急管理部门 安全生产监督管理部门", "安监局": "应急管理部门 安全生产监督管理部门",
    "安监部门": "应急管理部门 安全生产监督管理部门",
    "罐车": "运输车辆 罐式", "槽车": "运输车辆 罐式", "拉货": "运输",
    "押运员": "押运人员", "司机": "驾驶人员",
    "应急预案": "应急救援预案 应急预案", "演练": "演练",
    "隐患": "事故隐患", "整改": "整改 消除",
    "加油站": "加油站 加气站",
    "爆炸": "爆炸", "泄漏": "泄漏",
    "职业病": "职业病危害",
    # colloquial findings -> the wording of the obligations and penalties
    "抽烟": "吸烟 明火", "吸烟": "吸烟 明火", "明火": "明火 动火",
    "焊": "动火 焊接 危险作业 特种作业", "电焊": "动火 焊接 特种作业", "气割": "动火 特种作业",
    "报警器": "监测 报警 设备 设施", "报警": "监测 报警", "拔了电源": "关闭 破坏 设备 设施", "关了": "关闭 破坏",
    "私了": "隐瞒不报 报告 事故", "不往上报": "隐瞒不报 报告", "不上报": "隐瞒不报 报告", "没上报": "未报告 报告",
    "打电话": "报告", "第二天": "迟报 小时内 报告",
    "防毒面具": "劳动防护用品 职业病防护用品 防护", "劳保用品": "劳动防护用品", "防护用品": "劳动防护用品",
    "灭火器": "消防器材 灭火器材 消防设施", "消防栓": "消防设施 消火栓", "消防通道": "疏散通道 安全出口 消防车通道",
    "堵了": "占用 堵塞 封闭", "堵": "占用 堵塞", "过期": "有效期 检验 定期检验",
    "淘汰": "淘汰 危及生产安全的工艺 设备", "老旧设备": "淘汰 设备",
    "储罐里": "有限空间 受限空间 危险作业", "罐里": "有限空间 受限空间", "下井": "有限空间",
    "没人看着": "专门人员 现场安全管理", "没留人": "专门人员 现场安全管理 监护", "监护": "监护 现场安全管理",
    "没办手续": "审批 手续", "审批": "审批 手续",
    "没证": "未取得 许可证", "没有证": "未取得 许可证", "正在办": "未取得 许可证",
    "毒品原料": "易制毒化学品", "制毒": "易制毒化学品", "易制爆": "易制爆危险化学品",
    "台账": "台账 记录 如实记录", "账": "记录 台账",
    "混存": "混合储存 禁忌物 隔离 储存方式 方法", "混放": "混合储存 禁忌物 隔离 储存方式 方法",
    "挨着放": "混合储存 禁忌物 隔离 分开储存 储存方式 方法", "堆在": "储存 专用仓库 专用储存场所",
    "没隔开": "隔离 禁忌物", "硫酸": "腐蚀 禁忌物", "氧化剂": "禁忌物 混合储存",
    "跑了": "逃匿 擅离职守", "判刑": "刑事责任 有期徒刑 罪",
    # work-safety crimes (刑法第一百三十四条至第一百三十九条之一) speak of these, not of "刑事责任"
    "刑事责任": "有期徒刑 拘役 违反有关安全管理的规定 重大伤亡事故 严重后果", "坐牢": "刑事责任 有期徒刑", "犯罪": "刑事责任 罪",
    "研发": "研究开发 试产试销", "少量": "低量", "试生产": "试生产 试产试销",
    "危货": "危险货物", "资质": "资质 许可 资格", "车队": "运输企业 承运", "货车": "运输车辆",
    "司机": "驾驶人员", "开车": "驾驶",
    "安评": "安全评价", "虚假报告": "虚假 报告 证明", "中介": "安全评价 机构 中介服务",
    "几个人": "执法人员 不得少于两人", "当场": "当场 简易程序", "罚单": "行政处罚决定书",
    "什么时候施行": "施行 起施行", "施行": "施行", "划分": "等级 划分 分为",
    "备案": "备案", "演练": "演练 应急预案", "多长时间": "每年 至少 定期", "多久": "每年 至少 定期",
    "防雷": "防雷 防静电 安全设施 设备 定期 检测 检验", "静电": "防静电",
    "没检测": "定期 检测 检验", "没检验": "定期 检验", "好几年": "定期", "年检": "定期检验",
    "老板": "主要负责人", "厂长": "主要负责人", "法人": "主要负责人 法定代表人",
    "工人": "从业人员 劳动者", "员工": "从业人员", "外包": "承包 发包 出租",
    "没培训": "未 教育和培训", "上岗": "上岗作业 考核合格",
    "没登记": "未 登记", "登记": "登记",
    "仓储": "储存", "加油站": "加油站 加气站",
    "卖给": "销售", "卖": "销售 经营", "买": "购买",
    "归谁管": "负责 监督管理 职责 主管部门", "归谁": "负责 监督管理 职责 主管部门", "谁管": "负责 监督管理 主管部门", "哪个部门": "部门 负责 主管部门",
    "谁发": "核发 负责", "谁批准": "批准 负责人", "谁负责": "负责 职责", "哪一级": "部门 负责 省 设区的市 县级",
    "安全员": "安全生产管理人员 专职安全生产管理人员",
    # safety instrumented systems, as plant people call them
    "联锁": "安全仪表系统 自动控制系统 安全设施", "dcs": "自动控制系统", "sis": "安全仪表系统",
    "摘除": "关闭 破坏", "旁路": "关闭 破坏", "屏蔽": "关闭 破坏",
    # quantities over the approved amount
    "超量": "储存数量 超过", "堆了": "储存 储存数量", "放了": "储存",
    # equipment out of order: the duty is maintenance and keeping it in working order
    "坏了": "损坏 维护 保养 正常运转 适用状态", "失灵": "失效 维护 保养 正常运转 适用状态",
    "没修": "维修 维护 保养", "不好使": "维护 保养 正常运转 适用状态",
}

_PENALTY_WORDS = re.compile(r"罚|处罚|处理|处分|责任|追责|法律后果|吊销|停产|拘留|没收|罚款")
_ARTICLE_AFTER_LAW = re.compile(rf"^\s*(?:的)?\s*第?\s*({NUMERAL})\s*(?:条|、)")
# Short aliases that are also ordinary words inside longer names need a length floor.
MIN_ALIAS_LEN = 3


@dataclass
class LawMention:
    name: str  # as found in the question
    norm: str  # normalised alias
    doc_ids: list[str]
    start: int
    end: int


@dataclass
class ParsedQuery:
    text: str
    normalized: str
    content: str  # the question without the law names it mentions (those route; they do not describe)
    expansion: str  # synonym expansions of the content, space-separated
    laws: list[LawMention] = field(default_factory=list)
    lookups: list[tuple[LawMention, int, int]] = field(default_factory=list)  # "X法第N条": (law, number, sub)
    wants_penalty: bool = False

    @property
    def search_text(self) -> str:
        return f"{self.content} {self.expansion}".strip()


def expand(text: str) -> str:
    found = []
    for key, value in SYNONYMS.items():
        if key in text and value not in found:
            found.append(value)
    if "危险化学品" not in text and mentions_hazchem(text):
        found.append("危险化学品")
    return " ".join(found)


def find_laws(text: str, alias_index: dict[str, list[str]]) -> list[LawMention]:
    """Law names and aliases in the question, longest first, non-overlapping."""
    clean = text.replace("《", "").replace("》", "")
    taken = [False] * len(clean)
    mentions: list[LawMention] = []
    for alias in sorted(alias_index, key=len, reverse=True):
        if len(alias) < MIN_ALIAS_LEN and not alias.endswith("法"):
            continue
        if len(alias) < 2:
            continue
        start = clean.find(alias)
        while start != -1:
            end = start + len(alias)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                mentions.append(LawMention(alias, alias, alias_index[alias], start, end))
            start = clean.find(alias, end)
    # "中华人民共和国安全生产法" normalises to its short form; handle the prefix the same way.
    return sorted(mentions, key=lambda m: m.start)


def _normalize_article_text(rest: str) -> str:
    """'第 一百一十三 条', '134条之一', '78条1款8项' -> forms the citation parser reads."""
    rest = re.sub(r"\s+", "", rest)
    if not rest.startswith("第"):
        rest = "第" + rest
    return re.sub(r"条(\d+)款", r"条第\1款", re.sub(r"款(\d+)项", r"款第\1项", rest))


def parse_query(question: str, alias_index: dict[str, list[str]]) -> ParsedQuery:
    text = normalize(question).strip()
    clean = text.replace("《", "").replace("》", "").replace("中华人民共和国", "")
    laws = find_laws(clean, alias_index)
    lookups = []
    for mention in laws:
        rest = clean[mention.end:]
        if not _ARTICLE_AFTER_LAW.match(rest):
            continue
        # Lists and several articles: 第二十四、二十五条, 第31条和第101条 (parsed as a citation of this law).
        for ref in parse_references(f"《{mention.name}》{_normalize_article_text(rest)}"):
            if ref.law is not None and ref.article_no:
                item = (mention, ref.article_no, ref.article_sub)
                if item not in lookups:
                    lookups.append(item)
    content = clean
    for mention in sorted(laws, key=lambda m: -m.start):
        content = content[:mention.start] + " " + content[mention.end:]
    return ParsedQuery(
        text=question,
        normalized=clean,
        content=content,
        expansion=expand(content),
        laws=laws,
        lookups=lookups,
        wants_penalty=bool(_PENALTY_WORDS.search(clean)),
    )


def alias_index_for(names: dict[str, list[str]]) -> dict[str, list[str]]:
    """Normalise alias keys the way questions are normalised (lower case, NFKC)."""
    return {normalize(normalize_title(k)): v for k, v in names.items() if k}
