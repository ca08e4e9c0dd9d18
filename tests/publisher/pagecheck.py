"""HTML checks for the built site, on the standard library's html.parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class PageFacts:
    html_lang: str | None = None
    charset: bool = False
    h1: int = 0
    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # href and src values
    labelledby: list[str] = field(default_factory=list)
    main_attrs: dict[str, str | None] | None = None
    nesting_errors: list[str] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self.stack: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        f = self.facts
        if tag == "html":
            f.html_lang = a.get("lang")
        if tag == "meta" and "charset" in a:
            f.charset = True
        if tag == "h1":
            f.h1 += 1
        if tag == "main":
            f.main_attrs = a
        if a.get("id"):
            f.ids.append(a["id"])
        for name in ("href", "src"):
            if a.get(name):
                f.links.append(a[name])
        if a.get("aria-labelledby"):
            f.labelledby.extend(a["aria-labelledby"].split())
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.facts.nesting_errors.append(
                f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}>"
            )
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def parse(html: str) -> PageFacts:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    if parser.stack:
        parser.facts.nesting_errors.append(f"unclosed: {parser.stack}")
    parser.facts.text = "".join(parser.chunks)
    return parser.facts


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def url_of(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def target_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path
    file = site / path.lstrip("/")
    return file / "index.html" if path.endswith("/") else file
