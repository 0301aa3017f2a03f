#!/usr/bin/env python3
"""Checks the HTML scorecard (`csc-measures report --format html`) in a real headless Chromium.

Usage: python3 tests/browser/scorecard.py SCORECARD.html SCORECARD.json SCREENSHOT.png

SCORECARD.json is `csc-measures report --format json` run with the same arguments as the HTML.
Chromium is driven over the DevTools protocol through --remote-debugging-pipe, with the standard
library only. It writes SCREENSHOT.png (the page at 1280 px, screen media) and, beside it, the A4
PDF (same name, .pdf). Exit status: 0 when every check passes, 1 when any fails (each failure is
printed), 2 on bad usage. Chromium is found as $CHROMIUM, chromium, chromium-browser or
google-chrome.

THE HTML CONTRACT (what the renderer promises, and what is checked here)

1. Document: `<html lang="en">`; a non-empty `<title>` in <head>; a
   `<meta http-equiv="Content-Security-Policy">` (in <head>, before any <style>) whose content
   contains `default-src 'none'` (so it must also allow what the page itself uses, e.g.
   `style-src 'unsafe-inline'` and `img-src data:`: anything the policy refuses is reported by
   Chromium as an error, which fails this test).
2. Self-contained: no `<script>` element (HTML or SVG); no `<link>`; no `<img>` whose src is not
   a `data:` URL; no iframe, frame, object, embed, audio, video, source, track or base; no SVG
   `<image>`/`<use>`/`<feImage>` pointing outside the document; no `url(...)` in a <style>
   element, a style attribute or an SVG presentation attribute other than `data:` URLs and
   `#fragment` references; no `@import`.
   Loading it makes no request but the document's own file:// URL (and data: URLs), throws no
   exception and logs no error (console.error, or an error Chromium logs, such as a refused
   Content-Security-Policy).
3. Indicators: one element per line of the JSON report (`{"year": Y, "lines": [{"id", "value",
   "display", "section", ...}, ...]}`) carrying `data-measure="<line id>"` and
   `data-value="<the line's value as JSON text: null or a number>"` (compared numerically with a
   tolerance of 1e-9), and containing a descendant `[data-field="value"]` whose trimmed
   textContent equals the line's `display` string. Every line id appears exactly once; no
   data-measure appears that the JSON lacks.
4. Sections: every indicator is inside a `<section>`, and every `<section>` has an `<h2>`. The
   lines that share a JSON `section` are in one <section> element, and lines of different JSON
   sections are in different ones.
5. Trends: an indicator with a trend draws it as an inline `<svg>`; at least one indicator's
   <svg> contains a `<polyline>` or `<path>`. When a JSON line has a `trend` list (numbers, or
   objects with a "value") with a non-null point, its indicator has an <svg>; with two successive
   non-null points, that <svg> has a <polyline> or <path>.
6. Data quality: an element `[data-role="data-quality"]` follows every indicator (the end of the
   scorecard).
7. No child identifiers: no text (`document.body.innerText`, the whole document's textContent,
   nor any attribute value but SVG geometry) matches `/\\bC\\d{6,}\\b/` (the synthetic children are
   `C` followed by 6 or more digits, e.g. C0001234).
8. A4: with print media and a 794 x 1123 CSS-pixel viewport (A4 at 96 dpi),
   `document.documentElement.scrollWidth <= 794`, and Page.printToPDF on 8.27 x 11.69 in paper
   (backgrounds printed, the page's own @page size and margins preferred) gives a PDF.
"""

import base64
import contextlib
import fcntl
import json
import math
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag

A4_WIDTH = 794
A4_HEIGHT = 1123
LOAD_TIMEOUT = 30.0
CALL_TIMEOUT = 30.0
RENDER_TIMEOUT = 90.0
TOLERANCE = 1e-9
CHILD_ID = r"\bC\d{6,}\b"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Failure(Exception):
    """A check that cannot go on (timeout, Chromium gone, protocol error)."""


class Stopped(Exception):
    """SIGTERM: give up at once (Chromium is still ended and its profile removed)."""


def find_chromium():
    named = os.environ.get("CHROMIUM")
    if named:
        found = shutil.which(named)
        if not found:
            raise Failure(f"$CHROMIUM is {named!r}, which is not an executable")
        return found
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise Failure("Chromium not found (chromium, chromium-browser, google-chrome or $CHROMIUM)")


class Browser:
    """One Chromium process spoken to over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self, executable, on_event):
        self.on_event = on_event
        self.profile = tempfile.mkdtemp(prefix="scorecard-profile-")
        self.log = tempfile.TemporaryFile(prefix="scorecard-chromium-log-")  # noqa: SIM115
        self.messages = queue.Queue()
        self.next_id = 0
        self.proc = None
        self.closed = False
        # Pipe ends kept at fds >= 10 so that moving them to 3 and 4 in the child cannot
        # overwrite one with the other.
        cmd_r, cmd_w = os.pipe()
        resp_r, resp_w = os.pipe()
        child_in = _high_fd(cmd_r)
        child_out = _high_fd(resp_w)
        self.cmd_w = cmd_w
        self.resp_r = resp_r

        def place_pipes():
            # Runs in the child between fork and exec: dup2 leaves 3 and 4 inheritable, and the
            # originals (close-on-exec) go away at exec.
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        argv = (
            [executable]
            + LAUNCH_FLAGS
            + [
                f"--user-data-dir={self.profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ]
        )
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=self.log,
                preexec_fn=place_pipes,
                close_fds=False,
                start_new_session=True,
            )
        except OSError as e:
            for fd in (cmd_w, resp_r):
                os.close(fd)
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)
            raise Failure(f"cannot start {executable}: {e}") from e
        finally:
            os.close(child_in)
            os.close(child_out)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self.resp_r, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                self.messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                try:
                    self.messages.put(json.loads(raw))
                except ValueError:
                    self.messages.put({"unparsable": raw[:200].decode("utf-8", "replace")})

    def send(self, method, params=None, session=None):
        """Sends a command without waiting for its answer; returns its id."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.cmd_w, data) :]
        except OSError as e:
            try:
                status = f", exit status {self.proc.wait(timeout=2)}"
            except subprocess.TimeoutExpired:
                status = ""
            raise Failure(
                f"Chromium closed its DevTools pipe ({e}{status}){self.log_tail()}"
            ) from e
        return self.next_id

    def call(self, method, params=None, session=None, timeout=CALL_TIMEOUT, log=False):
        """Sends a command and returns its result, handling the events that arrive meanwhile.

        log: a timeout also shows what Chromium printed (for the first command)."""
        wanted = self.send(method, params, session)
        answer = self.pump(lambda m: m.get("id") == wanted, timeout, f"the answer to {method}", log)
        if "error" in answer:
            error = answer["error"]
            detail = f"{error.get('message')} {error.get('data', '')}".strip()
            raise Failure(f"{method} failed: {detail}")
        return answer.get("result", {})

    def pump(self, done, timeout, what, log=False):
        """Handles messages until one satisfies done(message); returns it."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(
                    f"timed out after {timeout:.0f} s waiting for {what}"
                    + (self.log_tail() if log else "")
                )
            try:
                message = self.messages.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise Failure(
                        f"Chromium exited (status {self.proc.returncode}) while waiting for "
                        f"{what}{self.log_tail()}"
                    ) from None
                continue
            if message is None:
                raise Failure(
                    f"Chromium closed its DevTools pipe while waiting for {what}{self.log_tail()}"
                )
            if "method" in message:
                self.on_event(message)
            if done(message):
                return message

    def log_tail(self, lines=15):
        try:
            self.log.seek(0)
            text = self.log.read().decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            return ""
        if not text:
            return ""
        return "\n  Chromium said:\n    " + "\n    ".join(text[-lines:])

    def close(self):
        """Ends Chromium (and every process it started) and removes its profile. Idempotent."""
        if self.closed:
            return
        self.closed = True
        try:
            if self.proc is not None and self.proc.poll() is None:
                try:
                    self.send("Browser.close")
                    self.proc.wait(timeout=5)
                except (Failure, subprocess.TimeoutExpired):
                    pass
            if self.proc is not None:
                # SIGKILL to the process group this Chromium leads: the browser, and every
                # helper it started, whether or not Browser.close ended them.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=10)
        finally:
            for fd in (self.cmd_w, self.resp_r):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)


def _high_fd(fd):
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


# Facts about the loaded document, gathered in the page and returned as one JSON value.
DOM_FACTS = r"""
(() => {
  const out = {};
  const de = document.documentElement;
  const all = [...document.querySelectorAll('*')];
  const describe = (e) => {
    let d = e.localName;
    if (e.id) d += '#' + e.id;
    const cls = e.getAttribute('class');
    if (cls && cls.trim()) d += '.' + cls.trim().split(/\s+/).join('.');
    const m = e.getAttribute('data-measure');
    if (m !== null) d += '[data-measure="' + m + '"]';
    return d;
  };
  const local = (u) => {
    const v = (u || '').trim().toLowerCase();
    return v === '' || v.startsWith('data:') || v.startsWith('#');
  };
  out.lang = de.getAttribute('lang');
  out.titleElements = document.querySelectorAll('head > title').length;
  out.title = document.title.trim();
  out.csp = [...document.querySelectorAll('meta[http-equiv]')]
    .filter((m) => m.getAttribute('http-equiv').trim().toLowerCase() === 'content-security-policy')
    .map((m) => m.getAttribute('content') || '');
  out.scripts = [...document.querySelectorAll('script')].map((s) =>
    s.getAttribute('src') || s.getAttribute('href')
    || ('inline: ' + s.textContent.trim().slice(0, 60)));
  out.links = [...document.querySelectorAll('link')].map((l) => l.outerHTML.slice(0, 160));
  out.images = [...document.querySelectorAll('img')]
    .map((i) => i.getAttribute('src') || '')
    .filter((s) => !s.trim().toLowerCase().startsWith('data:'))
    .map((s) => s.slice(0, 160) || '(empty src)');
  const embedded = 'iframe, frame, object, embed, audio, video, source, track, base, portal';
  out.embeds = [...document.querySelectorAll(embedded)].map((e) => e.outerHTML.slice(0, 160));
  for (const e of document.querySelectorAll('image, use, feImage')) {
    const href = e.getAttribute('href') || e.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
    if (!local(href)) out.embeds.push(e.outerHTML.slice(0, 160));
  }
  const urls = [];
  const scan = (where, text) => {
    if (!text) return;
    if (/@import/i.test(text)) urls.push(where + ': @import');
    for (const m of text.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/gi)) {
      if (!local(m[2])) urls.push(where + ': url(' + m[2].slice(0, 120) + ')');
    }
  };
  document.querySelectorAll('style').forEach((s, i) => scan('<style> #' + (i + 1), s.textContent));
  for (const e of all) {
    for (const a of e.attributes) {
      if (a.name === 'style' || /url\(/i.test(a.value)) {
        if (a.name !== 'content' && !a.name.startsWith('data-')) {
          scan(describe(e) + ' ' + a.name, a.value);
        }
      }
    }
  }
  out.externalUrls = urls;

  const sections = [...document.querySelectorAll('section')];
  out.sections = sections.map((s) => {
    const h2 = s.querySelector('h2');
    return {
      h2: h2 ? h2.textContent.trim() : null,
      indicators: s.querySelectorAll('[data-measure]').length,
    };
  });
  const indicators = [...document.querySelectorAll('[data-measure]')];
  out.indicators = indicators.map((e) => {
    const section = e.closest('section');
    const fields = [...e.querySelectorAll('[data-field="value"]')].map((f) => f.textContent.trim());
    return {
      id: e.getAttribute('data-measure'),
      dataValue: e.getAttribute('data-value'),
      displays: fields,
      section: section ? sections.indexOf(section) : -1,
      svg: e.querySelectorAll('svg').length,
      svgShape: e.querySelectorAll('svg polyline, svg path').length,
      describe: describe(e),
    };
  });
  const quality = [...document.querySelectorAll('[data-role="data-quality"]')];
  out.dataQuality = quality.length;
  out.dataQualityAfterIndicators = quality.some((q) => indicators.every((i) =>
    !q.contains(i) && !i.contains(q) &&
    (i.compareDocumentPosition(q) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0));

  const pattern = new RegExp(String.raw`__CHILD_ID__`, 'g');
  const found = (text) => [...new Set(text.match(pattern) || [])].slice(0, 10);
  out.childIdsVisible = found(document.body ? document.body.innerText : '');
  out.childIdsText = found(de.textContent);
  const inAttributes = [];
  for (const e of all) {
    for (const a of e.attributes) {
      if (a.name === 'd' || a.name === 'points') continue;  // SVG geometry, not text
      for (const id of found(a.value)) inAttributes.push(describe(e) + ' ' + a.name + '=' + id);
    }
  }
  out.childIdsAttributes = inAttributes.slice(0, 10);
  return out;
})()
""".replace("__CHILD_ID__", CHILD_ID)

# The elements wider than an A4 page: the outermost overflowing ones first, widest first.
OVERFLOW = r"""
(() => {
  const limit = __WIDTH__ + 0.5;
  const over = new Set([...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > limit));
  const describe = (e) => {
    let d = e.localName;
    if (e.id) d += '#' + e.id;
    const cls = e.getAttribute('class');
    if (cls && cls.trim()) d += '.' + cls.trim().split(/\s+/).join('.');
    const m = e.getAttribute('data-measure');
    if (m !== null) d += '[data-measure="' + m + '"]';
    return d;
  };
  return [...over]
    .filter((e) => !over.has(e.parentElement))
    .map((e) => {
      const r = e.getBoundingClientRect();
      return { what: describe(e), right: Math.round(r.right), width: Math.round(r.width) };
    })
    .sort((a, b) => b.right - a.right || b.width - a.width)
    .slice(0, 10);
})()
""".replace("__WIDTH__", str(A4_WIDTH))

SETTLE = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def listed(ids, most=8):
    """'3 indicators (a, b, c)', naming at most `most` of them."""
    names = ", ".join(ids[:most]) + (f", and {len(ids) - most} more" if len(ids) > most else "")
    return f"{len(ids)} indicator{'s' if len(ids) != 1 else ''} ({names})"


def check_json(report):
    """The JSON's own shape; returns (lines, failures)."""
    failures = []
    if not isinstance(report, dict) or not isinstance(report.get("lines"), list):
        return [], ['JSON: not an object with a "lines" list']
    if "year" not in report:
        failures.append('JSON: no "year"')
    lines = []
    for n, line in enumerate(report["lines"]):
        if not isinstance(line, dict) or not isinstance(line.get("id"), str):
            failures.append(f"JSON: line {n} has no string id")
            continue
        if "value" not in line or not (line["value"] is None or is_number(line["value"])):
            failures.append(f"JSON: {line['id']}: value is not null or a number")
            continue
        lines.append(line)
    for key in ("display", "section"):
        lacking = [line["id"] for line in lines if not isinstance(line.get(key), str)]
        if lacking:
            failures.append(
                f'JSON: {len(lacking)} of {len(lines)} lines have no string "{key}" '
                f"(first: {', '.join(lacking[:5])})"
            )
    ids = [line["id"] for line in lines]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        failures.append(f"JSON: ids on more than one line: {', '.join(twice)}")
    if not lines:
        failures.append("JSON: no lines")
    return lines, failures


def check_dom(facts, lines):
    """Compares the page's facts with the contract and the JSON; returns failures."""
    failures = []
    if facts.get("lang") != "en":
        failures.append(f'<html lang="en">: lang is {facts.get("lang")!r}')
    if not facts.get("titleElements") or not facts.get("title"):
        failures.append("no <title>, or an empty one")
    csp = facts.get("csp") or []
    if not csp:
        failures.append('no <meta http-equiv="Content-Security-Policy">')
    elif not any("default-src 'none'" in c for c in csp):
        failures.append(f"Content-Security-Policy has no default-src 'none': {csp}")
    for key, what in (
        ("scripts", "<script> element"),
        ("links", "<link> element"),
        ("images", "<img> with a non-data: src"),
        ("embeds", "embedded resource"),
        ("externalUrls", "external reference in styles"),
    ):
        for item in facts.get(key) or []:
            failures.append(f"{what}: {item}")

    indicators = facts.get("indicators") or []
    by_id = {}
    for ind in indicators:
        by_id.setdefault(ind["id"], []).append(ind)
    json_ids = {line["id"] for line in lines}
    for ind_id in by_id:
        if ind_id not in json_ids:
            failures.append(f'data-measure="{ind_id}" is not a line of the JSON')
    sections_of = {}  # JSON section -> set of <section> indexes
    outside = []  # indicators not in a <section>
    no_svg = []  # indicators with a value in their JSON trend but no <svg>
    no_line = []  # indicators with two successive values in their JSON trend but no line
    for line in lines:
        lid = line["id"]
        found = by_id.get(lid, [])
        if not found:
            failures.append(f'{lid}: no element with data-measure="{lid}"')
            continue
        if len(found) > 1:
            failures.append(f'{lid}: {len(found)} elements with data-measure="{lid}" (one wanted)')
        ind = found[0]
        raw = ind.get("dataValue")
        if raw is None:
            failures.append(f"{lid}: no data-value attribute")
        else:
            try:
                shown = json.loads(raw)
            except ValueError:
                shown = raw
                failures.append(f"{lid}: data-value {raw!r} is not JSON text")
            else:
                if not (shown is None or is_number(shown)):
                    failures.append(f"{lid}: data-value {raw!r} is not null or a number")
                elif not same_number(shown, line["value"]):
                    failures.append(
                        f"{lid}: data-value {raw} but the JSON value is {json.dumps(line['value'])}"
                    )
        displays = ind.get("displays") or []
        if not displays:
            failures.append(f'{lid}: no [data-field="value"] inside it')
        elif isinstance(line.get("display"), str):
            for shown in displays:
                if shown != line["display"]:
                    failures.append(
                        f'{lid}: [data-field="value"] reads {shown!r} but the JSON '
                        f"display is {line['display']!r}"
                    )
        if ind.get("section", -1) < 0:
            outside.append(lid)
        elif isinstance(line.get("section"), str):
            sections_of.setdefault(line["section"], set()).add(ind["section"])
        trend = line.get("trend")
        points = (
            [p.get("value") if isinstance(p, dict) else p for p in trend]
            if isinstance(trend, list)
            else []
        )
        valued = [is_number(p) for p in points]
        if any(valued) and not ind.get("svg"):
            no_svg.append(lid)
        elif any(a and b for a, b in zip(valued, valued[1:])) and not ind.get("svgShape"):
            no_line.append(lid)
    if outside:
        failures.append(f"{listed(outside)} not inside a <section>")
    if no_svg:
        failures.append(f"{listed(no_svg)} with a trend in the JSON but no inline <svg>")
    if no_line:
        failures.append(
            f"{listed(no_line)} with two successive trend values in the JSON but no <polyline> "
            "or <path> in their <svg>"
        )

    sections = facts.get("sections") or []
    for n, section in enumerate(sections):
        if not section.get("h2"):
            failures.append(f"<section> #{n + 1} has no <h2> (or an empty one)")
    for name, where in sorted(sections_of.items()):
        if len(where) > 1:
            failures.append(
                f"JSON section {name!r} is split over <section> elements "
                f"{sorted(i + 1 for i in where)}"
            )
    owners = {}
    for name, where in sections_of.items():
        for index in where:
            owners.setdefault(index, []).append(name)
    for index, names in sorted(owners.items()):
        if len(names) > 1:
            failures.append(
                f"<section> #{index + 1} holds lines of several JSON sections: {sorted(names)}"
            )
    if indicators and not any(ind.get("svgShape") for ind in indicators):
        failures.append("no indicator has an inline <svg> trend with a <polyline> or <path>")
    if not facts.get("dataQuality"):
        failures.append('no [data-role="data-quality"] element')
    elif not facts.get("dataQualityAfterIndicators"):
        failures.append('[data-role="data-quality"] does not follow every indicator')
    for key, where in (
        ("childIdsVisible", "visible text"),
        ("childIdsText", "document text"),
        ("childIdsAttributes", "attributes"),
    ):
        if facts.get(key):
            failures.append(f"child identifiers in the {where}: {', '.join(facts[key])}")
    return failures


def run(html, lines, png, failures, counts):
    """Loads the page in Chromium and checks it; adds to failures and counts."""
    page_url = html.resolve().as_uri()
    pdf = png.with_suffix(".pdf")
    session = {"id": None}
    requests = []
    blocked = set()

    def own(url):
        plain = unquote(urldefrag(url)[0])
        return plain == unquote(page_url) or url.lower().startswith("data:")

    def network(url, seen=True):
        if seen:  # Network.requestWillBeSent, once a request (Fetch.requestPaused follows it)
            requests.append(url)
        if not own(url) and url not in blocked:
            blocked.add(url)
            failures.append(f"network request to {url}")

    def page_error(text):
        counts["page_errors"] = counts.get("page_errors", 0) + 1
        failures.append(text)

    def on_event(message):
        if message.get("sessionId") != session["id"] or session["id"] is None:
            return
        method, params = message["method"], message.get("params", {})
        if method == "Network.requestWillBeSent":
            network(params.get("request", {}).get("url", ""))
        elif method == "Fetch.requestPaused":
            url = params.get("request", {}).get("url", "")
            if own(url):
                browser.send(
                    "Fetch.continueRequest", {"requestId": params["requestId"]}, session["id"]
                )
            else:
                network(url, seen=False)  # and it never leaves the machine
                browser.send(
                    "Fetch.failRequest",
                    {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                    session["id"],
                )
        elif method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            text = (d.get("exception") or {}).get("description") or d.get("text", "")
            page_error(
                f"exception thrown: {text.strip()} "
                f"({d.get('url', '')}:{d.get('lineNumber', 0) + 1})"
            )
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            parts = [str(a.get("value", a.get("description", ""))) for a in params.get("args", [])]
            page_error(f"console.error: {' '.join(parts)}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            e = params["entry"]
            if e.get("url") in blocked and "ERR_BLOCKED_BY_CLIENT" in e.get("text", ""):
                return  # the request this test refused, reported as such already
            page_error(
                f"Chromium logged an error ({e.get('source', '')}): "
                f"{e.get('text', '').strip()} {e.get('url', '')}".rstrip()
            )
        elif method == "Page.loadEventFired":
            counts["loaded"] = True

    browser = Browser(find_chromium(), on_event)
    try:
        target = browser.call(
            "Target.createTarget", {"url": "about:blank"}, timeout=LOAD_TIMEOUT, log=True
        )
        attached = browser.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        sid = attached["sessionId"]
        session["id"] = sid
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(f"{domain}.enable", session=sid)
        browser.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=sid)

        counts["loaded"] = False
        navigated = browser.call("Page.navigate", {"url": page_url}, session=sid)
        if navigated.get("errorText"):
            failures.append(f"navigation to {page_url} failed: {navigated['errorText']}")
            return
        if not counts["loaded"]:
            try:
                browser.pump(
                    lambda m: (
                        m.get("method") == "Page.loadEventFired" and m.get("sessionId") == sid
                    ),
                    LOAD_TIMEOUT,
                    f"the load event of {page_url}",
                )
            except Failure as e:
                failures.append(f"page did not load: {e}")
                return

        def evaluate(expression, timeout=CALL_TIMEOUT):
            result = browser.call(
                "Runtime.evaluate",
                {
                    "expression": expression,
                    "returnByValue": True,
                    "awaitPromise": True,
                },
                session=sid,
                timeout=timeout,
            )
            if "exceptionDetails" in result:
                d = result["exceptionDetails"]
                thrown = (d.get("exception") or {}).get("description") or d.get("text", "")
                raise Failure(f"checking the page threw: {thrown}")
            return result["result"].get("value")

        evaluate(SETTLE)
        where = evaluate("[location.href, document.readyState]")
        if unquote(urldefrag(where[0])[0]) != unquote(page_url) or where[1] != "complete":
            failures.append(f"the page loaded is {where[0]} ({where[1]}), not {page_url}")
            return
        facts = evaluate(DOM_FACTS)
        failures.extend(check_dom(facts, lines))
        counts["indicators"] = len(facts.get("indicators") or [])
        counts["sections"] = len(facts.get("sections") or [])
        counts["trends"] = sum(1 for i in facts.get("indicators") or [] if i.get("svgShape"))

        # A4 print. No scrollbars, so that the layout is the full 794 px, as on paper.
        browser.call("Emulation.setScrollbarsHidden", {"hidden": True}, session=sid)
        browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=sid)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": A4_WIDTH,
                "height": A4_HEIGHT,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
            session=sid,
        )
        evaluate(SETTLE)
        width = evaluate("document.documentElement.scrollWidth")
        counts["print_width"] = width
        if width > A4_WIDTH:
            wide = evaluate(OVERFLOW)
            listed = (
                "; ".join(
                    f"{w['what']} (right edge {w['right']} px, width {w['width']} px)" for w in wide
                )
                or "none found"
            )
            failures.append(
                f"printed on A4 the page is {width} px wide (at most {A4_WIDTH}): "
                f"widest elements: {listed}"
            )
        printed = browser.call(
            "Page.printToPDF",
            {
                "paperWidth": 8.27,
                "paperHeight": 11.69,
                "printBackground": True,
                # The page's own @page rule (A4, its margins) decides the layout.
                "preferCSSPageSize": True,
            },
            session=sid,
            timeout=RENDER_TIMEOUT,
        )
        data = base64.b64decode(printed.get("data", ""))
        pdf.write_bytes(data)
        counts["pdf"] = pdf
        if not data.startswith(b"%PDF"):
            failures.append(f"Page.printToPDF did not give a PDF ({len(data)} bytes)")

        # The screen at 1280 px, the test's artefact.
        browser.call("Emulation.setEmulatedMedia", {"media": "screen"}, session=sid)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": 1280,
                "height": 800,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
            session=sid,
        )
        evaluate(SETTLE)
        shot = browser.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
            },
            session=sid,
            timeout=RENDER_TIMEOUT,
        )
        data = base64.b64decode(shot.get("data", ""))
        png.write_bytes(data)
        counts["png"] = png
        if not data.startswith(PNG_SIGNATURE):
            failures.append(f"Page.captureScreenshot did not give a PNG ({len(data)} bytes)")
        evaluate("true")  # every event sent before this has been handled
    finally:
        counts["requests"] = len(requests)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the clean-up takes seconds at most
        browser.close()


def main(argv):
    if len(argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    html, json_path, png = Path(argv[1]), Path(argv[2]), Path(argv[3])
    started = time.monotonic()
    failures = []
    counts = {}
    try:
        report = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"FAIL: cannot read the JSON report {json_path}: {e}")
        return 1
    if not html.is_file():
        print(f"FAIL: no HTML scorecard at {html}")
        return 1
    lines, json_failures = check_json(report)
    failures.extend(json_failures)
    png.parent.mkdir(parents=True, exist_ok=True)

    def stop(signum, _frame):
        raise Stopped(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        run(html, lines, png, failures, counts)
    except (Failure, Stopped) as e:
        failures.append(str(e))
    except KeyboardInterrupt:
        failures.append("interrupted")

    seconds = time.monotonic() - started
    failures = list(dict.fromkeys(failures))  # the same failure seen twice is reported once
    print(f"browser test of {html}")
    print(
        f"  indicators checked: {counts.get('indicators', 0)} in the page, "
        f"{len(lines)} in the JSON; trends drawn: {counts.get('trends', 0)}"
    )
    print(f"  sections: {counts.get('sections', 0)}")
    print(f"  network requests: {counts.get('requests', 0)} (the page itself included)")
    if "print_width" in counts:
        print(f"  A4 print width: {counts['print_width']} px (at most {A4_WIDTH})")
    print(
        f"  page errors: {counts.get('page_errors', 0)} "
        "(exceptions thrown, console errors, errors Chromium logged)"
    )
    print(f"  failures: {len(failures)}")
    for key, what in (("pdf", "A4 PDF"), ("png", "screenshot")):
        if key in counts:
            print(f"  {what}: {counts[key]}")
    print(f"  time: {seconds:.1f} s")
    if failures:
        for failure in failures:
            print(f"FAIL: {failure}")
        print(f"{len(failures)} failures")
        print("browser-test: 0 passed, 1 failed")
        return 1
    print("browser-test: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
