"""The reference search page (`deter serve --demo`) in headless Chromium:
typeahead shows, then withholds, suggestions; each action renders in all five
languages with the right lang attributes and the Noto fonts really used; the
keyboard reaches every control. Writes a screenshot of each state.

Usage: /usr/bin/python3 browser_demo_test.py DETER SOURCE_DIR SCREENSHOT_DIR
Exit 77 (skipped) when Chromium, its driver or Selenium is not installed.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

DETER, SOURCE, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("skipped: python3-selenium is not installed (scripts/install-deps.sh)")
    sys.exit(77)
if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
    print("skipped: chromium and chromium-driver are not installed (scripts/install-deps.sh)")
    sys.exit(77)

# Per locale: a query for each action, all invented stand-ins or ordinary text.
# ("moon thief legend" also spells *moonthief*, a word broken by a space,
# which prompts, in any spelling: English takes the romanized Hindi inform
# entry, its message in English.)
QUERIES = {
    "en": {"allow": "weather tomorrow", "inform": "rahasyamay deepak katha",
           "prompt": "forbidden orchard", "block": "hidden lantern guild"},
    "hi": {"allow": "आज का मौसम", "inform": "रहस्यमय दीपक कथा",
           "prompt": "वर्जित बगीचा", "block": "चाँद चोर"},
    "bn": {"allow": "আজকের আবহাওয়া", "inform": "রহস্য প্রদীপ কাহিনি",
           "prompt": "নিষিদ্ধ বাগান", "block": "চাঁদ চোর"},
    "kn": {"allow": "ಇಂದಿನ ಹವಾಮಾನ", "inform": "ಗುಪ್ತ ದೀಪದ ದಂತಕಥೆ",
           "prompt": "ನಿಷಿದ್ಧ ತೋಟ", "block": "ಚಂದ್ರ ಕಳ್ಳ"},
    "id": {"allow": "cuaca besok", "inform": "legenda lentera tua",
           "prompt": "kebun terlarang", "block": "pencuri rembulan"},
}
# The face each locale's text must be drawn in, and a sample of its script.
FONTS = {"en": ("Deter Sans", "Search"), "id": ("Deter Sans", "Cari"),
         "hi": ("Deter Devanagari", "वर्जित"), "bn": ("Deter Bengali", "নিষিদ্ধ"),
         "kn": ("Deter Kannada", "ನಿಷಿದ್ಧ")}

failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAILED:", what, flush=True)


def start_server():
    proc = subprocess.Popen([DETER, "serve", "--demo", "--lists", os.path.join(SOURCE, "lists", "demo"),
                             "--listen", "127.0.0.1:0"], stderr=subprocess.PIPE)
    while True:
        line = proc.stderr.readline().decode()
        if not line:
            raise SystemExit("deter serve exited")
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            return proc, m.group(1)


def browser(accept_language):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1100,900", "--hide-scrollbars", "--force-device-scale-factor=1"]:
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
    return webdriver.Chrome(service=DriverService(DRIVER), options=options)


def wait(driver, what, cond, timeout=10):
    try:
        WebDriverWait(driver, timeout).until(lambda d: cond(d))
    except Exception:
        expect(False, "timed out: " + what)
        return False
    return True


def shot(driver, name):
    driver.save_screenshot(os.path.join(OUT, name + ".png"))


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def type_slowly(element, text):
    for ch in text:
        element.send_keys(ch)
        time.sleep(0.03)


def set_locale(driver, locale):
    js(driver, "const p = document.getElementById('locale'); p.value = arguments[0];"
               "p.dispatchEvent(new Event('change'));", locale)
    wait(driver, "locale " + locale, lambda d: js(d, "return document.documentElement.lang") == locale
         and js(d, "return document.getElementById('main').dataset.busy") == "0")


def search(driver, query):
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query)
    js(driver, "document.getElementById('main').dataset.state = 'waiting'")
    box.send_keys(Keys.ENTER)
    wait(driver, "decision for " + query,
         lambda d: js(d, "return document.getElementById('main').dataset.state") != "waiting"
         and js(d, "return document.getElementById('main').dataset.busy") == "0")
    return js(driver, "return document.getElementById('main').dataset.state")


def visible(driver, element_id):
    return js(driver, "const e = document.getElementById(arguments[0]);"
                      "return !!e && !e.hidden && e.offsetParent !== null;", element_id)


def test_accept_language(driver, url):
    driver.get(url)
    expect(js(driver, "return document.documentElement.lang") == "hi",
           "Accept-Language hi gives <html lang=hi>")
    expect(js(driver, "return document.getElementById('locale').value") == "hi", "picker shows hi")
    expect(driver.find_element(By.ID, "q-label").text == "खोजें", "the page's text is Hindi")


def test_typeahead(driver):
    set_locale(driver, "en")
    box = driver.find_element(By.ID, "q")
    box.clear()
    type_slowly(box, "forb")
    wait(driver, "suggestions for 'forb'",
         lambda d: js(d, "return document.getElementById('suggestions').dataset.state") == "shown")
    items = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#suggestions li")]
    expect("forbidden fruit recipe" in items, f"'forb' suggests ordinary phrases: {items}")
    expect(js(driver, "return document.getElementById('q').getAttribute('aria-expanded')") == "true",
           "aria-expanded while suggestions show")
    shot(driver, "typeahead-shown")
    type_slowly(box, "i")
    wait(driver, "suggestions withheld for 'forbi'",
         lambda d: js(d, "return document.getElementById('suggestions').dataset.state") == "withheld")
    expect(not visible(driver, "suggestions"), "no suggestion list once heading into an entry")
    expect(js(driver, "return document.getElementById('q').getAttribute('aria-expanded')") == "false",
           "aria-expanded false once withheld")
    shot(driver, "typeahead-withheld")
    # Hindi: a short prefix suggests, the begun stand-in phrase does not.
    set_locale(driver, "hi")
    box.clear()
    type_slowly(box, "वर्")
    wait(driver, "suggestions for 'वर्'",
         lambda d: js(d, "return document.getElementById('suggestions').dataset.state") == "shown")
    shot(driver, "typeahead-hi-shown")
    type_slowly(box, "जि")
    wait(driver, "suggestions withheld for 'वर्जि'",
         lambda d: js(d, "return document.getElementById('suggestions').dataset.state") == "withheld")
    shot(driver, "typeahead-hi-withheld")
    # Keyboard: arrow down to a suggestion, Enter searches it.
    set_locale(driver, "en")
    box.clear()
    type_slowly(box, "weather")
    wait(driver, "suggestions for 'weather'",
         lambda d: js(d, "return document.getElementById('suggestions').dataset.state") == "shown")
    js(driver, "document.getElementById('main').dataset.state = 'waiting'")
    box.send_keys(Keys.ARROW_DOWN)
    expect(js(driver, "return document.getElementById('q').getAttribute('aria-activedescendant')")
           == "suggestion-0", "arrow down selects the first suggestion")
    box.send_keys(Keys.ENTER)
    wait(driver, "search from a suggestion",
         lambda d: js(d, "return document.getElementById('main').dataset.state") == "allow")
    expect(box.get_attribute("value") == "weather tomorrow", "Enter takes the suggestion")


def test_actions(driver):
    for locale, queries in QUERIES.items():
        set_locale(driver, locale)
        for action, query in queries.items():
            state = search(driver, query)
            expect(state == action, f"{locale} {query!r}: {state}, wanted {action}")
            results = len(driver.find_elements(By.CSS_SELECTOR, "#results-list li")) \
                if visible(driver, "results") else 0
            panel = {"inform": "notice", "prompt": "prompt", "block": "block"}.get(action)
            if panel:
                expect(visible(driver, panel), f"{locale} {action}: panel shown")
                title = js(driver, f"return document.getElementById('{panel}-title').lang")
                expect(title == locale, f"{locale} {action}: message lang {title}")
                links = driver.find_elements(By.CSS_SELECTOR, f"#{panel}-links a")
                expect(len(links) >= 1, f"{locale} {action}: help links")
                text = driver.find_element(By.ID, panel + "-title").text
                expect(len(text) > 5, f"{locale} {action}: title text")
            expect(results == (5 if action in ("allow", "inform") else 0),
                   f"{locale} {action}: {results} results")
            if action == "prompt":
                expect(visible(driver, "continue"), f"{locale}: continue control")
            expect(js(driver, "return document.documentElement.lang") == locale, "html lang")
            shot(driver, f"{locale}-{action}")
        # The page's fonts, not the system's, draw this locale's text.
        family, sample = FONTS[locale]
        ok = driver.execute_async_script(
            "const done = arguments[2];"
            "document.fonts.ready.then(() => done(document.fonts.check('16px \"' + arguments[0] + '\"', arguments[1])"
            " && [...document.fonts].some(f => f.family.replace(/\"/g, '') === arguments[0] && f.status === 'loaded')));",
            family, sample)
        expect(ok, f"{locale}: font {family} loaded and used")
        used = js(driver, "return getComputedStyle(document.getElementById('results-title')"
                          " || document.body).fontFamily")
        expect(family in used, f"{locale}: results drawn in {family}: {used}")
    # Continue past the prompt, by keyboard.
    set_locale(driver, "en")
    search(driver, QUERIES["en"]["prompt"])
    expect(js(driver, "return document.activeElement.id") == "prompt-title",
           "focus moves to the prompt's title")
    driver.find_element(By.ID, "continue").send_keys(Keys.ENTER)
    wait(driver, "results after continue", lambda d: visible(d, "results"))
    expect(not visible(driver, "prompt"), "prompt gone after continue")
    shot(driver, "en-prompt-continued")


def tab_order(driver, state_name):
    """Tabs through the page from the top; every visible control is reached."""
    # Start at the first control (the skip link) and press Tab until focus
    # leaves the page or comes round again.
    js(driver, "window.scrollTo(0, 0); document.getElementById('skip').focus();")
    reached = []
    for _ in range(40):
        key = js(driver, "const e = document.activeElement;"
                         "return e === document.body ? null : (e.id || e.tagName + ':' + (e.href || e.textContent));")
        if key is None or key in reached:
            break
        reached.append(key)
        ActionChains(driver).send_keys(Keys.TAB).perform()
    controls = js(driver, """
        return [...document.querySelectorAll('a[href], button, input, select')]
          .filter(e => e.offsetParent !== null || e.classList.contains('skip'))
          .map(e => e.id || e.tagName + ':' + (e.href || e.textContent));""")
    missing = [c for c in controls if c not in reached]
    expect(not missing, f"tab order in {state_name} misses {missing} (reached {reached})")


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".png"):
            os.remove(os.path.join(OUT, f))
    server, url = start_server()
    driver = None
    try:
        driver = browser("hi-IN,hi;q=0.9,en;q=0.5")
        driver.set_script_timeout(10)
        test_accept_language(driver, url)
        shot(driver, "start-hi")
        test_typeahead(driver)
        test_actions(driver)
        set_locale(driver, "en")
        for action in ["prompt", "inform", "block", "allow"]:
            search(driver, QUERIES["en"][action])
            tab_order(driver, action)
    finally:
        if driver:
            driver.quit()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    if failures:
        raise SystemExit(f"{len(failures)} failures")
    print("ok: screenshots in", OUT)


main()
