"""Reading the quantity a quote states: "1.1 trillion yuan", "突破 5000亿元", "one in eight", "2 to 3 hours".

The curators' conventions (seeds/FORMAT.md) are the target: a value in base units as
an exact Fraction, the unit ('yuan', 'US$', '%', 'percentage points', 'share', or the
counted noun in the plural), the scale word as written and a qualifier. Standard
library only, no Qt: the store flags quotes that disagree with their value and the
GUI's add-figure dialog prefills its fields from the same functions.

Choices, so callers know what to expect:
- A sign is read only when written on the number ("-2.5%"); "down 3%" stays +3, because
  the direction belongs to the metric ("growth", "decline"), not to the number.
- A range ("2 to 3 hours", "2-3 hours") gives value 2 and value_max 3; a scale word on
  the upper end only applies to both ("2 to 3 billion").
- The first number in the text is the one meant ("seven other 1-trillion-yuan
  clusters" counts 7). Year-like numbers (1900-2100 without a unit) and ordinals
  ("14th", "the ninth one") count only when nothing else is there.
- Scientific notation, nan and infinities are refused: no float ever enters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from store.errors import InvalidNumber, StoreError
from store.values.exact import canonical
from store.values.periods import parse_period

SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
          "万": 10**4, "亿": 10**8, "万亿": 10**12}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({w: 10 * i for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})
ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), 1)}
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}


def any_of(words) -> str:
    """A regex alternation, longest first so 'seventeen' is not read as 'seven'."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_W = any_of(list(NUMBER_WORDS) + ["hundred", "dozen"])
_SCALE = any_of(SCALES)
_DIGITS = r"\d+/\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"


def _num(t: str) -> str:
    """One number (digits or words) with its optional scale word; group names end in t."""
    # Digits glued to a letter are names ('G20', '5G'), except after a currency code ('RMB2').
    return (r"(?:(?:(?<![a-z\d.,])|(?<=rmb)|(?<=usd)|(?<=cny))"
            rf"(?P<sign{t}>(?<![\w.,)])[-−+])?(?P<dig{t}>{_DIGITS})(?P<ord{t}>st|nd|rd|th)?(?![a-z\d])"
            rf"|(?P<wrd{t}>\ban?(?=[\s-]+(?:hundred|dozen|{_SCALE}))(?:[\s-]+(?:hundred|dozen))?"
            rf"|\b(?:{_W})(?:[\s-]+(?:{_W}))*)(?![a-z]))"
            rf"(?:[\s-]*(?P<scl{t}>{_SCALE})(?P<sord{t}>th)?(?![a-z]))?")


_I = re.IGNORECASE
_CARDINAL = re.compile(_num(""), _I)
_RANGE = re.compile(_num("1") + r"\s*(?:to|-|–|—|~|～|至|到)\s*" + _num("2"), _I)
_RATIO = re.compile(rf"\b(?P<a>\d+|{_W})\s+(?:out\s+)?(?:of|in)\s+(?:every\s+)?(?P<b>\d+|{_W})\b", _I)
_FRACTION = re.compile(rf"\b(?:(?P<n>an?|{_W})[\s-]+(?P<d>{any_of(DENOMINATORS)})s?|(?P<half>half))\b", _I)
_ORDINAL = re.compile(rf"\b(?P<o>{any_of(ORDINALS)})\b", _I)
_BARE_SCALE = re.compile(r"\b(?P<s>thousand|million|billion|trillion)(?![a-z])", _I)
_MULTIPLE = re.compile(r"\b(?:(?P<two>doubl\w*|twice)|(?P<three>tripl\w*|threefold)|(?P<n>\w+)-fold)\b", _I)

_QUALIFIERS = {
    "over": ["more than", "exceeding", "exceeded", "exceeds", "exceed", "surpassing", "surpassed", "surpasses",
             "surpass", "above", "over", "in excess of", "upwards of", "突破", "超过", "超", "逾"],
    "approximately": ["approximately", "approx.", "about", "around", "some", "roughly", "约", "大约"],
    "nearly": ["almost", "close to", "nearly", "将近", "接近", "近"],
    "at least": ["at least", "no less than", "not less than", "no fewer than", "至少", "不少于", "不低于"],
    "less than": ["up to", "less than", "fewer than", "under", "below", "不到", "不足", "低于"],
}
QUALIFIER_OF = {w: q for q, words in _QUALIFIERS.items() for w in words}
UP_TO_PATTERN = r"(?<!\badd )(?<!\badds )(?<!\badded )(?<!\badding )(?<!\bsummed )(?<!\bsums )up\ to"
_CURRENCY_BEFORE = re.compile(r"(?P<cur>U\.?S\.?\s?\\?\$|\\?\$|USD|RMB|CNY|¥|￥)\s*$", _I)
# 'added up to 5 million' states a sum, not an upper bound
_QUAL_BEFORE = re.compile(rf"(?<![a-z])(?P<q>{any_of(QUALIFIER_OF).replace(re.escape('up to'), UP_TO_PATTERN)})\s*$", _I)
_QUAL_AFTER = re.compile(r"^\S{0,3}?\s*(?P<q>以上|多|余|左右|以下|or more|and above|or less|or fewer)", _I)
_QUAL_AFTER_MAP = {"以上": "over", "多": "over", "余": "over", "or more": "over", "and above": "over",
                   "左右": "approximately", "以下": "less than", "or less": "less than", "or fewer": "less than"}
_UNIT_AFTER = [
    (re.compile(r"\s*(?:%|％)"), "%"),
    (re.compile(r"\s*(?:percentage\s+points?\b|个?百分点)", _I), "percentage points"),
    (re.compile(r"\s*(?:per\s?cent|pct)\b", _I), "%"),
    (re.compile(r"[\s-]*(?:yuan|renminbi|RMB|CNY)\b|\s*(?:人民币)?元", _I), "yuan"),
    (re.compile(r"\s*(?:美元|(?:U\.?S\.?\s*)?dollars?\b|USD\b)", _I), "US$"),
    (re.compile(r"[\s-]*(?:times\b|fold\b|倍)", _I), "times"),
]
# Words that end a noun phrase after a count ("270 journalists from 107 media outlets").
STOP_WORDS = set("of in to from by with for at on that which who whose were was is are be been has have had "
            "will would than as across per each its this these those over under into since".split())
COMPOUND_UNITS = {"media outlets", "percentage points", "square kilometres", "square kilometers", "square metres"}
SPELLING = {"centers": "centres"}  # the curators write British 'centres'
_BAD_SIGN = re.compile(r"[-−+]\s*[-−+]\s*\d")
_EXPONENT = re.compile(r"\d\.?\d*[eE][-+]?\d")


@dataclass(frozen=True)
class Quantity:
    """One stated quantity, in the curators' terms (seeds/FORMAT.md); value is exact, in base units."""
    value: Fraction
    value_max: Fraction | None
    unit: str
    scale: str
    qualifier: str
    number_text: str

    @property
    def value_text(self) -> str:
        return canonical(self.value)


def _words_value(text: str) -> int:
    """'twenty-five' -> 25, 'a hundred' -> 100, 'two dozen' -> 24."""
    current = 0
    for token in re.split(r"[\s-]+", text.lower()):
        if token in ("a", "an"):
            current = 1
        elif token in ("hundred", "dozen"):
            current = (current or 1) * (100 if token == "hundred" else 12)
        else:
            current += NUMBER_WORDS[token]
    return current


def _small(text: str) -> int:
    return int(text) if text.isdigit() else _words_value(text)


def _number(m: re.Match, t: str, text: str) -> tuple[Fraction, str]:
    """The value of one _num match (scale applied) and its scale word."""
    digits, words, scale = m.group(f"dig{t}"), m.group(f"wrd{t}"), m.group(f"scl{t}") or ""
    if digits is not None:
        if "/" in digits:
            p, q = digits.split("/")
            if int(q) == 0:
                raise InvalidNumber(f"division by zero in {text!r}")
            value = Fraction(int(p), int(q))
        else:
            value = Fraction(Decimal(digits.replace(",", "")))
        if m.group(f"sign{t}") in ("-", "−"):
            value = -value
    else:
        value = Fraction(_words_value(words))
    scale = scale if scale in SCALES else scale.lower()
    return value * SCALES.get(scale, 1), scale


def _yearlike(digits: str | None) -> bool:
    return bool(digits) and re.fullmatch(r"(?:19|20)\d\d", digits) is not None


def _candidates(text: str) -> list[tuple[int, int, int, re.Match, str]]:
    """(start, rank, end, match, kind) of every reading; rank breaks ties at one position."""
    found = []
    for rank, (kind, pattern) in enumerate([("ratio", _RATIO), ("fraction", _FRACTION),
                                            ("range", _RANGE), ("cardinal", _CARDINAL)]):
        for m in pattern.finditer(text):
            here = kind
            if kind == "ratio" and _yearlike(m.group("b")):
                continue  # 'number one in 2024' is no ratio
            if kind == "fraction" and (m.group("n") or "a").lower() not in ("a", "an") \
                    and _words_value(m.group("n")) > 9:
                continue
            if kind == "range":
                if _yearlike(m.group("dig1")) and _yearlike(m.group("dig2")) and not m.group("scl2"):
                    continue  # '2018-2024' is a span of years, not a range of values
                try:
                    if _number(m, "2", text)[0] <= _number(m, "1", text)[0]:
                        continue  # '7-1' is not a range; read its numbers one by one
                except InvalidNumber:
                    continue
            if kind == "cardinal":
                if m.group("ord") or m.group("sord"):
                    here = "ordinal"  # '1,000th', '10 millionth': only if nothing else is there
                elif (m.group("wrd") or "").lower() == "one" and re.search(
                        rf"\b(?:the|this|that|each|every|which|any|no|{any_of(ORDINALS)})\s+$", text[:m.start()], _I):
                    continue  # 'the ninth one': a pronoun, not a count
                elif _yearlike(m.group("dig")) and not m.group("scl") \
                        and not re.match(r"\s*(?:%|％|per|yuan|元|亿|万)", text[m.end():], _I):
                    here = "year"  # 'In 2024, ...': a number only if there is no other
            found.append((m.start(), rank, m.end(), m, here))
    return found


def _pick(text: str):
    found = sorted(_candidates(text), key=lambda c: (c[0], c[1], -c[2]))
    for allowed in ({"ratio", "fraction", "range", "cardinal"}, {"year"}, {"ordinal"}):
        chosen = [c for c in found if c[4] in allowed]
        if chosen:
            return chosen[0][3], chosen[0][4]
    for kind, pattern in (("ordinal_word", _ORDINAL), ("multiple", _MULTIPLE), ("bare_scale", _BARE_SCALE)):
        m = pattern.search(text)
        if m and not (kind == "multiple" and m.group("n") and m.group("n").lower() not in NUMBER_WORDS
                      and not m.group("n").isdigit()):
            return m, kind
    return None, ""


def _plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + ("es" if re.search(r"(?:s|x|ch|sh)$", word) else "s")


def _counted_noun(rest: str) -> str:
    """The head noun after a count: the first plural word of the phrase, else its last word."""
    m = re.match(r"\s*((?:[A-Za-z0-9][A-Za-z0-9\-]*\s*)+)", rest)
    phrase = []
    for word in (m.group(1).split() if m else [])[:10]:
        if word.lower() in STOP_WORDS:
            break
        phrase.append(word.lower())
    for i, word in enumerate(phrase):
        if re.fullmatch(r"[a-z]{2,}s", word) and not re.search(r"(?:ss|us|is)$", word):
            pair = f"{phrase[i - 1]} {word}" if i else ""
            return pair if pair in COMPOUND_UNITS else SPELLING.get(word, word)
    if phrase and re.fullmatch(r"[a-z]+", phrase[-1]) and phrase[-1] not in ("one", "a", "an", "the"):
        return _plural(phrase[-1])
    return ""


# N成: N tenths, in Chinese or Arabic digits, not a word that only contains 成 (成都, 成本, 成为...).
# One meaning everywhere (the curated seeds, the finder, the conflict rule's PERCENT_SCALES): a share
# written N成 is N x 10 %, value 10N with unit '%' and scale word '成' (占全国4成 is 40 %, stated to the tenth).
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TENTHS = re.compile(r"(?<![0-9.])(?P<n>[1-9]|[一二两三四五六七八九])成(?![本员果为功长效立熟交就都])")


def parse_quantity(text: str) -> Quantity:
    """The quantity a quote states. Raises InvalidNumber naming the input if it states none."""
    if not (text or "").strip():
        raise InvalidNumber("no number: the text is empty")
    if _BAD_SIGN.search(text):
        raise InvalidNumber(f"not a number: {text!r} has a doubled sign")
    if _EXPONENT.search(text):
        raise InvalidNumber(f"not a number: {text!r} uses an exponent; write the digits or a scale word")
    tenths = _TENTHS.search(text)
    if tenths is not None:  # 占全国4成, 八成以上: a share in tenths, 4成 = 40 %
        digit = tenths.group("n")
        n = int(digit) if digit.isdigit() else _CHINESE_DIGITS[digit]
        before = _QUAL_BEFORE.search(text[:tenths.start()])
        after = _QUAL_AFTER.match(text[tenths.end():])
        qualifier = (QUALIFIER_OF[before.group("q").lower()] if before
                     else _QUAL_AFTER_MAP[after.group("q").lower()] if after else "")
        return Quantity(Fraction(10 * n), None, "%", "成", qualifier, tenths.group(0))
    m, kind = _pick(text)
    if m is None:
        raise InvalidNumber(f"no number found in {text!r}")
    value_max, scale, unit = None, "", ""
    rest = text[m.end():]
    if kind == "ratio":
        if _small(m.group("b").lower()) == 0:
            raise InvalidNumber(f"division by zero in {text!r}")
        value, unit = Fraction(_small(m.group("a").lower()), _small(m.group("b").lower())), "share"
    elif kind == "fraction":
        d = m.group("d") or "half"
        n = m.group("n") or "a"
        value = Fraction(1 if n.lower() in ("a", "an") else _words_value(n), DENOMINATORS[d.lower()])
        noun = re.match(r"\s+an?\s+([A-Za-z]+)\b", rest)  # 'half a year' is a duration, not a share
        if noun:
            unit, rest = _plural(noun.group(1).lower()), rest[noun.end():]
        else:
            unit = "share"
            scale = re.sub(r"^an?\s+", "", m.group(0).lower())
    elif kind == "range":
        value, scale1 = _number(m, "1", text)
        value_max, scale = _number(m, "2", text)
        if scale and not scale1:
            value *= SCALES[scale]  # '2 to 3 billion': the scale word applies to both ends
        elif scale1 and not scale:
            scale = scale1
    elif kind in ("cardinal", "year", "ordinal"):
        value, scale = _number(m, "", text)
    elif kind == "ordinal_word":
        value = Fraction(ORDINALS[m.group("o").lower()])
    elif kind == "multiple":
        n = m.group("n")
        value, unit = Fraction(2 if m.group("two") else 3 if m.group("three") else _small(n.lower())), "times"
    else:  # 'trillion-level market': one of the scale
        scale = m.group("s").lower()
        value = Fraction(SCALES[scale])
    before = text[:m.start()]
    currency = _CURRENCY_BEFORE.search(before)
    if currency:
        unit = "yuan" if re.match(r"RMB|CNY|¥|￥", currency.group("cur"), _I) else "US$"
        before = before[:currency.start()]
    if not unit:
        for pattern, name in _UNIT_AFTER:
            if pattern.match(rest):
                unit = name
                break
        else:
            unit = _counted_noun(rest)
    qualifier = _QUAL_BEFORE.search(before.rstrip("( （"))
    after = _QUAL_AFTER.match(rest)
    qualifier = (QUALIFIER_OF[qualifier.group("q").lower()] if qualifier
                 else _QUAL_AFTER_MAP[after.group("q").lower()] if after else "")
    return Quantity(value, value_max, unit, scale, qualifier, m.group(0))


# 12,5 · 1.234,5 · 1 234,5 (with a space or no-break space): a decimal comma, never read as 125 or 1234.5
DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}([.\s\u00a0\u202f]\d{3})+|\d+),\d{1,2}(\s*\D*)?$")


def parse_value(text: str) -> Fraction:
    """A value typed in a dialog: digits with an optional scale word, p/q, or number words."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidNumber("no value: the field is empty")
    if DECIMAL_COMMA.match(raw):
        raise InvalidNumber(f"{text!r} looks like a decimal comma (as written in German, French or Russian); "
                            "write the number with a decimal point and no thousands dots, e.g. 1234.5")
    q = parse_quantity(raw)  # one reader for quotes and fields: the same refusals and scale words
    bare = re.sub(r"\s*[%％]$", "", raw)  # '31.2%' means 31.2: the unit has its own field
    if q.number_text.lower() != bare.lower() or q.value_max is not None:
        raise InvalidNumber(f"not a value: {text!r}; type only the number and its scale word, e.g. 1.1 trillion")
    return q.value


def quote_disagrees(quote: str, value: Fraction, unit: str) -> str | None:
    """None when the quote states the value; else one sentence saying how they differ."""
    value = Fraction(value)
    try:
        q = parse_quantity(quote)
    except InvalidNumber as exc:
        return f"The quote holds no number that can be read ({exc}), but the value is {canonical(value)}."
    stated = q.value
    if q.unit == "share" and unit == "%":
        stated = q.value * 100  # 'one in three' against 33.33..%: compared exactly
    elif q.unit == "%" and unit == "share":
        stated = q.value / 100
    if stated == value:
        return None
    said = (q.number_text if q.unit in ("", "share") else f"{q.number_text}%" if q.unit == "%"
            else f"US${q.number_text}" if q.unit == "US$" else f"{q.number_text} {q.unit}")
    return f"The quote says {said} ({canonical(stated)}) but the value is {canonical(value)}."


# --- periods -----------------------------------------------------------------------
_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
MONTH_PATTERN = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_Y = r"(?:(?P<y>(?:19|20)\d\d)(?!\d)|(?P<rel>this|last|next|current) year)"
_SMALL = rf"\d{{1,2}}|{_W}"
_PERIODS = [  # (pattern, how to read it); the earliest phrase in the sentence wins
    (rf"\b(?:from\s+|between\s+)?(?P<m1>{MONTH_PATTERN})\s*(?:to|-|–|—|through|and|until)\s*(?P<m2>{MONTH_PATTERN})"
     rf"(?:\s+of|,)?\s+{_Y}", "months"),
    (rf"\bfirst\s+(?P<n>{_SMALL})\s+months\s+(?:of\s+)?{_Y}", "first_months"),
    (rf"\b(?P<h>first|second|1st|2nd)\s+half\s+(?:of\s+)?{_Y}", "half"),
    (rf"\b(?P<hh>H[12])\s+{_Y}", "half"),
    (rf"\b(?:Q(?P<q>[1-4])|(?P<qw>first|second|third|fourth)\s+quarter\s+of)\s+{_Y}", "quarter"),
    (rf"\bfirst\s+(?P<nq>two|three|2|3)\s+quarters\s+(?:of\s+)?{_Y}", "quarters"),
    (r"\b(?:from\s+|between\s+)?(?P<y1>(?:19|20)\d\d)\s*(?:to|-|–|—|through|and|until)\s*"
     r"(?P<y2>(?:19|20)\d\d)\b", "years"),
    (r"\bsince\s+(?P<y1>(?:19|20)\d\d)\b", "since"),
    (rf"\b(?P<m>{MONTH_PATTERN})\s+(?:of\s+)?{_Y}", "month"),
    (r"(?P<y>(?:19|20)\d\d)年(?:(?P<m1>\d{1,2})\s*[-—–至到]\s*(?P<m2>\d{1,2})月|前(?P<n>\d{1,2})个月"
     r"|(?P<h>上|下)半年|(?P<m>\d{1,2})月)?", "chinese"),
    (rf"(?:\b(?:in|by|of|for|during|until|through|throughout|as of)\s+){_Y}", "year"),
]
_PERIODS = [(re.compile(p, _I), kind) for p, kind in _PERIODS]
_RELATIVE = re.compile(r"\b(?P<rel>this|last|next|current) (?P<what>year|month)\b|(?P<zh>去年|今年|明年|上月|本月)", _I)


def _month(name: str) -> int:
    return _MONTH_NAMES.index(name.lower()[:3]) + 1


def _read_period(m: re.Match, kind: str, pub_year: int | None) -> str:
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else None
    if g.get("rel"):
        if pub_year is None:
            return ""
        year = pub_year + {"this": 0, "current": 0, "last": -1, "next": 1}[g["rel"].lower()]
    if kind == "months":
        return f"{year}-{_month(g['m1']):02d}/{year}-{_month(g['m2']):02d}"
    if kind == "first_months" or (kind == "chinese" and g["n"]):
        n = _small(g["n"].lower())
        return f"{year}-01/{year}-{n:02d}" if 1 <= n <= 12 else ""
    if kind == "half" or (kind == "chinese" and g["h"]):
        first = (g.get("h") or g.get("hh") or "").lower() in ("first", "1st", "h1", "上")
        return f"{year}-01/{year}-06" if first else f"{year}-07/{year}-12"
    if kind == "quarter":
        q = int(g["q"]) if g["q"] else ORDINALS[g["qw"].lower()]
        return f"{year}-{3 * q - 2:02d}/{year}-{3 * q:02d}"
    if kind == "quarters":
        return f"{year}-01/{year}-{3 * _small(g['nq'].lower()):02d}"
    if kind in ("years", "since"):
        y1 = int(g["y1"])
        y2 = int(g["y2"]) if kind == "years" else pub_year
        return f"{y1}/{y2}" if y2 and y2 > y1 else str(y1)
    if kind == "month" or (kind == "chinese" and g["m"]):
        number = int(g["m"]) if g["m"].isdigit() else _month(g["m"])
        return f"{year}-{number:02d}"
    if kind == "chinese" and g["m1"]:
        return f"{year}-{int(g['m1']):02d}/{year}-{int(g['m2']):02d}"
    return str(year)


def _valid(period: str) -> bool:
    try:
        return bool(period) and parse_period(period).start is not None
    except StoreError:
        return False


def guess_period(sentence: str, published: str) -> str:
    """The period a sentence's figure refers to, as parse_period text; '' when there is no clue.

    The first explicit period phrase wins; else relative words ('last year') resolved
    against the document's date `published` ("2025-03", "2024-10-23", "2025").
    """
    pub = re.match(r"\s*((?:19|20)\d\d)(?:-(\d{2}))?", published or "")
    pub_year = int(pub.group(1)) if pub else None
    pub_month = int(pub.group(2)) if pub and pub.group(2) else None
    found = []
    for pattern, kind in _PERIODS:
        for m in pattern.finditer(sentence or ""):
            period = _read_period(m, kind, pub_year)
            if _valid(period):
                found.append((m.start(), -len(m.group(0)), period))
    if found:
        return min(found)[2]
    m = _RELATIVE.search(sentence or "")
    if not m or pub_year is None:
        return ""
    word = (m.group("rel") or "").lower()
    zh = m.group("zh") or ""
    if (m.group("what") or "").lower() == "month" or zh in ("上月", "本月"):
        if pub_month is None:
            return ""
        back = 1 if word == "last" or zh == "上月" else -1 if word == "next" else 0
        year, month = divmod(pub_year * 12 + pub_month - 1 - back, 12)
        return f"{year}-{month + 1:02d}"
    shift = {"last": -1, "next": 1, "去年": -1, "明年": 1}.get(word or zh, 0)
    return str(pub_year + shift)


# The metrics' unit kinds (charts never mix kinds): what import and the finder file a unit under.
UNIT_KINDS = {"yuan": "money", "US$": "money", "%": "percent", "share": "percent",
              "percentage points": "percentage_points", "years": "duration", "hours": "duration",
              "minutes": "duration", "months": "duration", "hectares": "area", "times": "ratio"}


def unit_kind(unit: str) -> str:
    """The metrics' unit_kind a unit belongs to (charts never mix kinds); counted nouns are counts."""
    return UNIT_KINDS.get((unit or "").strip(), "count")
