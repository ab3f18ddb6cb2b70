"""Where the figure finder sees a figure: trigger tokens, the number regex, and each quote's span.

Part of store.finder (see there). One precompiled regex holds every kind of number and of
look-alike (dates, URLs, labels); it is tried only at trigger tokens (a digit, a number word,
a month ...), which regexes find in a byte copy of the text, with no Python loop over its words.
A span is the number with its scale word, unit or counted noun and an adjacent qualifier.
"""

from __future__ import annotations

import heapq
import re
from fractions import Fraction
from functools import lru_cache

from store.errors import StoreError

# The parser's own vocabulary, so that what the finder spans is what the parser reads.
from store.values.numbers import (
    COMPOUND_UNITS,
    DENOMINATORS,
    MONTH_PATTERN,
    NUMBER_WORDS,
    ORDINALS,
    QUALIFIER_OF,
    SPELLING,
    STOP_WORDS,
    UP_TO_PATTERN,
    any_of,
    parse_quantity,
)

IGNORE_CASE = re.IGNORECASE
_WORD = any_of(list(NUMBER_WORDS) + ["hundred", "dozen"])
_NUMWORD = rf"(?:{_WORD})(?:[ \t-]+(?:{_WORD}))*"
_DIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WS1 = r"[ \t]*(?:\n[ \t]*)?"  # at most one line break: info boxes put the unit on the next line
_LABELS = ("No Nos Number Art Article Section Sec Chapter Page Vol Volume Issue Phase Stage Level Line Route Room "
           "Gate Terminal Type Model Version Grade Class Table Figure Fig Item Clause Part Round Batch Session Block "
           "Building Floor Road Street Platform").split()
# At one position the alternatives are tried in order, so a date ("January 26", "2025-03-07"),
# a label ("No 1") or a plan name ("Five-Year") is consumed before its digits or words are read.
SKIPS = {
    "url": r"https?://\S+|www\.\S+|[\w.+-]{1,64}@[\w-]{1,255}\.[\w.]+",  # an e-mail's parts as RFC 5321 bounds them
    "date": r"(?<!\d)(?:19|20)\d\d(?P<sep>[-/.])\d{1,2}(?P=sep)\d{1,2}(?!\d)|(?<!\d)\d{1,2}/\d{1,2}/(?:19|20)\d\d(?!\d)"
            r"|(?:(?:19|20)\d\d\s*年\s*)?\d{1,2}\s*(?:[-—–至到]\s*\d{1,2}\s*)?月(?:\s*\d{1,2}\s*[日号])?"
            r"|(?:19|20)\d\d\s*年|(?<!\d)\d{1,2}\s*[日号]"
            rf"|\b{MONTH_PATTERN}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?:19|20)\d\d)?"
            rf"|(?<![\d.,])\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_PATTERN}(?![a-z])|(?<![\d.])\d{{1,2}}:\d\d(?::\d\d)?(?!\d)",
    "furniture": r"^[ \t]*(?:\d{1,2}\.)+[ \t]+(?=\S)|^[ \t]*\(?\d{1,2}\)[ \t]"
                 r"|^[ \t]*(?:Page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[ \t]*$(?!\n[ \t]*[a-z%％])"
                 r"|^[ \t]*(?:Photos?|Image|Picture|Credits?|Copyright|©|Editors?|Reporters?|Translators?)\b[^\n]*",
    "label": rf"(?-i:\b(?:{'|'.join(_LABELS)}))\.?[ \t]*\d+(?:\.\d+)*(?:[ \t]+of[ \t]+\d+)?",
    "plan": rf"\b(?:{_NUMWORD}|\d+)-years?(?:-olds?)?\b",  # 'Five-Year Plan', 'a 10-year programme'
}
_FINDS = {
    "ratio": rf"\b(?P<ra>\d+|{_WORD})\s+(?:out\s+of|in)\s+(?P<every>every\s+)?(?P<rb>\d+|{_WORD})\b",
    "frac": rf"\b(?:an?|{_WORD})(?P<fsep>[ \t-])(?:{any_of(DENOMINATORS)})s?\b",
    "half": r"\bhalf\b(?=\s+(?:of|an?)\b)",
    "mult": r"\b(?:doubl(?:ed|ing)|tripl(?:ed|ing)|twice|threefold|(?:\d+|two|three|four|five|ten)-fold)\b",
    "bare": r"\b(?:hundred-)?(?:billion|trillion)(?:-yuan)?[ \t-]+(?:level[ \t]+)?(?:market|scale)\b",
    "ordw": rf"\b(?:{any_of([w for w in ORDINALS if w != 'first'])})\b",
    "dig": rf"(?:(?<![A-Za-z\d.,/=_@#])|(?<=RMB)|(?<=USD)|(?<=CNY))(?:{_DIG})(?P<ord>st|nd|rd|th)?(?![A-Za-z\d])(?!\.\d)",
    "wrd": rf"\b{_NUMWORD}(?![a-z])",
}
_SCAN = re.compile("|".join(f"(?P<{k}>{v})" for k, v in {**SKIPS, **_FINDS}.items()), IGNORE_CASE | re.M)
# Where the scan is tried: digits, number words, months, labels, line-start words (see scan_spans).
_TRIGGER = re.compile(r"[^\W\d_]+|\d[\d,.]*|©")
_TRIGGER_WORDS = frozenset([*NUMBER_WORDS, "hundred", "dozen", "half", "twice", "threefold", "billion", "trillion",
                            "doubled", "doubling", "tripled", "tripling", *ORDINALS, *DENOMINATORS, "http", "https",
                            "www", *"jan january feb february mar march apr april may jun june jul july aug august sep "
                            "sept september oct october nov november dec december".split()])
_LINE_WORDS = frozenset("photo photos image picture credit credits copyright editor editors reporter reporters "
                        "translator translators ©".split())
_ANY_TRIGGER, _CASED_TRIGGERS = _TRIGGER_WORDS | _LINE_WORDS, frozenset(_LABELS)


def trie_pattern(words) -> str:
    """A regex alternation as a trie ('t(?:en|hree|...)'): tried at every position, it fails at the first letter."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        return "(?:" + "|".join(alts) + (")?" if "" in node else ")")
    return emit(root)


# The trigger tokens found by regexes over a one-byte-a-character copy of the text (ASCII-lowercased
# latin-1, '?' for the rest; see _triggers) instead of a Python loop over every word of it. A word hit
# is a run of ASCII letters that may be only part of a token ('éten'): _triggers checks the token.
_BYTE_WORD_TRIGGER = re.compile(rb"(?<![a-z])" + trie_pattern(sorted(
    {w.lower() for w in _ANY_TRIGGER | _CASED_TRIGGERS if w.isascii()})).encode() + rb"(?![a-z])")
_BYTE_DIGIT_TRIGGER = re.compile(rb"[0-9][0-9,.]*|\xa9")  # a digit token ([0-9] only: see _triggers) or '©'
_TOKEN_AT = re.compile(r"(?<![^\W\d_])[^\W\d_]+")  # the whole word token that starts here, if one does
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_DIGIT = re.compile(r"\d")
_LINE_PREFIX = re.compile(r"[ \t(]*(?:Page[ \t]+)?$")
_FRACTION_BEFORE = re.compile(rf"(?<!\w)(?:an?|{_WORD})[ \t-]$", IGNORE_CASE)

_YEAR = re.compile(r"(?:19|20)\d\d")
_RANGE = re.compile(rf"[ \t]*(?:to|-|–|—|~|～|至|到)[ \t]*(?P<d2>{_DIG})(?![A-Za-z\d])", IGNORE_CASE)
_SCALE = re.compile(r"[ \t-]*(?:万亿|亿|万|thousand|million|billion|trillion)(?:th)?(?![a-z])", IGNORE_CASE)
_UNIT = re.compile(rf"{_WS1}(?:%|％|percentage\s+points?\b|个?百分点|per\s?cent\b|pct\b|times\b|fold\b|倍|美元"
                   r"|(?:U\.?S\.?\s*)?dollars?\b|USD\b)|[ \t-]*(?:yuan|renminbi|RMB|CNY)\b|[ \t]*(?:人民币)?元", IGNORE_CASE)
_CJK_COUNT = re.compile(r"[ \t]*(公顷|平方公里|平方米|台(?![阶风湾账])|[个家套项名人件座所种辆架艘亩])")  # not 台阶, 台风
_CJK_UNITS = {"公顷": "hectares", "平方公里": "square kilometres", "平方米": "square metres", "台": "units",
              "套": "sets", "项": "items", "名": "people", "人": "people", "辆": "vehicles", "家": "enterprises",
              "亩": "mu", "件": "items", "种": "kinds", "架": "aircraft", "艘": "ships"}
_QUAL_AFTER = re.compile(r"[ \t]*(?:以上|多|余|左右|以下)|[ \t]+(?:or more|and above|or less|or fewer)\b", IGNORE_CASE)
_CURRENCY = re.compile(r"(?:US[ \t]?\\?\$|HK\\?\$|\\?\$|USD|RMB|CNY|€|£|¥|￥)[ \t]*$", IGNORE_CASE)
_QUAL_BEFORE = re.compile(rf"(?<![A-Za-z])(?:{any_of(QUALIFIER_OF).replace(re.escape('up to'), UP_TO_PATTERN)})[ \t]*$", IGNORE_CASE)
_PHRASE = re.compile(rf"(?:{_WS1}(?:[A-Za-z][\w'’&-]*|\d[\w-]*[A-Za-z][\w-]*|&))" + "{1,9}")
_TOKEN = re.compile(r"[\w'’&-]+")
_COUNTED_ADJECTIVE = re.compile(r"[ \t]+(?:thousand|million|billion|trillion)-yuan\b", IGNORE_CASE)
_ADJECTIVE = re.compile(r"-(?:thousand|million|billion|trillion)-yuan$", IGNORE_CASE)
_ALONE_BEFORE, _ALONE_AFTER = re.compile(r"(?:^|\n)[ \t]*$"), re.compile(r"[ \t]*(?:\n|$)")
_PERIOD_START = re.compile(r"\b(?:first|last|next)[ \t]+$", IGNORE_CASE)
_PERIOD_NOUN = re.compile(r"[ \t]+(?:days|weeks|months|quarters|years)\b", IGNORE_CASE)
_RANK = re.compile(r"\b(?:top|bottom|No\.?|number|rank\w*|#)[ \t]*$", IGNORE_CASE)
_THE = re.compile(r"\bthe[ \t]+$", IGNORE_CASE)
_OUT_OF_THE = re.compile(r"[ \t]+out[ \t]+of[ \t]+(?:the|all)[ \t]+", IGNORE_CASE)
_OUT_OF_BEFORE = re.compile(r"\bout[ \t]+of[ \t]+(?:the|all)[ \t]+$", IGNORE_CASE)
_CAPITALISED_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\n][\s\"“'‘]*)$")
_CLUTTER_BEFORE = re.compile(r"(?:\b(?:views?|reads?|clicks?|visits?|hits|tel|telephone|phone|fax|hotline|mobile|zip"
                             r"|postcode|post code)|浏览(?:量|次数)?|阅读(?:量)?|点击(?:量)?|电话|传真|邮编)[ \t]*[:：.]?[ \t]*\(?$", IGNORE_CASE)
_PHONE = re.compile(r"\(?0\d{2,3}\)?[ \t]*-?[ \t]*\d{7,8}(?!\d)|\+?86[ \t-]+\d")
NUMBER_OF = re.compile(r"\bnumber\s+of\s+(?P<n>(?:[\w-]+\s+){0,3}[\w-]+)", IGNORE_CASE)
# 'projected', 'expected to'; not the nouns 'projects' and 'life expectancy'
MODES = [("projected", re.compile(r"\b(?:project(?:ed|ing|ions?)|expect(?:s|ed|ing|ations?)?|forecast\w*|predict\w*"
                                   r"|estimat\w*|poised)\b", IGNORE_CASE)),
          ("target", re.compile(r"\b(?:aim\w*|target\w*|goal|plans?|planned|will|strive\w*)\b", IGNORE_CASE))]
_NOT_PLURAL = {"has", "was", "its", "this", "thus", "plus", "news", "series", "species", "always", "perhaps", "whereas",
               "towards", "afterwards", "electronics", "robotics", "logistics", "economics", "physics", "politics",
               "mathematics", "optics", "photonics", "genomics", "mechatronics", "avionics", "aeronautics", "ethics"}
_PLURAL_WORDS = {"people", "staff", "personnel", "children", "men", "women", "data", "aircraft"}
_NAME_NOUNS = {"sessions"}  # 'the two sessions' is the name of a political event

# --- spans ---------------------------------------------------------------------------------
def is_plural(word: str) -> bool:
    w = word.lower()
    return w in _PLURAL_WORDS or (len(w) > 2 and w.endswith("s") and w.isalpha() and w not in _NOT_PLURAL
                                  and not w.endswith(("ss", "us", "is", "ous")))


def _noun(text: str, pos: int) -> tuple[int, str] | None:
    """(end, head noun) of the counted noun phrase after a number, up to its first plural ('... centers')."""
    m = _PHRASE.match(text, pos)
    previous = ""
    for i, token in enumerate(_TOKEN.finditer(m.group(0) if m else "")):
        word = token.group(0).rstrip("'’")
        lower = word.lower()
        if lower in STOP_WORDS or lower in _NAME_NOUNS or (i == 0 and lower in ("and", "or", "&")):
            return None
        if is_plural(word):
            pair = f"{previous} {lower}"
            return pos + token.start() + len(word), pair if pair in COMPOUND_UNITS else SPELLING.get(lower, lower)
        previous = lower
    return None


def _right(text: str, pos: int) -> tuple[int, str, bool]:
    """(end, unit the finder read, whether a scale, unit or counted noun follows) after a number."""
    unit, found = "", False
    if _COUNTED_ADJECTIVE.match(text, pos) and (noun := _noun(text, pos)):
        # 'nine trillion-yuan industrial clusters' counts clusters; the quote stops at 'nine' because the
        # parser (rightly, for 'nine trillion yuan') would read the longer quote as money.
        return pos, noun[1], True
    if m := _SCALE.match(text, pos):
        pos, found = m.end(), True
    if m := _UNIT.match(text, pos):
        pos, found = m.end(), True
    elif m := _CJK_COUNT.match(text, pos):
        pos, found, unit = m.end(), True, _CJK_UNITS.get(m.group(1), "")
    elif noun := _noun(text, pos):
        (pos, unit), found = noun, True
    if m := _QUAL_AFTER.match(text, pos):
        pos = m.end()
    return pos, unit, found


def _left(text: str, start: int) -> tuple[int, str]:
    """Start of the quote with an adjacent currency sign and qualifier ('over US$5 billion'); EUR/GBP."""
    unit = ""
    if m := _CURRENCY.search(text, max(0, start - 8), start):
        unit = "EUR" if "€" in m.group(0) else "GBP" if "£" in m.group(0) else ""
        start = m.start()
    if m := _QUAL_BEFORE.search(text, max(0, start - 24), start):
        start = m.start()
    return start, unit


def _money_adjective(text: str, start: int, end: int) -> bool:
    """'hundred-billion-yuan and trillion-yuan clusters': a class of things named by a threshold."""
    return bool(_ADJECTIVE.search(text, start, end)) and (
        re.match(r"[ \t]+and\b", text[end:end + 8]) is not None or _noun(text, end) is not None)


def figure_span(text: str, m: re.Match) -> tuple[int, int, str] | None:
    """The quote (start, end, a unit the parser cannot see) of one scan match, or None to skip it."""
    kind, s, e = m.lastgroup, m.start(), m.end()
    before = text[max(0, s - 24):s]
    if kind == "ratio":  # 'one out of every eight'; 'two in 2024' is no ratio
        if _YEAR.fullmatch(m.group("rb")) or not (m.group("every") or "out" in m.group(0).lower()
                                                  or m.group("ra").lower() in ("one", "1")):
            return None
    elif kind == "frac":  # 'a third of', 'one-third', 'by nearly a third' are shares; 'a third round' is not
        if _PERIOD_START.search(before) and m.group(0).lower().endswith(("quarters", "quarter")):
            return None  # 'the first three quarters of 2021' is a period
        if m.group("fsep") != "-" and not re.match(r"\s+of\b", text[e:e + 8]) and not (
                re.search(r"\bby\s+$", before, IGNORE_CASE) or _QUAL_BEFORE.search(text, max(0, s - 24), s)):
            return None
    elif kind == "half":
        if re.search(r"\b(?:first|second|1st|2nd)\s+$", before, IGNORE_CASE):
            return None  # 'the first half of 2025' is a period
        noun = re.match(r"\s+an?\s+[A-Za-z]+\b", text[e:e + 24])  # 'half a year'
        e += noun.end() if noun else 0
    elif kind == "ordw":  # 'the eighth industrial cluster', 'the ninth one': a count of members
        if one := re.match(r"[ \t]+one\b", text[e:e + 8]):
            the = _THE.search(text, max(0, s - 8), s)
            return (the.start() if the else s), e + one.end(), ""
        cluster = re.match(r"(?:[ \t]+[\w-]+){0,3}?[ \t]+clusters?\b", text[e:e + 60], IGNORE_CASE)
        return (s, e + cluster.end(), "") if cluster else None
    elif kind == "dig":
        return _digits_span(text, m, before)
    elif kind == "wrd":  # a count only with something counted ('nine consecutive years'), never 'one hand'
        if m.group(0)[:1].isupper() and _CAPITALISED_NEXT.match(text, e) and not _SENTENCE_START.search(before):
            return None  # 'the Five Waters campaign': a name, not five waters
        if _OUT_OF_THE.match(text, e):  # 'Six out of the ten ... clusters'
            return _left(text, s)[0], e, ""
        if (_THE.search(before) and not _OUT_OF_BEFORE.search(before)) or (
                _PERIOD_START.search(before) and _PERIOD_NOUN.match(text, e)):
            return None  # 'the three regions' points back at things already counted; 'first five months'
        end, unit, found = _right(text, e)
        scaled = _SCALE.match(text, e) is not None
        if (not found or _money_adjective(text, s, end) or (m.group(0).lower() == "one" and not scaled)
                or (re.match(r"-[A-Za-z]", text[e:e + 2]) and not scaled)):  # 'two-way'
            return None
        return _left(text, s)[0], end, unit
    return _left(text, s)[0], e, ""


def _digits_span(text: str, m: re.Match, before: str) -> tuple[int, int, str] | None:
    s, e = m.start(), m.end()
    digits = m.group(0)[:len(m.group(0)) - len(m.group("ord") or "")]
    if s >= 2 and text[s - 1] == "-" and text[s - 2].isalnum():
        return None  # 'COVID-19': part of a name
    if _CLUTTER_BEFORE.search(before) or _PHONE.match(text, s):
        return None  # 'Views: 1,234', 'Tel: 0769-22223333': the page's furniture, not the text's figures
    if m.group("ord"):  # '1,000th unit' is a milestone; '14th', '15th' name sessions and plans
        if Fraction(digits.replace(",", "")) < 100:
            return None
        noun = re.match(r"[ \t]+[A-Za-z][\w-]*", text[e:e + 40])  # 'the 1,000th unit': one thing, singular
        return s, e + (noun.end() if noun and noun.group(0).strip().lower() not in STOP_WORDS else 0), ""
    r = _RANGE.match(text, e)
    if r and not re.search(r"\bfrom\s+$", before, IGNORE_CASE):  # 'from 5 to 8' is a change, not a range
        if _YEAR.fullmatch(digits) and _YEAR.fullmatch(r.group("d2")):
            return None  # '2018-2024': a span of years
        if Fraction(r.group("d2").replace(",", "")) > Fraction(digits.replace(",", "")):
            e = r.end()
    end, unit, found = _right(text, e)
    if _YEAR.fullmatch(digits) and not (_SCALE.match(text, e) or _UNIT.match(text, e)):
        return None  # 'in 2024', '2024 sales data': a year, unless money or a share follows
    if (_PERIOD_START.search(before) and _PERIOD_NOUN.match(text, e)) or _money_adjective(text, s, end):
        return None  # 'the first 10 months of 2024' names a period
    if not found and (re.match(r"-[A-Za-z]", text[end:end + 2]) or _RANK.search(before) or (
            _ALONE_BEFORE.search(text, max(0, s - 40), s) and _ALONE_AFTER.match(text, e))):
        return None  # '3-D'; 'top 10', 'No 1'; a number alone on its line is a page number
    if s >= 1 and text[s - 1] in "-−" and (s == 1 or text[s - 2] in " \t\n(（"):
        s -= 1  # '-0.3%': a sign written on the number belongs to it
    start, currency = _left(text, s)
    return start, end, unit or currency


def _tokenized_triggers(text: str):
    """(position, lowercased word or None for a digit) of every trigger token, from every token of the text."""
    for token in _TRIGGER.finditer(text):
        word = token.group(0)
        if word[0].isdigit():
            yield token.start(), None
        elif (lower := word.lower()) in _ANY_TRIGGER or word in _CASED_TRIGGERS:
            yield token.start(), lower


def _word_triggers(text: str, hits):
    """The trigger words among the ASCII letter runs the byte regex found: whole tokens, as _TRIGGER reads them."""
    for hit in hits:
        p = hit.start()
        if (token := _TOKEN_AT.match(text, p, p + _AHEAD)) is not None:  # no trigger word is that long
            word = token.group(0)
            if (lower := word.lower()) in _ANY_TRIGGER or word in _CASED_TRIGGERS:
                yield p, lower


@lru_cache(maxsize=16)
def _odd_digit_regex(odd: frozenset[str]) -> re.Pattern:
    """Digit tokens, '©' and word tokens that begin with a character str.isdigit takes for a digit ('²')."""
    return re.compile(r"(?P<digit>\d)[\d,.]*|©" + (rf"|[{re.escape(''.join(sorted(odd)))}](?<![^\W\d_].)[^\W\d_]*"
                                                     if odd else ""))


def _other_triggers(text: str, odd: frozenset[str]):
    """(position, '©' or None for a digit) of the digit tokens and '©' of a text with digits beyond [0-9]."""
    for m in _odd_digit_regex(odd).finditer(text):
        yield m.start(), "©" if m.group(0) == "©" else None


def prepare_text(text: str) -> tuple[frozenset[str], bytes]:
    """The text's non-ASCII characters, and its byte copy: one byte a character, so offsets are the text's.

    The copy is the text in latin-1 ('©' is b'\\xa9') with '?' for the characters latin-1 lacks and
    ASCII letters lowercased, for regexes that find where a word may begin; the text itself says if it does.
    """
    present = frozenset(_ASCII_RUNS.sub("", text)) if not text.isascii() else frozenset()
    return present, text.encode("latin-1", "replace").lower()


def _triggers(text: str, prepared: tuple[frozenset[str], bytes] | None = None):
    """What _tokenized_triggers gives, in order, from regex passes over the byte copy of the text.

    Every trigger word is ASCII letters, and so is every token that lowercases to one unless the text
    holds a non-ASCII letter that lowercases to ASCII (the Kelvin sign): such a text is tokenized as
    ever. Digits beyond [0-9] ('５', '٣') and letters that str.isdigit takes for digits ('²', which
    make their token a digit one) are read from the text itself.
    """
    present, copy = prepared or prepare_text(text)
    if any(c.lower().isascii() for c in present):
        yield from _tokenized_triggers(text)
        return
    words = _word_triggers(text, _BYTE_WORD_TRIGGER.finditer(copy))
    if not any(c.isdigit() for c in present):  # the text's digits are [0-9]: its digit tokens are the copy's
        others = ((m.start(), "©" if copy[m.start()] == 0xA9 else None) for m in _BYTE_DIGIT_TRIGGER.finditer(copy))
    else:
        others = _other_triggers(text, frozenset(c for c in present if c.isdigit() and not _DIGIT.match(c)))
    # Two regexes and a merge by position: one regex of both is slower, as the engine tries both at each byte.
    yield from heapq.merge(words, others)


# Every match at a trigger, and all that is read around it (its span, unit, qualifier, quote), sees
# only a window of the text: _BEHIND characters before the trigger and _AHEAD after it. So the work
# per trigger is bounded and the finder linear in the text, whatever the text ('1-1-1-...' once made
# the e-mail pattern run to the end of the text at every digit). _BEHIND covers every look back
# (a line start 80 characters back, a qualifier 24 before a currency sign 8 before the number).
_BEHIND, _AHEAD = 128, 1024
_RUN = re.compile(r"\S*")


def scan_spans(text: str, prepared: tuple[frozenset[str], bytes] | None = None):
    """(offset, window, match) of the matches of _SCAN in reading order, as finditer would give them,
    tried only at trigger tokens; the match is against window = text[offset:offset + a bounded length].

    A match that reaches the end of its window (a 'number' or URL over a thousand characters long)
    is not read: its run of non-space characters is passed over, so nothing inside it is read either.
    """
    claimed, size = 0, len(text)
    for p, lower in _triggers(text, prepared):
        digit = lower is None
        if p < claimed:
            continue
        starts = []
        if digit or lower in _LINE_WORDS:  # '1. Introduction', '(2)', 'Page 3', 'Photo: ...' own their line
            line = text.rfind("\n", max(0, p - 80), p) + 1  # bounded: a text may have no line breaks
            if (line or p < 80) and line < p and _LINE_PREFIX.match(text, line, p):
                starts.append(line)
        elif lower in DENOMINATORS and (before := _FRACTION_BEFORE.search(text, max(0, p - 12), p)):
            starts.append(before.start())  # 'a quarter of'
        offset = max(0, p - _BEHIND)
        window = text[offset:p + _AHEAD]
        for start in starts + [p]:
            if m := _SCAN.match(window, start - offset):
                if m.end() == len(window) and offset + len(window) < size:
                    claimed = offset + m.end()
                    while claimed < size and (run := _RUN.match(text, claimed, claimed + _AHEAD).end()) > claimed:
                        claimed = run  # the rest of the run, a window at a time
                    break
                claimed = offset + m.end()
                yield offset, window, m
                break


def whole_unit(text: str, pos: int) -> str:
    """The unit of the whole in 'six out of the ten clusters', for the part: six counts clusters too."""
    out_of = _OUT_OF_THE.match(text, pos)
    whole = _SCAN.match(text, out_of.end()) if out_of else None
    if whole is None or whole.lastgroup not in ("wrd", "dig"):
        return ""
    try:
        return parse_quantity(text[whole.start():_right(text, whole.end())[0]]).unit
    except StoreError:
        return ""
