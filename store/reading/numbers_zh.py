"""Chinese number forms the finder's digit scan leaves out or misreads, mended after it.

The finder (store.finder) sees every digit; a Chinese text also states amounts with no digit
(超万亿元, 超百亿美元, 千亿元以上), shares in tenths (占全国9成, 八成以上), counts in Chinese numerals
(十方面, 两次) and units the scan does not know (公里, 吨, 标箱, 人次). It also sees digits that state
no quantity: streaks (连续37年), ranks (第4个), plan names in quotes (“1310”), names (500强,
12345热线, 80周年). `mend` takes the finder's candidates of one text and returns them mended,
with the new ones in reading order; it only looks near each candidate and runs one regex over a
text that has Chinese numerals, so it keeps the finder linear.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from fractions import Fraction

from store.errors import stop_if
from store.values.exact import canonical

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_SCALES = {"万": 10**4, "亿": 10**8, "万亿": 10**12}
_QUAL_BEFORE = {"超过": "over", "超": "over", "突破": "over", "逾": "over", "多于": "over", "近": "nearly",
                "接近": "nearly", "将近": "nearly", "约": "approximately", "大约": "approximately",
                "不到": "less than", "不足": "less than", "至少": "at least"}
_QUAL_AFTER = {"以上": "over", "多": "over", "余": "over", "左右": "approximately", "以下": "less than",
               "以内": "less than"}
_QB = "|".join(sorted(_QUAL_BEFORE, key=len, reverse=True))
_QA = "|".join(sorted(_QUAL_AFTER, key=len, reverse=True))
_QUAL_END = re.compile(rf"(?:{_QB})$")
_NUM = r"[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千]*"
# Measure words that count things; not 年 (a streak or a plan), 届 and 期 (sessions, mostly ordinals),
# 大 ('三大动力': a slogan), 代 ('新一代': a name).
_MEASURE = ("方面", "个", "件", "项", "次", "批", "家", "所", "位", "名", "座", "条", "种", "类", "支", "款", "轮", "架次", "场次",
            "场", "户", "份", "处", "套", "台", "只", "艘", "架")
_MW = "|".join(sorted(_MEASURE, key=len, reverse=True)).replace("台", "台(?![阶风湾账])")  # not 台阶, 台风
# An amount with no digit: 超万亿元, 超百亿美元, 千亿元以上 (the scale word is required).
_MEASURE_AT = re.compile(rf"(?:{_MW})(?:{_QA})?")
_AMOUNT = re.compile(rf"(?P<qb>{_QB})?(?P<n>[一二两三四五六七八九十百千]*)(?P<s>万亿|亿|万)(?P<u>美元|元)?(?P<qa>{_QA})?")
_COUNT = re.compile(rf"(?P<qb>{_QB})?(?P<n>{_NUM})(?P<mw>{_MW})(?P<qa>{_QA})?")
_TENTHS = re.compile(rf"(?P<qb>{_QB})?(?P<n>[一二两三四五六七八九])成(?P<qa>{_QA})?(?![本员果为功长效立熟交就])")
_NOT_TENTHS = re.compile(r"[本员果为功长效立熟交就]")
_TRIGGER = re.compile(r"[一二两三四五六七八九十百千万亿]")
_UNITS = {"平方公里": "square kilometres", "公里": "km", "千米": "km", "吨": "tonnes", "标箱": "TEU",
          "人次": "person-times", "架次": "flights", "辆次": "vehicle-times", "千瓦时": "kWh", "千瓦": "kW",
          "立方米": "cubic metres", "岁": "years", "个月": "months", "天": "days", "小时": "hours"}
_TIMES = {"people": "person-times", "aircraft": "flights", "vehicles": "vehicle-times"}
_UNIT_AFTER = re.compile("|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)))
_COUNTER_AFTER = re.compile(rf"(?:{_MW}|人|辆|元|岁)?(?:{_QA})?")
_STREAK = re.compile(r"(?:连续|连年|已连续)\s*$")
_YEARS_BACK = re.compile(r"(?:近|前|后|未来|过去)\s*$")
_STREAK_NOUN = re.compile(r"\s*(?:年|次|届|个?月|季度|轮)")
_NAME_AFTER = re.compile(r"(?:强|热线|周年|英寸|纳米|号|级|型|版|代|路|期工程|大战略|战略)")
_QUOTED = re.compile(r"[“\"「『《][^”\"」』》\n]{0,12}$")
_CLOSE = re.compile(r"^[^“\"「『《\n]{0,12}[”\"」』》]")
_DIGITS = re.compile(r"\d")


def cn_value(numeral: str) -> int:
    """'十' 10, '二十三' 23, '两' 2, '百' 100, '一千二百' 1200, '三千五' 3500 (a bare unit counts one)."""
    total, digit, last_unit = 0, None, 1
    for ch in numeral:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            last_unit = _CN_UNITS[ch]
            total += (1 if digit is None else digit) * last_unit
            digit = None
    if digit is not None:
        total += digit * (last_unit // 10 if last_unit > 1 else 1)  # '三千五': the five is hundreds
    return total


def is_chinese(text: str) -> bool:
    return _CJK.search(text) is not None


class Han:
    """Where a text's Chinese is, found once: `near(start, end)` says whether a quote's words are Chinese
    (an English text may quote a Chinese name; a Chinese one an English sentence)."""

    def __init__(self, text: str):
        self.runs = [(m.start(), m.end()) for m in _CJK_RUN.finditer(text)]
        self.starts = [r[0] for r in self.runs]

    def near(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end + 12)  # the runs that start before the window ends
        return i > 0 and self.runs[i - 1][1] > start - 12


def _qualifier(m: re.Match) -> str:
    return _QUAL_BEFORE.get(m.group("qb") or "", "") or _QUAL_AFTER.get(m.group("qa") or "", "")


def _quoted(text: str, start: int, end: int) -> bool:
    """A number inside short quotation marks names a plan or slogan (“1310”, “四个中心”)."""
    return bool(_QUOTED.search(text, max(0, start - 12), start) and _CLOSE.match(text[end:end + 13]))


def _noun_follows(text: str, pos: int) -> bool:
    """'百亿元以上重大工业项目', '超千亿元县': an amount that names a class of things is no figure."""
    return (pos < len(text) and _CJK.match(text, pos, pos + 1) is not None
            and not text.startswith(("增长", "下降", "的"), pos))


def _skip(text: str, c) -> bool:
    """A digit the finder read that states no quantity: a streak, rank, quoted plan name or a name."""
    before = text[max(0, c.start - 4):c.start]
    after = text[c.end:c.end + 4]
    if _STREAK.search(before) and _STREAK_NOUN.match(text, c.end, c.end + 4) and c.unit in ("", "years"):
        return True  # 连续37年: how long a lead has lasted, not a quantity of the subject
    if before.endswith("第") or after.startswith(("位居", "名")) and before.endswith(("前", "居")):
        return True  # 第4个, 居全国第2
    if _quoted(text, c.start, c.end):
        return True
    if not c.unit and c.qualifier == "" and _NAME_AFTER.match(text, c.end, c.end + 4):
        return True  # 500强, 12345热线, 80周年, 12英寸, 5A级
    if _YEARS_BACK.search(before + c.quote.rstrip("0123456789.")) and text.startswith("年", c.end) or text.startswith(
            "年来", c.end):
        return True  # 近3年, 前5年, 10年来: a stretch of time a figure is about, not the figure
    return False


def _model_number(text: str, c) -> bool:
    """昇腾384超节点: a number glued to a name is a model number, not a count (a count takes a measure word)."""
    return (not c.unit and not c.scale and not c.qualifier and c.quote[-1:].isdigit()
            and _CJK.match(text, c.end, c.end + 1) is not None and text[c.end] not in "的和及与至到年月日、")


def _candidate(cls, text: str, start: int, end: int, value: Fraction, unit: str, scale: str, qualifier: str):
    return cls(start, end, text[start:end], value, canonical(value), "", unit, scale, qualifier, "")


def mend(text: str, found: list, candidate_class, han: Han | None = None, cancelled=None) -> list:
    """The finder's candidates of a Chinese text with the forms above mended (see the module docstring);
    cancelled() is asked every few hundred of them (store.errors.stop_if)."""
    if not is_chinese(text):
        return found
    han = han or Han(text)
    mended = []
    for n, c in enumerate(found, 1):
        stop_if(cancelled, n)
        if not han.near(c.start, c.end):
            mended.append(c)
            continue
        if _skip(text, c):
            continue
        if not c.unit and c.value < 10 and text.startswith("成", c.end) and not _NOT_TENTHS.match(
                text, c.end + 1, c.end + 2):
            end = c.end + 1  # 占全国9成: nine tenths, 90 % (store.values.numbers reads N成 the same way)
            qa = re.match(_QA, text[end:end + 2])
            end += qa.end() if qa else 0
            qualifier = c.qualifier or (_QUAL_AFTER[qa.group(0)] if qa else "")
            c = _candidate(candidate_class, text, c.start, end, c.value * 10, "%", "成", qualifier)
        elif c.unit in _TIMES and text.startswith("次", c.end):  # 人次, 架次, 辆次: visits, flights, trips
            c = replace(c, end=c.end + 1, quote=text[c.start:c.end + 1], unit=_TIMES[c.unit])
        elif not c.unit and (unit_m := _UNIT_AFTER.match(text, c.end, c.end + 4)):
            end = unit_m.end()
            qa = re.match(_QA, text[end:end + 2])
            end += qa.end() if qa else 0
            c = replace(c, end=end, quote=text[c.start:end], unit=_UNITS[unit_m.group(0)])
        elif not c.unit and (c.quote[-1:].isdigit() or c.quote[-1:] in "万亿多余") and (
                counter := _COUNTER_AFTER.match(text, c.end, c.end + 4)) and counter.end() > c.end:
            c = replace(c, end=counter.end(), quote=text[c.start:counter.end()])
        if not _model_number(text, c):
            mended.append(c)
    return _with_numerals(text, mended, candidate_class, cancelled)


def _with_numerals(text: str, found: list, candidate_class, cancelled=None) -> list:
    """The candidates plus the amounts, shares and counts written in Chinese numerals, in reading order."""
    if not _TRIGGER.search(text):
        return found
    starts = [c.start for c in found]
    extra = []
    pos = 0
    for n, t in enumerate(_TRIGGER.finditer(text), 1):
        stop_if(cancelled, n, 1024)
        start = t.start()
        if start < pos or start > 0 and _TRIGGER.match(text, start - 1, start):
            continue  # inside a numeral: read from its first character only
        qb = _QUAL_END.search(text, max(0, start - 2), start)
        s0 = start - len(qb.group(0)) if qb else start
        got = None
        for kind, pattern in (("tenths", _TENTHS), ("amount", _AMOUNT), ("count", _COUNT)):
            m = pattern.match(text, s0, s0 + 40)
            if m is None or m.start("n") != start and m.group("n"):
                continue
            got = _numeral(text, m, kind, candidate_class)
            if got is not None:
                break
        if got is None:
            continue
        pos = got.end
        i = bisect.bisect_left(starts, got.end)  # the finder's candidates that start before this one ends
        if not i or found[i - 1].end <= got.start:
            extra.append(got)
    if not extra:
        return found
    return sorted(found + extra, key=lambda c: c.start)


def _numeral(text: str, m: re.Match, kind: str, cls):
    n = m.group("n")
    start, end = m.start(), m.end()
    if _DIGITS.search(n) or start > 0 and (text[start - 1] in "第前" or _DIGITS.match(text, start - 1, start)
                                           or _TRIGGER.match(text, start - 1, start)):
        return None  # 第十, digits before ('4万亿') are the finder's
    if (_quoted(text, start, end) or _STREAK.search(text, max(0, start - 3), start)
            or text[max(0, start - 1):start] == "/"):
        return None  # '0.6人/百亿元': part of a unit
    if text.startswith(("会议", "全会", "全体会议"), end) or start > 0 and text[start - 1] in "届大":
        return None  # '十六届人大三次会议': the third session
    if kind == "tenths":
        value = Fraction(10 * _CN_DIGITS[n])  # 八成: 80 %
        return _candidate(cls, text, start, end, value, "%", "成", _qualifier(m))
    if kind == "amount":
        if not n and m.group("s") == "万":
            return None  # '万村', '万企': a slogan's 'ten thousand'
        if not m.group("u") and (counted := _MEASURE_AT.match(text, end, end + 2)):
            end = counted.end()  # '突破百亿次'
        elif not (m.group("u") or m.group("qb") or m.group("qa")) or _noun_follows(text, end):
            return None  # '百万英才', '万亿级': a name, not an amount
        if m.group("s") == "万" and not m.group("u"):
            return None
        value = Fraction(cn_value(n) if n else 1) * _CN_SCALES[m.group("s")]
        unit = {"美元": "US$", "元": "yuan"}.get(m.group("u") or "", "")
        return _candidate(cls, text, start, end, value, unit, m.group("s"), _qualifier(m))
    # a count: not 一 (an article: 一批, 一个), not '三次产业' (the three sectors)
    if n == "一" or text.startswith("三次产业", start) or n.startswith("一"):
        return None
    if m.group("mw") in ("个", "次") and text.startswith(("中心", "服务", "一"), end):
        return None  # “四个中心”, “四个服务” written without quotes
    return _candidate(cls, text, start, end, Fraction(cn_value(n)), "", "", _qualifier(m))
