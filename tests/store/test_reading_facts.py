"""A document's own facts on import: title, date, publisher, author, place, language, kind.

The Chinese heads are real excerpts of the 2026 provincial government work reports
(../shared/sources/gov-reports-2026/), web chrome and all; the English ones are the seed articles.
"""

from __future__ import annotations

import hashlib
import tomllib

import pytest
from sqlalchemy import select

from store.curation.importing import import_documents
from store.finder.names import load_taxonomy
from store.models import Document
from store.opening.seed import SEEDS_DIR
from store.reading.facts import normal_date, read_facts, usable_title
from store.reading.facts import provinces as provinces_read
from store.reading.vocabulary import vocabulary

BODY = "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n一、2025年工作回顾\n全省地区生产总值增长5.4%。\n"
SHANGHAI = ("下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年上海市政府工作报告\n"
            "——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n来源：解放日报\n时间：2026-02-09\n"
            "上海市市长 龚 正\n" + BODY)
YUNNAN = ("您的位置:\n首页\n>\n云南要闻\n云南要闻\n2026年政府工作报告\n来源：云南日报\n2026-02-03 09:02:33\n"
          "【字体：\n大\n中\n小\n】\n——2026年1月28日在云南省第十四届人民代表大会第四次会议上\n省长\u3000王予波\n" + BODY)
NINGXIA = ("当前位置：\n首页\n>\n政务信息\n>\n宁夏要闻\n2026年宁夏回族自治区政府工作报告\n发表时间：\n2026-02-09 09:45:30\n"
           "来源：\n宁夏日报客户端\n阅读量：\n【字体：\n小\n中\n大\n】\n政府工作报告\n"
           "——2026年2月3日在宁夏回族自治区第十三届人民代表大会第四次会议上\n自治区人民政府主席 张雨浦\n" + BODY)
SHAANXI = ("分享:\n陕西省2026年政府工作报告\n2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚\n首页\n>\n"
           "政府信息公开\n>\n政府工作报告\n时间：\n2026-02-02 09:20\n来源：\n陕西省人民政府\n分享:\n" + BODY)
GUANGDONG = ("政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n" + BODY)
GUIZHOU = ("政府工作报告。 贵州日报天眼新闻记者 李森 摄\n政府工作报告\n（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）\n"
           "省长 李炳军\n" + BODY)
GANSU = ("下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年甘肃省政府工作报告\n"
         "——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n来源：甘肃日报\n时间：2026-02-10\n甘肃省省长 任振鹤\n"
         + BODY)
SICHUAN = ("2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n【字体：\n大\n中\n小\n】\n分享：\n"
           "2026年2月3日在四川省第十四届人民代表大会第五次会议上\n四川省人民政府省长 施小琳\n" + BODY)


@pytest.mark.parametrize(("text", "title", "published", "publisher", "author", "place"), [
    (SHANGHAI, "2026年上海市政府工作报告", "2026-02-03", "解放日报", "龚正", "上海市"),
    (YUNNAN, "2026年政府工作报告", "2026-01-28", "云南日报", "王予波", "云南省"),
    (NINGXIA, "2026年宁夏回族自治区政府工作报告", "2026-02-03", "宁夏日报客户端", "张雨浦", "宁夏回族自治区"),
    (SHAANXI, "陕西省2026年政府工作报告", "2026-01-27", "陕西省人民政府", "赵刚", "陕西省"),
    (GUANGDONG, "政府工作报告", "2026-01-26", "广东省人民政府", "孟凡利", "广东省"),
    (GUIZHOU, "政府工作报告", "2026-01-27", "贵州省人民政府", "李炳军", "贵州省"),
    (GANSU, "2026年甘肃省政府工作报告", "2026-01-27", "甘肃日报", "任振鹤", "甘肃省"),
    (SICHUAN, "2026年四川省人民政府工作报告", "2026-02-03", "四川日报", "施小琳", "四川省"),
], ids=["shanghai-chrome", "yunnan-breadcrumb", "ningxia-position", "shaanxi-share", "guangdong-wrapped",
        "guizhou-caption", "gansu-chinese-numerals", "sichuan-source-next-line"])
def test_chrome_prefixed_reports_get_their_title_delivery_date_publisher_and_place(text, title, published, publisher,
                                                                                   author, place):
    facts = read_facts(text)
    assert (facts.title, facts.published, facts.publisher, facts.author, facts.place) == (
        title, published, publisher, author, place)
    assert (facts.language, facts.kind) == ("zh", "official")
    assert published in facts.date_basis


def test_a_speaker_named_only_in_a_photo_caption_is_the_author():
    hunan = ("下载\n打印\n2026年湖南省政府工作报告\n——2026年2月3日在湖南省第十四届人民代表大会第四次会议上\n来源：湖南日报\n"
             "时间：2026-02-24\n毛伟明\n2月3日，湖南省第十四届人民代表大会第四次会议在省人民会堂开幕。省长毛伟明作政府工作报告。"
             "湖南日报全媒体记者 刘尚文 摄\n" + BODY)
    assert (read_facts(hunan).author, read_facts(hunan).published) == ("毛伟明", "2026-02-03")


def test_a_chinese_page_with_only_its_page_date_is_dated_by_it():
    text = "打印\n关闭窗口\n广东机器人产量增长三成\n时间：2026-01-22\n来源：南方日报\n记者 张三\n全省工业机器人产量增长31.2%。\n"
    facts = read_facts(text)
    assert (facts.title, facts.published, facts.publisher, facts.kind) == (
        "广东机器人产量增长三成", "2026-01-22", "南方日报", "news")


def _seed(number: str) -> str:
    return next(SEEDS_DIR.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def test_english_news_gets_its_headline_dateline_byline_and_outlet():
    facts = read_facts(_seed("004"))  # "Home> News" / headline / "By YUAN SHENGGAO (China Daily) Update:2024-10-23"
    assert (facts.title, facts.published, facts.author, facts.publisher) == (
        "Clusters of strategic and future industries mapped out for economic leadership", "2024-10-23",
        "Yuan Shenggao", "China Daily")
    assert (facts.language, facts.kind, facts.place) == ("en", "news", "Guangdong")
    facts = read_facts(_seed("001"))  # blank lines, the headline, a "GD TODAY" section label, "By **HAO NAN**"
    assert (facts.title, facts.author, facts.publisher) == ("Industry clusters power province's progress", "Hao Nan",
                                                            "China Daily")
    facts = read_facts("SHENZHEN, March 3, 2025\n\nShenzhen drone makers ship 3 million units\n\nBy Li Wei | "
                       "Shenzhen Daily\n\nShenzhen made 3 million drones last year, the city said.\n")
    assert (facts.title, facts.published, facts.author, facts.place) == (
        "Shenzhen drone makers ship 3 million units", "2025-03-03", "Li Wei", "Shenzhen")
    facts = read_facts("Share\nPrint\nDongguan robot output up 20%\nSource: Dongguan Daily\nUpdated: 2025-07-01 10:20\n\n"
                       "Dongguan made 20 percent more robots in the first half, the city said.\n")
    assert (facts.title, facts.publisher, facts.published, facts.place, facts.kind) == (
        "Dongguan robot output up 20%", "Dongguan Daily", "2025-07-01", "Dongguan", "news")


def test_a_text_without_a_headline_gets_no_title_and_seed_000_is_news_about_guangdong():
    facts = read_facts(_seed("000"))
    assert facts.title == "" and (facts.language, facts.kind, facts.place) == ("en", "news", "Guangdong")


def test_chrome_is_not_a_title_and_dates_are_normalised():
    assert not any(usable_title(t) for t in ("下载", "分享:", "您的位置:", "当前位置：", "【字号：", "  "))
    assert usable_title("2026年浙江省政府工作报告")
    assert [normal_date(d) for d in ("2026-02-09", "2026/2/9", "2026年2月", "2026", "2026-02-09 00:00:00", "")] == [
        "2026-02-09", "2026-02-09", "2026-02", "2026", "2026-02-09", ""]
    assert normal_date("2026-02-30") is None and normal_date("next week") is None


def test_an_imported_report_keeps_its_text_exactly_and_gets_its_citation(seeded_store, tmp_path):
    path = tmp_path / "shanghai.txt"
    path.write_text(SHANGHAI, encoding="utf-8")
    [result] = import_documents(seeded_store, [path], find=False)
    with seeded_store.read() as session:
        doc = session.get(Document, result.document_id)
        assert doc.text == SHANGHAI and doc.sha256 == hashlib.sha256(SHANGHAI.encode()).hexdigest()
        assert (doc.title, doc.published, doc.publisher, doc.author, doc.place, doc.language, doc.kind) == (
            "2026年上海市政府工作报告", "2026-02-03", "解放日报", "龚正", "上海市", "zh", "official")
        assert "2026-02-09" in doc.date_basis  # the page's own date is kept in the basis
        assert session.scalar(select(Document.title).where(Document.title == "下载")) is None


def test_a_statistical_communique_is_official_with_its_issuer_as_publisher():
    zh = ("打印本页\n广东省2025年国民经济和社会发展统计公报\n广东省统计局\n国家统计局广东调查总队\n2026年3月1日\n"
          "初步核算，2025年全省地区生产总值141633.81亿元，比上年增长3.9%。\n")
    facts = read_facts(zh)
    assert (facts.title, facts.publisher, facts.published, facts.place, facts.kind) == (
        "广东省2025年国民经济和社会发展统计公报", "广东省统计局", "2026-03-01", "广东省", "official")
    en = ("Statistical Communique of Guangdong Province on the 2025 National Economic and Social Development\n\n"
          "Guangdong Provincial Bureau of Statistics\n\nMarch 1, 2026\n\n"
          "According to preliminary accounting, the GDP of Guangdong was 14.16 trillion yuan in 2025.\n")
    facts = read_facts(en)
    assert (facts.publisher, facts.published, facts.place, facts.kind) == (
        "Guangdong Provincial Bureau of Statistics", "2026-03-01", "Guangdong", "official")


def _taxonomy_provinces() -> list[dict]:
    """China's provincial-level divisions as the curated taxonomy lists them, read here on its own."""
    entities = []
    for path in sorted((SEEDS_DIR / "taxonomy").glob("*.toml")):
        entities += tomllib.loads(path.read_text(encoding="utf-8")).get("entity", [])
    return [e for e in entities if e.get("parent") == "china" and (
        e["kind"] in ("province", "municipality") or e["name_zh"].endswith(("自治区", "特别行政区")))]


def test_every_province_of_the_taxonomy_is_a_place_a_citation_reads(seeded_store):
    """The taxonomy is the one list of provinces: each one is read as a document's place, in Chinese by its
    full or short name and in English by its name, and the place read is the entity the import gives figures."""
    provinces = _taxonomy_provinces()
    assert len(provinces) == 33  # 22 provinces, 4 municipalities, 5 autonomous regions, Hong Kong and Macao
    with seeded_store.read() as session:
        vocab = vocabulary(load_taxonomy(session))
    for entity in provinces:
        full, english = entity["name_zh"], entity["name"]
        short = min((a for a in entity["aliases"] if a != full and full.startswith(a)), key=len)
        delivered = f"政府工作报告\n——2026年1月26日在{full}第十四届人民代表大会第五次会议上\n" + BODY
        titled = f"2026年{short}政府工作报告\n" + BODY
        news = f"{english} robot output up 20%\nBy Li Wei | China Daily\n\nOutput rose 20 percent last year.\n"
        places = [read_facts(text).place for text in (delivered, titled, news)]
        assert places == [full, full, english], entity["key"]
        assert {vocab.entity_key(place) for place in places} == {entity["key"]}
    assert {p.zh for p in provinces_read()} == {e["name_zh"] for e in provinces}
