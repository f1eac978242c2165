"""The widget's files: small enough for an old phone, served to other sites, and free of the habits that would
break a strict CSP, track residents or inject HTML."""

import gzip
import re

import pytest
from fastapi.testclient import TestClient

from api.routes.pages import WIDGET_SCRIPT
from tests.servers import ROOT

WIDGET_DIR = ROOT / "api" / "static" / "widget"
MAX_GZIPPED_BYTES = 30 * 1024


def _code() -> str:
    """widget.js without its comments (which may name what the code avoids)."""
    source = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    return re.sub(r"^\s*//.*$|\s//\s.*$", "", source, flags=re.MULTILINE)


def test_widget_js_and_css_are_under_30_kb_gzipped_together() -> None:
    files = [WIDGET_DIR / "widget.js", WIDGET_DIR / "widget.css"]
    size = sum(len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in files)
    assert size < MAX_GZIPPED_BYTES, f"widget is {size} bytes gzipped"


@pytest.mark.parametrize("pattern", [
    r"\.innerHTML", r"\.outerHTML", r"insertAdjacentHTML", r"document\.write", r"\beval\(", r"new Function",
    r"localStorage", r"document\.cookie", r"\.setAttribute\(\s*[\"']style", r"\.style\.",
    r"credentials:\s*[\"']include",
])
def test_widget_never_uses(pattern: str) -> None:
    assert not re.search(pattern, _code())


def test_widget_requests_only_its_own_api() -> None:
    source = _code()
    absolute = re.findall(r"https?://[A-Za-z0-9]", source)
    assert absolute == [], "no third-party addresses in the widget"
    assert 'credentials: "omit"' in source and "sessionStorage" in source


def test_widget_files_are_served_for_other_sites(client: TestClient) -> None:
    script = client.get(WIDGET_SCRIPT)
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"
    css = client.get("/static/widget/widget.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
