import { test } from "node:test";
import assert from "node:assert/strict";
import { screenshot, withApp } from "./driver.mjs";

async function statusOf(b, id) {
  const el = await b.$(`[data-testid="audio-results"] [data-check="${id}"]`);
  return el.getAttribute("data-status");
}

async function runCheck(b) {
  await (await b.$('[data-testid="run-audio-check"]')).click();
  const results = await b.$('[data-testid="audio-results"]');
  // Recording takes ~4 s after the first sample, the tone listening up to 2.5 s more.
  await results.waitForExist({ timeout: 20000 });
}

async function pickInput(b, id) {
  const select = await b.$('[data-testid="input-select"]');
  await b.waitUntil(async () => (await select.$$("option")).length >= 2, { timeout: 10000 });
  await select.selectByAttribute("value", id);
}

test("the level meter moves on the sine mic", () =>
  withApp(async (b) => {
    await pickInput(b, "pulseaudio:sinemic");
    // SineMic carries a -6 dBFS tone: the meter must read close to it, live.
    await b.waitUntil(
      async () => {
        const level = Number(await (await b.$('[data-testid="level-meter"]')).getAttribute("data-level"));
        return Math.abs(level - -6) < 2;
      },
      { timeout: 10000, timeoutMsg: "meter never showed the sine's level" },
    );
  }));

test("a silent virtual mic fails as 'listed but silent', with a fix", () =>
  withApp(async (b) => {
    await pickInput(b, "pulseaudio:vmic");
    await runCheck(b);
    assert.equal(await statusOf(b, "mic.opens"), "pass");
    assert.equal(await statusOf(b, "mic.silent"), "fail");
    assert.equal(await statusOf(b, "mic.level"), "skipped");
    assert.equal(await (await b.$('[data-testid="audio-overall"]')).getAttribute("data-status"), "fail");
    const silent = await (await b.$('[data-testid="audio-results"] [data-check="mic.silent"]')).getText();
    assert.match(silent, /Fix:/);
    await screenshot(b, "check-audio-silent");
  }));

test("the sine mic passes level checks; an unheard speaker offers the by-ear fallback", () =>
  withApp(async (b) => {
    await pickInput(b, "pulseaudio:sinemic");
    await runCheck(b);
    for (const id of ["audio.visibility", "mic.opens", "mic.silent", "mic.level", "mic.clipping", "mic.dropouts", "mic.rate"]) {
      assert.equal(await statusOf(b, id), "pass", id);
    }
    // A steady tone has no quiet moment: its "noise floor" is the tone itself.
    assert.equal(await statusOf(b, "mic.noise"), "fail");
    // SineMic cannot hear VirtualSpeaker.
    assert.equal(await statusOf(b, "speaker.opens"), "pass");
    assert.equal(await statusOf(b, "speaker.loopback"), "warn");
    assert.ok(await (await b.$('[data-testid="hear-fallback"]')).isDisplayed());
    const level = await (await b.$('[data-testid="audio-results"] [data-check="mic.level"]')).getText();
    assert.match(level, /-6\.0 dBFS/);
    await screenshot(b, "check-audio-sine");
  }));
