"""A document's own facts, read from its text on import: title, date, publisher, author, place,
language and kind (official, news or other), as citation fields a curator can edit.

Only the first lines are read (a page's chrome, the headline, the dateline, "来源：…", the
"——2026年1月26日在…会议上" line of a government work report) plus a count of the place names
in the whole text; the text itself is never changed, so every anchor stays exact.

Chinese official texts copied from web pages begin with page chrome (下载 / 打印 / 全屏 / 收藏 /
【字号：…】 / 分享: / 您的位置: 首页 > … / 当前位置：) that is skipped to reach the title. A
provincial government work report is dated by its delivery ("——2026年1月26日在广东省第十四届
人民代表大会第五次会议上"), else by the page ("时间：2026-02-09"); its publisher is the "来源：…"
line, else the speaker's office (广东省省长 → 广东省人民政府). English news: the headline, the
dateline, "By …" and the outlet.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from store.opening.seed import read_taxonomy


class Province(NamedTuple):
    """A provincial-level division: full Chinese name (广东省), short name (广东), English name (Guangdong)."""
    zh: str
    short: str
    en: str


_PROVINCIAL = ("省", "市", "自治区", "特别行政区")


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """China's provincial-level divisions as seeds/taxonomy defines them, read once.

    The taxonomy is the one definition: a place read here is a place the import can make a figure's
    entity (store.reading.vocabulary resolves it by these names). A provincial-level division is an
    entity whose parent is China and whose Chinese name ends in 省, 市, 自治区 or 特别行政区; its short
    name is its alias that the full name begins with (广西 for 广西壮族自治区)."""
    found = []
    for item in read_taxonomy()["entity"]:
        zh = item.get("name_zh", "")
        if item.get("parent") != "china" or not zh.endswith(_PROVINCIAL):
            continue
        shorts = [a for a in item.get("aliases", []) if a != zh and zh.startswith(a)]
        found.append(Province(zh, min(shorts, key=len) if shorts else zh, item["name"]))
    return tuple(found)


# Cities an English article is often about (its place when it names them more than its province).
CITIES = [("广州市", "Guangzhou"), ("深圳市", "Shenzhen"), ("东莞市", "Dongguan"), ("佛山市", "Foshan"),
          ("珠海市", "Zhuhai"), ("惠州市", "Huizhou"), ("茂名市", "Maoming"), ("杭州市", "Hangzhou"),
          ("宁波市", "Ningbo"), ("南京市", "Nanjing"), ("苏州市", "Suzhou"), ("武汉市", "Wuhan"),
          ("成都市", "Chengdu"), ("西安市", "Xi'an"), ("青岛市", "Qingdao"), ("厦门市", "Xiamen"),
          ("合肥市", "Hefei"), ("长沙市", "Changsha"), ("郑州市", "Zhengzhou")]


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], re.Pattern, dict[str, str], re.Pattern]:
    """(Chinese name or short name -> full name, its regex, English word -> English name, its regex)."""
    zh_full = {p.zh: p.zh for p in provinces()} | {p.short: p.zh for p in provinces()}
    # 'Tibet (Xizang)' is named 'Tibet' or 'Xizang' in a text: each word outside or inside the brackets
    en_names = {word.strip(): p.en for p in provinces() for word in re.split(r"[()]", p.en) if word.strip()}
    en_names |= {en: en for _zh, en in CITIES}
    zh_place = re.compile("|".join(sorted(map(re.escape, zh_full), key=len, reverse=True)))
    en_place = re.compile(r"\b(" + "|".join(map(re.escape, sorted(en_names, key=len, reverse=True))) + r")\b")
    return zh_full, zh_place, en_names, en_place

FIELDS = ("title", "published", "publisher", "author", "place", "language", "kind", "url", "date_basis")
KINDS = ("official", "news", "other")
HEAD_LINES = 60


@dataclass
class Facts:
    """The citation fields read from a text ('' where the text does not say)."""
    title: str = ""
    published: str = ""  # 2026-01-26, 2026-01 or 2026
    publisher: str = ""
    author: str = ""
    place: str = ""  # as the text names it: 广东省 in a Chinese text, Guangdong in an English one
    language: str = ""  # zh | en | ''
    kind: str = ""  # official | news | other
    url: str = ""
    date_basis: str = ""  # how the date was read

    def columns(self) -> dict:
        return asdict(self)


# --- page chrome -------------------------------------------------------------------------------
_CHROME_WORDS = {
    "下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "大", "中", "小", "【", "】", "首页", ">", "›", "»", "|",
    "分享", "关闭", "关闭窗口", "打印本页", "返回顶部", "扫一扫", "微信", "微博", "二维码", "默认", "字号", "字体",
    "来源", "时间", "发布时间", "发表时间", "阅读量", "浏览次数", "责任编辑", "编辑", "作者", "视力保护色",
    "home", "share", "print", "comments", "related news", "scroll to top", "font size", "a", "a a a", "close",
    "email", "facebook", "twitter", "linkedin", "wechat", "weibo", "top", "back to top", "more",
}
_CHROME = re.compile(
    r"^(?:【\s*(?:字号|字体)[:：]?.*|(?:您的|当前)位置\s*[:：].*|分享(?:到|至)?\s*[:：].*|"
    r"(?:来源|时间|发布时间|发表时间|阅读量|浏览量|作者|责任编辑|编辑)\s*[:：].*|"
    r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d\d(?::\d\d)?)?|"
    r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}[时:]\d{1,2}分?)?|"
    r".*(?:记者|摄影).{0,30}摄|[^>\n]{0,30}>[^>\n]{0,30}(?:>[^>\n]{0,30})*|[\s>›»|/·•-]+|"
    r"(?:updated?|published|source|editor|reporter)\s*[:|].*)$", re.IGNORECASE)
_POSITION = re.compile(r"^(?:您的|当前)位置\s*[:：]\s*$")
_CAPS_LABEL = re.compile(r"^[A-Z][A-Z &'-]{1,24}$")  # "GD TODAY": a section label, not a headline


def _clean(line: str) -> str:
    line = re.sub(r"^\s*#+\s*|\*\*|__|`", "", line)  # Markdown heading marks and emphasis
    return line.strip().strip("\u3000").strip()


def is_chrome(line: str) -> bool:
    """A line of web-page furniture: a button, a font-size switch, a breadcrumb, a share or date line."""
    line = _clean(line)
    return not line or line.casefold() in _CHROME_WORDS or bool(_CHROME.match(line)) or bool(_CAPS_LABEL.match(line))


def content_lines(text: str, limit: int = HEAD_LINES) -> list[str]:
    """The first `limit` lines that are not page chrome (a breadcrumb after 您的位置: is skipped whole)."""
    lines, crumbs, expect_item = [], False, False
    for raw in text[:20000].split("\n"):  # the head is enough; a 5 MB text is not split whole
        line = _clean(raw)
        if _POSITION.match(line):
            crumbs, expect_item = True, True
            continue
        if crumbs:
            if line in (">", "›", "»", "/"):
                expect_item = True
                continue
            if expect_item and line and len(line) <= 12:
                expect_item = False
                continue
            crumbs = False
        if is_chrome(line):
            continue
        lines.append(line)
        if len(lines) >= limit:
            break
    return lines


# --- dates ---------------------------------------------------------------------------------------
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN = "〇零○Ｏ一二三四五六七八九十"


def _cn_number(text: str) -> int:
    """二〇二六 → 2026 (digit by digit); 二十七 → 27; 十 → 10; 27 → 27."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _iso(y: str, m: str | None = None, d: str | None = None) -> str:
    try:
        year = _cn_number(y)
        if m is None:
            return f"{year:04d}" if 1900 <= year <= 2100 else ""
        month = _cn_number(m)
        if d is None:
            return date(year, month, 1).isoformat()[:7]
        return date(year, month, _cn_number(d)).isoformat()
    except (ValueError, KeyError):
        return ""


_NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"
# "——2026年1月26日在广东省第十四届人民代表大会第五次会议上" (also "（2026年…）", "――", no dash,
# and "二〇二六年一月二十七日"); the words after 在 may wrap onto the next line.
_DELIVERED = re.compile(rf"(?P<y>(?:19|20)\d\d|[{_CN}]{{4}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日\s*在"
                        r"(?P<where>[^。\n]{0,40}\n?[^。\n]{0,30}?(?:会议|大会(?!第)))")
_PAGE_DATE = re.compile(r"(?:时间|发布时间|发表时间|日期)\s*[:：]\s*(?P<y>(?:19|20)\d\d)[-/.年]\s*(?P<m>\d{1,2})"
                        r"[-/.月]\s*(?P<d>\d{1,2})")
_BARE_DATE = re.compile(r"^(?P<y>(?:19|20)\d\d)(?:[-/.]|\s*年\s*)(?P<m>\d{1,2})(?:[-/.]|\s*月\s*)(?P<d>\d{1,2})日?"
                        r"(?:\s|$)", re.MULTILINE)


def _head(text: str, chars: int = 3000) -> str:
    return text[:chars]


def delivery_date(text: str) -> tuple[str, str]:
    """(ISO date, the words) of "——2026年1月26日在…会议上" in the first lines, else ('', '')."""
    m = _DELIVERED.search(_head(text))
    if not m:
        return "", ""
    return _iso(m["y"], m["m"], m["d"]), re.sub(r"\s+", "", m.group(0)) + "上"


def page_date(text: str) -> str:
    """The page's own date: "时间：2026-02-09", "发表时间：\\n2026-02-09 09:45", a bare timestamp line."""
    head = _head(text)
    m = _PAGE_DATE.search(re.sub(r"([:：])\s*\n\s*", r"\1", head)) or _BARE_DATE.search(head)
    return _iso(m["y"], m["m"], m["d"]) if m else ""


def english_date(text: str) -> str:
    from store.reading.files import find_published  # the dateline reader of .txt/.md imports

    return find_published(text)


# --- who -------------------------------------------------------------------------------------------
_SOURCE = re.compile(r"(?:^|\n)\s*来\s*源\s*[:：]\s*\n?\s*(?P<who>[^\n]{1,40})")
_SPEAKER = re.compile(r"(?:^|\s)(?P<office>(?:[\u4e00-\u9fff]{0,8}?(?:省|市|自治区))?(?:人民政府)?(?:省长|市长|主席))"
                      r"[ \t\u3000]+(?P<name>[\u4e00-\u9fff·]{1,3}(?:[ \u3000][\u4e00-\u9fff]{1,2})?"
                      r"|[\u4e00-\u9fff·]{2,12})[ \t\u3000]*$", re.MULTILINE)
_BYLINE = re.compile(r"^\s*(?:By|BY|Written by)\s+(?:\*\*)?(?P<name>[A-Za-z][A-Za-z .'-]{1,60}?(?:\s+and\s+[A-Za-z .'-]+?)?)"
                     r"(?:\*\*)?\s*(?:\((?P<outlet>[^)]{2,40})\)|\||,|$|\s+Update|\s+\d)", re.MULTILINE)
_REPORTER = re.compile(r"^\s*(?:Reporter|Author|Writer)\s*[|:：]\s*(?P<name>[^\n]{2,60})$", re.MULTILINE)
_OUTLETS = {"chinadaily.com.cn": "China Daily", "China Daily": "China Daily", "Xinhua": "Xinhua",
            "Global Times": "Global Times", "globaltimes.cn": "Global Times", "CGTN": "CGTN",
            "People's Daily": "People's Daily", "South China Morning Post": "South China Morning Post",
            "Shenzhen Daily": "Shenzhen Daily", "Reuters": "Reuters", "Bloomberg": "Bloomberg",
            "Caixin": "Caixin", "Yicai": "Yicai", "newsgd.com": "Newsgd.com"}


def _name_case(name: str) -> str:
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def publisher_zh(text: str) -> str:
    m = _SOURCE.search(_head(text))
    if not m:
        return ""
    who = re.split(r"\s+(?:19|20)\d\d|\s{2,}|\s*(?:时间|作者|编辑)[:：]", m["who"].strip())[0].strip()
    return "" if is_chrome(who) else who


def speaker(text: str) -> tuple[str, str]:
    """(office, name) of the person delivering a report: "广东省省长 孟凡利" → ("广东省省长", "孟凡利")."""
    m = _SPEAKER.search(_head(text))
    if not m:  # only a photo caption names the speaker: "省长毛伟明作政府工作报告"
        m = re.search(r"(?P<office>省长|市长|主席)(?P<name>[\u4e00-\u9fff·]{2,12}?)(?:同志)?作政府工作报告", _head(text))
        return (m["office"], m["name"]) if m else ("", "")
    return m["office"], re.sub(r"[ \u3000]", "", m["name"])


# --- where, what language, what kind -------------------------------------------------------------
def language_of(text: str) -> str:
    sample = text[:20000]
    cjk = len(re.findall(r"[\u4e00-\u9fff]", sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    if cjk == 0 and latin == 0:
        return ""
    return "zh" if cjk / 1.5 > latin / 5 else "en"


def place_zh(title: str, text: str) -> str:
    zh_full, zh_place, _en, _en_place = _places()
    head = _head(text)
    for where in (title, *(m["where"] for m in [_DELIVERED.search(head)] if m), speaker(text)[0]):
        if where and (m := zh_place.search(where)):
            return zh_full[m.group(0)]
    if m := re.search(r"代表(?P<p>[\u4e00-\u9fff]{2,8}?)人民政府", head):
        if found := zh_place.search(m["p"]):
            return zh_full[found.group(0)]
    return ""


def place_en(title: str, text: str) -> str:
    """The province or city the article is about: named in the headline, else named most (at least 3 times)."""
    _zh, _zh_place, en_names, en_place = _places()
    if m := en_place.search(title):
        return en_names[m.group(1)]
    counts = Counter(en_names[m.group(1)] for m in en_place.finditer(text[:200_000]))
    if not counts:
        return ""
    name, n = counts.most_common(1)[0]
    return name if n >= 3 else ""


_OFFICIAL_ZH = re.compile(r"(?:政府工作报告|统计公报|公报|白皮书|规划纲要|纲要|决议|决定|条例|办法|通知|意见|规划|报告)$")
_OFFICIAL_EN = re.compile(r"government work report|statistical communiqu|communiqu[eé]|white paper|"
                          r"five-year plan|notice of the|opinions? (?:of|on) the", re.IGNORECASE)


def kind_of(language: str, title: str, text: str, url: str, publisher: str, author: str) -> str:
    head = _head(text, 4000)
    host = re.sub(r"^[a-z]+://", "", url.casefold()).split("/")[0]
    if host.endswith(".gov.cn") or host.endswith(".gov"):
        return "official"
    if language == "zh":
        if (_OFFICIAL_ZH.search(title) and ("各位代表" in head or "政府" in title or "公报" in title)) \
                or ("各位代表" in head and "人民政府" in head) or publisher.endswith("人民政府"):
            return "official"
        if publisher or re.search(r"记者|本报讯|新华社|通讯员|编辑[:：]", head):
            return "news"
        return "other"
    if _OFFICIAL_EN.search(title):
        return "official"
    if author or publisher or re.search(r"\b(?:said|says|told|according to)\b", text[:100_000]):
        return "news"
    return "other"


# --- titles --------------------------------------------------------------------------------------
_OFFICIAL_TITLE = re.compile(r"^[^。！？；，,]{0,50}(?:报告|公报|纲要|规划|意见|通知|决定|决议|办法|条例|白皮书)$")


def title_zh(lines: list[str]) -> str:
    for line in lines[:15]:
        if _OFFICIAL_TITLE.match(line):
            return line
    for line in lines[:8]:
        if 6 <= len(line) <= 60 and not re.search(r"[。；]$|[。！？]", line) and not line.startswith(("——", "（")):
            return line
    return ""


def title_en(lines: list[str]) -> str:
    for line in lines[:8]:
        if _BYLINE.match(line) or re.match(r"^(?:By|Reporter|Editor)\b", line):
            continue
        if len(line.split()) <= 6 and english_date(line):  # a dateline: "SHENZHEN, March 3, 2025"
            continue
        words = len(line.split())
        if 3 <= words <= 30 and len(line) <= 200 and not re.search(r"[.:;,]$", line):
            return line
        if words > 30:
            return ""  # the text starts with its body: it has no headline
    return ""


def first_sentence(text: str, limit: int = 90) -> str:
    """A stand-in title for a text with no headline: its first words, cut at a word."""
    body = " ".join(text.split())
    m = re.match(r"(.+?[.!?。！？])(?:\s|$)", body)
    sentence = m.group(1) if m else body
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0] if " " in sentence[:limit] else sentence[:limit]
    return cut.rstrip(",;: ") + "\u2026"


# An issuing body on its own line just under the title of a communiqué or notice.
_ISSUER_ZH = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:统计局|调查总队|委员会|办公厅|办公室|人民政府|局|厅)$")
_ISSUER_EN = re.compile(r"^(?:The )?(?:[A-Z][\w'&-]*,? (?:of |and |the |for )*){1,8}"
                        r"(?:Bureau of Statistics|Statistics Bureau|Bureau|Department|Commission|Office|Government)"
                        r"(?: of [A-Z][\w-]*(?: [A-Z][\w-]*)*)?$")


def _issuer(lines: list[str], title: str, pattern: re.Pattern) -> str:
    if title not in lines:
        return ""
    at = lines.index(title)
    return next((line for line in lines[at + 1:at + 4] if pattern.match(line)), "")


# --- all of it ----------------------------------------------------------------------------------
def read_facts(text: str, url: str = "") -> Facts:
    """The citation fields this text states about itself (see the module's docstring)."""
    facts = Facts(url=url.strip(), language=language_of(text))
    lines = content_lines(text)
    if facts.language == "zh":
        facts.title = title_zh(lines)
        delivered, words = delivery_date(text)
        page = page_date(text)
        if delivered:
            facts.published = delivered
            facts.date_basis = f"Delivered on {delivered} ({words})" + (f"; the page is dated {page}" if page and page != delivered else "")
        elif page:
            facts.published, facts.date_basis = page, "The page's date"
        facts.place = place_zh(facts.title, text)
        office, name = speaker(text)
        facts.author = name
        facts.publisher = publisher_zh(text) or _issuer(lines, facts.title, _ISSUER_ZH)
        if not facts.publisher and office and facts.place and _OFFICIAL_ZH.search(facts.title or ""):
            facts.publisher = f"{facts.place}人民政府"  # the speaker speaks for the province's government
    else:
        facts.title = title_en(lines)
        facts.published = english_date(text)
        if facts.published:
            facts.date_basis = "The dateline"
        head = "\n".join(text.split("\n")[:40])
        if m := _BYLINE.search(head):
            facts.author = _name_case(m["name"])
            if m["outlet"]:
                facts.publisher = m["outlet"].strip()
        elif m := _REPORTER.search(text[-3000:] if len(text) > 3000 else text):
            facts.author = _name_case(m["name"].strip())
        if not facts.publisher and (m := re.search(r"^\s*Source\s*[:|：]\s*(?P<who>[^\n]{2,60}?)\s*$", head,
                                                    re.MULTILINE | re.IGNORECASE)):
            facts.publisher = m["who"]
        facts.publisher = facts.publisher or _issuer(lines, facts.title, _ISSUER_EN)
        if not facts.publisher:
            for clue, outlet in _OUTLETS.items():
                if clue in head:
                    facts.publisher = outlet
                    break
        facts.place = place_en(facts.title, text)
    facts.kind = kind_of(facts.language, facts.title, text, facts.url, facts.publisher, facts.author)
    return facts


def usable_title(title: str) -> bool:
    """A title a citation can use: not empty, not page chrome ("下载", "分享:", "您的位置:")."""
    title = _clean(title or "")
    return bool(title) and not is_chrome(title) and not _POSITION.match(title)


_ISO_DATE = re.compile(r"^\s*(?P<y>\d{4})(?:[-/.年]\s*(?P<m>\d{1,2})(?:[-/.月]\s*(?P<d>\d{1,2})日?)?月?)?"
                       r"(?:[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\s*$")


def normal_date(value: str) -> str | None:
    """'2026-02-09', '2026/2/9', '2026年2月', '2026-02-09 00:00:00' → ISO (YYYY[-MM[-DD]]); '' for ''; None if malformed."""
    value = str(value or "").strip()
    if not value:
        return ""
    m = _ISO_DATE.match(value)
    if not m:
        return None
    return _iso(m["y"], m["m"], m["d"]) or None


def cite(doc, supplied: dict | None = None):
    """`doc` (a store.reading.files.ImportedText) with its citation fields filled in.

    What a dataset supplies wins where it is usable (a title that is page chrome, "下载", is not;
    nor is a malformed date); then what the text says about itself; then what the file said (an
    HTML page's <title> and date), the first line, the file name."""
    from dataclasses import replace

    supplied = {k: str(v).strip() for k, v in (supplied or {}).items() if v is not None and str(v).strip()}
    facts = read_facts(doc.text, supplied.get("url", ""))
    guessed = doc.title if usable_title(doc.title) else ""
    if guessed and len(guessed) > 120 and doc.text.lstrip().startswith(guessed):
        guessed = first_sentence(doc.text)  # the text has no headline: its first line is a paragraph
    title = supplied.get("title", "")
    if not usable_title(title):
        title = facts.title or guessed or doc.file_name
    given = normal_date(supplied.get("published", ""))
    published, basis = facts.published, facts.date_basis
    if facts.date_basis.startswith("Delivered on"):
        # A report dates itself where it was delivered: that is its date ("今年" is that year); a
        # dataset's date is the web page's, days or weeks later, and is kept as the basis's note.
        if given and given != published:
            basis += f"; the dataset says {given}"
    elif given:
        published = given
        basis = "The dataset's date" + (f"; {facts.date_basis[0].lower()}{facts.date_basis[1:]}" if facts.date_basis else "")
    elif facts.language != "zh" and doc.published:
        published, basis = doc.published, ("The page's date" if doc.published != facts.published else facts.date_basis or "The dateline")
    elif not published and doc.published:
        published, basis = doc.published, "The page's date"
    citation = {name: supplied.get(name) or getattr(facts, name)
                for name in ("publisher", "author", "place", "language", "kind", "url")}
    if citation["kind"] not in KINDS:
        citation["kind"] = facts.kind
    citation["date_basis"] = basis
    return replace(doc, title=title[:500], published=published, citation=citation)
