"""What each candidate figure means, as a careful reader gives it: metric, period, entity, growth.

store.finder decides where a figure is stated and what its quote says; `read_meanings` then reads,
in the words around each quote, what the figure measures (`metric_text`, and the store's `metric`
when those words are one of its metrics or aliases), whether it is a change or a level (`growth`,
with the base of a change where stated), which period it is about (the clause, the section, the
document's date, the plan period) and whether it is a target (`projected`), whose it is (`entity`:
the document's place unless the clause names a city or company) and its `cluster`; `reading`
keeps the words each part was read from, for the reviewer.

Chinese and English are read differently: a Chinese clause puts what is measured before the
number ("地区生产总值增长3.9%"), and a clause with no subject ("、增长4.4%") shares the one
before it; English is read from the finder's own period, metric, entity and cluster, with the
words before the verb as metric_text. Every candidate is read from a bounded window around it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import replace

from store.errors import stop_if
from store.reading import numbers_zh
from store.reading.periods_zh import Context, Contexts, plan_years
from store.reading.vocabulary import vocabulary
from store.values.numbers import guess_period, unit_kind

_WINDOW = 120  # how far back a clause is read

# --- Chinese ---------------------------------------------------------------------------------
_BOUND = re.compile(r"[，、；：。！？\n,;:（）()]")
_SENTENCE_END = re.compile(r"[。！？；\n]")
_CHANGE_TAIL = re.compile(r"(?:同比|比上年|比去年|较上年|年均|平均|实际|分别|均)*"
                          r"(?:增长了?|下降了?|增加(?!值)了?|减少了?|提高(?![到至])了?|降低(?![到至])了?|上升了?|回落|减量"
                          r"|上涨了?|下跌了?|增速为?|增幅为?|高于全国|低于全国|快于全国|慢于全国|高于|低于|扩大|缩小)$")
_TAIL = re.compile(r"(?:同比|分别|平均|均|共|累计|合计|总计|接连|连续|稳定|持续|再|已|将|约|近|达到了?|达|为|是|实现|突破|超过|超"
                   r"|增至|降至|提高到|提高至|提升到|提升至|增加到|扩大到|缩小到|缩小至|保持在|控制在|稳定在|维持在|迈上|跃居"
                   r"|占比?为|从(?:(?:19|20)\d\d年)?的?|在|于|有|的)$")
_HEAD = re.compile(r"^(?:其中|折合(?:人民币)?|相当于|预计|全年|同时|此外|另外|并且|并|且|其|以及|和|及|一年来|五年来|过去一年|过去五年|今年|去年"
                   r"|累计|共计|全省|全市|全区|我省|我市|(?:到|至)?(?:19|20)\d\d年(?:底|末|全年)?"
                   r"|[“\"]?十[一二三四五六]五[”\"]?时期|“|”)")
_VERB = re.compile(r"设立|创建|推动|吸纳|促成|引入|培育形成|培育|设置了?|部署了?|落地|组建|新建|新设|带动|减轻|实施|开展|完成"
                   r"|打造|认定|引进|举办|承办|签约|贡献了|投向|新开|开通|惠及|覆盖|吸引|发行|应对")
_VERB_ONLY = re.compile(rf"^(?:累计|共|新|新增|先后|成功|已)*(?:{_VERB.pattern})*(?:了)?$")
_NOUN_AFTER = re.compile(r"(?:[^\W\d_]|[“”])+")
_NOUN_STOP = re.compile(r"设置|部署|提出|明确|入选|签约|获|实现|成功|落地|建成|投用|投运|启用|开工|完成|技术改造|增选|在|等|试运行|运行|带动|参与"
                        r"|参加|进入|纳入|和|及|与|的|新获|被|成为|全面|全部|均|已|，|、")
_HEAD_NOUN = re.compile(r"(?:项目|企业|公司|平台|基地|中心|工厂|集群|园区|机构|学校|医院|人才|科学家|毕业生|院士|药企|药械|技术|基金"
                        r"|设施|指标|举措|任务|维度|城市|片区|试点|事项|实验室|岗位|学位|床位|村|镇|县)$")
_LIST_BOUND = re.compile(r"[，；。：！？\n,;:]")
_LIST_HEAD = re.compile(r"增加值|可支配收入|营业收入|收入|产量|余额|比重|客运量|警情|投资|产值|规模|总额|增速|数量|占比")
_SHARE = re.compile(r"^占")
_MEASURED = re.compile(r"(?:方面|[个件项次批家所位名座条种类支款轮场户份处套台只艘架])(?:以上|多|余|左右)?$")
_COMPARE = re.compile(r"^(?:高于|低于|快于|慢于)")
_TARGET = re.compile(r"预期目标|目标|力争|争取|确保|计划|将|要|拟")
_BY_YEAR = re.compile(r"(?:到|至|于|在)((?:19|20)\d\d)年")
_YEAR_BEFORE = re.compile(r"((?:19|20)\d\d)年(?:的|底|末|全年)?$")
_BASE = re.compile(r"(?:比|较|相比)((?:19|20)\d\d年|上年|去年|上年同期|全国)")
_RELATIVE = {"今年": 0, "去年": -1, "上年": -1, "明年": 1}
_RELATIVE_WORD = re.compile(r"今年|去年|明年")
_SPAN_WORDS = re.compile(r"累计|连续|接连|保持|五年|培育|形成|共|先后|投向|减轻|年均|历时")
_END_WORDS = re.compile(r"达|为|提高到|提升至|提升到|增至|降至|总数|总量|比重|占比|率|控制在|余额")


def _zh_clause(text: str, start: int, floor: int) -> str:
    """The words of the clause before a quote, from the last clause mark (or `floor`) to its start."""
    low = max(floor, start - _WINDOW)
    window = text[low:start]
    last = None
    for last in _BOUND.finditer(window):  # noqa: B007 (keeps the last match)
        pass
    return window[last.end():] if last else window


def _strip(words: str) -> str:
    """Clause words without the verbs and adverbs between what is measured and its number."""
    previous = None
    while words != previous:
        previous = words
        words = _CHANGE_TAIL.sub("", words)
        words = _TAIL.sub("", words)
        words = _HEAD.sub("", words)
    return words.strip(" \t\u3000“”\"")


def _noun_after(text: str, end: int) -> str:
    """The noun a count counts, after it: '3个国家人工智能应用中试基地' -> 国家人工智能应用中试基地."""
    m = _NOUN_AFTER.match(text, end, min(len(text), end + 30))
    if not m:
        return ""
    words = m.group(0)
    stops = list(_NOUN_STOP.finditer(words, 1))
    # the first stop that leaves a whole noun ('计划新开工项目全部开工' stops at 全部, not at 开工)
    stop = next((s for s in stops if _HEAD_NOUN.search(words, 0, s.start())), stops[0] if stops else None)
    return (words[:stop.start()] if stop else words).strip("“”")


class _ChineseReader:
    def __init__(self, text: str, published: str, place_key: str, vocab):
        self.text = text
        self.contexts = Contexts(text, published)
        self.year = self.contexts.year
        self.vocab = vocab
        self.place = place_key
        mentions = vocab.zh_mentions(text) if vocab else []
        self.mentions = mentions
        self.mention_starts = [m[0] for m in mentions]
        if not self.place:  # the place the document speaks for: the entity it names most near its top
            top = Counter(m[3] for m in mentions if m[2] == "entity" and m[0] < 2000 and m[3] != "china")
            self.place = top.most_common(1)[0][0] if top else ""
        self.subject = ("", -1)  # the last clause subject, and the sentence it belongs to
        self.growth = ("", -1)  # the last change word, and its sentence: '分别下降17.7%、17.4%'
        self.paired = None  # the names of a '分别' list, its sentence, and the value read last

    def read(self, c, previous_end: int):
        text = self.text
        sentence_start = 0
        if m := _last(_SENTENCE_END, text, max(0, c.start - 400), c.start):
            sentence_start = m
        floor = previous_end if previous_end > sentence_start else sentence_start
        lead_raw = _zh_clause(text, c.start, floor)
        lead_raw = re.sub(r"(?:超过|超|突破|逾|近|接近|约|将近|不到|不足|至少)$", "", lead_raw)
        reading: list[tuple[str, str]] = []
        # growth: a change is said just before its number (增长3.9%, 提高0.5个百分点), or by 个百分点 with 提高/下降
        change = _CHANGE_TAIL.search(lead_raw.rstrip("了"))
        growth = "change" if change or (c.unit == "percentage points" and re.search(r"提高|下降|增加|减少|高于|低于",
                                                                                     lead_raw)) else "level"
        growth_words = change.group(0) if change else ""
        if not change and not _strip(lead_raw) and self.growth[1] == sentence_start and self.growth[0]:
            growth, growth_words = "change", self.growth[0]  # '、17.4%': the list goes on
        self.growth = (growth_words if growth == "change" else "", sentence_start)
        base = ""
        if b := _BASE.search(text, max(sentence_start, c.start - 40), c.start):
            base = b.group(1)
        elif growth == "change" and re.search(r"同比", lead_raw):
            base = "上年"
        # metric_text: the clause's subject; a clause with none shares the sentence's last one
        words = lead_raw
        if (v := _last_match(_VERB, words)) is not None:
            words = words[v:]  # '8支市级高精尖产业基金带动社会投资' -> 社会投资
        object_follows = v is not None and not _strip(words)  # '在大湾区设立超500亿元区域基金'
        subject = _strip(words)
        metric_from = subject
        if _SHARE.match(subject) or _COMPARE.match(lead_raw):
            inherited = self.subject[0] if self.subject[1] == sentence_start else ""
            if _SHARE.match(subject):
                subject = inherited + subject
            else:
                subject = inherited
            metric_from = subject
        elif (counted := _MEASURED.search(c.quote) and _noun_after(text, c.end)) or not subject or _VERB_ONLY.match(
                subject) or lead_raw.endswith(("等", "和", "及", "与")):
            noun = counted or (_noun_after(text, c.end) if _MEASURED.search(c.quote) or object_follows else "")
            if noun:
                subject = noun  # '3个国家人工智能应用中试基地', '6个维度': what a count counts follows it
            elif not subject and self.subject[1] == sentence_start:
                subject = self.subject[0]
            metric_from = subject
        elif subject.endswith(("全国", "全省", "全市", "全球")) and text.startswith("的", c.end) and (
                noun := _noun_after(text, c.end + 1)):
            subject = f"{subject}的{noun}"  # '贡献了全国24.1%的增量': a share of a whole
            metric_from = subject
        entity, entity_words = self._entity(c, sentence_start, lead_raw)
        if paired := self._respectively(c, lead_raw, sentence_start):
            subject, metric_from = paired[0], paired[0]
            if paired[1]:
                entity, entity_words = paired[1], paired[2]
        if entity_words and subject.startswith(entity_words):
            subject = subject[len(entity_words):]  # '深圳地铁线网…' measures the network; Shenzhen is whose
        if subject and not _VERB_ONLY.match(subject):
            self.subject = (subject, sentence_start)
        cluster, cluster_words = self._cluster(c, sentence_start, subject)
        # period and projection
        ctx = self.contexts.at(c.start)
        period, projected, period_words = self._period(c, ctx, sentence_start, lead_raw, growth, subject)
        target = _TARGET.search(text, max(sentence_start, c.start - 30), c.start) if not ctx.projected else None
        if not projected and target and target.group(0) in ("预期目标", "目标", "力争", "争取"):
            projected, period_words = True, period_words or target.group(0)
        kind = unit_kind(c.unit)
        metric, metric_words = self.vocab.metric(subject, kind, growth) if self.vocab else ("", "")
        if period:
            reading.append(("period", period_words))
        if projected:
            reading.append(("projected", period_words))
        if subject:
            reading.append(("metric_text", metric_from))
        if metric:
            reading.append(("metric", metric_words))
        reading.append(("growth", growth_words or "(no change word)"))
        if base:
            reading.append(("growth_base", base))
        if entity:
            reading.append(("entity", entity_words or "(the document's place)"))
        if cluster:
            reading.append(("cluster", cluster_words))
        return _with(c, period=period, metric=metric or c.metric, entity=entity or c.entity,
                       cluster=cluster or c.cluster, metric_text=subject, growth=growth, growth_base=base,
                       projected=projected, reading=tuple(reading))

    def _respectively(self, c, lead: str, sentence_start: int) -> tuple[str, str, str] | None:
        """(metric words, entity, its words) of a value in 'A、B、C增加值分别增长x、y、z', or None.

        The n-th value is the n-th name's; the words after the last name that say what is measured
        ('增加值') are every name's. '城乡居民…分别' lists the urban then the rural value; a list of
        places ('广州、深圳地铁…分别达') gives each value its place.
        """
        text = self.text
        if (at := text.rfind("分别", max(sentence_start, c.start - 40), c.start)) >= 0 and not _strip(
                text[at + 2:c.start].replace("、", "")) and "分别" in lead:
            start = max(sentence_start, at - 80)
            start = (_last(_LIST_BOUND, text, start, at) or start)
            names = [n for n in _strip(text[start:at]).split("、") if n]
            if len(names) == 1 and names[0].startswith("城乡"):
                names = ["城镇" + names[0][2:], "农村" + names[0][2:]]
            if len(names) < 2:
                return None
            places = [self.vocab.entity_key(n) if self.vocab else "" for n in names[:-1]]
            if all(places):
                last = names[-1]
                m = self.vocab.zh_regex.match(last) if self.vocab and self.vocab.zh_regex else None
                own = m.group(0) if m else ""
                places.append(self.vocab.entity_key(own))
                items = [(last[len(own):], p, n) for p, n in zip(places, names[:-1] + [own])]
            else:
                head = _LIST_HEAD.search(names[-1])
                shared = names[-1][head.start():] if head and head.start() > 0 else ""
                items = [(n if n.endswith(shared) else n + shared, "", "") for n in names]
            self.paired = (items, sentence_start, 0)
        elif self.paired and self.paired[1] == sentence_start and not _strip(lead.replace("、", "")):
            items, _, i = self.paired
            self.paired = (items, sentence_start, i + 1)
        else:
            self.paired = None
            return None
        items, _, i = self.paired
        return items[i] if i < len(items) else None

    def _near(self, low: int, high: int, kind: str):
        i = bisect.bisect_left(self.mention_starts, low)
        j = bisect.bisect_left(self.mention_starts, high)
        return [m for m in self.mentions[i:j] if m[2] == kind]

    def _entity(self, c, sentence_start: int, lead: str) -> tuple[str, str]:
        """A city or company named in the clause before the figure, else the document's place."""
        low = c.start - len(lead)
        for m in reversed(self._near(low, c.start, "entity")):
            if m[3] != "china" and m[3] != self.place:
                return m[3], self.text[m[0]:m[1]]
        return self.place, ""

    def _cluster(self, c, sentence_start: int, subject: str) -> tuple[str, str]:
        near = self._near(max(sentence_start, c.start - len(subject) - 20), c.end + 1, "cluster")
        if near:
            m = near[-1]
            return m[3], self.text[m[0]:m[1]]
        return "", ""

    def _period(self, c, ctx: Context, sentence_start: int, lead: str, growth: str, subject: str):
        text, year = self.text, self.year
        clause_low = max(sentence_start, c.start - 60)
        if m := _YEAR_BEFORE.search(text, max(0, c.start - 8), c.start):
            return m.group(1), ctx.projected and int(m.group(1)) > (year or 0), m.group(0)  # '从2020年的82.4岁'
        if m := _BY_YEAR.search(text, clause_low, c.start):
            y = int(m.group(1))
            return str(y), year is not None and y >= year, m.group(0)  # '到2030年'
        if m := _last_obj(_RELATIVE_WORD, text, clause_low, c.start):
            if year is not None:
                y = year + _RELATIVE[m.group(0)]
                return str(y), y >= year and (ctx.projected or bool(_TARGET.search(text, sentence_start, c.start))), \
                    m.group(0)
        if m := re.search(r"[“\"]?(十[一二三四五六]五)[”\"]?(?:时期|期间|规划)", text[clause_low:c.start]):
            span = plan_years(m.group(1))
            if span:
                return f"{span[0]}/{span[1]}", year is not None and span[0] >= year, m.group(0)
        years = ctx.years
        if years is None:
            return "", False, ""
        first, last = years
        if first == last:
            from_to = self._from_to(c, sentence_start)
            if from_to == "from":
                return str(first - 1), False, "从…提高到"
            return ctx.period, ctx.projected, ctx.words
        # a span of years: a change or a total over it is the span; a level is its end
        from_to = self._from_to(c, sentence_start)
        if from_to == "from":
            return str(first - 1), False, "从…（" + ctx.words + "）"
        if from_to == "to":
            return str(last), ctx.projected, "…提高到（" + ctx.words + "）"
        if growth == "change" or _SPAN_WORDS.search(lead) or (
                not _END_WORDS.search(lead) and c.unit not in ("%", "share")):
            return ctx.period, ctx.projected, ctx.words
        return str(last), ctx.projected, ctx.words

    def _from_to(self, c, sentence_start: int) -> str:
        """'from' for X and 'to' for Y in '从X提高到Y' (the base year and the end year)."""
        before = self.text[max(sentence_start, c.start - 30):c.start]
        if re.search(r"从(?:(?:19|20)\d\d年的?)?$", before):
            return "from"
        if re.search(r"从[^，。；、]*\d[^，。；]*(?:提高|提升|增加|增长|扩大|缩小|下降|降低|减少)?(?:到|至)$", before):
            return "to"
        return ""


def _last(pattern: re.Pattern, text: str, low: int, high: int) -> int | None:
    m = _last_obj(pattern, text, low, high)
    return m.end() if m else None


def _last_obj(pattern: re.Pattern, text: str, low: int, high: int):
    last = None
    for last in pattern.finditer(text, low, high):  # noqa: B007 (keeps the last match)
        pass
    return last


def _last_match(pattern: re.Pattern, words: str) -> int | None:
    m = _last_obj(pattern, words, 0, len(words))
    return m.end() if m else None


# --- English ---------------------------------------------------------------------------------
_EN_CHANGE = re.compile(r"\b(?:rose|rise|rising|risen|grew|grow|growing|grown|growth|increased?|increasing|up|down"
                        r"|fell|fall|falling|fallen|declined?|declining|dropped|drop|jumped|surged|expanded|climbed"
                        r"|gained|decreased?"
                        r"|slipped|soared|plunged|by)\s*$", re.I)
_EN_CHANGE_AFTER = re.compile(r"\s*(?:year[- ]on[- ]year|y-o-y|yoy|from a year (?:earlier|ago)|over the previous year"
                              r"|compared with|from the previous year)", re.I)
_EN_BASE = re.compile(r"\b(?:over|from|compared (?:with|to)|than(?: in)?)\s+((?:19|20)\d\d)\b|(year[- ]on[- ]year|y-o-y"
                      r"|from a year (?:earlier|ago)|over the previous year)", re.I)
_EN_FUNCTION = frozenset("""rose rise rising risen grew grow growing grown increased increase increasing reached reach
reaching totaled totalled totaling totalling stood hit was were is are amounted exceeded exceed exceeding surpassed
topped
accounted account accounting climbed jumped surged fell dropped declined expanded reported recorded generated produced
posted saw had has have will would to of at by up down with about around nearly over more than some approximately almost
roughly for in on and or while which that its their a an the be been being target targets aim aims plan plans expected
projected worth valued making hit hits reaches then also only just still even again respectively whereas but yet so
thus further another other""".split())
_EN_DETERMINERS = frozenset("the a an its their total this that these those".split())
_EN_RELATIVE = re.compile(r"\b(?:this|last|next|current) (?:year|month)\b", re.I)
_OF_AFTER = re.compile(r"\s*of\s+(?:the\s+)?((?:[A-Za-z-]+\s+){0,3}[A-Za-z-]+)")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z&'’-]*")
_PARAGRAPH_DATE = re.compile(r"(?:19|20)\d\d-\d\d-\d\d"
                             r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?"
                             r"\s+(?:19|20)\d\d", re.I)
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


_EN_ENDS = re.compile(r"[.!?\n](?:(?<=\n)|(?<!\b[A-Z].)(?<!\bNo.)(?=\s))")  # 'U.S. dollars', 'No. 1' end none


_ABBREVIATION = re.compile(r"\b[A-Z]\.[ \t]")  # a sentence the finder ended early, at 'U.S.'


def _iso(date: str) -> str:
    if re.match(r"\d{4}-\d\d", date):
        return date[:7]
    m = re.match(r"([A-Za-z]+)\.?\s+\d{1,2},?\s+(\d{4})", date)
    return f"{m.group(2)}-{_MONTHS.index(m.group(1)[:3].lower()) + 1:02d}" if m else ""


class _EnglishReader:
    """Each candidate of an English text, from the finder's own reading and a few regexes near its quote.

    Cheap by design (the finder's speed is the benchmark's): one bisect for the paragraph, its date
    and main name read once a paragraph and only when asked, word lists instead of regex alternations.
    """

    def __init__(self, text: str, published: str, vocab, mentions):
        self.text, self.published, self.vocab = text, published, vocab
        self.paragraphs = [0] + [m.end() for m in re.finditer(r"\n[ \t]*\n", text)]
        self.mentions = [m for m in (mentions or []) if m[2] == "entity" and m[4]]
        self.mention_starts = [m[0] for m in self.mentions]
        self.dates: dict[int, str] = {}
        self.entities: dict[int, str] = {}

    def _bounds(self, offset: int) -> tuple[int, int, int]:
        i = bisect.bisect_right(self.paragraphs, offset) - 1
        return i, self.paragraphs[i], self.paragraphs[i + 1] if i + 1 < len(self.paragraphs) else len(self.text)

    def _date(self, offset: int) -> str:
        """The paragraph's own date (a news item's dateline '2024-03-05 …') as YYYY-MM, or ''."""
        i, start, end = self._bounds(offset)
        if (date := self.dates.get(i)) is None:
            m = _PARAGRAPH_DATE.search(self.text, start, min(end, start + 60))  # a dateline opens its paragraph
            date = self.dates[i] = _iso(m.group(0)) if m else ""
        return date

    def _entity(self, offset: int) -> str:
        """The name the paragraph names most, when one leads."""
        i, start, end = self._bounds(offset)
        if (entity := self.entities.get(i)) is None:
            a, b = bisect.bisect_left(self.mention_starts, start), bisect.bisect_left(self.mention_starts, end)
            top = Counter(m[3] for m in self.mentions[a:b]).most_common(2)
            entity = self.entities[i] = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else ""
        return entity

    def read(self, c, sentence_start: int, sentence_end: int):
        text = self.text
        lead = text[max(sentence_start, c.start - 80):c.start]
        change = _EN_CHANGE.search(lead, max(0, len(lead) - 24)) or _EN_CHANGE_AFTER.match(text, c.end, c.end + 40)
        growth = "change" if change else "level"
        base = ""
        if change and (b := _EN_BASE.search(text, max(sentence_start, c.start - 40), min(len(text), c.end + 50))):
            base = b.group(1) or "previous year"
        metric_text = self._metric_text(lead, c)
        reading: list[tuple[str, str]] = []
        period, entity = c.period, c.entity
        relative = None
        if (date := self._date(c.start)) and (
                not period or (relative := _EN_RELATIVE.search(text, sentence_start, sentence_end))):
            if own := guess_period(text[sentence_start:sentence_end], date):
                period = own
                reading.append(("period", relative.group(0) if relative else date))
        elif not period and "." in text[sentence_start:sentence_end] and _ABBREVIATION.search(
                text, sentence_start, sentence_end) and (
                own := guess_period(text[sentence_start:sentence_end], self.published)):
            period = own  # the finder's sentence ended at 'U.S.'
        if period and not reading:
            reading.append(("period", period))
        if self.mentions and (para := self._entity(c.start)) and entity != para and not self._named(
                sentence_start, c.end, entity):
            entity = para  # a paragraph about Dongguan is about Dongguan, whatever the page is about
        # the finder's mode words (will, aims, target, plans, expected, projected …) are in its qualifier
        projected = c.qualifier.startswith(("target", "projected")) or bool(
            period[:4].isdigit() and self.published[:4].isdigit() and int(period[:4]) > int(self.published[:4]))
        if projected and period[:4].isdigit() and self.published[:4].isdigit() \
                and int(period[:4]) < int(self.published[:4]) and not c.qualifier.startswith("target"):
            projected = False  # 'was expected to' about a past year is an outcome
        metric, metric_words = c.metric, ""
        if self.vocab and metric_text:
            found, metric_words = self.vocab.metric(metric_text, unit_kind(c.unit), growth)
            metric = found or metric
        if metric_text:
            reading.append(("metric_text", metric_text))
        if metric_words:
            reading.append(("metric", metric_words))
        reading.append(("growth", change.group(0).strip() if change else "(no change word)"))
        if base:
            reading.append(("growth_base", base))
        if entity:
            reading.append(("entity", entity))
        return _with(c, period=period, entity=entity, metric=metric, metric_text=metric_text, growth=growth,
                     growth_base=base, projected=projected, reading=tuple(reading))

    def _named(self, low: int, high: int, entity: str) -> bool:
        a, b = bisect.bisect_left(self.mention_starts, low), bisect.bisect_left(self.mention_starts, high)
        return any(m[3] == entity for m in self.mentions[a:b])

    def _metric_text(self, lead: str, c) -> str:
        """The noun phrase before the verb: 'industrial robot output rose 31.2%' -> 'industrial robot output'."""
        if c.unit and c.quote.endswith(c.unit.rsplit(" ", 1)[-1]) and unit_kind(c.unit) == "count":
            return c.unit  # '3 parks', '20 new projects': a count names what it counts
        cut = max(lead.rfind(","), lead.rfind(";"), lead.rfind(":"), lead.rfind("("), lead.rfind(")"))
        words = _EN_WORD.findall(lead, cut + 1)
        while words and _not_noun(words[-1]):  # the verb group before the number
            words.pop()
        phrase: list[str] = []
        for w in reversed(words):
            if _not_noun(w) or phrase and w.endswith(("'s", "’s")):
                break
            phrase.append(w)
            if len(phrase) == 5:
                break
        phrase.reverse()
        while phrase and (phrase[0].endswith(("'s", "’s")) or phrase[0].lower() in _EN_DETERMINERS):
            phrase.pop(0)
        if phrase:
            return " ".join(phrase)
        if m := _OF_AFTER.match(self.text, c.end, c.end + 60):
            return m.group(1)  # '40% of the national total'
        return c.unit if c.unit not in ("", "%", "yuan", "US$", "percentage points", "times", "share") else ""


def _not_noun(word: str) -> bool:
    w = word.lower()
    return w in _EN_FUNCTION or (len(w) > 4 and w.endswith("ed"))


def _with(c, **changes):
    """dataclasses.replace, without its per-call field inspection (it runs once a candidate)."""
    new = object.__new__(type(c))
    new.__dict__.update(c.__dict__)
    new.__dict__.update(changes)  # a frozen dataclass's fields live in its __dict__; no __post_init__ to run
    return new


# --- both ------------------------------------------------------------------------------------
_RANGE_SEP = re.compile(r"[ \t]*(?:-|–|—|~|～|至|到|to)[ \t]*$")
_RATIO_SEP = re.compile(r"[ \t]*[:∶：][ \t]*$")


def _merged(text: str, found: list, candidate_class) -> list:
    """'4.5%—5%' is one range (value 4.5, value_max 5); '4.0∶37.7∶58.3' is one ratio, not three figures."""
    out = []
    for c in found:
        if out:
            a = out[-1]
            gap = text[a.end:c.start]
            if len(gap) <= 3 and _RANGE_SEP.fullmatch(gap) and a.unit == c.unit and not a.value_max_text \
                    and not c.value_max_text and c.value > a.value and a.scale == c.scale:
                out[-1] = replace(a, end=c.end, quote=text[a.start:c.end], value_max_text=c.value_text,
                                  qualifier=a.qualifier or c.qualifier)
                continue
            if len(gap) <= 3 and _RATIO_SEP.fullmatch(gap) and not c.unit and a.unit in ("", "ratio") \
                    and re.fullmatch(r"[\d.]+", c.quote) and re.fullmatch(r"[\d.:∶： \t]+", a.quote):
                out[-1] = replace(a, end=c.end, quote=text[a.start:c.end], unit="ratio")
                continue
        out.append(c)
    return out


def read_meanings(text: str, found: list, published: str = "", names=None, place: str = "",
                  mentions=None, candidate_class=None, *, cancelled=None) -> list:
    """`found` (the finder's candidates of `text`, in reading order) with their meaning read (module docstring).

    `published` is the document's date ("2026-01-26", "2026"), `place` the place it speaks for
    ("广东省", "Guangdong" or an entity key): the entity of a figure whose clause names none;
    `names` the store's Taxonomy; `mentions` the finder's English name mentions; `cancelled`
    is asked every few hundred candidates (store.errors.stop_if raises Cancelled).
    """
    chinese = numbers_zh.is_chinese(text)
    if not found and not chinese:
        return found
    han = numbers_zh.Han(text) if chinese else None
    if candidate_class is not None:
        found = _merged(text, numbers_zh.mend(text, found, candidate_class, han, cancelled) if chinese else found,
                        candidate_class)
    vocab = vocabulary(names) if names is not None else None
    place_key = vocab.entity_key(place) if vocab else ""
    zh_reader = _ChineseReader(text, published, place_key, vocab) if chinese else None
    en_reader = ends = None
    out, previous_end = [], 0
    for n, c in enumerate(found, 1):
        stop_if(cancelled, n)
        if chinese and han.near(c.start, c.end):
            out.append(zh_reader.read(c, previous_end))
        else:
            if en_reader is None:
                en_reader = _EnglishReader(text, published, vocab, mentions)
                ends = [m.end() for m in _EN_ENDS.finditer(text)]
            i = bisect.bisect_right(ends, c.start)
            sentence_start = ends[i - 1] if i else 0
            sentence_end = min(ends[i] if i < len(ends) else len(text), c.end + 400)
            out.append(en_reader.read(c, max(sentence_start, c.start - 400), sentence_end))
        previous_end = c.end
    if place_key:
        out = [c if c.entity else _with(c, entity=place_key) for c in out]
    return out
