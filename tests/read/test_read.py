"""Reading articles from messy text and HTML."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest

from rashomon.errors import InputError, NoArticlesError, UsageError
from rashomon.read import read_article, read_sources
from rashomon.read.text import normalise, parse_text
from tests.conftest import EXAMPLE, FIXTURES


def _read(path, **kw):
    warnings: list[str] = []
    return read_article(
        str(path), outlets=kw.get("outlets", {}), max_chars=kw.get("max_chars", 200_000), warnings=warnings
    ), warnings


def _bare(prefix: str, folder) -> object:
    """A bundled example's text alone, without its sidecar: what the parser finds by itself."""
    source = next(EXAMPLE.glob(f"{prefix}_*.txt"))
    path = folder / source.name
    path.write_bytes(source.read_bytes())
    return path


def test_leading_date_header_is_metadata_not_text(tmp_path):
    article, _ = _read(_bare("000", tmp_path))
    assert article.published == dt.date(2025, 5, 17)
    assert article.text.startswith("The Kremlin has said on Saturday")


def test_headline_first_line_becomes_the_title(tmp_path):
    article, _ = _read(_bare("001", tmp_path))
    assert article.title == "Putin-Zelensky meeting ‘possible’ – Kremlin"
    assert article.text.startswith("Putin-Zelensky meeting ‘possible’ – Kremlin\n")  # kept as evidence


def test_a_sentence_is_not_taken_for_a_title(tmp_path):
    article, _ = _read(_bare("002", tmp_path))
    assert article.title is None


def test_byline_is_found_and_removed_from_the_text(tmp_path):
    article, _ = _read(_bare("003", tmp_path))
    assert article.byline == "Tamilla Hasanova"
    assert "By Tamilla Hasanova" not in article.text


def test_dateline_credit_names_the_outlet(tmp_path):
    article, _ = _read(_bare("004", tmp_path))
    assert article.outlet == "Realist English"


def test_no_outlet_is_guessed_from_the_file_name_a_byline_or_a_cited_source(tmp_path):
    # 003 has a byline and cites "Caliber.Az reports": neither is its outlet
    for prefix in ("000", "001", "002", "003"):
        article, _ = _read(_bare(prefix, tmp_path))
        assert article.outlet is None, prefix
    named = tmp_path / "the-daily-planet.txt"
    named.write_text("Officials said on Monday that the bridge would reopen in June after repairs.\n")
    assert _read(named)[0].outlet is None


def test_the_bundled_sidecars_state_only_what_the_articles_state():
    got = {p.name[:3]: _read(p)[0] for p in sorted(EXAMPLE.glob("*.txt"))}
    assert [got[k].outlet for k in sorted(got)] == [None, None, None, None, "Realist English"]
    assert got["003"].title.startswith("Kremlin: Putin-Zelenskyy meeting") and got["003"].byline == "Tamilla Hasanova"
    assert got["000"].published == dt.date(2025, 5, 17) and got["002"].title is None


def test_outlet_option_wins(tmp_path):
    path = next(EXAMPLE.glob("000_*.txt"))
    article, _ = _read(path, outlets={path.name: "ZeroHedge"})
    assert article.outlet == "ZeroHedge"


def test_sidecar_meta_toml(tmp_path):
    src = tmp_path / "story.txt"
    src.write_text("A headline here\n\nThe council met on Monday and voted to close the pool for repairs.\n")
    (tmp_path / "story.meta.toml").write_text('outlet = "The Gazette"\ndate = "2024-02-01"\nbyline = "A. Writer"\n')
    article, _ = _read(src)
    assert (article.outlet, article.published, article.byline) == ("The Gazette", dt.date(2024, 2, 1), "A. Writer")


def test_front_matter(tmp_path):
    src = tmp_path / "fm.md"
    src.write_text(
        "---\ntitle: Pool closes\noutlet: Daily Post\ndate: 2024-02-02\n---\nThe council voted on Monday to close the pool.\n"
    )
    article, _ = _read(src)
    assert (article.title, article.outlet, article.published) == ("Pool closes", "Daily Post", dt.date(2024, 2, 2))
    assert article.text == "The council voted on Monday to close the pool."  # front-matter title is metadata only


def test_html_main_text_and_metadata():
    article, _ = _read(FIXTURES / "page.html")
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.outlet == "Coastal Courier"
    assert article.published == dt.date(2024, 3, 8)
    assert "42 steel cables" in article.text
    assert "Privacy" not in article.text and "Sport" not in article.text


def test_hard_wrapped_text_is_unwrapped():
    raw = "\n".join(
        [
            "The council met on Monday evening to discuss the state of the old",
            "harbour bridge, which engineers said needed urgent repairs to its",
            "cables and deck before the winter storms arrived on the coast.",
        ]
        * 2
    )
    raw = raw + "\n\n" + raw
    text = normalise(raw)
    assert "old harbour" in text and len(text.split("\n")) == 3


def test_empty_file_is_refused_with_a_fix(tmp_path):
    src = tmp_path / "empty.txt"
    src.write_text("   \n")
    with pytest.raises(InputError, match="empty"):
        _read(src)


def test_binary_file_is_refused(tmp_path):
    src = tmp_path / "image.txt"
    src.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match="binary"):
        _read(src)


def test_non_utf8_is_read_with_a_warning(tmp_path):
    src = tmp_path / "latin.txt"
    src.write_bytes("Le président a déclaré que la réunion était « possible » mais pas certaine.".encode("cp1252"))
    article, warnings = _read(src)
    assert "président" in article.text
    assert warnings and "not valid UTF-8" in warnings[0]


def test_huge_text_is_cut_with_a_warning(tmp_path):
    src = tmp_path / "huge.txt"
    src.write_text("\n".join(f"Paragraph {i} says the council met again and talked at length." for i in range(5000)))
    article, warnings = _read(src, max_chars=10_000)
    assert len(article.text) <= 10_000
    assert any("longer than" in w for w in warnings)


def test_identical_files_are_counted_once(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    for p in (a, b):
        p.write_text("The council voted on Monday to close the pool for repairs until June.\n")
    result = read_sources([str(a), str(b)], outlets={}, max_chars=200_000)
    assert len(result.articles) == 1
    assert any("same text" in w for w in result.warnings)


def test_directory_without_articles(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    with pytest.raises(NoArticlesError, match="no article files"):
        read_sources([str(tmp_path)], outlets={}, max_chars=200_000)


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        read_sources([str(tmp_path / "nope.txt")], outlets={}, max_chars=200_000)


def test_parse_text_keeps_paragraphs():
    parsed = parse_text("Title of it all\n\nFirst paragraph here.\nSecond paragraph here.\n")
    assert parsed.title == "Title of it all"
    assert parsed.text == "Title of it all\n\nFirst paragraph here.\nSecond paragraph here."


def test_non_latin_text_is_read_with_a_warning(tmp_path):
    src = tmp_path / "ru.txt"
    src.write_text(
        "Переговоры в Стамбуле завершились без соглашения о прекращении огня, заявил Песков.\n", encoding="utf-8"
    )
    article, warnings = _read(src)
    assert article.language == "und"
    assert warnings and "not Latin" in warnings[0]


def test_max_chars_is_bounded():
    from rashomon.settings import CompareOptions

    with pytest.raises(UsageError, match="between 1,000 and 1,000,000"):
        CompareOptions(max_chars=5_000_000)


@pytest.mark.parametrize(
    "line", ["2025-05-17", "May 17, 2025", "Saturday, 17 May 2025", "Published: May 17, 2025 10:30 GMT"]
)
def test_a_bare_date_line_is_the_publication_date(tmp_path, line):
    src = tmp_path / "dated.txt"
    src.write_text(f"Talks end without a ceasefire\n{line}\nThe delegations met in Istanbul on Friday for two hours.\n")
    article, _ = _read(src)
    assert article.published == dt.date(2025, 5, 17)
    assert line not in article.text and article.title == "Talks end without a ceasefire"


ENCODED = "The minister’s “final offer” was rejected, the café owner said — twice.\n\nTalks resume on Friday."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_are_honoured_before_the_binary_check(tmp_path, encoding):
    src = tmp_path / "bom.txt"
    data = ENCODED.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    src.write_bytes(data)
    article, warnings = _read(src)
    assert "“final offer”" in article.text and "café" in article.text
    assert not warnings


def test_utf16_without_a_bom_is_recognised(tmp_path):
    src = tmp_path / "nobom.txt"
    src.write_bytes(ENCODED.encode("utf-16-le"))
    article, warnings = _read(src)
    assert "“final offer”" in article.text
    assert warnings and "without a byte-order mark" in warnings[0]


def test_utf8_with_a_few_stray_latin1_bytes_keeps_its_curly_quotes(tmp_path):
    src = tmp_path / "stray.txt"
    body = (ENCODED + " ") * 5
    data = body.encode("utf-8").replace("café".encode(), b"caf\xe9", 3)
    src.write_bytes(data)
    article, warnings = _read(src)
    assert "“final offer”" in article.text and "minister’s" in article.text
    assert "caf\ufffd" in article.text
    (warning,) = warnings
    assert "3 invalid bytes" in warning and "0xe9" in warning


def test_binary_with_a_bom_like_start_is_still_refused(tmp_path):
    src = tmp_path / "x.txt"
    src.write_bytes(codecs.BOM_UTF16_LE + bytes(range(32)) * 50)
    with pytest.raises(InputError, match="binary"):
        _read(src)
