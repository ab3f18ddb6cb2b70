"""The figure finder: propose every quantity a text states, as candidate figures for a curator.

The finder decides *where* a figure is stated (its quote's span); what the quote says (value,
unit, scale, qualifier) is read by store.numbers.parse_quantity, the reader of the add-figure
dialog and of the quote-disagrees flag, so a candidate never disagrees with its own quote.
It follows seeds/FORMAT.md: every stated quantity, but no years, dates, plan names, ordinals in
names ("14th", "fifth session", "5G"), section numbers or page furniture; a quote is the number
with its scale word, unit or counted noun and an adjacent qualifier, like the curated quotes.

Speed (a 10 MB import must not stall): one precompiled regex holds every kind of number and of
look-alike (dates, URLs, labels) and is tried only at trigger tokens (a digit, a number word, a
month ...), which regexes find in a byte copy of the text (no Python loop over its words; names
are found the same way); sentence ends are found once a text, a quote is parsed once a call,
periods and metric word indexes once a sentence, and guess_period only where a year or a relative
word ('last') could give it something to find.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from store.curation import unit_kind
from store.errors import StoreError
from store.exact import canonical
# The parser's own vocabulary, so that what the finder spans is what the parser reads.
from store.numbers import (_COMPOUND, _DENOMINATORS, _MONTH, _ORDINALS, _QUAL_OF, _SPELLING, _STOP, _WORDS, _alt,
                           guess_period, parse_quantity)

_I = re.IGNORECASE
_WORD = _alt(list(_WORDS) + ["hundred", "dozen"])
_NUMWORD = rf"(?:{_WORD})(?:[ \t-]+(?:{_WORD}))*"
_DIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WS1 = r"[ \t]*(?:\n[ \t]*)?"  # at most one line break: info boxes put the unit on the next line
_LABELS = ("No Nos Number Art Article Section Sec Chapter Page Vol Volume Issue Phase Stage Level Line Route Room "
           "Gate Terminal Type Model Version Grade Class Table Figure Fig Item Clause Part Round Batch Session Block "
           "Building Floor Road Street Platform").split()
# At one position the alternatives are tried in order, so a date ("January 26", "2025-03-07"),
# a label ("No 1") or a plan name ("Five-Year") is consumed before its digits or words are read.
_SKIPS = {
    "url": r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+",
    "date": r"(?<!\d)(?:19|20)\d\d(?P<sep>[-/.])\d{1,2}(?P=sep)\d{1,2}(?!\d)|(?<!\d)\d{1,2}/\d{1,2}/(?:19|20)\d\d(?!\d)"
            r"|(?:(?:19|20)\d\d\s*年\s*)?\d{1,2}\s*(?:[-—–至到]\s*\d{1,2}\s*)?月(?:\s*\d{1,2}\s*[日号])?"
            r"|(?:19|20)\d\d\s*年|(?<!\d)\d{1,2}\s*[日号]"
            rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?:19|20)\d\d)?"
            rf"|(?<![\d.,])\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?![a-z])|(?<![\d.])\d{{1,2}}:\d\d(?::\d\d)?(?!\d)",
    "furniture": r"^[ \t]*(?:\d{1,2}\.)+[ \t]+(?=\S)|^[ \t]*\(?\d{1,2}\)[ \t]"
                 r"|^[ \t]*(?:Page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[ \t]*$(?!\n[ \t]*[a-z%％])"
                 r"|^[ \t]*(?:Photos?|Image|Picture|Credits?|Copyright|©|Editors?|Reporters?|Translators?)\b[^\n]*",
    "label": rf"(?-i:\b(?:{'|'.join(_LABELS)}))\.?[ \t]*\d+(?:\.\d+)*(?:[ \t]+of[ \t]+\d+)?",
    "plan": rf"\b(?:{_NUMWORD}|\d+)-years?(?:-olds?)?\b",  # 'Five-Year Plan', 'a 10-year programme'
}
_FINDS = {
    "ratio": rf"\b(?P<ra>\d+|{_WORD})\s+(?:out\s+of|in)\s+(?P<every>every\s+)?(?P<rb>\d+|{_WORD})\b",
    "frac": rf"\b(?:an?|{_WORD})(?P<fsep>[ \t-])(?:{_alt(_DENOMINATORS)})s?\b",
    "half": r"\bhalf\b(?=\s+(?:of|an?)\b)",
    "mult": r"\b(?:doubl(?:ed|ing)|tripl(?:ed|ing)|twice|threefold|(?:\d+|two|three|four|five|ten)-fold)\b",
    "bare": r"\b(?:hundred-)?(?:billion|trillion)(?:-yuan)?[ \t-]+(?:level[ \t]+)?(?:market|scale)\b",
    "ordw": rf"\b(?:{_alt([w for w in _ORDINALS if w != 'first'])})\b",
    "dig": rf"(?:(?<![A-Za-z\d.,/=_@#])|(?<=RMB)|(?<=USD)|(?<=CNY))(?:{_DIG})(?P<ord>st|nd|rd|th)?(?![A-Za-z\d])(?!\.\d)",
    "wrd": rf"\b{_NUMWORD}(?![a-z])",
}
_SCAN = re.compile("|".join(f"(?P<{k}>{v})" for k, v in {**_SKIPS, **_FINDS}.items()), _I | re.M)
# Where the scan is tried: digits, number words, months, labels, line-start words (see _scan).
_TRIGGER = re.compile(r"[^\W\d_]+|\d[\d,.]*|©")
_TRIGGER_WORDS = frozenset([*_WORDS, "hundred", "dozen", "half", "twice", "threefold", "billion", "trillion",
                            "doubled", "doubling", "tripled", "tripling", *_ORDINALS, *_DENOMINATORS, "http", "https",
                            "www", *"jan january feb february mar march apr april may jun june jul july aug august sep "
                            "sept september oct october nov november dec december".split()])
_LINE_WORDS = frozenset("photo photos image picture credit credits copyright editor editors reporter reporters "
                        "translator translators ©".split())
_ANY_TRIGGER, _CASED_TRIGGERS = _TRIGGER_WORDS | _LINE_WORDS, frozenset(_LABELS)


def _trie(words) -> str:
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
_BYTE_WORD_TRIGGER = re.compile(rb"(?<![a-z])" + _trie(sorted(
    {w.lower() for w in _ANY_TRIGGER | _CASED_TRIGGERS if w.isascii()})).encode() + rb"(?![a-z])")
_BYTE_DIGIT_TRIGGER = re.compile(rb"[0-9][0-9,.]*|\xa9")  # a digit token ([0-9] only: see _triggers) or '©'
_TOKEN_AT = re.compile(r"(?<![^\W\d_])[^\W\d_]+")  # the whole word token that starts here, if one does
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_DIGIT = re.compile(r"\d")
_LINE_PREFIX = re.compile(r"[ \t(]*(?:Page[ \t]+)?$")
_FRACTION_BEFORE = re.compile(rf"(?<!\w)(?:an?|{_WORD})[ \t-]$", _I)

_YEAR = re.compile(r"(?:19|20)\d\d")
_RANGE = re.compile(rf"[ \t]*(?:to|-|–|—|~|～|至|到)[ \t]*(?P<d2>{_DIG})(?![A-Za-z\d])", _I)
_SCALE = re.compile(r"[ \t-]*(?:万亿|亿|万|thousand|million|billion|trillion)(?:th)?(?![a-z])", _I)
_UNIT = re.compile(rf"{_WS1}(?:%|％|percentage\s+points?\b|个?百分点|per\s?cent\b|pct\b|times\b|fold\b|倍|美元"
                   r"|(?:US\s*)?dollars?\b|USD\b)|[ \t-]*(?:yuan|renminbi|RMB|CNY)\b|[ \t]*(?:人民币)?元", _I)
_CJK_COUNT = re.compile(r"[ \t]*(公顷|平方公里|平方米|[个家台套项名人件座所种辆架艘亩])")
_CJK_UNITS = {"公顷": "hectares", "平方公里": "square kilometres", "平方米": "square metres", "台": "units",
              "套": "sets", "项": "items", "名": "people", "人": "people", "辆": "vehicles", "家": "enterprises",
              "亩": "mu", "件": "items", "种": "kinds", "架": "aircraft", "艘": "ships"}
_QUAL_AFTER = re.compile(r"[ \t]*(?:以上|多|余|左右|以下)|[ \t]+(?:or more|and above|or less|or fewer)\b", _I)
_CURRENCY = re.compile(r"(?:US[ \t]?\\?\$|HK\\?\$|\\?\$|USD|RMB|CNY|€|£|¥|￥)[ \t]*$", _I)
_QUAL_BEFORE = re.compile(rf"(?<![A-Za-z])(?:{_alt(_QUAL_OF)})[ \t]*$", _I)
_PHRASE = re.compile(rf"(?:{_WS1}(?:[A-Za-z][\w'’&-]*|\d[\w-]*[A-Za-z][\w-]*|&))" + "{1,9}")
_TOKEN = re.compile(r"[\w'’&-]+")
_COUNTED_ADJECTIVE = re.compile(r"[ \t]+(?:thousand|million|billion|trillion)-yuan\b", _I)
_ADJECTIVE = re.compile(r"-(?:thousand|million|billion|trillion)-yuan$", _I)
_ALONE_BEFORE, _ALONE_AFTER = re.compile(r"(?:^|\n)[ \t]*$"), re.compile(r"[ \t]*(?:\n|$)")
_PERIOD_START = re.compile(r"\b(?:first|last|next)[ \t]+$", _I)
_PERIOD_NOUN = re.compile(r"[ \t]+(?:days|weeks|months|quarters|years)\b", _I)
_RANK = re.compile(r"\b(?:top|bottom|No\.?|number|rank\w*|#)[ \t]*$", _I)
_THE = re.compile(r"\bthe[ \t]+$", _I)
_OUT_OF_THE = re.compile(r"[ \t]+out[ \t]+of[ \t]+(?:the|all)[ \t]+", _I)
_OUT_OF_BEFORE = re.compile(r"\bout[ \t]+of[ \t]+(?:the|all)[ \t]+$", _I)
_NUMBER_OF = re.compile(r"\bnumber\s+of\s+(?P<n>(?:[\w-]+\s+){0,3}[\w-]+)", _I)
_MODES = [("projected", re.compile(r"\b(?:project\w*|expect\w*|forecast\w*|predict\w*|estimat\w*|poised)\b", _I)),
          ("target", re.compile(r"\b(?:aim\w*|target\w*|goal|plans?|planned|will|strive\w*)\b", _I))]
_NOT_PLURAL = {"has", "was", "its", "this", "thus", "plus", "news", "series", "species", "always", "perhaps", "whereas",
               "towards", "afterwards", "electronics", "robotics", "logistics", "economics", "physics", "politics",
               "mathematics", "optics", "photonics", "genomics", "mechatronics", "avionics", "aeronautics", "ethics"}
_PLURAL_WORDS = {"people", "staff", "personnel", "children", "men", "women", "data", "aircraft"}
_NAME_NOUNS = {"sessions"}  # 'the two sessions' is the name of a political event
_KNOWN_UNITS = ("yuan", "US$", "%", "percentage points", "share", "times")


@dataclass(frozen=True)
class Candidate:
    """One proposed figure: its exact span and what its quote states, with suggested taxonomy keys."""
    start: int
    end: int
    quote: str
    value: Fraction
    value_text: str
    value_max_text: str
    unit: str
    scale: str
    qualifier: str
    period: str
    metric: str = ""
    entity: str = ""
    cluster: str = ""


@dataclass(frozen=True)
class Name:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    unit_kind: str = ""  # metrics only
    description: str = ""  # metrics only: its words count less than the name's


@dataclass(frozen=True)
class Taxonomy:
    """The names the finder matches around a figure to suggest its metric, entity and cluster."""
    metrics: tuple[Name, ...] = ()
    entities: tuple[Name, ...] = ()
    clusters: tuple[Name, ...] = ()


def load_taxonomy(session) -> Taxonomy:
    """The store's metrics (name, unit kind, description), entities and clusters (name, aliases)."""
    from sqlalchemy import select

    from store.models import Cluster, Entity, Metric
    metrics = session.execute(select(Metric.key, Metric.name, Metric.unit_kind, Metric.description).order_by(Metric.id))
    named = [session.execute(select(m.key, m.name, m.aliases).order_by(m.id)) for m in (Entity, Cluster)]
    return Taxonomy(tuple(Name(k, n, (), u, d or "") for k, n, u, d in metrics),
                    *(tuple(Name(k, n, tuple(a or ())) for k, n, a in rows) for rows in named))


# --- spans ---------------------------------------------------------------------------------
def _is_plural(word: str) -> bool:
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
        if lower in _STOP or lower in _NAME_NOUNS or (i == 0 and lower in ("and", "or", "&")):
            return None
        if _is_plural(word):
            pair = f"{previous} {lower}"
            return pos + token.start() + len(word), pair if pair in _COMPOUND else _SPELLING.get(lower, lower)
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


def _span(text: str, m: re.Match) -> tuple[int, int, str] | None:
    """The quote (start, end, a unit the parser cannot see) of one scan match, or None to skip it."""
    kind, s, e = m.lastgroup, m.start(), m.end()
    before = text[max(0, s - 24):s]
    if kind == "ratio":  # 'one out of every eight'; 'two in 2024' is no ratio
        if _YEAR.fullmatch(m.group("rb")) or not (m.group("every") or "out" in m.group(0).lower()
                                                  or m.group("ra").lower() in ("one", "1")):
            return None
    elif kind == "frac":  # 'a third of', 'one-third', 'by nearly a third' are shares; 'a third round' is not
        if m.group("fsep") != "-" and not re.match(r"\s+of\b", text[e:e + 8]) and not (
                re.search(r"\bby\s+$", before, _I) or _QUAL_BEFORE.search(text, max(0, s - 24), s)):
            return None
    elif kind == "half":
        if re.search(r"\b(?:first|second|1st|2nd)\s+$", before, _I):
            return None  # 'the first half of 2025' is a period
        noun = re.match(r"\s+an?\s+[A-Za-z]+\b", text[e:e + 24])  # 'half a year'
        e += noun.end() if noun else 0
    elif kind == "ordw":  # 'the eighth industrial cluster', 'the ninth one': a count of members
        if one := re.match(r"[ \t]+one\b", text[e:e + 8]):
            the = _THE.search(text, max(0, s - 8), s)
            return (the.start() if the else s), e + one.end(), ""
        cluster = re.match(r"(?:[ \t]+[\w-]+){0,3}?[ \t]+clusters?\b", text[e:e + 60], _I)
        return (s, e + cluster.end(), "") if cluster else None
    elif kind == "dig":
        return _digits_span(text, m, before)
    elif kind == "wrd":  # a count only with something counted ('nine consecutive years'), never 'one hand'
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
    if m.group("ord"):  # '1,000th unit' is a milestone; '14th', '15th' name sessions and plans
        if Fraction(digits.replace(",", "")) < 100:
            return None
        noun = re.match(r"[ \t]+[A-Za-z][\w-]*", text[e:e + 40])  # 'the 1,000th unit': one thing, singular
        return s, e + (noun.end() if noun and noun.group(0).strip().lower() not in _STOP else 0), ""
    r = _RANGE.match(text, e)
    if r and not re.search(r"\bfrom\s+$", before, _I):  # 'from 5 to 8' is a change, not a range
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
        if (token := _TOKEN_AT.match(text, p)) is not None:
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


def _prepare(text: str) -> tuple[frozenset[str], bytes]:
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
    present, copy = prepared or _prepare(text)
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


def _scan(text: str, prepared: tuple[frozenset[str], bytes] | None = None):
    """The matches of _SCAN in reading order, as finditer would give them, tried only at trigger tokens."""
    claimed = 0
    for p, lower in _triggers(text, prepared):
        digit = lower is None
        if p < claimed:
            continue
        starts = []
        if digit or lower in _LINE_WORDS:  # '1. Introduction', '(2)', 'Page 3', 'Photo: ...' own their line
            line = text.rfind("\n", max(0, p - 80), p) + 1  # bounded: a text may have no line breaks
            if (line or p < 80) and line < p and _LINE_PREFIX.match(text, line, p):
                starts.append(line)
        elif lower in _DENOMINATORS and (before := _FRACTION_BEFORE.search(text, max(0, p - 12), p)):
            starts.append(before.start())  # 'a quarter of'
        for start in starts + [p]:
            if m := _SCAN.match(text, start):
                claimed = m.end()
                yield m
                break


def _whole_unit(text: str, pos: int) -> str:
    """The unit of the whole in 'six out of the ten clusters', for the part: six counts clusters too."""
    out_of = _OUT_OF_THE.match(text, pos)
    whole = _SCAN.match(text, out_of.end()) if out_of else None
    if whole is None or whole.lastgroup not in ("wrd", "dig"):
        return ""
    try:
        return parse_quantity(text[whole.start():_right(text, whole.end())[0]]).unit
    except StoreError:
        return ""


# --- suggestions -----------------------------------------------------------------------------
_DESCRIPTION_WEIGHT = 0.4
_WEAK = {"number", "year", "annual", "total", "value"}
_FUNCTION = {"of", "the", "a", "an", "or", "and", "as", "in", "on", "to", "by", "for", "from", "at", "with", "its",
             "set", "people", "organisations", "e", "g", "stated", "share", "unit", "count", "such", "including",
             "not", "is", "be", "that", "other", "different", "kind", "what", "thousand", "million", "billion",
             "trillion", "yuan", "level", "percent", "magnitude", "order"}  # the quote's own words say no metric
_SYNONYMS = {"grew": "growth", "grow": "growth", "grown": "growth", "growing": "growth", "increase": "growth",
             "increased": "growth", "rose": "growth", "surged": "growth"}
_METRIC_WORD, _NAME_WORD = re.compile(r"[A-Za-z&]+"), re.compile(r"\w+")
_NAME_TOKEN_AT = re.compile(r"(?<!\w)\w+")  # the whole \w+ token that starts here, if one does
_ASCII_LETTER_I = re.compile(r"[a-z]", _I)  # beyond ASCII: 'İ', 'ı', 'ſ', 'K'


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    w = word.lower().strip("'’").replace("center", "centre")
    if w in _SYNONYMS:
        return _SYNONYMS[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3 else w


class _Names:
    """Precompiled matchers for one taxonomy: a regex of every entity and cluster name, each metric's words."""

    def __init__(self, names: Taxonomy):
        self.phrases: dict[str, list[tuple[str, str, bool]]] = {}
        for kind, items in (("entity", names.entities), ("cluster", names.clusters)):
            for item in items:
                for phrase in (p.strip() for p in (item.name, *item.aliases) if p.strip()):
                    # A capitalised name ('Guangdong's', 'GBA') names; a lowercase alias ('national') describes.
                    proper = phrase == item.name.strip() or phrase[:1].isupper()
                    self.phrases.setdefault(phrase.casefold(), []).append((kind, item.key, proper))
        self.regex = re.compile(r"(?<!\w)(?:" + _alt(self.phrases) + r")(?!\w)", _I) if self.phrases else None
        self.first_words = {m.group(0) for p in self.phrases if (m := _NAME_WORD.match(p))}
        self.cjk = any(not _NAME_WORD.match(p) or re.search(r"[\u3000-\u9fff]", p) for p in self.phrases)
        # Where a name may begin: where the text's byte copy (see _prepare) holds the ASCII start of one
        # (up to its first other character), when every first word is ASCII; a lookahead, so that no such
        # place hides another. And at a word only the names that begin with it can match (the regex's
        # order kept): another first word is another token.
        ascii_starts = sorted({re.match(r"[\x00-\x7f]*", p).group(0) for p in self.phrases})
        self.byte_names = re.compile(rb"(?<![a-z0-9_])(?=" + _trie(ascii_starts).encode() + rb")") if (
            self.first_words and all(w.isascii() for w in self.first_words)) else None
        by_first: dict[str, list[str]] = {}
        for phrase in self.phrases:
            if m := _NAME_WORD.match(phrase):
                by_first.setdefault(m.group(0), []).append(phrase)
        self.by_first = {w: re.compile(r"(?<!\w)(?:" + _alt(phrases) + r")(?!\w)", _I)
                         for w, phrases in by_first.items()}
        self.metrics = []
        for metric in names.metrics:
            name = re.sub(r"\(.*?\)", " ", metric.name)  # '(units)': an aside, not what is measured
            words = {_stem(w): 0.3 if _stem(w) in _WEAK else 1.0 for w in _METRIC_WORD.findall(name)}
            for w in _METRIC_WORD.findall(metric.description):
                words.setdefault(_stem(w), _DESCRIPTION_WEIGHT)
            if words := {w: weight for w, weight in words.items() if w not in _FUNCTION}:
                self.metrics.append((metric.key, metric.unit_kind, words))

    def mentions(self, text: str, prepared: tuple[frozenset[str], bytes] | None = None
                 ) -> list[tuple[int, int, str, str, bool]]:
        """(start, end, kind, key, proper name?) of every name; tried only at words that begin a name."""
        if self.regex is None:
            return []
        if self.cjk:  # Chinese names sit inside runs of \w
            matches = self.regex.finditer(text)
        elif self.byte_names is None or any(c.casefold().isascii() or _ASCII_LETTER_I.match(c)
                                            for c in (prepared or _prepare(text))[0]):
            # A first word that is not ASCII, or a text with a letter that casefolds to ASCII ('ß') or that
            # the regex takes for an ASCII letter ('ı' for 'i'): every word is tried.
            matches = (self.regex.match(text, t.start()) for t in _NAME_WORD.finditer(text)
                       if t.group(0).casefold() in self.first_words)
        else:
            matches = self._matches(text, self.byte_names.finditer((prepared or _prepare(text))[1]))
        found, claimed = [], 0
        for m in matches:
            if m is not None and m.start() >= claimed:
                claimed = m.end()
                found.extend((m.start(), m.end(), *entry) for entry in self.phrases[m.group(0).casefold()])
        return found

    def _matches(self, text: str, hits):
        """The name matches at the words that begin a name, among the places the byte regex found."""
        for hit in hits:
            p = hit.start()
            if (token := _NAME_TOKEN_AT.match(text, p)) is not None and (
                    first := token.group(0).casefold()) in self.first_words:
                yield self.by_first[first].match(text, p)

    def metric(self, index: dict[str, list[int]], start: int, end: int, kind: str) -> str:
        """The metric of the unit's kind whose words lie nearest the quote (words in the quote count thrice)."""
        best, best_score = "", 0.5
        for key, metric_kind, words in self.metrics:
            if metric_kind != kind:
                continue
            score = 0.0
            for word, weight in words.items():
                if word in index:
                    pos = min(index[word], key=lambda p: abs(p - start))
                    score += weight * (3.0 if start <= pos < end else 1.0 / (1 + abs(pos - start) / 60))
            if score > best_score + 1e-9:
                best, best_score = key, score
        return best


@lru_cache(maxsize=8)
def _names(names: Taxonomy) -> _Names:
    return _Names(names)


def _nearest(near: list, start: int, end: int, default: str = "") -> str:
    """The name in the quote, else the nearest before it in the sentence (its subject), else after it.

    A proper name beats a lowercase alias, and so does the document's main entity (`default`):
    'Guangdong ... 40% of the national total' is about Guangdong though 'national' (an alias of
    China) is nearer, and 'the city' in an article about Shenzhen is Shenzhen.
    """
    inside = [mm for mm in near if mm[0] < end and start < mm[1]]
    if inside:  # 'ten strategic pillar industrial clusters' names its cluster itself
        return inside[0][3]
    for proper in (True, False):
        if not proper and default:
            return default
        before = [mm for mm in near if mm[4] == proper and mm[1] <= start]
        after = [mm for mm in near if mm[4] == proper and mm[0] >= end]
        if before or after:
            return before[-1][3] if before else after[0][3]
    return ""


# --- sentences -------------------------------------------------------------------------------
# store.provenance.sentence_around, for every candidate of a text from one pass over it. Its
# _SENTENCE_END matches one character at a time, so the ends it finds in a window are the ends of
# the whole text there, but for the window's last character: the window's end counts as the text's
# end for the '(?=\s|$)' after '.', '!' and '?'. The same pattern with the character class first,
# so that the regex engine skips to the candidates of an end instead of trying each alternative.
_ENDS = re.compile(r"[.!?\u3002\uff01\uff1f\n](?:(?<=[.!?])(?=\s|$)|(?<![.!?]))")
_END_MARKS = ".!?"  # what ends a sentence at the end of a window, whatever follows it
_SENTENCE_LIMIT = 400  # sentence_around's default limit


class _Sentences:
    """sentence_around(text, start, end) for many spans of one text, from its sentence ends found once."""

    def __init__(self, text: str):
        self.text = text
        self.ends = [m.end() for m in _ENDS.finditer(text)]

    def around(self, start: int, end: int) -> str:
        text, ends = self.text, self.ends
        low, high = max(0, start - _SENTENCE_LIMIT), min(len(text), end + _SENTENCE_LIMIT)
        if start > low and text[start - 1] in _END_MARKS:
            left = start  # a '.' just before the span ends the window sentence_around searches
        else:
            i = bisect.bisect_right(ends, start)
            left = max(low, ends[i - 1]) if i else low
        j = bisect.bisect_right(ends, end)
        right = min(high, ends[j]) if j < len(ends) else high
        return text[left:right].strip()


# --- periods ---------------------------------------------------------------------------------
# store.numbers.guess_period tries a dozen patterns over a sentence; each of them needs a year
# ('(19|20)' and a digit) or, resolved against a publication year, 'this', 'last', 'next' or
# 'current' ('this year'), or a Chinese relative word. A sentence with none of them has no period,
# and most sentences have none: they are not read again.
_PERIOD_CLUE = re.compile(r"(?:19|20)\d")
_PERIOD_CLUE_DATED = re.compile(r"(?:19|20)\d|this|last|next|current|去年|今年|明年|上月|本月", _I)
_PUBLISHED_YEAR = re.compile(r"\s*(?:19|20)\d\d")  # as guess_period reads `published`


def _period_clue(published: str) -> re.Pattern:
    """What a sentence needs for guess_period(sentence, published) to find a period in it."""
    return _PERIOD_CLUE_DATED if _PUBLISHED_YEAR.match(published or "") else _PERIOD_CLUE


# --- the finder --------------------------------------------------------------------------------
def find_figures(text: str, published: str = "", names: Taxonomy | None = None) -> list[Candidate]:
    """Every quantity `text` states, in reading order, as candidates (see the module docstring)."""
    if not isinstance(text, str):
        raise StoreError("the finder reads text, not bytes: decode the file first")
    matcher = _names(names) if names is not None else None
    prepared = _prepare(text)
    mentions = matcher.mentions(text, prepared) if matcher else []
    starts = [mm[0] for mm in mentions]
    entities = Counter(mm[3] for mm in mentions if mm[2] == "entity" and mm[4])
    main_entity = entities.most_common(1)[0][0] if entities else ""  # for sentences that name none
    periods: dict[str, str] = {}
    clue = _period_clue(published)
    indexes: dict[int, tuple[str, dict[str, list[int]]]] = {}  # a sentence's start: its metric words' offsets
    words: dict[str, dict[str, list[int]]] = {}  # the same for a sentence text, so a repeated one is read once
    metrics: dict[tuple[str, int, int, str], str] = {}
    last = (-2, "")  # (line start, period) of the last candidate whose sentence named a period
    found: list[Candidate] = []
    claimed = 0
    sentences = None
    parsed: dict[str, tuple | None] = {}  # a quote's reading, once a call: '12%' recurs in a long text
    for m in _scan(text, prepared):
        if m.start() < claimed or m.lastgroup in _SKIPS or (span := _span(text, m)) is None:
            continue
        start, end, own_unit = span
        start = start if start >= claimed else m.start()  # a qualifier already quoted stays with its figure
        quote = text[start:end]
        if (reading := parsed.get(quote, parsed)) is parsed:
            try:
                q = parse_quantity(quote)
                reading = parsed[quote] = (q, q.value_text, "" if q.value_max is None else canonical(q.value_max))
            except StoreError:
                reading = parsed[quote] = None
        if reading is None:
            continue
        q, value_text, value_max_text = reading
        claimed = end
        # The finder's head noun ('R&D centres') beats the parser's guess; currencies are the parser's.
        unit = own_unit if own_unit and q.unit not in _KNOWN_UNITS else q.unit or own_unit
        if sentences is None:
            sentences = _Sentences(text)
        sentence = sentences.around(start, end)
        at = text.find(sentence, max(0, end - len(sentence)), start + len(sentence)) if sentence else -1
        at = start if at < 0 else at
        if not unit and m.lastgroup == "wrd":
            unit = _whole_unit(text, m.end())
        if not unit and (noun := _NUMBER_OF.search(text, at, start)):
            # 'The number of robotics-related enterprises exceeded 160,000'
            unit = next((w.lower() for w in noun.group("n").split() if _is_plural(w)), "")
        if (period := periods.get(sentence)) is None:
            period = periods[sentence] = guess_period(sentence, published) if clue.search(sentence) else ""
        line = text.rfind("\n", max(0, start - 4000), start)
        line = 0 if line < 0 and start <= 4000 else line
        if not period and line == last[0] and line >= 0:
            period = last[1]  # 'In 2025, output rose 31.2%. ... exceeded 160,000': the year carries on
        elif period:
            last = (line, period)
        before = text[at:start]
        mode = next((name for name, pattern in _MODES if pattern.search(before)), "")
        qualifier = f"{mode} {q.qualifier}".strip()
        metric = entity = cluster = ""
        if matcher:
            # The word index of the first sentence read from this start (a later, longer one reuses it),
            # with offsets from the sentence's start: only distances count, so the metric is the same.
            if (indexed := indexes.get(at)) is None:
                if (index := words.get(sentence)) is None:
                    index = words[sentence] = {}
                    for t in _METRIC_WORD.finditer(sentence):
                        index.setdefault(_stem(t.group(0)), []).append(t.start())
                indexed = indexes[at] = (sentence, index)
            kind = unit_kind(unit)
            if (metric := metrics.get(key := (indexed[0], start - at, end - at, kind))) is None:
                metric = metrics[key] = matcher.metric(indexed[1], start - at, end - at, kind)
            near = mentions[bisect.bisect_left(starts, at):bisect.bisect_left(starts, at + len(sentence))]
            entity = _nearest([mm for mm in near if mm[2] == "entity"], start, end, main_entity)
            cluster = _nearest([mm for mm in near if mm[2] == "cluster"], start, end)
        found.append(Candidate(start, end, quote, q.value, value_text, value_max_text, unit, q.scale, qualifier,
                               period, metric, entity, cluster))
    return found
