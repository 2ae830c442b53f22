"""Where is it? (issue 11): the resident finds an address in the municipality's imported register, places the pin
on the background map (tiles from a local stand-in for PDOK), uses "my location" (allowed, outside the area,
refused), keeps the chosen photo through every reload, and follows an existing report instead of filing it again.
With and without JavaScript, at desktop, 390 and 320 px, axe clean."""

from __future__ import annotations

import os
import tempfile
from urllib.parse import urlparse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support import axe_check, follow, main_text, open_page

FORM = "/gemeenten/oss/melden/formulier?categorie=straatverlichting&gebied=ruwaard"
TILES = os.environ.get("WIJKWERK_TEST_TILES", "http://127.0.0.1:8090")

# A tiny JPEG (start, quantisation table, scan, end): enough for the server's content check.
JPEG = bytes([0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02, 0xFF, 0xDA, 0x00, 0x03, 0x00, 0x11, 0x22, 0xFF, 0xD9])


def value(driver, field_id: str) -> str:
    return driver.find_element(By.ID, field_id).get_attribute("value")


def no_horizontal_scroll(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def wait_for_map(driver):
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.ww-map-canvas .leaflet-tile-loaded').length > 0"))
    return driver.find_element(By.CSS_SELECTOR, ".ww-map-canvas")


def message(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, ".ww-map-message").text


def test_a_resident_finds_an_address_places_the_pin_and_keeps_the_photo(driver, base_url):
    open_page(driver, base_url + FORM)
    canvas = wait_for_map(driver)
    tiles = driver.execute_script("return Array.from(document.querySelectorAll('.leaflet-tile')).map(t => t.src)")
    assert tiles and all(t.startswith(TILES) for t in tiles), tiles
    assert not driver.find_element(By.CSS_SELECTOR, ".ww-map-picker__frame").is_displayed(), "the server-drawn map gives way to the background map"
    axe_check(driver, "melden-kaart")

    driver.find_element(By.ID, "omschrijving").send_keys("De lantaarnpaal voor nummer 12 brandt niet.")
    photo = os.path.join(tempfile.mkdtemp(), "lamp.jpg")
    with open(photo, "wb") as f:
        f.write(JPEG)
    driver.find_element(By.ID, "foto").send_keys(photo)
    # The address search: the register finds it, the place and point are filled in, the reader is back at "where".
    driver.find_element(By.ID, "adres").send_keys("5345 ab 12")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[name=zoek]"))
    assert urlparse(driver.current_url).fragment == "waar"
    text = main_text(driver)
    assert "Gevonden: Testlaan 12, 5345 AB Oss" in text, text
    assert "Uw foto (1 kB) is bewaard" in text, "the chosen photo survives the search"
    assert value(driver, "omschrijving") == "De lantaarnpaal voor nummer 12 brandt niet."
    assert value(driver, "lat").startswith("51.752") and value(driver, "lon").startswith("5.51")
    canvas = wait_for_map(driver)
    assert driver.find_elements(By.CSS_SELECTOR, ".ww-map-canvas .leaflet-marker-icon"), "the found address shows as the pin"
    axe_check(driver, "melden-adres-gevonden")

    # A click on the background map moves the point (no reload: the photo field and text stay as they are).
    before = value(driver, "lat")
    ActionChains(driver).move_to_element_with_offset(canvas, 40, -30).click().perform()
    WebDriverWait(driver, 5).until(lambda d: value(d, "lat") != before)
    assert "Gekozen plek" in message(driver)

    # My location: inside Ruwaard is taken; outside is refused with a message; a refusal of permission is explained.
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": base_url, "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 51.7550, "longitude": 5.5050, "accuracy": 10})
    locate = driver.find_element(By.CSS_SELECTOR, ".ww-map-picker button[type=button]")
    locate.click()
    WebDriverWait(driver, 10).until(lambda d: value(d, "lat").startswith("51.755"))
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 52.3730, "longitude": 4.8924, "accuracy": 10})
    locate.click()
    WebDriverWait(driver, 10).until(lambda d: "buiten Ruwaard" in message(d))
    assert value(driver, "lat").startswith("51.755"), "a point outside the area is not taken"
    driver.execute_cdp_cmd("Browser.resetPermissions", {})
    driver.execute_cdp_cmd("Browser.setPermission", {"origin": base_url, "permission": {"name": "geolocation"}, "setting": "denied"})
    locate.click()
    WebDriverWait(driver, 10).until(lambda d: "geen toestemming" in message(d))
    driver.execute_cdp_cmd("Browser.resetPermissions", {})
    driver.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})

    driver.find_element(By.CSS_SELECTOR, "label[for=vraag_hoeveel]").click()
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[name=verstuur]"))
    assert urlparse(driver.current_url).path.startswith("/melding/"), driver.current_url
    assert "Bedankt" in main_text(driver) or "ontvangen" in main_text(driver)


def axe_check_without_js(driver, name: str) -> None:
    """axe is a script: it runs with scripts switched on again for the check only (the page's own scripts, skipped
    when it loaded, do not run afterwards), so it sees the page exactly as it is without JavaScript."""
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    try:
        assert not driver.find_elements(By.CSS_SELECTOR, ".ww-map-canvas")
        axe_check(driver, name)
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})


def test_without_javascript_the_drawn_map_and_the_address_search_still_work(driver, base_url):
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        open_page(driver, base_url + FORM)
        assert not driver.find_elements(By.CSS_SELECTOR, ".ww-map-canvas")
        image = driver.find_element(By.CSS_SELECTOR, "input.ww-map-picker__image")
        assert image.is_displayed()
        driver.find_element(By.ID, "omschrijving").send_keys("Lamp kapot")
        ActionChains(driver).move_to_element_with_offset(image, 0, 0).click().perform()
        WebDriverWait(driver, 10).until(lambda d: urlparse(d.current_url).fragment == "waar")
        assert value(driver, "lat") and value(driver, "omschrijving") == "Lamp kapot"
        axe_check_without_js(driver, "melden-zonder-js")
        address = driver.find_element(By.ID, "adres")
        address.clear()
        address.send_keys("Testlaan 14")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[name=zoek]"))
        choices = driver.find_elements(By.CSS_SELECTOR, "button[name=adres_keuze]")
        assert len(choices) == 2, "two addresses at number 14: both offered"
        follow(driver, choices[1])
        assert "Gevonden: Testlaan 14B" in main_text(driver)
        address = driver.find_element(By.ID, "adres")
        address.clear()
        address.send_keys("Nergensstraat 1")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[name=zoek]"))
        summary = driver.find_element(By.CSS_SELECTOR, ".ww-error-summary").text
        assert "Adres zoeken: Dit adres is niet gevonden in de gemeente Oss" in summary, summary
        axe_check_without_js(driver, "melden-adres-onbekend")
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_a_neighbour_follows_the_existing_report_on_a_phone(driver, base_url):
    # First a report at Testlaan 12 (the earlier test may have run in another order).
    open_page(driver, base_url + FORM)
    driver.find_element(By.ID, "omschrijving").send_keys("Lamp bij Testlaan 12 is stuk.")
    driver.find_element(By.ID, "adres").send_keys("5345 AB 12")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[name=zoek]"))
    driver.find_element(By.CSS_SELECTOR, "label[for=vraag_hoeveel]").click()
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[name=verstuur]"))
    code = urlparse(driver.current_url).path.split("/")[2]
    driver.delete_all_cookies()

    for width in (390, 320):
        driver.set_window_size(width, 844)
        open_page(driver, base_url + FORM)
        wait_for_map(driver)
        assert no_horizontal_scroll(driver), f"no horizontal scrolling at {width} px"
    axe_check(driver, "melden-320")
    driver.set_window_size(390, 844)
    driver.find_element(By.ID, "omschrijving").send_keys("Het is donker bij ons.")
    driver.find_element(By.ID, "adres").send_keys("5345 AB 14A")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[name=zoek]"))
    nearby = driver.find_element(By.CSS_SELECTOR, ".ww-nearby")
    assert "Is dit al gemeld?" in nearby.text and code in nearby.text, nearby.text
    assert no_horizontal_scroll(driver)
    axe_check(driver, "al-gemeld-390")
    follow(driver, nearby.find_element(By.PARTIAL_LINK_TEXT, "Dit is ook mijn probleem"))
    assert f"Melding {code} volgen" in main_text(driver)
    driver.find_element(By.ID, "email").send_keys("buurvrouw@voorbeeld.nl")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Kijk in uw e-mail" in main_text(driver)
    assert "buurvrouw@voorbeeld.nl" not in driver.page_source
    axe_check(driver, "volgen-verstuurd")
    open_page(driver, base_url + "/melding/" + code)
    assert "Dit is ook mijn probleem" in main_text(driver)
    driver.set_window_size(320, 700)
    assert no_horizontal_scroll(driver), "the tracking page reflows at 320 px"
    axe_check(driver, "melding-320")
