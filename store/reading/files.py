"""Reading a file into a document's text: the bytes (never past a cap, a regular file only), the
encoding, an HTML page's article text, a title and the date the text states.

What store.curation.importing stores and `python -m store extract` reads; also each row of a dataset
(store.reading.datasets). Nothing is fetched or run: HTML is parsed with the standard library's
parser by BeautifulSoup, scripts, styles, frames and embedded objects are dropped, and images are
never loaded.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from store.errors import StoreError

MAX_BYTES = 20 * 1024 * 1024
MAX_DOCUMENT_CHARS = 5_000_000  # a document's text, in characters: imported, extracted or typed in
TEXT_SUFFIXES, HTML_SUFFIXES = (".txt", ".md", ".markdown"), (".htm", ".html", ".xhtml")
# The encodings a news article not in UTF-8 is likely to be in; when several read the bytes the
# same way, the first listed names it (cp1250 and cp1252 agree on "€ 5 million").
ENCODINGS = ["cp1252", "gb18030", "big5", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
             "shift_jis", "euc_jp", "euc_kr", "koi8_r", "latin_1"]
_MAGIC = [
    (b"%PDF", "PDF is not supported; save the article as text or HTML"),
    (b"PK\x03\x04", "a ZIP archive or Office document (.docx, .xlsx) is not supported; save the article as text or HTML"),
    (b"\xd0\xcf\x11\xe0", "an old Office document is not supported; save the article as text or HTML"),
    (b"{\\rtf", "RTF is not supported; save the article as text or HTML"),
    (b"\x89PNG", "it is a PNG image, not text"), (b"\xff\xd8\xff", "it is a JPEG image, not text"),
    (b"GIF8", "it is a GIF image, not text"), (b"\x1f\x8b", "it is a gzip archive, not text"),
    (b"7z\xbc\xaf", "it is a 7-Zip archive, not text"), (b"Rar!", "it is a RAR archive, not text"),
    (b"\x7fELF", "it is a program, not text"),
    (b"SQLite format 3\x00", "it is a database, not text"),
]
_AS_BROWSERS_READ = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27}) + b"\x7f"


@dataclass(frozen=True)
class ImportedText:
    text: str
    title: str
    encoding: str
    file_name: str
    published: str = ""
    citation: dict = field(default_factory=dict)  # publisher, author, place, language, kind, url, date_basis


# --- decoding ---------------------------------------------------------------------------------
def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a file's bytes; StoreError naming the file if it is not a readable text."""
    if len(data) > MAX_BYTES:
        raise StoreError(f"{name} is too large ({len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)")
    for magic, why in _MAGIC:
        if data.startswith(magic):
            raise StoreError(f"{name}: {why}")
    if not data.strip():
        raise StoreError(f"{name} is empty")
    boms = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
    encoding = next((enc for bom, enc in boms if data.startswith(bom)), None) or _utf16_without_bom(data)
    if encoding is None:
        head = data[:65536]
        if b"\x00" in data or sum(head.count(c) for c in _CONTROL) > len(head) / 100:
            raise StoreError(f"{name} looks like a binary file, not text; save the article as text or HTML")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _mostly_utf8(data) or _guess(data, name)
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise StoreError(f"{name} starts as {encoding.upper()} but is not valid {encoding.upper()} "
                             f"(byte {exc.start}); save it again as UTF-8") from exc
    text = normalise_text(text)
    if "\x00" in text:
        raise StoreError(f"{name} looks like a binary file, not text; save the article as text or HTML")
    if not text.strip():
        raise StoreError(f"{name} is empty")
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 text without a BOM, told by its NULs: the high byte of
    every ASCII character is 0, so the NULs fall (almost all) on one side of the byte pairs; and it
    must decode as UTF-16 into text, not control characters."""
    head = data[:65536]
    pairs = len(head) // 2
    if pairs < 2 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= max(2, pairs * 0.05) and others <= max(1, zeros // 10):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            controls = sum(1 for c in text[:32768] if c < " " and c not in "\t\n\r\f")
            return encoding if controls <= len(text[:32768]) / 100 else None
    return None


# How many bytes that are not UTF-8 a file that is otherwise UTF-8 may hold and still be read as
# UTF-8 (each one replaced by U+FFFD) rather than guessed as another code page: at most one in a
# thousand bytes, and no more than the characters beyond ASCII that it holds as valid UTF-8.
_STRAY_BYTES_PER_1000 = 1


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """(text, 'utf-8 (N bytes replaced)') for UTF-8 with a few stray bytes; None if it is not that."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    good = sum(1 for c in text if c > "\x7f" and c != "\ufffd")
    if 0 < bad <= max(1, len(data) * _STRAY_BYTES_PER_1000 // 1000) and good >= bad:
        return text, f"utf-8 ({bad} byte{'s' if bad != 1 else ''} replaced)"
    return None


# C0 control characters but tab and newline (CR is normalised to newline): PostgreSQL refuses NUL in
# text and SQLite keeps it, exports would carry them raw (CSV) or escaped (XLSX shows _x0000_), and a
# terminal runs ESC sequences. A store's text is the same on both backends: they are dropped at import
# (a vertical tab or form feed ends a line). A file whose own bytes hold NUL is refused as binary.
_C0 = re.compile(r"[\x00-\x08\x0e-\x1f]+")
_C0_BREAKS = str.maketrans("\x0b\x0c", "\n\n")


def without_controls(text: str) -> str:
    return _C0.sub("", text).translate(_C0_BREAKS)


def normalise_text(text: str) -> str:
    """No BOM, and "\n" line ends: anchor offsets count the code points of exactly this text."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# The letters (lower case, beyond ASCII) of the languages each Latin code page is written in. On a
# short text charset-normalizer often cannot tell cp1252 from cp1250 (both decode, its mess measure
# barely differs) and may spell French 'crème' as 'crčme', Czech 'České' as 'Èeské', or read 'Très'
# as Big5. Of the readings it accepts, the one whose letters one of its code page's languages writes
# is taken; when both are, cp1252's (a Western text is the likelier import).
_ALPHABETS = {
    "cp1252": ("àâæçéèêëîïôœùûüÿ", "äöüßé", "áéíóúñü", "áâãàçéêíóôõú", "àèéìíîòóùú", "àçèéíïòóúü", "áéíóúàèëïöü",
               "æøåé", "åäöé", "áðéíóúýþæö"),
    "cp1250": ("áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "ąćęłńóśźż", "áéíóöőúüű", "ăâîșțşţ", "čćđšž"),
    "cp1254": ("çğıöşüâîû",),
    "cp1257": ("ąčęėįšųūž", "āčēģīķļņšūž", "äõöüšž"),
}


def _plausible(text: str, encoding: str) -> bool:
    """Whether a reading's letters are ones the languages of its code page write."""
    letters = {c.lower() for c in text if c.isalpha() and not c.isascii()}
    if encoding in _ALPHABETS:
        return any(letters <= set(alphabet) for alphabet in _ALPHABETS[encoding])
    if encoding in _CJK_ENCODINGS:  # 'Tr鋊 bien': a Latin word read as CJK glues a character to its letters
        glued = _GLUED.findall(text)
        return 2 * len(glued) <= sum(1 for c in text if c.isalpha() and not c.isascii())
    return encoding != "latin_1"  # latin_1 differs from cp1252 only in reading 0x80-0x9F as control characters


_CJK_ENCODINGS = ("gb18030", "big5", "shift_jis", "euc_jp", "euc_kr")
_GLUED = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f]|[^\x00-\x7f](?=[A-Za-z])")


def _pick(results, best):
    """The detector's pick, or another reading it accepts whose letters its code page's languages write."""
    clean = [m for m in results if m.encoding in _ALPHABETS]
    western = next((m for m in clean if m.encoding == "cp1252"), None)
    if best.encoding != "cp1252" and western is not None and _plausible(str(western), "cp1252") and (
            best.encoding in _ALPHABETS or not _plausible(str(best), best.encoding)):
        return western
    if best.encoding == "cp1252" and not _plausible(str(best), "cp1252"):
        return next((m for m in clean if m is not best and _plausible(str(m), m.encoding)), best)
    return best


def _guess(data: bytes, name: str) -> tuple[str, str]:
    """charset-normalizer's best reading among ENCODINGS (see _pick), named by the first that reads it the same."""
    from charset_normalizer import from_bytes

    results = from_bytes(data, cp_isolation=ENCODINGS)
    best = results.best()
    if best is None:
        raise StoreError(f"cannot tell the text encoding of {name}; save it as UTF-8")
    best = _pick(results, best)
    text = str(best)
    for encoding in ENCODINGS:
        try:
            if data.decode(encoding) == text:
                return text, encoding
        except UnicodeDecodeError:
            continue
    return text, best.encoding


# --- HTML ---------------------------------------------------------------------------------------
_DROP = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "nav", "header", "footer",
         "aside", "form", "button", "select", "canvas", "audio", "video", "picture", "img", "map", "link", "meta"]
_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
           "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "figure", "figcaption", "caption",
           "address", "hr", "details", "summary", "body", "center"}
_LINES = {"br"}  # a line break inside a paragraph; table rows end a line, their cells side by side


_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE)


def _hidden(tag) -> bool:
    """Text a reader of the page does not see: the hidden attribute, aria-hidden, display:none in its style."""
    attrs = tag.attrs or {}
    return ("hidden" in attrs or str(attrs.get("aria-hidden", "")).strip().lower() == "true"
            or bool(_HIDDEN_STYLE.search(str(attrs.get("style", "")))))


def html_article_text(html: str) -> tuple[str, str]:
    """(article text, title) of an HTML page: paragraphs separated by blank lines, page furniture dropped."""
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag

    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    for tag in soup.find_all(_DROP + ["title", "head"]):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    if not title and (h1 := soup.find("h1")):
        title = " ".join(h1.get_text(" ").split())
    articles = soup.find_all("article")
    root = max(articles, key=lambda a: len(a.get_text())) if articles else soup.find("main") or soup.body or soup
    parts: list[str] = []
    # Depth first with a stack of its own, not recursion: 1,500 nested <div>s are a valid page.
    # ("node", node, pre) reads a node; ("text", text, pre) writes what closes a block after its children.
    todo: list[tuple[str, object, bool]] = [("node", child, False) for child in reversed(root.contents)]
    while todo:
        kind, node, pre = todo.pop()
        if kind == "text":
            parts.append(node)
        elif isinstance(node, NavigableString):
            text = str(node)
            parts.append(text if pre else re.sub(r"\s+", " ", text))
        elif isinstance(node, Tag) and not _hidden(node):
            name = node.name.lower()
            if name in _LINES:
                parts.append("\n")
            if name in ("td", "th"):
                parts.append(" ")
            if name in _BLOCKS:
                parts.append("\n\n")
            if name in _BLOCKS or name == "tr":
                todo.append(("text", "\n\n" if name in _BLOCKS else "\n", pre))
            todo.extend(("node", child, pre or name == "pre") for child in reversed(node.contents))
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", "".join(parts)):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        if text := "\n".join(line for line in lines if line):
            paragraphs.append(text)
    return "\n\n".join(paragraphs), title[:200]


# --- files ----------------------------------------------------------------------------------------
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_M = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)",
    rf"\b{_M}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b",
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_M}\s*,?\s+(?P<y>(?:19|20)\d\d)\b",
    r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?",
)]


def find_published(text: str) -> str:
    """The date in the first lines of an article ('2024-10-23', 'October 23, 2024', '2025年3月'), else ''."""
    head = "\n".join(text.lstrip().split("\n")[:8])[:1500]
    found = []
    for pattern in _DATES:
        for m in pattern.finditer(head):
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else [n[:3] for n in _MONTHS].index(g["mon"].lower()[:3]) + 1
            try:
                day = date(int(g["y"]), month, int(g["d"]) if g.get("d") else 1)
            except ValueError:
                continue
            found.append((m.start(), day.isoformat() if g.get("d") else day.isoformat()[:7]))
    return min(found)[1] if found else ""


def _first_line_title(text: str) -> str:
    for line in text.split("\n"):
        line = re.sub(r"^\s*#+\s*|[*_`]+", "", line).strip()  # Markdown heading marks and emphasis
        if line:
            return line[:200]
    return ""


def _not_regular(mode: int) -> str:
    """'' for a regular file, else what it is, as a user would name it."""
    if stat.S_ISREG(mode):
        return ""
    return ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file")


def read_capped(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, never more than `limit`: StoreError naming it otherwise.

    The kind is checked before opening (a FIFO would block the open and the read forever; a device
    such as /dev/zero never ends), and again on the open file (it may have been swapped meanwhile),
    which is opened non-blocking. st_size is only a first guess: /proc files say 0, so at most
    limit + 1 bytes are read, and one byte more than the limit refuses the file.
    """
    if kind := _not_regular(os.stat(path).st_mode):  # follows links: a .txt link to /dev/zero is a device
        raise StoreError(f"{path.name} is {kind}, not a file; import regular .txt, .md or .html files")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if kind := _not_regular(info.st_mode):
            raise StoreError(f"{path.name} is {kind}, not a file; import regular .txt, .md or .html files")
        if info.st_size > limit:
            raise StoreError(f"{path.name} is too large ({info.st_size / 2**20:.1f} MB; "
                             f"the limit is {limit // 2**20} MB)")
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise StoreError(f"{path.name} is too large (over {limit // 2**20} MB; the limit is {limit // 2**20} MB)")
    return b"".join(chunks)


def read_document(path) -> ImportedText:
    """The text, title, encoding and date of one .txt, .md or .html file; StoreError naming it if refused."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise StoreError(f"{path.name}: PDF is not supported; save the article as text or HTML")
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        raise StoreError(f"{path.name}: cannot import {suffix or 'files without an extension'}; "
                         "import .txt, .md, .htm or .html files")
    try:
        data = read_capped(path)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    text, encoding = decode(data, path.name)
    title = ""
    if suffix in HTML_SUFFIXES:
        declared = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
        if declared and not encoding.startswith("utf"):  # a page that names its charset is believed ...
            try:
                name = codecs.lookup(declared.group(1).decode("ascii")).name
                name = _AS_BROWSERS_READ.get(name, name)  # ... the way browsers read that name
                text, encoding = normalise_text(data.decode(name)), name
            except (LookupError, UnicodeDecodeError, StoreError):
                pass
        published = _html_published(text)
        text, title = html_article_text(text)
        if not text.strip():
            raise StoreError(f"{path.name}: the page holds no article text")
    else:
        published = ""
    text, title = without_controls(text), without_controls(title)
    if not text.strip():
        raise StoreError(f"{path.name} is empty")
    if len(text) > MAX_DOCUMENT_CHARS:  # import and extract alike
        raise StoreError(f"{path.name} is too long ({len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,})")
    return ImportedText(text, title or _first_line_title(text) or path.name, encoding, path.name,
                        published or find_published(text))


def _html_published(html: str) -> str:
    m = re.search(r"<(?:meta[^>]+(?:article:published_time|datePublished|pubdate|DC\.date)[^>]+content|time[^>]+"
                  r"datetime)\s*=\s*[\"']((?:19|20)\d\d-\d\d(?:-\d\d)?)", html[:200_000], re.IGNORECASE)
    return m.group(1) if m else ""
