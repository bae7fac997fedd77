"""Each screen at a phone, a tablet and a laptop size, light and dark (issue 12, item 5): nothing
runs off the side, the question box is on screen, the answer is the largest thing in its bubble
with quieter references and passage labels, and a passage names its section, not the title of
the only text. The screenshots are kept in artifacts/screenshots/SCREEN_WxH_THEME.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .chat import REFUSED, TURKISH, ask

pytestmark = pytest.mark.e2e

SIZES = [(390, 844), (768, 1024), (1280, 800)]
THEMES = ["light", "dark"]

# Font size and weight of the bubble's parts, in pixels, for the first answer on the page.
TYPOGRAPHY_JS = """(root) => {
  const answer = root.querySelector('.rh-answer:not(.rh-abstained)');
  const size = (sel) => parseFloat(getComputedStyle(answer.querySelector(sel)).fontSize);
  const all = [...answer.querySelectorAll('*')].filter((e) => e.offsetParent !== null && e.textContent.trim());
  return {text: size('.rh-text'), cite: size('cite'), summary: size('.rh-sources summary'),
          largest: Math.max(...all.map((e) => parseFloat(getComputedStyle(e).fontSize))),
          cite_weight: parseInt(getComputedStyle(answer.querySelector('cite')).fontWeight)};
}"""


def check_fits(scope, name: str) -> None:
    """No horizontal scrolling, and the question box and its button within the width."""
    width = scope.evaluate("window.innerWidth")
    assert scope.evaluate("document.documentElement.scrollWidth") <= width, f"{name} runs off the side"
    for selector in ("#rh-question textarea", "#rh-send"):
        box = scope.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (name, selector, box)


def check_typography(scope) -> None:
    t = scope.locator("#rh-chat").evaluate(TYPOGRAPHY_JS)
    assert t["text"] >= t["largest"], t  # the answer is the largest thing in its bubble
    assert t["cite"] < t["text"] and t["summary"] < t["text"] and t["cite_weight"] < 600, t


@pytest.mark.parametrize("theme", THEMES)
def test_screens_at_three_sizes(open_page, chat_url, course_url, assistant, screenshot_dir, theme):
    page = open_page(f"{chat_url}/?__theme={theme}")
    ask(page, TURKISH)
    ask(page, REFUSED)
    title = assistant.texts[0].title
    metas = page.locator("#rh-chat .rh-passage .rh-meta").all_text_contents()
    assert metas and all(m.startswith(("Bölüm: ", "Section: ")) and title not in m for m in metas), metas
    for w, h in SIZES:
        page.set_viewport_size({"width": w, "height": h})
        page.get_by_role("tab", name="Chat").click()
        page.locator("#rh-chat .rh-sources summary").first.click()
        page.locator("#rh-chat .rh-turn").first.evaluate("(e) => e.scrollIntoView()")
        check_fits(page, f"chat {w}x{h}")
        check_typography(page)
        page.screenshot(path=str(screenshot_dir / f"chat_{w}x{h}_{theme}.png"))
        page.locator("#rh-chat .rh-sources summary").first.click()  # closed again for the next size
        page.get_by_role("tab", name="References").click()
        page.locator("#rh-references .rh-reference summary").first.click()
        page.screenshot(path=str(screenshot_dir / f"references_{w}x{h}_{theme}.png"))
        page.locator("#rh-references .rh-reference summary").first.click()

    embed = open_page(f"{chat_url}/embed/?lang=tr&__theme={theme}")
    ask(embed, TURKISH)
    for w, h in SIZES:
        embed.set_viewport_size({"width": w, "height": h})
        check_fits(embed, f"embed {w}x{h}")
        check_typography(embed)
        embed.screenshot(path=str(screenshot_dir / f"embed_{w}x{h}_{theme}.png"))

    course = open_page(f"{course_url}?theme={theme}")
    course.get_by_role("button", name="Makaleye sor").click()
    frame = course.frame_locator(".rh-widget-panel iframe")
    ask(frame, TURKISH)
    for w, h in SIZES:
        course.set_viewport_size({"width": w, "height": h})
        panel = course.locator(".rh-widget-panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= w and panel["y"] >= 0, (w, h, panel)
        expect(frame.locator("#rh-question textarea")).to_be_in_viewport()
        course.screenshot(path=str(screenshot_dir / f"widget_{w}x{h}_{theme}.png"))
