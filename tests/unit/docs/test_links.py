"""The README and the documents under docs/ link only to files inside the repository, and
every file they link to exists (a newcomer's clone has nothing else)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")
INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, …


def targets(markdown: str) -> list[str]:
    """The link targets of a Markdown text, outside code blocks and code spans."""
    prose = CODE.sub("", FENCE.sub("", markdown))
    return INLINE.findall(prose) + REFERENCE.findall(prose)


def test_the_link_finder_sees_links_and_skips_code() -> None:
    text = (
        "See [the design](docs/ARCHITECTURE.md#layout) and ![logo](img/logo.png 'Logo').\n"
        "[adr]: docs/adr/\n"
        "`[not](a-link.md)`\n"
        "```\n[nor](this.md)\n```\n"
    )
    assert sorted(targets(text)) == ["docs/ARCHITECTURE.md#layout", "docs/adr/", "img/logo.png"]


def test_the_project_keeps_its_architecture_document() -> None:
    assert (ROOT / "docs" / "ARCHITECTURE.md").is_file()
    assert "docs/ARCHITECTURE.md" in targets((ROOT / "README.md").read_text())


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_link_resolves_inside_the_repository(document: Path) -> None:
    # given every link of the document that is not a web address or an anchor on the page
    local = [
        t for t in targets(document.read_text()) if not EXTERNAL.match(t) and not t.startswith("#")
    ]
    for target in local:
        path = (document.parent / target.split("#", 1)[0].split("?", 1)[0]).resolve()
        # then it names a file or folder of the repository that exists
        assert path.is_relative_to(ROOT), f"{document.name} links outside the repo: {target}"
        assert path.exists(), f"{document.name} links to a missing file: {target}"
