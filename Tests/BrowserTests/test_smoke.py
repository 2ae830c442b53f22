"""Smoke test: the home page is Dutch, well-structured, keyboard-reachable and passes axe-core."""

from selenium.webdriver.common.by import By

from support import axe_check, first_focused_by_tab, screenshot


def open_home(driver, base_url):
    driver.get(base_url + "/")
    return driver


def test_home_is_dutch(driver, base_url):
    open_home(driver, base_url)
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    assert lang == "nl", f'<html lang="{lang}">, expected lang="nl"'


def test_home_has_exactly_one_h1(driver, base_url):
    open_home(driver, base_url)
    headings = driver.find_elements(By.TAG_NAME, "h1")
    assert len(headings) == 1, f"expected one <h1>, found {len(headings)}: {[h.text for h in headings]}"
    assert headings[0].text.strip(), "the <h1> is empty"


def test_skip_link_is_first_focusable(driver, base_url):
    open_home(driver, base_url)
    skip_links = driver.find_elements(By.CSS_SELECTOR, 'a[href="#inhoud"]')
    assert skip_links, 'no skip link a[href="#inhoud"]'
    assert driver.find_elements(By.ID, "inhoud"), 'the skip link\'s target id="inhoud" is missing'

    focused = first_focused_by_tab(driver)
    assert focused.tag_name.lower() == "a" and focused.get_attribute("href").endswith("#inhoud"), (
        "the first Tab stop is not the skip link but "
        f"<{focused.tag_name} {focused.get_attribute('outerHTML')[:120]!r}>"
    )
    assert focused.is_displayed(), "the skip link must become visible when it has focus"
    assert focused.text.strip(), "the skip link has no text"


def test_home_passes_axe(driver, base_url):
    open_home(driver, base_url)
    axe_check(driver, "home")
    screenshot(driver, "home")
