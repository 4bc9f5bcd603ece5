"""MkDocs hooks (mkdocs.yml, `hooks:`): the briefing's pictures on the site as the golden files
the tests hold them to (tests/golden/briefing-zh/), not as copies kept beside them in docs/."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

GOLDEN = Path(__file__).resolve().parent / "golden" / "briefing-zh"
#: The pictures the pages show, as `pictures/NAME` on the site.
PICTURES = ("ladder.svg", "heatmap.svg")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name in PICTURES:
        files.append(File.generated(config, f"pictures/{name}", abs_src_path=str(GOLDEN / name)))
    return files
