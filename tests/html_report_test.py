"""deter bench/stats --format html, opened in headless Chromium: every chart
renders (SVG elements of non-zero size, bars drawn), nothing is fetched from
anywhere, the console stays clean. Screenshots go to the output directory.

Usage: /usr/bin/python3 html_report_test.py DETER SOURCE_DIR OUT_DIR
(Debian: chromium, chromium-driver, python3-selenium)."""
import glob
import json
import os
import re
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

deter, source, out = (os.path.abspath(a) for a in sys.argv[1:4])
os.makedirs(out, exist_ok=True)

# Benign text of every language, and the sample with stand-in phrases, so
# that every chart has bars.
log = os.path.join(out, "queries.txt")
with open(log, "w", encoding="utf-8") as f:
    for path in sorted(glob.glob(os.path.join(source, "tests/data/*/*.txt"))) + [
            os.path.join(source, "tests/data/sample-queries.txt")]:
        with open(path, encoding="utf-8") as q:
            f.write(q.read())

lists = os.path.join(source, "lists/demo")
pages = {
    "bench": [deter, "bench", "--lists", lists, log, "--format", "html"],
    "stats": [deter, "stats", "--lists", lists, log, "--format", "html", "--min-count", "1"],
}

options = Options()
for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1100,2400"):
    options.add_argument(arg)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
failures = []
try:
    for name, command in pages.items():
        html = subprocess.run(command, check=True, capture_output=True).stdout
        path = os.path.join(out, name + ".html")
        with open(path, "wb") as f:
            f.write(html)
        driver.get("file://" + path)
        svgs = driver.find_elements("css selector", "svg")
        if len(svgs) < (5 if name == "bench" else 4):
            failures.append(f"{name}: {len(svgs)} charts")
        for i, svg in enumerate(svgs):
            size = svg.size
            if size["width"] <= 0 or size["height"] <= 0:
                failures.append(f"{name}: chart {i} has size {size}")
        # Bars are drawn with a real, rendered size (not just present).
        drawn = driver.execute_script(
            "return [...document.querySelectorAll('rect.bar')]"
            ".filter(r => { const b = r.getBBox(); return b.width > 0 && b.height > 0; }).length")
        if drawn < 10:
            failures.append(f"{name}: only {drawn} bars drawn")
        if name == "bench" and not driver.find_elements("css selector", "line.mark"):
            failures.append("bench: no percentile marks on the histogram")
        fetched = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        if fetched:
            failures.append(f"{name}: fetched {fetched}")
        for entry in driver.get_log("browser"):
            if entry["level"] in ("SEVERE", "WARNING"):
                failures.append(f"{name}: console {entry['level']}: {entry['message']}")
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1100, max(800, min(height + 40, 6000)))
        driver.save_screenshot(os.path.join(out, name + ".png"))
        print(f"{name}: {len(svgs)} charts, {drawn} bars, screenshot {name}.png")
finally:
    driver.quit()

# With small counts suppressed, the page shows what the JSON publishes: an
# action the JSON gives as null reads "x (suppressed)" and has no bar.
stats = [deter, "stats", "--lists", lists, log, "--min-count", "3"]
published = json.loads(subprocess.run(stats + ["--format", "json"], check=True,
                                      capture_output=True).stdout)
page = subprocess.run(stats + ["--format", "html"], check=True, capture_output=True).stdout.decode()
chart = page[page.index("Searches by action"):page.index("By category")]
for action, count in published["by_action"].items():
    if action == "total":
        continue
    shown = re.search(r">%s</text>(<rect[^>]*>)?.*?<text[^>]*>([^<]*)</text>" % action, chart)
    if not shown:
        failures.append(f"stats: no row for {action}")
    elif count is None and (shown.group(1) or shown.group(2) != "x (suppressed)"):
        failures.append(f"stats: {action} is null in JSON but the page shows {shown.group(2)}")
    elif count is not None and not shown.group(2).startswith(f"{count:,}"):
        failures.append(f"stats: {action} is {count} in JSON but the page shows {shown.group(2)}")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
