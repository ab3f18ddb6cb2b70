"""Document import: decoding, HTML article text, one action per file, refusals that store nothing, the CLI."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from store.curation.history import undo
from store.curation.importing import ImportCancelled, import_documents
from store.errors import Cancelled, StoreError
from store.finder import find_figures_within
from store.models import Action, Anchor, Document, Figure
from store.opening.seed import SEEDS_DIR
from store.reading import files
from store.reading.files import decode, find_published, html_article_text, read_document
from tests.seed_counts import SEED_DOCUMENTS

ARTICLE = ("Guangdong robots surge\n\nIn 2024, Guangdong produced 124,700 sets of industrial robots, up 33%.\n"
           "The province has 11 provincial-level AI industrial parks and over 2,000 drone makers.\n")


def _count(store, model) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _counts(store) -> tuple[int, int, int, int]:
    return tuple(_count(store, model) for model in (Document, Figure, Anchor, Action))


# --- decoding ------------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "encoding"), [
    ("Output rose 31.2% — 東莞 🚀\r\nline two\rline three".encode("utf-8"), "utf-8"),
    ("\ufeffOutput rose 31.2% — 東莞\r\n".encode("utf-8"), "utf-8-sig"),
    ("Output rose 31.2% — 東莞 🚀\r\n".encode("utf-16"), "utf-16"),  # with its BOM (little-endian here)
    (b"\xfe\xff" + "Output rose 31.2% — 東莞\n".encode("utf-16-be"), "utf-16"),
])
def test_unicode_files_decode_with_line_ends_normalised(data, encoding):
    text, found = decode(data, "a.txt")
    assert found == encoding
    assert "\r" not in text and "\ufeff" not in text and text.startswith("Output rose 31.2% — 東莞")


def test_gb18030_and_windows_code_pages_are_guessed():
    chinese = "广东省2025年规模以上工业增加值增长约5%，数字经济核心产业增加值突破5000亿元。\n" * 3
    assert decode(chinese.encode("gb18030"), "zh.txt") == (chinese, "gb18030")
    western = "The fund raised € 5 million from investors, a “record” for the café sector.\n"
    assert decode(western.encode("cp1252"), "eu.txt") == (western, "cp1252")
    assert decode("€ 5 million".encode("cp1252"), "short.txt") == ("€ 5 million", "cp1252")
    russian = "Объём производства вырос на 5 процентов в 2024 году.\n"
    assert decode(russian.encode("cp1251"), "ru.txt")[0] == russian


WESTERN = ["Le maître d'hôtel a goûté la crème brûlée : sûr, c'est très bon.", "Un élève sûr de lui.",
           "Où est la forêt ? Près du château.", "Ça coûte 3 €, à peine.", "Très bien.", "Noël à Genève.",
           "La producción creció un 12 % en el año, según la compañía.", "Il caffè è più caro però.",
           "A produção de peças cresceu 12 % à medida que a fábrica se expandiu."]
CENTRAL = ["Příliš žluťoučký kůň úpěl ďábelské ódy.", "Vývoj průmyslu v České republice je rychlý a stabilní.",
           "Zażółć gęślą jaźń, powiedział prezes spółki.", "Árvíztűrő tükörfúrógép, mondta az igazgató.",
           "Spoločnosť rozšírila výrobu o 12 %."]


@pytest.mark.parametrize("text", WESTERN)
def test_a_short_western_text_in_cp1252_is_not_read_as_cp1250(text):
    # è, û, à, ù, ò read as cp1250 are č, ű, ŕ, ů, ň: 'crčme brűlée'; 'Très' read as Big5 is 'Tr鋊'
    assert decode(text.encode("cp1252"), "fr.txt") == (text, "cp1252")


@pytest.mark.parametrize("text", CENTRAL)
def test_a_central_european_text_in_cp1250_stays_cp1250(text):
    assert decode(text.encode("cp1250"), "cz.txt") == (text, "cp1250")


def test_an_imported_french_file_in_cp1252_keeps_its_accents(seeded_store, tmp_path):
    path = tmp_path / "usine.txt"
    path.write_bytes("L'usine de Lyon\n\nLa crème de la production : 12 % de plus, très au-dessus de la forêt.\n"
                     .encode("cp1252"))
    [result] = import_documents(seeded_store, [path])
    with seeded_store.read() as session:
        document = session.get(Document, result.document_id)
        assert (document.encoding, "crème" in document.text, "très" in document.text) == ("cp1252", True, True)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b" \n\t\r\n ", "empty"), ("\ufeff  \n".encode("utf-8"), "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF is not supported; save the article as text or HTML"),
    (b"PK\x03\x04\x14\x00\x06\x00", "not supported"), (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
    (b"hello\x00world" * 10, "binary"), (bytes(range(1, 32)) * 20 + b"text", "binary"),
])
def test_binary_empty_and_pdf_files_are_refused_naming_the_file(data, message):
    with pytest.raises(StoreError, match=message) as info:
        decode(data, "article.txt")
    assert "article.txt" in str(info.value) and "\n" not in str(info.value)


def test_oversized_files_are_refused_before_they_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("12 units. " * 200)
    with pytest.raises(StoreError, match=r"big.txt is too large .*limit"):
        read_document(big)
    with pytest.raises(StoreError, match="too large"):
        decode(b"x" * 1001, "big.txt")


def test_only_text_markdown_and_html_files_are_read(tmp_path):
    for name, message in (("a.pdf", "PDF is not supported"), ("a.docx", r"cannot import \.docx"), ("a", "extension")):
        path = tmp_path / name
        path.write_bytes(b"12 units")
        with pytest.raises(StoreError, match=message):
            read_document(path)
    with pytest.raises(StoreError, match="cannot read"):
        read_document(tmp_path / "missing.txt")


# --- HTML ------------------------------------------------------------------------------------
PAGE = """<!doctype html><html><head><title>Robots surge in Guangdong</title>
<meta property="article:published_time" content="2025-06-12T08:00:00Z">
<script>alert(1)</script><style>p { color: red }</style><link rel="stylesheet" href="http://evil.example/x.css">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> 99 links</nav>
<header><p>Site header 2024</p></header>
<article><h1>Robots surge</h1>
<p>Guangdong produced <b>124,700</b> sets of industrial robots,
   up&nbsp;33%.</p><img src="http://tracker.example/pixel.gif" alt="pixel">
<div>Output reached 4.1698 million sets.<br>A second line.</div>
<script>document.write("injected 500 units")</script><iframe src="http://ads.example"></iframe>
<table><tr><th>Year</th><th>Units</th></tr><tr><td>2024</td><td>124,700</td></tr></table>
<!-- a comment with 77 numbers -->
</article>
<aside>Related: 5 stories</aside><footer>Copyright 2025 · 12 comments</footer>
<form><input value="search 42"></form>
</body></html>"""


def test_html_keeps_the_article_text_and_drops_everything_else(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the HTML import tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    text, title = html_article_text(PAGE)
    assert title == "Robots surge in Guangdong"
    assert text.split("\n\n")[:3] == ["Robots surge", "Guangdong produced 124,700 sets of industrial robots, up 33%.",
                                      "Output reached 4.1698 million sets.\nA second line."]
    for gone in ("alert", "color", "Home", "99 links", "Site header", "pixel", "injected", "ads.example", "comment",
                 "Related", "Copyright", "search", "http"):
        assert gone not in text
    assert "Year Units\n2024 124,700" in text


def test_html_files_get_their_title_date_and_declared_charset(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("utf-8"))
    doc = read_document(path)
    assert (doc.title, doc.published, doc.encoding, doc.file_name) == ("Robots surge in Guangdong", "2025-06-12",
                                                                     "utf-8", "page.html")
    legacy = tmp_path / "legacy.htm"
    legacy.write_bytes('<html><head><meta charset="gb18030"></head><body><h1>广东机器人</h1><p>增长约5%，突破5000亿元。</p>'
                       '</body></html>'.encode("gb18030"))
    doc = read_document(legacy)
    assert doc.title == "广东机器人" and "突破5000亿元" in doc.text and doc.encoding == "gb18030"
    western = tmp_path / "western.html"  # 'iso-8859-1' is read as browsers read it: windows-1252
    western.write_bytes('<html><head><meta charset="iso-8859-1"></head><body><p>A “record” € 5 million.</p>'
                        '</body></html>'.encode("cp1252"))
    assert (read_document(western).text, read_document(western).encoding) == ("A “record” € 5 million.", "cp1252")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Home</nav><script>x=1</script></body></html>")
    with pytest.raises(StoreError, match="no article text"):
        read_document(empty)


def test_titles_and_dates_from_plain_text(tmp_path):
    assert find_published("By Yuan Shenggao (China Daily) Update:2024-10-23\nText") == "2024-10-23"
    assert find_published("Guangzhou, October 23, 2024 — Text") == "2024-10-23"
    assert find_published("广州日报 2025年3月 报道") == "2025-03"
    assert find_published("No date here.\nIn 2024 output rose.") == ""
    md = tmp_path / "note.md"
    md.write_text("\n\n# **Robots** surge\n\nBody 12 units.\n", encoding="utf-8")
    assert read_document(md).title == "Robots surge"
    stars = tmp_path / "stars.txt"
    stars.write_text("***\n", encoding="utf-8")
    assert read_document(stars).title == "stars.txt"
    long = tmp_path / "long.txt"
    long.write_text("x" * 500 + "\nbody", encoding="utf-8")
    assert len(read_document(long).title) == 200


# --- importing ----------------------------------------------------------------------------------
def test_a_file_is_one_action_with_its_candidates_and_undo_removes_it(seeded_store, tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTER_EXPLORER_USER", "importer")
    path = tmp_path / "robots.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    before = _counts(seeded_store)
    [result] = import_documents(seeded_store, [path])
    assert result.document_id is not None and result.candidates == 4 and not result.refused
    assert _counts(seeded_store) == (before[0] + 1, before[1] + 4, before[2] + 4, before[3] + 1)
    with seeded_store.read() as session:
        document = session.get(Document, result.document_id)
        assert document.text == ARTICLE and document.title == "Guangdong robots surge"
        assert document.origin == "import" and document.encoding == "utf-8"
        rows = session.execute(select(Figure, Anchor).join(Anchor, Anchor.figure_id == Figure.id)
                               .where(Anchor.document_id == document.id).order_by(Anchor.start)).all()
        assert [a.quote for _, a in rows] == ["124,700 sets", "33%", "11 provincial-level AI industrial parks",
                                              "over 2,000 drone makers"]
        for figure, anchor in rows:
            assert document.text[anchor.start:anchor.end] == anchor.quote
            assert (figure.status, figure.created_by, figure.flag) == ("candidate", "importer", "")
        assert rows[0][0].period == "2024" and rows[0][0].entity.key == "guangdong"
        assert rows[0][0].metric.unit_kind == "count" and rows[1][0].metric.unit_kind == "percent"
        action_id = session.scalar(select(func.max(Action.id)))
    undo(seeded_store, action_id)
    assert _counts(seeded_store)[:3] == before[:3]


def test_an_imported_share_in_tenths_arrives_as_percent(seeded_store, tmp_path):
    # 占全国4成 is 40 %, as the curated seeds and the conflict rule read it: not 0.4, not a 'share'
    path = tmp_path / "robots_zh.txt"
    path.write_text("工业机器人\n2025年，工业机器人产量增长31.2%、占全国4成，服务机器人产量占全国八成以上。\n", encoding="utf-8")
    [result] = import_documents(seeded_store, [path])
    with seeded_store.read() as session:
        rows = session.execute(select(Figure, Anchor).join(Anchor, Anchor.figure_id == Figure.id)
                               .where(Anchor.document_id == result.document_id).order_by(Anchor.start)).all()
        tenths = {a.quote: (f.value_text, f.unit, f.scale, f.qualifier, f.flag) for f, a in rows if "成" in a.quote}
    assert tenths == {"4成": ("40", "%", "成", "", ""), "八成以上": ("80", "%", "成", "over", "")}


def test_the_same_text_twice_is_skipped_not_added_twice(seeded_store, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-16"))  # same text, other bytes
    figures = _count(seeded_store, Figure)
    results = import_documents(seeded_store, [first, second, SEEDS_DIR / "003_e841e1e603b82c1f.txt"], find=False)
    assert results[0].document_id is not None and results[0].candidates == 0
    for skipped in results[1:]:
        assert skipped.document_id is None and not skipped.refused
        assert skipped.skipped_reason.startswith("already in the store as \u201c")
    assert "003_e841e1e603b82c1f.txt" in results[2].skipped_reason
    assert _count(seeded_store, Figure) == figures
    with seeded_store.read() as session:
        assert session.scalar(select(func.count()).select_from(Document).where(Document.title == "Guangdong robots surge")) == 1


def test_refused_files_store_nothing_and_the_others_are_imported(seeded_store, tmp_path):
    files = {"doc.pdf": b"%PDF-1.4", "fake.txt": b"%PDF-1.4 renamed", "bin.txt": b"\x00\x01\x02" * 50,
             "blank.md": b"  \n\n", "ok.txt": ARTICLE.encode("utf-8")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    before = _counts(seeded_store)
    results = import_documents(seeded_store, [tmp_path / name for name in files])
    assert [r.refused for r in results] == [True, True, True, True, False]
    assert "PDF is not supported; save the article as text or HTML" in results[1].skipped_reason
    assert _counts(seeded_store) == (before[0] + 1, before[1] + 4, before[2] + 4, before[3] + 1)


def test_a_cancelled_import_leaves_no_partial_document(seeded_store, tmp_path):
    path = tmp_path / "seed_copy.txt"
    path.write_text(ARTICLE * 40 + "\n".join(f"Line {i}: {i} units." for i in range(200)), encoding="utf-8")
    before = _counts(seeded_store)
    finder_asks = []  # how often the finder asks while it reads this text (store.errors.stop_if)
    find_figures_within(read_document(path).text, cancelled=lambda: bool(finder_asks.append(1)))
    asked = []

    def cancel_during_candidates() -> bool:  # no between the files or while it is read, yes once it is written
        asked.append(1)
        return len(asked) > 1 + len(finder_asks)

    with pytest.raises(ImportCancelled, match="nothing of"):
        import_documents(seeded_store, [path], cancelled=cancel_during_candidates)
    assert len(asked) == 2 + len(finder_asks) and _counts(seeded_store) == before
    with pytest.raises(ImportCancelled) as info:
        import_documents(seeded_store, [path], cancelled=lambda: True)
    assert info.value.results == [] and _counts(seeded_store) == before
    progress = []
    [result] = import_documents(seeded_store, [path], progress=lambda *a: progress.append(a))
    assert result.candidates > 200 and progress == [(0, 1, "seed_copy.txt"), (1, 1, "")]


def test_cancel_stops_the_finder_inside_a_long_document_and_keeps_the_files_before(seeded_store, tmp_path):
    short, long = tmp_path / "short.txt", tmp_path / "long.txt"
    short.write_text(ARTICLE, encoding="utf-8")
    long.write_text("Park report\n\n" + "\n".join(f"Line {i}: {i} firms, up 3.{i % 10}%." for i in range(3000)),
                    encoding="utf-8")
    before = _counts(seeded_store)
    reading_long, asked_since = [], []

    def progress(done: int, total: int, name: str) -> None:
        if name == "long.txt":
            reading_long.append(1)

    def cancelled() -> bool:  # yes from the second question about long.txt on: after the finder's first batch
        if reading_long:
            asked_since.append(1)
        return len(asked_since) >= 2

    with pytest.raises(ImportCancelled, match="nothing of \u201cPark report\u201d was stored") as info:
        import_documents(seeded_store, [short, long], progress=progress, cancelled=cancelled)
    assert isinstance(info.value.__cause__, Cancelled)  # stopped by the finder, not after it
    [done] = info.value.results
    assert done.document_id is not None and done.candidates == 4
    assert _counts(seeded_store) == (before[0] + 1, before[1] + 4, before[2] + 4, before[3] + 1)  # short.txt only


# --- the command line ---------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", *args], capture_output=True, text=True, timeout=120)


def test_extract_prints_candidates_and_stores_nothing(seeded_path, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    seed = SEEDS_DIR / "004_455f2394a0f15694.txt"
    before = _cli("info", "--db", str(seeded_path)).stdout
    result = _cli("extract", str(seed), str(page), "--format", "jsonl", "--db", str(seeded_path))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    required = {"doc", "start", "end", "quote", "value", "value_text", "unit", "scale", "qualifier", "period",
                "metric", "entity", "cluster"}
    texts = {seed.name: seed.read_text(encoding="utf-8"), page.name: read_document(page).text}
    assert {r["doc"] for r in records} == set(texts) and len(records) > 16
    for record in records:
        assert required <= set(record)
        assert texts[record["doc"]][record["start"]:record["end"]] == record["quote"]
        # What the finder read the figure to mean, and from which words.
        assert isinstance(record["metric_text"], str) and isinstance(record["growth_base"], str)
        assert record["growth"] in ("level", "change", "") and isinstance(record["projected"], bool)
        assert isinstance(record["reading"], dict)
        assert isinstance(record["value"], (int, float))
    assert {"doc": seed.name, "quote": "nearly 3 trillion yuan", "value": 3000000000000, "unit": "yuan",
            "qualifier": "nearly", "period": "2023", "metric": "operating_revenue"}.items() <= \
        next(r for r in records if r["quote"] == "nearly 3 trillion yuan").items()
    assert _cli("info", "--db", str(seeded_path)).stdout == before  # no document, no figure added
    table = _cli("extract", str(seed), "--db", str(seeded_path))
    assert table.returncode == 0 and "'nearly 3 trillion yuan'" in table.stdout


def test_extract_refuses_a_file_in_one_line(seeded_path, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    result = _cli("extract", str(pdf), "--format", "jsonl", "--db", str(seeded_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "PDF is not supported" in result.stderr


def test_import_cli_adds_documents_and_verify_still_passes(seeded_path, tmp_path):
    anchors = int(_cli("verify", "--db", str(seeded_path)).stdout.split()[1])
    (tmp_path / "robots.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    result = _cli("import", str(tmp_path / "robots.txt"), str(tmp_path / "report.pdf"), "--db", str(seeded_path))
    assert result.returncode == 2  # a refused file, though the other was imported
    assert result.stdout == f"added doc {SEED_DOCUMENTS + 1}: Guangdong robots surge (4 candidates)\n"
    assert "report.pdf: PDF is not supported" in result.stderr and result.stderr.count("\n") == 1
    again = _cli("import", str(tmp_path / "robots.txt"), "--no-find", "--db", str(seeded_path))
    assert again.returncode == 0
    assert again.stdout.startswith("skipped robots.txt: already in the store as \u201cGuangdong robots surge\u201d")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    empty = _cli("import", str(folder), "--db", str(seeded_path))
    assert empty.returncode == 2 and "holds no .txt, .md, .htm, .html, .csv, .jsonl or .parquet files" in empty.stderr
    (folder / "b.md").write_text("# Drones\n\nShenzhen made 3 million drones.\n", encoding="utf-8")
    added = _cli("import", str(folder), "--db", str(seeded_path))
    assert added.returncode == 0 and added.stdout == f"added doc {SEED_DOCUMENTS + 2}: Drones (1 candidate)\n"
    verify = _cli("verify", "--db", str(seeded_path))
    assert verify.returncode == 0 and f"all {anchors + 5} anchors match" in verify.stdout
