"""The mixing panel (schuifoefening): a policy officer fills in 'now' and 'ambition', sees the nearest
profile with its assignment, compares both, and prints the page. axe runs on every page."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By

from support import axe_check, follow, login, main_text, open_page, screenshot

SLIDERS = ["positioneringIntern", "procesBinnenGemeente", "procesMetBewoners", "bestuurEnPolitiek", "communicatie"]



MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]


def dutch_day(iso: str) -> str:
    """2026-11-30 as the pages show it: 30 november 2026."""
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"

def choose(driver, slider: str, position: int) -> None:
    radio = driver.find_element(By.CSS_SELECTOR, f'input[name="pos_{slider}"][value="{position}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", radio)
    radio.click()


def submit(driver) -> None:
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))


def test_fill_in_now_and_ambition_and_print(driver, base_url, admin_email, admin_password):
    login(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/mengpaneel")
    axe_check(driver, "mengpaneel-lijst")
    follow(driver, driver.find_element(By.LINK_TEXT, "Nieuw mengpaneel invullen"))
    axe_check(driver, "mengpaneel-nieuw")

    # A mistake first: one slider left out, the rest is kept.
    team = f"Team Wijkzaken {int(time.time())}"
    driver.find_element(By.CSS_SELECTOR, 'input[name="subjectKind"][value="team"]').click()
    name = driver.find_element(By.ID, "subjectName")
    name.clear()
    name.send_keys(team)
    today = driver.find_element(By.ID, "evaluatedOn").get_attribute("value")
    assert len(today) == 10, "the date is filled in with today"
    for slider, position in zip(SLIDERS[:4], [1, 2, 3, 2]):
        choose(driver, slider, position)
    submit(driver)
    assert driver.title.startswith("Fout:"), driver.title
    assert "ww-error-summary" in (driver.switch_to.active_element.get_attribute("class") or "")
    assert driver.find_element(By.ID, "subjectName").get_attribute("value") == team
    assert driver.find_element(By.CSS_SELECTOR, 'input[name="pos_procesMetBewoners"][value="3"]').is_selected()
    axe_check(driver, "mengpaneel-fout")
    choose(driver, "communicatie", 3)
    submit(driver)

    # The panel: drawing, table, nearest profile with its assignment.
    assert "Dit lijkt het meest op" in main_text(driver)
    assert "Opdracht aan de wijkambtenaar" in main_text(driver)
    assert driver.find_elements(By.CSS_SELECTOR, 'svg.ww-mixing-panel[role="img"] title')
    assert driver.find_element(By.CSS_SELECTOR, '[role="status"]').text.strip()
    axe_check(driver, "mengpaneel-nu")

    # The ambition for it, then both side by side.
    follow(driver, driver.find_element(By.LINK_TEXT, "Vul de ambitie in bij dit mengpaneel"))
    axe_check(driver, "mengpaneel-ambitie")
    for slider in SLIDERS:
        choose(driver, slider, 3)
    submit(driver)
    assert "Ambitie" in driver.find_element(By.TAG_NAME, "h1").text
    assert f"Zoals het nu is ({dutch_day(today)})" in main_text(driver), "the ambition is compared with the current panel"
    axe_check(driver, "mengpaneel-ambitie-getoond")

    # Printable: the navigation and buttons are left out in print.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.CSS_SELECTOR, "nav.ww-nav").is_displayed()
        assert driver.find_element(By.CSS_SELECTOR, "svg.ww-mixing-panel").is_displayed()
        screenshot(driver, "mengpaneel-print")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
