"""corpus.legal_text, the one vocabulary of legal texts: amounts, fines, departments, government levels, modal verbs
and dates, as quiz generation, the outdated-item check, the exam solver and the CLI/web options use them."""
from __future__ import annotations

from datetime import date

import pytest

from corpus.legal_text import (
    DEPARTMENTS,
    NEGATIVE_MODALS,
    amount_label,
    amount_set,
    amounts,
    arabic_numerals,
    authority_duty,
    department_cores,
    departments,
    fines,
    gov_level_mentions,
    gov_levels,
    iso_date,
    modals,
    money,
    number_value,
    numeral_text,
)

# -- numbers and amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("numeral, value", [
    ("15", 15), ("0.5", 0.5), ("十五", 15), ("二十", 20), ("两", 2), ("一百零一", 101), ("二十万", 200_000),
    ("十二万五千", 125_000), ("二〇二一", 2021), ("", None), ("十五日", None), ("1.2.3", None),
])
def test_number_value(numeral, value):
    assert number_value(numeral) == value


def test_amounts_with_units_as_written():
    found = amounts("应当在十五日内报告，处二十万元以上五十万元以下罚款，3个工作日，24小时，两年")
    assert [(a.value, a.unit, a.bound, a.text) for a in found] == [
        (15, "日", None, "十五日"), (200_000, "元", "以上", "二十万元以上"), (500_000, "元", "以下", "五十万元以下"),
        (3, "工作日", None, "3个工作日"), (24, "小时", None, "24小时"), (2, "年", None, "两年")]
    assert found[0].start == 3 and found[0].end == 6


def test_wan_yuan_arabic_and_chinese_are_the_same_amount():
    assert amount_set("20万元") == amount_set("二十万元") == amount_set("200000元") == {(200_000, "元")}
    assert amount_set("1.5万元") == {(15_000, "元")}
    assert amount_set("十二万五千元") == {(125_000, "元")}


def test_percent_amounts():
    assert amount_set("百分之三十以上") == {(30, "%")}
    assert amount_set("配偶每月40%，其他亲属每人每月30％") == {(40, "%"), (30, "%")}
    [low, high] = amounts("处年收入百分之六十至百分之一百的罚款")
    assert (low.value, low.text, high.value, high.unit) == (60, "百分之六十", 100, "%")


def test_units_are_compared_by_what_they_mean():
    assert amount_set("十五天、3个月、5％") == {(15, "日"), (3, "月"), (5, "%")}


@pytest.mark.parametrize("text", [
    "2021年9月1日起施行，二〇二一年",  # dates
    "每年12月31日前报送",  # the day of a date
    "第三十日统一办理",  # an ordinal
    "每万元产值",  # a bare 万 is no number
    "1.2022年以来",  # a list number before a year
])
def test_what_is_not_an_amount(text):
    assert amounts(text) == []


def test_dates_on_request():
    assert (2021, "年") in {(a.value, a.unit) for a in amounts("2021年起", with_dates=True)}


def test_amount_and_money_labels():
    assert amount_label(50_000, "元") == "5万元" and amount_label(15, "日") == "15日"
    assert amount_label(0.5, "小时") == "0.5小时"
    assert [a.label() for a in amounts("二十万元、十五日")] == ["20万元", "15日"]
    assert money(50_000) == "5万元" and money(15_000) == "1.5万元" and money(2000) == "2000元"
    assert money(50_000, chinese=True) == "五万元" and money(2000, chinese=True) == "二千元"
    assert money(15_000, chinese=True) == "1.5万元"  # no Chinese numeral for 1.5


@pytest.mark.parametrize("value, chinese, text", [
    (15, False, "15"), (15.0, False, "15"), (0.5, False, "0.5"), (15, True, "十五"), (30_000, True, "三万"),
    (100_015, True, "十万零一十五"), (0.5, True, "0.5"), (1_000_000, False, "1000000"),
])
def test_numeral_text(value, chinese, text):
    assert numeral_text(value, chinese) == text
    assert number_value(text) == value


def test_arabic_numerals_before_units():
    assert arabic_numerals("三十日内、十五日、两年、5天") == "30日内、15日、2年、5天"
    assert arabic_numerals("二十万元、三人、五次") == "20万元、3人、5次"  # 万 stays with the unit
    assert arabic_numerals("第三十日、第二十四次会议、统一年") == "第三十日、第二十四次会议、统一年"


# -- fines ---------------------------------------------------------------------------------------------------


def test_fine_ranges_and_caps():
    [fine] = fines("责令改正，处二万元以上十万元以下的罚款")
    assert (fine.min, fine.max, fine.unit, fine.basis, fine.target) == (20_000, 100_000, "元", None, None)
    assert fine.label() == "2万元以上10万元以下"
    [cap] = fines("责令限期改正，可以处五万元以下的罚款")
    assert (cap.min, cap.max) == (None, 50_000) and cap.label() == "5万元以下"


def test_fines_of_a_clause_with_who_is_fined():
    text = ("逾期未改正的，责令停产停业整顿，并处五万元以上二十万元以下的罚款，"
            "对其直接负责的主管人员和其他直接责任人员处一万元以上二万元以下的罚款")
    unit, people = fines(text)
    assert (unit.min, unit.max, unit.target) == (50_000, 200_000, None)
    assert (people.min, people.max) == (10_000, 20_000)
    assert people.target == "直接负责的主管人员和其他直接责任人员"


def test_fines_as_multiples_of_a_basis():
    [fine] = fines("没收违法所得，违法所得十万元以上的，并处违法所得二倍以上五倍以下的罚款")
    assert (fine.min, fine.max, fine.unit, fine.basis) == (2, 5, "倍", "违法所得")
    assert fine.label() == "违法所得2倍以上5倍以下"
    [goods] = fines("并处货值金额一倍以上三倍以下的罚款")
    assert (goods.min, goods.max, goods.basis) == (1, 3, "货值金额")


def test_fines_written_with_zhi():
    [share] = fines("由应急管理部门处上一年年收入百分之六十至百分之一百的罚款")
    assert (share.min, share.max, share.unit, share.basis) == (60, 100, "%", "上一年年收入")
    [money_range] = fines("处一万元至五万元罚款")
    assert (money_range.min, money_range.max, money_range.unit) == (10_000, 50_000, "元")


def test_a_fixed_fine_and_no_fine():
    [fixed] = fines("处二百元罚款")
    assert (fixed.min, fixed.max) == (200, 200)
    assert fines("责令限期改正；逾期未改正的，责令停产停业整顿") == []


# -- departments -----------------------------------------------------------------------------------------------


def test_renamed_departments_go_by_their_current_name():
    text = "由安全生产监督管理部门责令改正，报质量监督检验检疫部门和工商行政管理部门，通知环境保护主管部门"
    found = departments(text)
    assert [(d.core, d.current, d.name) for d in found] == [
        ("安全生产监督管理", "应急管理", "应急管理部门"),
        ("质量监督检验检疫", "市场监督管理", "市场监督管理部门"),
        ("工商行政管理", "市场监督管理", "市场监督管理部门"),
        ("环境保护", "生态环境", "生态环境部门")]
    assert found[0].text == "安全生产监督管理部门" and text[found[0].start:found[0].end] == found[0].text


def test_the_social_insurance_department_is_the_human_resources_one():
    """工伤保险条例第六十二条 "由社会保险行政部门责令限期参加" named no department, so a firm answer on unpaid 工伤保险
    showed its fine without who imposes it. 劳动行政主管部门 stays unnamed: in 矿山安全法 it is the mine safety
    authority."""
    names = [d.name for d in departments("由社会保险行政部门责令限期参加；劳动保障行政部门；人力资源社会保障行政部门")]
    assert names == ["人力资源社会保障部门"] * 3
    assert departments("县级以上人民政府劳动行政主管部门") == []


def test_national_departments_and_abbreviated_lists():
    text = "由国务院安全生产监督管理部门会同国务院工业和信息化、公安、环境保护、农业主管部门确定"
    assert [(d.text, d.national, d.clean) for d in departments(text)] == [
        ("国务院安全生产监督管理部门", True, True), ("农业主管部门", False, False)]
    assert departments(text)[0].name == "国务院应急管理部门"
    text = "报县级人民政府安全生产监督管理部门、工业和信息化主管部门和公安机关备案"
    assert [(d.name, d.clean) for d in departments(text)] == [
        ("应急管理部门", True), ("工业和信息化部门", True), ("公安机关", True)]


def test_departments_named_by_their_role():
    [duty] = departments("负有安全生产监督管理职责的部门依法开展安全生产行政执法工作")
    assert (duty.core, duty.specific) == ("负有安全生产监督管理职责", False)
    assert duty.name == "负有安全生产监督管理职责的部门"
    [chem] = departments("负有危险化学品安全监督管理职责的部门进行监督检查")
    assert chem.name == "负有危险化学品安全监督管理职责的部门" and not chem.specific
    [charged] = departments("由国务院负责特种设备安全监督管理的部门制定")
    assert charged.current == "特种设备安全监督管理" and not charged.specific
    [issuer] = departments("由原发证机关吊销其许可证")
    assert issuer.name == "原发证机关" and not issuer.specific
    # 易制毒化学品管理条例第四十条: each supervising department (药品监督管理、公安、应急管理、商务 …) for its part.
    [supervising] = departments("由负有监督管理职责的行政主管部门给予警告，责令限期改正")
    assert supervising.name == "负有监督管理职责的行政主管部门" and not supervising.specific
    assert all(d.specific for d in departments("由公安机关、海事管理机构和工会组织处理"))


def test_special_and_newer_departments():
    text = "报海事管理机构、消防救援机构、燃气管理部门、卫生行政部门、监察机关，听取工会组织的意见"
    assert [(d.text, d.name) for d in departments(text)] == [
        ("海事管理机构", "海事管理机构"), ("消防救援机构", "消防救援部门"), ("燃气管理部门", "燃气管理部门"),
        ("卫生行政部门", "卫生健康部门"), ("监察机关", "监察机关"), ("工会组织", "工会")]
    assert departments("公安消防机构")[0].current == "消防救援"


def test_what_is_not_a_department():
    assert departments("提高医疗卫生机构应对各类突发事件的能力") == []
    assert departments("国家煤矿安全监察机构负责") == []


def test_department_cores_include_abbreviated_lists():
    text = "向当地环境保护、公安、卫生主管部门报告"
    assert department_cores(text) == {"生态环境", "公安", "卫生健康"}
    assert department_cores(text, renamed=False) == {"环境保护", "公安", "卫生"}
    assert department_cores("海事管理机构") == {"海事管理机构"}


def test_one_list_one_renaming_map():
    assert DEPARTMENTS["安全生产监督管理"] == DEPARTMENTS["应急管理"] == "应急管理"
    assert DEPARTMENTS["住房城乡建设"] == DEPARTMENTS["建设"] == "住房和城乡建设"
    assert DEPARTMENTS["劳动保障"] == "人力资源社会保障"
    assert all(DEPARTMENTS.get(current, current) == current for current in DEPARTMENTS.values())


# -- government levels -----------------------------------------------------------------------------------------


def test_government_levels():
    text = "县级以上地方人民政府和设区的市级人民政府、省级人民政府"
    assert gov_levels(text) == ["县级以上", "设区的市级", "省级"]
    assert gov_levels(text, same=True) == ["县级以上", "设区的市级", "省、自治区、直辖市"]
    county, city, _ = gov_level_mentions(text)
    assert (county.level, county.above, county.plain, county.text) == ("县级", True, False, "县级以上地方人民政府")
    assert (city.plain, text[city.start:city.end]) == (True, "设区的市级")
    assert gov_levels("乡、镇人民政府和国务院") == ["乡、镇"]


# -- modal verbs -------------------------------------------------------------------------------------------------


def test_modals():
    text = "生产经营单位应当提供，不得拒绝，可以不报告，有权拒绝，无权干涉，必须持证"
    assert [(text[s:e], kind) for s, e, kind in modals(text)] == [
        ("应当", "must"), ("不得", "forbid"), ("可以不", "maynot"), ("有权", "right"), ("无权", "noright"),
        ("必须", "must")]
    assert {"forbid", "maynot", "noright"} == NEGATIVE_MODALS


def test_words_that_only_look_like_modals():
    assert modals("应急管理部门对可能发生的事故进行可行性评估，须知") == []
    assert [kind for _, _, kind in modals("不应当擅自处理，不必报告，无须审批，可以公开")] == [
        "forbid", "maynot", "maynot", "may"]


# -- dates -------------------------------------------------------------------------------------------------------


def test_iso_date():
    assert iso_date("2026-05-01") == date(2026, 5, 1)
    assert iso_date(" 2026-05-01 ") == date(2026, 5, 1)


@pytest.mark.parametrize("value", ["2026/5/1", "2026-13-01", "明天", "", None])
def test_iso_date_errors_say_what_to_write(value):
    with pytest.raises(ValueError, match="日期格式应为 YYYY-MM-DD，例如 2026-05-01"):
        iso_date(value)


# -- who a duty falls on ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, authorities", [
    ("县级以上地方人民政府应当加强危险化学品运输安全保障，对涉及危险化学品储存、装卸、运输的物流园区、集中停车区域，"
     "以及高速公路服务区的加油站、加气站等进行规划。", True),  # 危化法第二十一条
    ("对危险化学品的生产、储存、使用、经营、运输实施安全监督管理的有关部门(以下统称负有危险化学品安全监督管理职责的"
     "部门)，依照下列规定履行职责：", True),  # 条例第六条: no duty word, a department opens it
    ("国家鼓励危险化学品单位采用有利于提高安全保障水平的先进技术、工艺、设备以及自动控制系统。", True),
    ("燃气供应严重短缺、供应中断等突发事件发生后，县级以上地方人民政府应当及时采取动用储备等应急措施。", True),
    ("机关、团体、企业、事业等单位应当履行下列消防安全职责：", False),  # 消防法第十六条: 机关 is one of the units
    ("生产经营单位对负有安全生产监督管理职责的部门的监督检查人员（以下统称安全生产监督检查人员）依法履行监督检查职责，"
     "应当予以配合，不得拒绝、阻挠。", False),  # 安全生产法第六十六条: the department is not the subject
    ("生产经营单位应当具备本法和有关法律、行政法规和国家标准或者行业标准规定的安全生产条件；", False),
    ("生产、储存、使用危险化学品的企业、学校、科研机构、医疗机构等单位应当实行全员安全生产责任制度。", False),
])
def test_a_duty_of_the_authorities_is_told_from_a_units_duty(text, authorities):
    assert authority_duty(text) is authorities
