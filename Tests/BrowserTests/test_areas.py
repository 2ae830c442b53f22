"""Public pages: home -> municipality (map + table) -> area, skip link, language switch, keyboard.

Every page the tests visit is checked with axe-core (support.axe_check). The journey test also
writes docs/screenshots/gemeente-oss.png (committed; the README shows it).

"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from support import WAIT, follow, main_text, open_page, replaced, wait_until_loaded, axe_check, first_focused_by_tab, screenshot

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "gemeente-oss.png"


# The 11 areas of Oss (Resources/Seed), in the order the table lists them.
OSS_AREAS = [
    "Centrum-Krinkelhoek-Mettegeupel",
    "Schadewijk",
    "Ruwaard",
    "Oss Noord West",
    "Oss Zuid",
    "Megen-Haren-Macharen",
    "Berghem",
    "Ravenstein",
    "Herpen",
    "Lith",
    "Geffen",
]

# Areas of Oss whose CBS table is wider than the page at 1280 px (several CBS districts).


# ---------------------------------------------------------------------------- helpers









def html_lang(driver) -> str:
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def h1_text(driver) -> str:
    headings = driver.find_elements(By.TAG_NAME, "h1")
    assert len(headings) == 1, f"expected one <h1> on {driver.current_url}, found {[h.text for h in headings]}"
    return headings[0].text.strip()


def map_links(driver):
    return driver.find_elements(By.CSS_SELECTOR, "figure.ww-map svg a.ww-map__link")


def map_area_name(link) -> str:
    """The area name from a map link's accessible name, e.g. 'Ruwaard (Wijk), 13.595 inwoners' -> 'Ruwaard'."""
    label = link.get_attribute("aria-label") or ""
    return label.split(" (")[0].strip()


def visible_label(driver, link) -> str:
    """The visible text label of a map link: inside the link, or else the SVG label that starts its name."""
    inside = link.find_elements(By.CSS_SELECTOR, "text.ww-map__label")
    if inside:
        return inside[0].text.strip()
    name = map_area_name(link)
    for text in driver.find_elements(By.CSS_SELECTOR, "figure.ww-map text.ww-map__label"):
        if text.get_attribute("textContent").strip() == name:
            return text.text.strip()
    raise AssertionError(f"no visible label for the map link {link.get_attribute('aria-label')!r}")


def use_skip_link(driver) -> None:
    """Tabs to the skip link from the top of the page and presses Enter."""
    skip = first_focused_by_tab(driver)
    assert (skip.get_attribute("href") or "").endswith("#inhoud"), skip.get_attribute("outerHTML")
    assert skip.is_displayed(), "the skip link must be visible when focused"
    skip.send_keys(Keys.ENTER)
    WebDriverWait(driver, WAIT).until(lambda d: d.current_url.endswith("#inhoud"))


def save_docs_screenshot(driver) -> None:
    """docs/screenshots/gemeente-oss.png (committed; the README shows it): the municipality page,
    1280 CSS pixels wide, from the top down to the end of the map."""
    DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    chrome_height = driver.execute_script("return window.outerHeight - window.innerHeight;")
    map_bottom = driver.execute_script(
        "var f = document.querySelector('figure.ww-map');"
        "return Math.ceil(f.getBoundingClientRect().bottom + window.scrollY + 32);"
    )
    try:
        driver.set_window_size(1280, map_bottom + chrome_height)
        driver.execute_script("window.scrollTo(0, 0);")
        assert driver.execute_script("return window.innerWidth") == 1280
        assert driver.save_screenshot(str(DOCS_SCREENSHOT)), f"could not write {DOCS_SCREENSHOT}"
    finally:
        driver.set_window_size(1280, 900)


def open_oss_from_home(driver, base_url) -> None:
    open_page(driver, base_url + "/")
    axe_check(driver, "home")
    follow(driver, driver.find_element(By.LINK_TEXT, "Gemeente Oss"))
    assert driver.current_url.rstrip("/").endswith("/gemeenten/oss"), driver.current_url
    axe_check(driver, "gemeente-oss")


# ---------------------------------------------------------------------------- tests

def test_public_journey_home_map_area_skip_link_and_english(driver, base_url):
    # Home -> "Gemeente Oss"
    open_oss_from_home(driver, base_url)
    assert html_lang(driver) == "nl"
    assert h1_text(driver) == "Gemeente Oss"

    # The map: 11 area links, each with an accessible name and a visible text label.
    links = map_links(driver)
    assert len(links) == 11, f"expected 11 area links on the map, found {len(links)}"
    map_names = []
    for link in links:
        accessible = (link.accessible_name or "").strip()
        assert accessible, f"map link without accessible name: {link.get_attribute('outerHTML')[:160]}"
        assert "inwoners" in accessible, f"map link name should give the inhabitants: {accessible!r}"
        label = visible_label(driver, link)
        assert label and accessible.startswith(label), (
            f"visible label {label!r} should start the accessible name {accessible!r} (WCAG 2.5.3)"
        )
        map_names.append(map_area_name(link))
    assert sorted(map_names) == sorted(OSS_AREAS)

    # The table under the map lists the same 11 areas, linking to the same pages.
    rows = driver.find_elements(By.CSS_SELECTOR, "#gebieden-tabel tbody tr")
    table_names = [r.find_element(By.CSS_SELECTOR, "th[scope=row]").text.strip() for r in rows]
    assert table_names == OSS_AREAS
    # (get_dom_attribute: an SVG <a>'s href property is an SVGAnimatedString, not a URL.)
    map_hrefs = {map_area_name(l): l.get_dom_attribute("href") for l in links}
    table_hrefs = {
        r.find_element(By.CSS_SELECTOR, "th a").text.strip(): r.find_element(By.CSS_SELECTOR, "th a").get_dom_attribute("href")
        for r in rows
    }
    assert map_hrefs == table_hrefs
    ruwaard_row = next(r for r in rows if r.find_element(By.TAG_NAME, "th").text.strip() == "Ruwaard")
    assert "13.595" in ruwaard_row.text

    save_docs_screenshot(driver)

    # Click Ruwaard ON THE MAP: the SVG link (chromedriver clicks the middle of its box, which lies
    # in Ruwaard's shape, and fails if another element would get the click).
    ruwaard = driver.find_element(By.CSS_SELECTOR, 'a.ww-map__link[aria-label^="Ruwaard "]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", ruwaard)
    follow(driver, ruwaard)
    assert driver.current_url.endswith("/gemeenten/oss/gebieden/ruwaard"), driver.current_url
    axe_check(driver, "gebied-ruwaard")
    assert h1_text(driver) == "Ruwaard"
    assert "13.595" in main_text(driver)
    assert "Wijkcoördinator" in main_text(driver)

    # The skip link: first Tab stop, visible; after Enter the next Tab lands inside <main>.
    # (That focus itself lands on <main> is checked by test_skip_link_moves_focus_to_main.)
    use_skip_link(driver)
    driver.switch_to.active_element.send_keys(Keys.TAB)
    next_stop = driver.switch_to.active_element
    assert driver.execute_script("return arguments[0].closest('main#inhoud') !== null;", next_stop), (
        f"Tab after the skip link did not land inside main: {next_stop.get_attribute('outerHTML')[:160]}"
    )

    # Switch to English: the same page, in English.
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".ww-lang-switch a[hreflang=en]"))
    axe_check(driver, "gebied-ruwaard-en")
    assert html_lang(driver) == "en"
    assert h1_text(driver) == "Ruwaard"
    headings = [h.text.strip() for h in driver.find_elements(By.CSS_SELECTOR, "main h2")]
    assert "Who to contact" in headings, headings
    assert "Area coordinator" in main_text(driver)
    assert "13,595" in main_text(driver)
    assert driver.find_element(By.CSS_SELECTOR, ".ww-lang-switch a").text.strip() == "Nederlands"

    # ...and stays English on the next page (a cookie, no ?lang in the link).
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'main a[href="/gemeenten/oss"]'))
    assert "lang=" not in driver.current_url, driver.current_url
    axe_check(driver, "gemeente-oss-en")
    assert html_lang(driver) == "en"
    assert h1_text(driver) == "Municipality of Oss"
    assert len(map_links(driver)) == 11
    assert all("inhabitants" in (l.get_attribute("aria-label") or "") for l in map_links(driver))


def test_skip_link_moves_focus_to_main(driver, base_url):
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    axe_check(driver, "gebied-ruwaard-skip-link")
    use_skip_link(driver)
    focused = driver.switch_to.active_element
    assert focused.tag_name.lower() == "main" and focused.get_attribute("id") == "inhoud", (
        "after the skip link, focus should be on <main id=inhoud>, but it is on "
        f"<{focused.tag_name} id={focused.get_attribute('id')!r}>"
    )


def test_keyboard_tab_reaches_a_map_link(driver, base_url):
    open_page(driver, base_url + "/gemeenten/oss")
    axe_check(driver, "gemeente-oss-keyboard")

    focused = first_focused_by_tab(driver)
    stops = [focused.get_attribute("outerHTML")[:80]]
    for _ in range(40):
        if "ww-map__link" in (focused.get_attribute("class") or ""):
            break
        focused.send_keys(Keys.TAB)
        focused = driver.switch_to.active_element
        stops.append(focused.get_attribute("outerHTML")[:80])
    else:
        raise AssertionError("40 Tab presses never reached a map link; stops:\n  " + "\n  ".join(stops))

    assert focused.tag_name.lower() == "a"
    assert "ww-map__link" in focused.get_attribute("class")
    assert driver.execute_script("return arguments[0].closest('figure.ww-map svg') !== null;", focused)
    assert (focused.accessible_name or "").strip(), "the focused map link has no accessible name"

    # The focus is visible: the focused area's shape is drawn differently from an unfocused one.
    style = "var s = getComputedStyle(arguments[0]); return [s.fill, s.stroke, s.strokeWidth].join(' ');"
    focused_path = focused.find_element(By.TAG_NAME, "path")
    href = focused.get_dom_attribute("href")
    others = [l for l in map_links(driver) if l.get_dom_attribute("href") != href]
    other_path = others[0].find_element(By.TAG_NAME, "path")
    assert driver.execute_script(style, focused_path) != driver.execute_script(style, other_path), (
        "no visible focus style on the focused map area"
    )

    # Enter follows the link.
    old_html = driver.find_element(By.TAG_NAME, "html")
    focused.send_keys(Keys.ENTER)
    WebDriverWait(driver, WAIT).until(replaced(old_html))
    wait_until_loaded(driver)
    assert driver.current_url == base_url + href, (driver.current_url, href)
    axe_check(driver, "gebied-via-keyboard")
    screenshot(driver, "gebied-via-keyboard")


_LABEL_LAYOUT_JS = r"""
// The visible labels are one layer drawn after every area (so no area paints over them). Report labels
// that overlap each other or stick out of the map, and links without a text name.
var svg = document.querySelector('figure.ww-map svg');
var box = svg.getBoundingClientRect();
var labels = Array.from(svg.querySelectorAll('g.ww-map__labels text'));
var problems = [];
var layer = svg.querySelector('g.ww-map__labels');
if (!layer || layer.nextElementSibling) { problems.push('the label layer is not drawn last'); }
labels.forEach(function (a, i) {
  var ra = a.getBoundingClientRect();
  if (ra.left < box.left - 1 || ra.right > box.right + 1 || ra.top < box.top - 1 || ra.bottom > box.bottom + 1) {
    problems.push(a.textContent + ' sticks out of the map');
  }
  labels.slice(i + 1).forEach(function (b) {
    var rb = b.getBoundingClientRect();
    if (ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom) {
      problems.push(a.textContent + ' overlaps ' + b.textContent);
    }
  });
});
svg.querySelectorAll('a.ww-map__link').forEach(function (link) {
  if (!link.querySelector('text') || !link.querySelector('text').textContent.trim()) {
    problems.push((link.getAttribute('aria-label') || '?') + ' has no text name');
  }
});
return {problems: problems, count: labels.length};
"""


@pytest.mark.parametrize("slug", ["oss", "oosterhout"])
def test_map_labels_are_readable(driver, base_url, slug):
    open_page(driver, f"{base_url}/gemeenten/{slug}")
    axe_check(driver, f"gemeente-{slug}-labels")
    result = driver.execute_script(_LABEL_LAYOUT_JS)
    assert not result["problems"], "map labels:\n  " + "\n  ".join(result["problems"])
    assert result["count"] >= len(map_links(driver)) - 2, "most areas have a visible label"


# ---------------------------------------------------------------------------- every area page

@pytest.mark.parametrize("slug", [name.lower().replace(" ", "-") for name in OSS_AREAS])
def test_every_oss_area_page_passes_axe(driver, base_url, slug):
    open_page(driver, f"{base_url}/gemeenten/oss/gebieden/{slug}")
    assert h1_text(driver), driver.current_url
    axe_check(driver, f"gebied-{slug}")


def test_area_page_at_phone_width_passes_axe(driver, base_url):
    driver.set_window_size(320, 800)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;"), (
        "the page scrolls sideways at 320 px (WCAG 1.4.10 reflow)"
    )
    axe_check(driver, "gebied-ruwaard-320")


def test_meeting_calendar_and_feed(driver, base_url):
    open_page(driver, base_url + "/gemeenten/oss")
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Vergaderingen van de wijk- en dorpsraden"))
    assert h1_text(driver) == "Vergaderingen in Oss"
    feed = driver.find_element(By.CSS_SELECTOR, 'link[rel="alternate"][type="text/calendar"]').get_attribute("href")
    assert feed.endswith("/gemeenten/oss/vergaderingen.ics")
    assert driver.find_elements(By.CSS_SELECTOR, "main table time[datetime]")
    axe_check(driver, "vergaderingen-oss")
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    assert "Wijkraad Ruwaard" in main_text(driver)
    axe_check(driver, "gebied-ruwaard-met-raad")


def test_advice_register(driver, base_url):
    open_page(driver, base_url + "/gemeenten/oss")
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Adviezen van de wijk- en dorpsraden"))
    assert h1_text(driver) == "Adviezen van de wijk- en dorpsraden in Oss"
    assert "Antwoord te laat" in main_text(driver)
    axe_check(driver, "adviezen-oss")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main article h2 a"))
    assert driver.find_element(By.CSS_SELECTOR, "main dl")
    axe_check(driver, "advies-detail")
