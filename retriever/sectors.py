"""Sector laws: a special law governs its own object (特种设备, 民爆物品, 烟花爆竹, 燃气 ...).

When a question speaks of none of a sector law's objects, that law is unlikely to be the basis an
inspector cites, however many words it shares with the finding ("事故瞒报" matches 特种设备安全法第八十九条
word for word, but the accident was not a special-equipment accident). Such laws are demoted, not removed.
"""
from __future__ import annotations

import re

from corpus.names import normalize_title

from .chemicals import mentions_hazchem

OFF_SECTOR = 0.7  # score multiplier for a sector law whose objects the question does not mention

_SPECIAL_EQUIPMENT = r"特种设备|锅炉|压力容器|气瓶|电梯|起重|吊车|叉车|厂内|场内|压力管道|索道|游乐|检验|安全阀|作业人员证"
# Hazardous-chemicals law applies to 危险化学品单位; a finding with no chemical in it ("企业没有应急预案")
# is governed first by the general 安全生产法.
_HAZCHEM = (r"危化|危险化学品|化学品|化工|剧毒|易制爆|重大危险源|临界量|一书一签|说明书|msds|sds|标签|押运|危货|"
            r"危险货物|槽罐|罐车|槽车|储罐|罐区|仓库|库房|储存|氧化剂|易燃|可燃|腐蚀|有毒|毒性|硫酸|盐酸|硝酸|液碱|烧碱|"
            r"甲醇|乙醇|苯|氨|氯|液化|油漆|溶剂|药剂|农药|反应釜|管道|加油|加气|充装|气体|危险工艺|重点监管|包装物|"
            r"登记|经营许可|使用许可|安全生产许可证|禁忌")
HAZCHEM_LAWS = ("危险化学品安全法", "危险化学品安全管理条例")
SECTOR_TRIGGERS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in {
        **{name: _HAZCHEM for name in HAZCHEM_LAWS},
        "特种设备安全法": _SPECIAL_EQUIPMENT,
        "特种设备安全监察条例": _SPECIAL_EQUIPMENT,
        "民用爆炸物品安全管理条例": r"民爆|民用爆炸|炸药|雷管|导爆|爆破|起爆|爆炸物品",
        "烟花爆竹安全管理条例": r"烟花|爆竹|鞭炮|礼花|花炮",
        "易制毒化学品管理条例": r"易制毒|制毒|毒品|前体|麻黄",
        "监控化学品管理条例": r"监控化学品|化学武器",
        "建设工程安全生产管理条例": r"建设工程|施工|工地|建筑|脚手架|监理|勘察|拆除|房屋",
        "城镇燃气管理条例": r"燃气|液化气|液化石油气|天然气|煤气|瓶装气|管道气",
        "石油天然气管道保护法": r"管道|输油|输气|油气|天然气",
        "工伤保险条例": r"工伤|保险|伤残|医疗费|抚恤|赔偿",
        "道路交通安全法": r"交通|驾驶证|机动车|超速|道路|交警|车辆",
        "突发事件应对法": r"突发事件|政府|预警|疫情|灾害|社会安全",
        "国务院关于特大安全事故行政责任追究的规定": r"特大|政府|领导|行政责任|市长|县长|乡长|追究",
        "监察法": r"监察",
        "职业病防治法": r"职业|接触|浓度|超标|体检|健康|粉尘|噪声|卫健|中毒|防护用品|防毒|劳保|防尘|有毒有害",
        "刑法": r"刑|罪|判|坐牢|拘役|徒刑|犯罪|立案|追究",
        "劳动法": r"劳动合同|工资|加班|工时|休息|休假|女职工|未成年工|童工|辞退|解除|劳动争议",
    }.items()
}


def sector_factor(title: str, question: str, named: bool) -> float:
    """OFF_SECTOR for a sector law the question neither names nor touches, else 1."""
    name = normalize_title(title)
    pattern = SECTOR_TRIGGERS.get(name)
    if pattern is None or named or pattern.search(question):
        return 1.0
    if name in HAZCHEM_LAWS and mentions_hazchem(question):
        return 1.0
    return OFF_SECTOR
