"""The area profile: a coordinator reads Ruwaard's profile (real CBS figures over the years, a trend chart, the
signals monitor) and adds a note; a policy officer tries weights for the priority ranking, sees the order change
and sets it; the public sees the ranking and a map by indicator. axe runs on every page; the profile reflows at
phone width."""

from __future__ import annotations

import os
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, clear_browser_state, follow, login, main_text, open_page

COORDINATOR = os.environ.get("WIJKWERK_COORDINATOR_EMAIL", "coordinator@wijkwerk.test")


def test_coordinator_reads_the_profile_and_adds_a_note(driver, base_url, admin_password):
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard")
    follow(driver, driver.find_element(By.LINK_TEXT, "Bekijk het gebiedsprofiel"))
    text = main_text(driver)
    assert "Gebiedsprofiel Ruwaard" in text and "Inwoners" in text and "2024" in text and "2022" in text
    assert driver.find_elements(By.CSS_SELECTOR, "svg.ww-chart--line"), "a trend chart where two years have figures"
    axe_check(driver, "profiel-openbaar")
    csv_href = driver.find_element(By.CSS_SELECTOR, 'a[type="text/csv"]').get_attribute("href")
    with urllib.request.urlopen(csv_href) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "inhabitants" in response.read().decode("utf-8")

    note = f"Meer jonge gezinnen in de nieuwbouw {int(time.time())}"
    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel")
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/profiel/notities"] button[type=submit]'))
    assert "Kies uw rol" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    axe_check(driver, "profiel-notitie-fout")
    Select(driver.find_element(By.ID, "rol")).select_by_visible_text("Wijkcoördinator")
    driver.find_element(By.ID, "tekst").send_keys(note)
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/profiel/notities"] button[type=submit]'))
    assert note in main_text(driver) and "intern" in main_text(driver)
    axe_check(driver, "profiel-notitie")
    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel")
    assert note not in main_text(driver), "an internal note is not public"


def test_policy_officer_tries_weights_and_sets_the_ranking(driver, base_url, admin_email, admin_password):
    open_page(driver, base_url + "/gemeenten/oss/rangorde")
    axe_check(driver, "rangorde-leeg")
    driver.find_element(By.ID, "gewicht-lowIncome").send_keys("1")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    header = driver.find_element(By.CSS_SELECTOR, "table thead").text
    assert "Lage inkomens" in header and "Gemiddelde WOZ-waarde" not in header
    assert driver.find_elements(By.CSS_SELECTOR, "table tbody tr"), "every area has a row"
    axe_check(driver, "rangorde-proef")
    field = driver.find_element(By.ID, "gewicht-lowIncome")
    field.clear()
    driver.find_element(By.ID, "gewicht-wozValue").send_keys("1")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    header = driver.find_element(By.CSS_SELECTOR, "table thead").text
    assert "Gemiddelde WOZ-waarde" in header and "Lage inkomens" not in header, "the ranking follows the weights"
    assert "proef met uw eigen gewichten" in main_text(driver)

    login(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/rangorde?gewicht-lowIncome=2&gewicht-labourParticipation=1")
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Deze gewichten vaststellen voor de gemeente']"))
    assert "De rangorde is vastgesteld." in driver.page_source
    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/rangorde")
    assert "de rangorde die de gemeente heeft vastgesteld" in main_text(driver)
    axe_check(driver, "rangorde-vastgesteld")
    open_page(driver, base_url + "/gemeenten/oss/kaart?cijfer=lowIncome")
    assert driver.find_elements(By.CSS_SELECTOR, "svg .ww-map__area--q4")
    axe_check(driver, "kaart-per-cijfer")


def test_the_profile_reflows_at_phone_width(driver, base_url):
    for width in (390, 320):
        driver.set_window_size(width, 844)
        for path in ("/gemeenten/oss/gebieden/ruwaard/profiel", "/gemeenten/oss/gebieden/ruwaard/profiel/verhaal",
                     "/gemeenten/oss/rangorde?gewicht-lowIncome=1", "/gemeenten/oss/kaart"):
            open_page(driver, base_url + path)
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;"), (
                f"{path} scrolls sideways at {width} px (WCAG 1.4.10 reflow)")
    axe_check(driver, "profiel-320")


def tiny_png(path: str) -> None:
    """A real 2×2 PNG (what a phone camera would send, only smaller)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x20\x80\x40" * 2 for _ in range(2))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def test_a_resident_tells_a_story_and_the_coordinator_publishes_it(driver, base_url, admin_password, tmp_path):
    story = f"De buren helpen elkaar bij het sneeuwruimen {int(time.time())}"
    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel")
    follow(driver, driver.find_element(By.LINK_TEXT, "Vertel uw verhaal"))
    axe_check(driver, "verhaal-formulier")
    # Nothing said: the form comes back with the name that was typed.
    driver.find_element(By.ID, "naam").send_keys("Buurtvereniging De Kamp")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    assert "Vul in wat goed gaat" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    assert driver.find_element(By.ID, "naam").get_attribute("value") == "Buurtvereniging De Kamp"
    axe_check(driver, "verhaal-fout")
    driver.find_element(By.ID, "goed").send_keys(story)
    driver.find_element(By.ID, "beter").send_keys("Er is weinig te doen voor jongeren.")
    photo = str(tmp_path / "plein.png")
    tiny_png(photo)
    driver.find_element(By.ID, "foto1").send_keys(photo)
    Select(driver.find_element(By.ID, "leeftijd")).select_by_visible_text("45 tot 65 jaar")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form#formulier button[type=submit]"))
    assert "De gebiedscoördinator leest uw verhaal" in driver.page_source
    assert story not in main_text(driver), "not public before the coordinator has read it"

    login(driver, base_url, COORDINATOR, admin_password)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel#verhalen")
    article = driver.find_element(By.XPATH, f"//article[contains(., '{story}')]")
    assert "Wacht op lezen" in article.text and article.find_elements(By.CSS_SELECTOR, "img")
    axe_check(driver, "verhaal-wacht")
    follow(driver, article.find_element(By.XPATH, ".//button[normalize-space()='Publiceren']"))
    assert "Het verhaal staat nu op het gebiedsprofiel." in driver.page_source

    clear_browser_state(driver)
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel")
    article = driver.find_element(By.XPATH, f"//article[contains(., '{story}')]")
    assert "Buurtvereniging De Kamp" in article.text
    image = article.find_element(By.CSS_SELECTOR, "img")
    driver.execute_script("arguments[0].scrollIntoView();", image)
    for _ in range(50):
        if driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth === 2;", image):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the photo does not load")
    axe_check(driver, "verhaal-openbaar")


def test_the_profile_on_an_earlier_date(driver, base_url):
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel")
    date = driver.find_element(By.ID, "datum")
    driver.execute_script("arguments[0].value = '2023-06-30';", date)
    follow(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Toon profiel']"))
    assert "Gebiedsprofiel Ruwaard op 30 juni 2023" in driver.find_element(By.TAG_NAME, "h1").text
    assert "2024" not in driver.find_element(By.CSS_SELECTOR, "#inhabitants table").text, "nothing from after the date"
    axe_check(driver, "profiel-op-datum")
    open_page(driver, base_url + "/gemeenten/oss/gebieden/ruwaard/profiel?datum=2099-01-01")
    assert "in de toekomst" in driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
    axe_check(driver, "profiel-datum-fout")
