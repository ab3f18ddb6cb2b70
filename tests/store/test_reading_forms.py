"""Number forms and meanings the finder reads, one test a form, in Chinese and English (issue 13)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from store.finder import find_figures
from store.finder.names import Name, Taxonomy
from tests.store.test_finder import names  # noqa: F401  (the seeded store's taxonomy)


def _one(text: str, published: str = "2026-01-26", **kw):
    found = find_figures(text, published, **kw)
    assert len(found) == 1, [c.quote for c in found]
    return found[0]


# --- Chinese number forms --------------------------------------------------------------------
@pytest.mark.parametrize("text, quote, value, unit, qualifier", [
    ("货物进出口总额9.5万亿元。", "9.5万亿元", Fraction(95 * 10**11), "yuan", ""),
    ("实际使用外资1126.6亿元。", "1126.6亿元", Fraction(1126.6e8).limit_denominator(10), "yuan", ""),
    ("经济总量迈上5万亿台阶。", "5万亿", Fraction(5 * 10**12), "", ""),
    ("新设外资企业3.6万家。", "3.6万家", Fraction(36000), "enterprises", ""),
    ("服务贸易总额突破2500亿美元。", "突破2500亿美元", Fraction(25 * 10**10), "US$", "over"),
    ("成交额均超百亿美元。", "超百亿美元", Fraction(10**10), "US$", "over"),
    ("贷款余额超万亿元。", "超万亿元", Fraction(10**12), "yuan", "over"),
    ("年实际使用外资保持在千亿元以上。", "千亿元以上", Fraction(10**11), "yuan", "over"),
    ("城镇化率提高0.5个百分点。", "0.5个百分点", Fraction(1, 2), "percentage points", ""),
    ("出口增长1.5倍。", "1.5倍", Fraction(3, 2), "times", ""),
    ("无人机产量占全国9成。", "9成", Fraction(90), "%", ""),
    ("财政支出八成以上投向民生。", "八成以上", Fraction(80), "%", "over"),
    ("三大产业对经济增长贡献超五成。", "超五成", Fraction(50), "%", "over"),
    ("政府采购占比近八成。", "近八成", Fraction(80), "%", "nearly"),
    ("新增企业超过1000家。", "超过1000家", Fraction(1000), "enterprises", "over"),
    ("引进人才逾3000人。", "逾3000人", Fraction(3000), "people", "over"),
    ("建成项目1000多个。", "1000多个", Fraction(1000), "", "over"),
    ("新能源汽车年产量近70万辆。", "近70万辆", Fraction(700000), "vehicles", "nearly"),
    ("研发投入强度接近5%。", "接近5%", Fraction(5), "%", "nearly"),
    ("用地规模减量约50平方公里。", "约50平方公里", Fraction(50), "square kilometres", "approximately"),
    ("服务贸易年均增速5%左右。", "5%左右", Fraction(5), "%", "approximately"),
    ("从十方面推进改革。", "十方面", Fraction(10), "", ""),
    ("组织两次综合演练。", "两次", Fraction(2), "", ""),
    ("十件民生实事全面完成。", "十件", Fraction(10), "", ""),
    ("机场旅客吞吐量达1.8亿人次。", "1.8亿人次", Fraction(18 * 10**7), "person-times", ""),
    ("高铁运营总里程3411公里。", "3411公里", Fraction(3411), "km", ""),
    ("货邮吞吐量达459万吨。", "459万吨", Fraction(4590000), "tonnes", ""),
    ("集装箱吞吐量达8097万标箱。", "8097万标箱", Fraction(80970000), "TEU", ""),
    ("人均预期寿命83.9岁。", "83.9岁", Fraction(839, 10), "years", ""),
])
def test_chinese_number_forms(text, quote, value, unit, qualifier):
    c = _one(text)
    assert (c.quote, c.value, c.unit, c.qualifier) == (quote, value, unit, qualifier)


def test_a_chinese_range_keeps_its_upper_end():
    c = _one("地区生产总值增长4.5%—5%。")
    assert (c.quote, c.value_text, c.value_max_text, c.unit) == ("4.5%—5%", "4.5", "5", "%")


@pytest.mark.parametrize("text", [
    "总量连续37年居全国首位。",  # a streak and a rank
    "区域创新能力连续9年全国第一。",
    "揭阳潮汕机场成为全省第4个机场。",  # a rank
    "全面落实省委“1310”具体部署。",  # a plan name in quotes
    "“十四五”顺利收官，坚持“八八战略”。",
    "上榜世界500强企业。",  # a name
    "优化12345热线运行管理机制。",
    "胜利80周年纪念活动。",
    "华润微电子12英寸产线建成。",
    "昇腾384超节点集群取得进展。",  # a model number
    "三次产业协调发展，新增一批项目。",  # the three sectors; 一批 is 'a batch'
    "市十六届人大三次会议确定的目标。",  # the third session
    "57个县生产总值近3年年均增速快于全省。",  # 57个 counts; 近3年 is a stretch of time
])
def test_chinese_numbers_that_state_no_quantity(text):
    quotes = [c.quote for c in find_figures(text, "2026-01-26")]
    assert quotes in ([], ["57个"]), quotes


# --- English forms ---------------------------------------------------------------------------
def test_us_dollars_are_the_unit_and_the_dot_ends_no_sentence():
    c = _one("Exports reached 50 billion U.S. dollars in 2023.", "2024-06")
    assert (c.quote, c.unit, c.period) == ("50 billion U.S. dollars", "US$", "2023")


def test_projects_is_no_projection_and_added_up_to_is_no_upper_bound():
    found = find_figures("The city launched 20 projects worth 5 billion yuan. Sales added up to 7 million yuan.",
                         "2024-06")
    assert [(c.quote, c.qualifier, c.projected) for c in found] == [
        ("20 projects", "", False), ("5 billion yuan", "", False), ("7 million yuan", "", False)]
    c = _one("Output is projected to reach 9 million units in 2026.", "2024-06")
    assert c.projected and c.period == "2026"


def test_a_number_word_in_a_campaign_name_is_no_count():
    assert [c.quote for c in find_figures("Its Five Waters campaign cleaned 300 rivers.")] == ["300 rivers"]


def test_the_first_three_quarters_are_a_period_not_a_share():
    c = _one("In the first three quarters of 2021, GDP grew 9.8%.", "2022-01")
    assert (c.quote, c.period, c.growth) == ("9.8%", "2021-01/2021-09", "change")


def test_a_ratio_is_one_figure():
    c = _one("The ratio of the three industries was 4.4:47.7:47.9 in 2020.")
    assert (c.quote, c.unit, c.period) == ("4.4:47.7:47.9", "ratio", "2020")


def test_page_clutter_is_no_figure():
    found = find_figures("Views: 1,234 Tel: 0769-22223333 电话：020-83133333\nOutput rose 31.2% last year.", "2025-02")
    assert [(c.quote, c.period, c.growth) for c in found] == [("31.2%", "2024", "change")]


# --- meaning ---------------------------------------------------------------------------------
REPORT = """政府工作报告
——2026年1月26日在广东省第十四届人民代表大会第五次会议上
一、2025年工作回顾
地区生产总值增长3.9%，货物进出口总额9.5万亿元、增长4.4%，工业机器人产量增长31.2%、占全国4成。
预计全社会研发投入5350亿元，研发投入强度达3.6%。广州新增企业3000家。
五年来，地区生产总值从11.37万亿元提高到14.58万亿元，年均增长5.5%，累计新增企业120万家。
二、“十五五”时期的主要目标
全社会研发投入年均增长5%以上，到2030年研发投入强度达4%。
三、2026年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长4.5%—5%，城镇调查失业率5.5%左右。
"""


@pytest.fixture(scope="module")
def report(names):  # noqa: F811
    return {c.quote: c for c in find_figures(REPORT, "2026-01-26", names, place="广东省")}


@pytest.mark.parametrize("quote, period, projected, growth, metric_text, metric", [
    ("3.9%", "2025", False, "change", "地区生产总值", "gdp_growth"),
    ("9.5万亿元", "2025", False, "level", "货物进出口总额", "foreign_trade"),
    ("4.4%", "2025", False, "change", "货物进出口总额", "foreign_trade_growth"),  # the clause shares its subject
    ("31.2%", "2025", False, "change", "工业机器人产量", "production_growth"),
    ("4成", "2025", False, "level", "工业机器人产量占全国", "national_share"),
    ("5350亿元", "2025", False, "level", "全社会研发投入", "rd_investment"),  # 预计 in a review: an estimate
    ("3.6%", "2025", False, "level", "研发投入强度", "rd_intensity"),
    ("11.37万亿元", "2020", False, "level", "地区生产总值", "gdp"),  # 从X提高到Y: the base year
    ("14.58万亿元", "2025", False, "level", "地区生产总值", "gdp"),  # and the end year
    ("5.5%", "2021/2025", False, "change", "地区生产总值", "gdp_growth"),  # 五年来 … 年均
    ("120万家", "2021/2025", False, "level", "新增企业", "enterprise_count"),
    ("5%以上", "2026/2030", True, "change", "全社会研发投入", "rd_investment_growth"),  # seeds/taxonomy/added_005
    ("4%", "2030", True, "level", "研发投入强度", "rd_intensity"),  # 到2030年
    ("4.5%—5%", "2026", True, "change", "地区生产总值", "gdp_growth"),  # 今年 … 预期目标
    ("5.5%左右", "2026", True, "level", "城镇调查失业率", "unemployment_rate"),
])
def test_a_chinese_report_candidate_arrives_with_its_meaning(report, quote, period, projected, growth, metric_text,
                                                             metric):
    c = report[quote]
    assert (c.period, c.projected, c.growth, c.metric_text, c.metric) == (period, projected, growth, metric_text,
                                                                         metric)
    assert c.entity == "guangdong" and dict(c.reading)["growth"]


def test_the_clause_names_its_city_and_the_words_read_are_kept(report):
    c = report["3000家"]
    assert (c.entity, dict(c.reading)["entity"]) == ("guangzhou", "广州")
    assert dict(report["31.2%"].reading)["metric_text"] == "工业机器人产量"
    assert report["31.2%"].cluster == "smart_robots"
    assert report["4.4%"].growth_base == "" and "增长" in dict(report["4.4%"].reading)["growth"]


def test_an_english_paragraph_about_dongguan_is_about_dongguan_and_its_own_date(names):  # noqa: F811
    text = ("GUANGZHOU NEWS\n\nGuangzhou's GDP grew 5% in 2023, Guangzhou said. Guangzhou's port is busy.\n\n"
            "2024-03-05 Dongguan's industrial output rose 8% last year. It will aim to grow exports by 6% this year.")
    found = {c.quote: c for c in find_figures(text, "2025-06", names)}
    assert (found["5%"].entity, found["5%"].period) == ("guangzhou", "2023")
    assert (found["8%"].entity, found["8%"].period, found["8%"].growth) == ("dongguan", "2023", "change")
    assert found["8%"].metric_text == "industrial output"
    assert (found["6%"].entity, found["6%"].period, found["6%"].projected) == ("dongguan", "2024", True)


def test_a_metric_the_curator_named_teaches_the_next_import():
    taught = Taxonomy(metrics=(Name("robot_density", "Robot density", ("机器人密度", "robots per 10,000 workers"),
                                    "count"),))
    c = find_figures("全省工业机器人密度达到500台。", "2026-01", taught)[0]
    assert (c.metric_text, c.metric) == ("工业机器人密度", "robot_density")
    assert ("metric", "机器人密度") in c.reading


def test_the_store_loads_chinese_names_and_metric_aliases(names):  # noqa: F811
    gdp = next(m for m in names.metrics if m.key == "gdp")
    assert "地区生产总值" in gdp.aliases and "GDP" in gdp.aliases
    dongguan = next(e for e in names.entities if e.key == "dongguan")
    assert "东莞" in dongguan.aliases
    robots = next(c for c in names.clusters if c.key == "smart_robots")
    assert "智能机器人" in robots.aliases


# --- linear: the reader keeps the finder linear ------------------------------------------------
@pytest.fixture
def work(monkeypatch):
    """work(text, names=None): the characters the finder's and the reader's regexes may read."""
    from store import finder
    from store.finder import names as finder_names
    from store.finder import spans as finder_spans
    from store.reading import meaning, numbers_zh, periods_zh, vocabulary
    from store.values import numbers
    from tests.store.test_finder_linear import _spied

    seen = [0]
    for module in (finder, finder_spans, finder_names, numbers, meaning, numbers_zh, periods_zh, vocabulary):
        for name, value in vars(module).items():
            if (spied := _spied(value, seen)) is not value:
                monkeypatch.setattr(module, name, spied)
    finder_names.name_matcher.cache_clear()
    vocabulary.vocabulary.cache_clear()

    def measure(text: str, names=None) -> int:  # noqa: F811
        seen[0] = 0
        find_figures(text, "2026-01-26", names)
        return seen[0]
    yield measure
    finder_names.name_matcher.cache_clear()
    vocabulary.vocabulary.cache_clear()


HOSTILE_ZH = {  # Chinese that makes a reader look back or ahead at every figure
    "numerals": "一",
    "tenths": "9成、",
    "amounts": "超万亿元",
    "counts": "两次，",
    "subjects": "地区生产总值增长3.9%、",
    "from_to": "从1万元提高到2万元",
    "headings": "\n一、2025年工作回顾\n",
    "quotes": "“1310”",
    "english": "Output rose 3% last year. ",
}


@pytest.mark.parametrize("unit", HOSTILE_ZH.values(), ids=HOSTILE_ZH.keys())
def test_the_reader_reads_a_text_twice_as_long_with_about_twice_the_work(work, unit, names):  # noqa: F811
    n = 3000 // len(unit)
    once, twice = work(unit * n, names), work(unit * 2 * n, names)
    assert twice <= 2.2 * once, f"{unit!r}: {once:,} characters read for {len(unit) * n:,}, {twice:,} for twice that"


def test_a_communique_speaks_of_its_topic_year(names):  # noqa: F811
    text = "广东省2025年国民经济和社会发展统计公报\n广东省统计局\n2026年3月1日\n全年地区生产总值145800亿元，比上年增长3.9%。"
    found = {c.quote: c for c in find_figures(text, "2026-03-01", names, place="广东省")}
    assert (found["145800亿元"].period, found["145800亿元"].projected) == ("2025", False)
    assert (found["3.9%"].period, found["3.9%"].growth, found["3.9%"].growth_base) == ("2025", "change", "上年")


def test_respectively_pairs_each_value_with_its_name(names):  # noqa: F811
    text = ("一、2025年工作回顾\n六大优势产业、高技术制造业增加值分别增长6.8%、12.3%，城乡居民人均可支配收入分别增长4.4%、5.6%，"
            "广州、深圳地铁单日最高客运量分别达1409万、1305万人次。")
    found = {c.quote: c for c in find_figures(text, "2026-02-03", names, place="四川省")}
    assert [found[q].metric_text for q in ("6.8%", "12.3%", "4.4%", "5.6%")] == [
        "六大优势产业增加值", "高技术制造业增加值", "城镇居民人均可支配收入", "农村居民人均可支配收入"]
    assert [(found[q].entity, found[q].metric_text) for q in ("1409万", "1305万人次")] == [
        ("guangzhou", "地铁单日最高客运量"), ("shenzhen", "地铁单日最高客运量")]


def test_the_count_of_figures_follows_what_the_reader_adds_and_joins():
    from store.finder import find_figures_within

    text = "贷款余额超万亿元，增长4.5%—5%，新增企业3000家。"
    found, total = find_figures_within(text, "2026-01-26")
    assert [c.quote for c in found] == ["超万亿元", "4.5%—5%", "3000家"] and total == 3
    assert find_figures_within(text, "2026-01-26", limit=2)[0] == found[:2]


def test_an_adverb_is_no_metric():
    first, second = find_figures("Exports reached 12.5 billion yuan, then 3.1 billion yuan.", "2025-01")
    assert (first.metric_text, second.metric_text) == ("Exports", "")
