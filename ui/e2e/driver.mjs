// Shared WebDriver helpers: each test opens the real Greenroom binary through tauri-driver
// (WebKitWebDriver), which ./x starts under Xvfb with a PulseAudio of virtual devices.
import { remote } from "webdriverio";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const app = process.env.GREENROOM_APP;
const port = Number(process.env.WEBDRIVER_PORT ?? 4444);
const artifacts = process.env.GREENROOM_ARTIFACTS ?? "artifacts";

if (!app) throw new Error("GREENROOM_APP is not set: run the end-to-end tests through ./x e2e");

/**
 * Opens the app (with extra command-line `args`) and waits until its UI has rendered. With
 * no model installed the app opens on its welcome screen: it is skipped (to the Check
 * screen, as for a returning user) unless `keepWelcome`.
 */
export async function openApp(args = [], { keepWelcome = false } = {}) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    connectionRetryCount: 1,
    capabilities: {
      "tauri:options": { application: app, args },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  try {
    await (await browser.$('[data-testid="nav-check"]')).waitForExist({ timeout: 15000 });
    const shell = await browser.$(".shell");
    await browser.waitUntil(async () => (await shell.getAttribute("data-first-run")) !== "pending", {
      timeout: 15000,
      timeoutMsg: "the app never decided whether this is a first run",
    });
    if (!keepWelcome && (await shell.getAttribute("data-first-run")) === "welcome") {
      // Skipping is one render, but a click can be lost while the welcome screen is still
      // laying out (its model list arrives after it is shown): click again while it is
      // there. 15 s, the bound of the app's own start above, is the margin for a loaded
      // two-core machine; the welcome flow itself is tested in first-run.test.mjs.
      const check = await browser.$('[data-testid="screen-check"]');
      await browser.waitUntil(
        async () => {
          if (await check.isExisting()) return true;
          const skip = await browser.$('[data-testid="welcome-skip"]');
          if ((await skip.isExisting()) && (await skip.isEnabled())) await skip.click();
          return false;
        },
        { timeout: 15000, interval: 1000, timeoutMsg: "skipping the welcome screen never showed the Check screen" },
      );
    }
  } catch (e) {
    // What the app showed when it did not come up, for the artifacts.
    await screenshot(browser, `open-failure-${process.pid}`).catch(() => {});
    await browser.deleteSession().catch(() => {});
    throw e;
  }
  return browser;
}

/** Runs `fn` with a fresh app session, always closing the app afterwards. */
let failures = 0;
export async function withApp(fn, args = [], options = {}) {
  const browser = await openApp(args, options);
  try {
    return await fn(browser);
  } catch (e) {
    await screenshot(browser, `failure-${process.pid}-${++failures}`).catch(() => {});
    const html = await browser.getPageSource().catch(() => "");
    writeFileSync(join(artifacts, `failure-${process.pid}-${failures}.html`), html);
    throw e;
  } finally {
    await browser.deleteSession().catch(() => {});
  }
}

/** Waits until the element's text satisfies `pred`, returning the text. */
export async function waitForText(browser, selector, pred, timeout = 15000) {
  let last = "";
  await browser.waitUntil(
    async () => {
      const el = await browser.$(selector);
      if (!(await el.isExisting())) return false;
      last = await el.getText();
      return pred(last);
    },
    { timeout, interval: 100, timeoutMsg: `${selector}: text never matched, last was "${last}"` },
  );
  return last;
}

export async function screenshot(browser, name) {
  // Screenshots can lag a DOM change by a frame or two.
  await browser.pause(500);
  mkdirSync(artifacts, { recursive: true });
  const png = await browser.takeScreenshot();
  writeFileSync(join(artifacts, `${name}.png`), Buffer.from(png, "base64"));
}

/** The titles (_NET_WM_NAME, UTF-8) of the app's X windows on the harness's Xvfb. */
export function windowTitles() {
  const tree = execFileSync("xwininfo", ["-root", "-tree"]).toString();
  const ids = [...tree.matchAll(/^\s*(0x[0-9a-f]+) .*\("greenroom-desktop" /gm)].map((m) => m[1]);
  return ids
    // A UTF-8 locale, or xprop prints non-ASCII titles as octal escapes.
    .map((id) => execFileSync("xprop", ["-id", id, "_NET_WM_NAME"], { env: { ...process.env, LC_ALL: "C.UTF-8" } }).toString())
    .map((line) => line.match(/= "(.*)"$/m)?.[1])
    .filter(Boolean);
}
