"""The period a Chinese report's passage speaks of: its section, its paragraph, its own words.

A government work report delivered in January 2026 reviews 2025 ("一、2025年工作回顾"), the
five years of the 14th plan ("“十四五”时期", "五年来", "这是…的五年": 2021-2025), and sets the
targets of 2026 ("2026年工作安排", "今年", "预期目标") and of the 15th plan (2026-2030): those
are projected. A statistical communiqué ("2025年…统计公报") speaks of its topic year throughout.
`Contexts` reads the headings and paragraph openings once a text and answers, for an offset, the
period the passage is about and the words that said so.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_HEADING = re.compile(r"^[ \t\u3000]*[一二三四五六七八九十]{1,3}、(?P<h>[^\n]{2,60})$", re.M)
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_PLAN = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
_PLAN_WORD = re.compile(r"[“\"]?(十[一二三四五六]五)[”\"]?")
_FUTURE_WORDS = re.compile(r"安排|重点工作|目标|任务|打算|展望")
_REVIEW_WORDS = re.compile(r"回顾|成就|成绩|主要工作")
_FIVE_YEARS = re.compile(r"^[ \t\u3000]*(?:这是[^\n]{0,30}的五年|这五年)|五年来|过去五年|经过五年")
_NEXT_FIVE = re.compile(r"今后五年|未来五年|《纲要草案》|^[ \t\u3000]*[“\"]?十五五[”\"]?时期")
_ONE_YEAR = re.compile(r"^[ \t\u3000]*(?:一年来|过去一年)")
_COMMUNIQUE = re.compile(r"((?:19|20)\d\d)年[^\n]{0,30}?统计公报")
_PUBLISHED_YEAR = re.compile(r"\s*((?:19|20)\d\d)")
_DELIVERED = re.compile(r"((?:19|20)\d\d)年\d{1,2}月\d{1,2}日")


@dataclass(frozen=True)
class Context:
    """What a passage is about: its period (parse_period text), whether it is a plan, and why."""
    period: str = ""
    projected: bool = False
    words: str = ""

    @property
    def years(self) -> tuple[int, int] | None:
        if not self.period:
            return None
        first, _, last = self.period.partition("/")
        return int(first[:4]), int((last or first)[:4])


def report_year(text: str, published: str) -> int | None:
    """The year the document speaks from: its date, else the delivery date near its top."""
    if m := _PUBLISHED_YEAR.match(published or ""):
        return int(m.group(1))
    if m := _DELIVERED.search(text, 0, 600):
        return int(m.group(1))
    return None


def plan_years(name: str) -> tuple[int, int] | None:
    """'十四五' (the 14th five-year plan) is 2021-2025."""
    first = _PLAN.get(name)
    return (first, first + 4) if first else None


def _heading_context(heading: str, year: int | None) -> Context | None:
    """The period a top-level heading announces, or None for a heading that announces none (a list item)."""
    years = [int(y) for y in _YEAR.findall(heading)]
    plans = [plan_years(p) for p in _PLAN_WORD.findall(heading)]
    future = bool(_FUTURE_WORDS.search(heading)) and not _REVIEW_WORDS.search(heading)
    if years:
        y = years[0]
        return Context(str(y), future or (year is not None and y > year), heading)
    if plans and plans[0]:
        first, last = plans[0]
        return Context(f"{first}/{last}", year is not None and first >= year or future, heading)
    if _REVIEW_WORDS.search(heading) and year is not None:
        return Context(str(year - 1), False, heading)
    if future and year is not None and "工作" in heading:
        return Context(str(year), True, heading)
    return None


class Contexts:
    """The passages of one Chinese text, each with its Context, found once; `at(offset)` looks one up."""

    def __init__(self, text: str, published: str):
        self.year = year = report_year(text, published)
        starts: list[int] = [0]
        topic = _COMMUNIQUE.search(text, 0, 400)  # a statistical communiqué speaks of its topic year throughout
        contexts: list[Context] = [Context(topic.group(1), False, topic.group(0)) if topic else Context()]
        section = Context()
        for line in re.finditer(r"[^\n]+", text):
            s = line.group(0)
            ctx = None
            if len(s) <= 60 and (h := _HEADING.match(s)):
                ctx = _heading_context(h.group("h"), year)
                if ctx is not None:
                    section = ctx
            elif year is not None and _NEXT_FIVE.search(s[:40]):
                ctx = Context(f"{year}/{year + 4}", True, _NEXT_FIVE.search(s[:40]).group(0))
            elif year is not None and (m := _FIVE_YEARS.search(s[:60])) and not section.projected:
                ctx = Context(f"{year - 5}/{year - 1}", False, m.group(0).strip())
            elif year is not None and (m := _ONE_YEAR.match(s)) and not section.projected:
                ctx = Context(str(year - 1), False, m.group(0).strip())
            if ctx is not None:
                starts.append(line.start())
                contexts.append(ctx)
        self.starts, self.contexts = starts, contexts

    def at(self, offset: int) -> Context:
        return self.contexts[bisect.bisect_right(self.starts, offset) - 1]
