"""Security headers (issue 13): nosniff, a Referrer-Policy and a Content-Security-Policy for the
app's own pages on every response, under which the chat still works in Chromium; and a
frame-ancestors option with an internationalized host name (it made every response a 500)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import FRAME_ANCESTORS
from .fast import post_json, request, response, serving
from .chat import ENGLISH, TURKISH, ask

pytestmark = pytest.mark.e2e

# Every reply, including the errors made by the middleware themselves (400 host, 404, 413).
PATHS = [("GET", "/", None), ("GET", "/embed/", None), ("GET", "/config", None), ("GET", "/widget.js", None),
         ("GET", "/gradio_api/info", None), ("GET", "/theme.css", None), ("GET", "/nosuch", None),
         ("GET", "/gradio_api/queue/data?session_hash=nosuch", None), ("POST", "/gradio_api/call/ask", b"x" * 2_000_000)]
DIRECTIVES = ("default-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
              "form-action 'self'", f"frame-ancestors {FRAME_ANCESTORS}")
# Reported by the page itself: a blocked script, style, font, image or request, and any error.
VIOLATIONS = """document.addEventListener("securitypolicyviolation", e =>
  (window.__violations = window.__violations || []).push(e.violatedDirective + " " + e.blockedURI))"""


def _headers(url: str, method: str, path: str, body, host: str | None = None) -> dict:
    status, headers, _ = response(url, method, path, body, {"Host": host} if host else None)
    return headers | {"status": status}


def _policy(csp: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d for d in (part.strip() for part in csp.split(";")) if d}


@pytest.mark.parametrize("method, path, body", PATHS)
def test_every_response_carries_the_security_headers(chat_url, method, path, body):
    headers = _headers(chat_url, method, path, body)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("strict-origin-when-cross-origin", "no-referrer")
    policy = _policy(headers["content-security-policy"])
    for directive in DIRECTIVES:
        assert policy[directive.split(" ", 1)[0]] == directive, (path, headers["content-security-policy"])
    assert "'unsafe-inline'" not in policy["script-src"] and "*" not in policy["script-src"]


def test_the_host_refusal_carries_the_headers_too(chat_url):
    headers = _headers(chat_url, "GET", "/", None, host="evil.example")
    assert headers["status"] == 400 and headers["x-content-type-options"] == "nosniff"


def test_the_page_policy_names_exactly_its_inline_scripts(chat_url):
    from rag_history.web.headers import inline_script_hashes

    for path in ("/", "/embed/"):
        html = request(chat_url, "GET", path)[1]
        hashes = inline_script_hashes(html)
        assert len(hashes) >= 3  # Gradio's config, API info and loader scripts
        script_src = _policy(_headers(chat_url, "GET", path, None)["content-security-policy"])["script-src"]
        assert set(re.findall(r"'sha256-[^']+'", script_src)) == set(hashes)


def test_the_chat_works_under_the_policy(open_page, chat_url, assistant):
    """Nothing the chat needs is blocked: questions, the language switch, the References view, the
    embed view; the page reports no CSP violation and no script error."""
    errors: list[str] = []
    page = open_page("about:blank")
    page.add_init_script(VIOLATIONS)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(chat_url + "/")
    expect(page.locator("#rh-chat .rh-answer")).to_have_count(0)
    assert "16 Mart 1921" in ask(page, TURKISH).inner_text()
    page.locator("#rh-language").get_by_text("Türkçe").click()
    expect(page.locator("#rh-send")).to_have_text("Sor")
    page.get_by_role("tab", name="Kaynakça").click()
    expect(page.locator("#rh-references .rh-reference")).to_have_count(len(assistant.references()))
    assert page.evaluate("window.__violations || []") == [] and errors == []
    embed = open_page("about:blank")
    embed.add_init_script(VIOLATIONS)
    embed.on("pageerror", lambda e: errors.append(str(e)))
    embed.goto(chat_url + "/embed/?lang=en")
    ask(embed, ENGLISH)
    assert embed.evaluate("window.__violations || []") == [] and errors == []


def test_an_internationalized_frame_ancestor_is_sent_as_punycode(fast_assistant):
    with serving(fast_assistant, frame_ancestors="'self' https://öğrenci.example.edu.tr") as url:
        for method, path, body in PATHS[:4]:
            headers = _headers(url, method, path, body)
            assert headers["status"] < 400, (path, headers["status"])
            assert headers["content-security-policy"].endswith(
                "; frame-ancestors 'self' https://xn--renci-iua10a.example.edu.tr")
        assert post_json(url, "/gradio_api/call/ask", {"data": ["Moskova?"]})[0] == 200
