"""A new colleague (issue 11): the administrator invites her by e-mail, she chooses a password through the link,
switches on two-step login with an authenticator app (the codes computed here as the app would, RFC 6238) and
logs in with password and code. The mail is delivered by `wijkwerk jobs run` into the server's mail folder."""

from __future__ import annotations

import base64
import glob
import hashlib
import hmac
import os
import re
import struct
import subprocess
import time
from email import message_from_binary_file
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import axe_check, follow, login, main_text, open_page

BIN = os.environ.get("WIJKWERK_BIN", "")
DATA_DIR = os.environ.get("WIJKWERK_DATA_DIR", "")
needs_data = pytest.mark.skipif(not BIN or not DATA_DIR, reason="WIJKWERK_BIN and WIJKWERK_DATA_DIR come from scripts/test")


def totp(secret_b32: str, at: float, step_offset: int = 0) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int(at // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def mail_to(address: str) -> str:
    """Delivers the outbox now and returns the body of the newest mail to this address."""
    env = dict(os.environ, WIJKWERK_DATA_DIR=DATA_DIR)
    env.pop("DATABASE_URL", None)
    done = subprocess.run([BIN, "jobs", "run"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    for path in sorted(glob.glob(os.path.join(DATA_DIR, "mail", "*.eml")), key=os.path.getmtime, reverse=True):
        with open(path, "rb") as f:
            message = message_from_binary_file(f)
        if message["To"] == address:
            return message.get_payload(decode=True).decode("utf-8")
    raise AssertionError(f"no mail to {address}")


@needs_data
def test_an_invited_colleague_sets_a_password_and_two_step_login(driver, base_url, admin_email, admin_password):
    address = f"nieuw-{int(time.time())}@oss.test"
    login(driver, base_url, admin_email, admin_password)
    open_page(driver, base_url + "/beheer/gebruikers/nieuw")
    driver.find_element(By.ID, "name").send_keys("Nina Nieuw")
    driver.find_element(By.ID, "email").send_keys(address)
    Select(driver.find_element(By.ID, "role")).select_by_value("areaManager")
    Select(driver.find_element(By.ID, "municipality")).select_by_visible_text("Oss")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Nina Nieuw is uitgenodigd" in main_text(driver), main_text(driver)[:400]
    driver.delete_all_cookies()

    body = mail_to(address)
    link = re.search(r"https?://\S+/account/wachtwoord/\S+", body).group(0)
    open_page(driver, base_url + urlparse(link).path)
    assert "Welkom bij Wijkwerk" in main_text(driver)
    axe_check(driver, "uitnodiging")
    driver.find_element(By.ID, "password").send_keys("welkom123")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert driver.find_elements(By.CSS_SELECTOR, ".ww-error-summary"), "a weak password is refused with a message"
    password = "Zes-lange-woorden-voor-Nina"
    driver.find_element(By.ID, "password").send_keys(password)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Uw wachtwoord is bewaard" in main_text(driver)

    login(driver, base_url, address, password)
    assert urlparse(driver.current_url).path == "/werk"
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "inloggen in twee stappen"))
    secret = driver.find_element(By.CSS_SELECTOR, "code.ww-secret").text.replace(" ", "")
    axe_check(driver, "tweestaps-instellen")
    driver.find_element(By.ID, "code").send_keys(totp(secret, time.time()))
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    codes = [c.text for c in driver.find_elements(By.CSS_SELECTOR, ".ww-recovery-codes code")]
    assert len(codes) == 10, main_text(driver)[:400]
    axe_check(driver, "herstelcodes")
    driver.set_window_size(320, 700)
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "no horizontal scrolling at 320 px"
    driver.set_window_size(1280, 900)
    driver.delete_all_cookies()

    login(driver, base_url, address, password)
    assert urlparse(driver.current_url).path == "/inloggen/code"
    axe_check(driver, "inlogcode")
    driver.find_element(By.ID, "code").send_keys(totp(secret, time.time(), step_offset=1))
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert urlparse(driver.current_url).path == "/werk", driver.current_url
