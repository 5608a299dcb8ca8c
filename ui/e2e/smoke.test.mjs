import { test } from "node:test";
import assert from "node:assert/strict";
import { screenshot, waitForText, windowTitles, withApp } from "./driver.mjs";

async function chooseLanguage(b, value) {
  await (await b.$('[data-testid="lang-select"]')).selectByAttribute("value", value);
}

test("the app starts and every navigation target shows its screen", () =>
  withApp(async (b) => {
    assert.equal(await b.getTitle(), "Greenroom");
    await chooseLanguage(b, "en");
    for (const screen of ["practice", "review", "models", "check"]) {
      await (await b.$(`[data-testid="nav-${screen}"]`)).click();
      const section = await b.$(`[data-testid="screen-${screen}"]`);
      await section.waitForDisplayed({ timeout: 5000 });
      const text = await section.getText();
      assert.ok(text.length > 40, `screen ${screen} explains what will be there: "${text}"`);
      const current = await (await b.$(`[data-testid="nav-${screen}"]`)).getAttribute("aria-current");
      assert.equal(current, "page");
    }
    await screenshot(b, "smoke-check-en");
  }));

test("the status line shows the PulseAudio virtual devices", () =>
  withApp(async (b) => {
    const text = await waitForText(b, '[data-testid="status-line"]', (t) => t.includes("VirtualMic"));
    assert.match(text, /PulseAudio/);
    assert.match(text, /SineMic/);
    // Two microphones (VirtualMic, SineMic; monitors are not microphones) and three sinks
    // (VirtualSpeaker and the two feeds of the virtual mics).
    assert.match(text, /2 inputs · 3 outputs · 0 cameras/);
  }));

test("switching to Korean changes the UI and survives a restart", async () => {
  await withApp(async (b) => {
    await chooseLanguage(b, "ko");
    await waitForText(b, '[data-testid="nav-practice"]', (t) => t === "연습");
    await waitForText(b, '[data-testid="status-line"]', (t) => t.includes("마이크"));
    // The window's own title (taskbar, Alt-Tab) follows the language too.
    await b.waitUntil(async () => windowTitles().includes("Greenroom · 화상 면접 연습"), {
      timeout: 5000,
      timeoutMsg: `window titles: ${JSON.stringify(windowTitles())}`,
    });
    await screenshot(b, "smoke-korean");
  });
  await withApp(async (b) => {
    await waitForText(b, '[data-testid="nav-check"]', (t) => t === "점검");
    // The html lang attribute follows the text (a layout effect); wait for it all the same,
    // so a slow frame cannot fail this.
    await b.waitUntil(async () => (await (await b.$("html")).getAttribute("lang")) === "ko", {
      timeout: 5000,
      timeoutMsg: "html lang never became ko",
    });
    // The saved language names the window from the start.
    assert.deepEqual(windowTitles().filter((t) => t.startsWith("Greenroom")), ["Greenroom · 화상 면접 연습"]);
    // Leave English for the tests that follow.
    await chooseLanguage(b, "en");
    await waitForText(b, '[data-testid="nav-check"]', (t) => t === "Check");
    await b.waitUntil(async () => windowTitles().includes("Greenroom"), { timeout: 5000 });
  });
});
