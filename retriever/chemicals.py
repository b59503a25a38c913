"""Common hazardous chemicals by the names inspectors use: a finding that names one is about 危险化学品.

Inspectors write "氯气钢瓶放在太阳底下暴晒", not "危险化学品"; the regulations never name the chemical.
The list holds frequent entries of the 危险化学品目录 (2015) met in county inspections, short names first
where both are used. Fuel gas (液化气, 天然气) is left out: 城镇燃气管理条例 governs it. It only adds the word 危险化学品 to the query, it never decides an answer.
"""
from __future__ import annotations

import re

COMMON_HAZCHEM = (
    "氯气", "液氯", "液氨", "氨气", "氨水", "甲醇", "乙醇", "酒精", "苯", "甲苯", "二甲苯", "苯乙烯", "丙酮", "丁酮",
    "乙酸乙酯", "乙醚", "环氧乙烷", "环氧丙烷", "丙烯", "乙烯", "丙烷", "丁烷", "乙炔", "氢气", "汽油", "柴油", "煤油", "石脑油", "硫酸", "盐酸", "硝酸", "氢氟酸", "氢氧化钠", "烧碱", "液碱",
    "次氯酸钠", "过氧化氢", "双氧水", "高锰酸钾", "氯酸钾", "硝酸铵", "硝酸钾", "硫化氢", "氰化钠", "氰化钾",
    "光气", "二氧化硫", "一氧化碳", "甲醛", "苯酚", "硫磺", "黄磷", "电石", "油漆", "稀释剂", "天那水", "溶剂油",
    "氧气", "氮气", "氩气", "过氧乙酸", "金属钠", "镁粉", "铝粉",
)


# A chemical named as a workplace exposure ("接触甲苯", "苯和甲醛浓度超标") is occupational health, not
# hazardous-chemicals safety: the name then says nothing about which law applies.
OCCUPATIONAL = re.compile(r"职业|接触|浓度|超标|体检|健康|粉尘|噪声|卫健|急性中毒|慢性中毒")


def mentions_hazchem(text: str) -> bool:
    return not OCCUPATIONAL.search(text) and any(name in text for name in COMMON_HAZCHEM)
