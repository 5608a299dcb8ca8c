import { test } from "node:test";
import assert from "node:assert/strict";
import { screenshot, waitForText, withApp } from "./driver.mjs";

async function setNumber(b, testid, value) {
  const input = await b.$(`[data-testid="${testid}"]`);
  await input.clearValue();
  await input.setValue(String(value));
}

test("a 10 s answer with the switch forced at 4 s shows the banner and lists the take with its marker", () =>
  withApp(async (b) => {
    await (await b.$('[data-testid="nav-practice"]')).click();
    await (await b.$('[data-testid="question-text"]')).waitForExist({ timeout: 10000 });
    await setNumber(b, "prep-input", 1);
    await setNumber(b, "limit-input", 10);
    await (await b.$('[data-testid="switch-select"]')).selectByAttribute("value", "at");
    await setNumber(b, "switch-at-input", 4);
    await (await b.$('[data-testid="start-answer"]')).click();

    // Prep, then recording.
    await waitForText(b, '[data-testid="timer"]', (t) => t.length > 0);
    const timer = await b.$('[data-testid="timer"]');
    await b.waitUntil(async () => (await timer.getAttribute("data-phase")) === "answer", { timeout: 5000 });
    const recordingSince = Date.now();
    assert.equal(await (await b.$('[data-testid="switch-banner"]')).isExisting(), false, "no banner in advance");

    const banner = await b.$('[data-testid="switch-banner"]');
    await banner.waitForExist({ timeout: 9000 });
    const shownAfter = (Date.now() - recordingSince) / 1000;
    assert.equal(await banner.getAttribute("data-at"), "4000");
    assert.ok(shownAfter > 3 && shownAfter < 6, `banner after ${shownAfter} s`);
    assert.match(await banner.getText(), /Continue your answer in English/);
    await screenshot(b, "practice-switch-banner");

    // Auto-stop at the limit; the take is listed with its marker.
    const saved = await waitForText(b, '[data-testid="take-saved"]', (t) => t.includes("Saved"), 15000);
    assert.match(saved, /English from 4\.0 s/);
    const row = await b.$('[data-testid="takes-list"] tr');
    assert.equal(await row.getAttribute("data-status"), "complete");
    assert.match(await (await row.$('[data-testid="take-switch"]')).getText(), /English from 4\.0 s/);
    assert.match(await row.getText(), /10\.0 s/);
    await screenshot(b, "practice-take-listed");
  }));

test("space stops an answer early and R retakes it", () =>
  withApp(async (b) => {
    await (await b.$('[data-testid="nav-practice"]')).click();
    await (await b.$('[data-testid="question-text"]')).waitForExist({ timeout: 10000 });
    await setNumber(b, "prep-input", 0);
    await setNumber(b, "limit-input", 30);
    await (await b.$('[data-testid="switch-select"]')).selectByAttribute("value", "off");
    await (await b.$("h2")).click(); // focus out of the form so keys reach the screen
    await b.keys(" ");
    const timer = await b.$('[data-testid="timer"]');
    await b.waitUntil(async () => (await timer.getAttribute("data-phase")) === "answer", { timeout: 5000 });
    await b.pause(2000);
    await b.keys(" ");
    const saved = await waitForText(b, '[data-testid="take-saved"]', (t) => t.includes("Saved"), 10000);
    const seconds = Number(saved.match(/([\d.]+) s/)[1]);
    assert.ok(seconds > 1.5 && seconds < 4, `stopped after ${seconds} s`);
    await b.keys("r");
    await b.waitUntil(async () => (await timer.getAttribute("data-phase")) === "answer", { timeout: 5000 });
    await b.pause(1000);
    await (await b.$('[data-testid="stop-answer"]')).click();
    await waitForText(b, '[data-testid="take-saved"]', (t) => t.includes("Saved"), 10000);
    const rows = await b.$$('[data-testid="takes-list"] tr');
    assert.ok(rows.length >= 2, `${rows.length} takes listed`);
  }));

test("Round 2 deals behavioral questions with their STAR follow-up chain", () =>
  withApp(async (b) => {
    await (await b.$('[data-testid="nav-practice"]')).click();
    await (await b.$('[data-testid="question-text"]')).waitForExist({ timeout: 10000 });
    await (await b.$('[data-testid="mode-select"]')).selectByAttribute("value", "round2");
    const step = await waitForText(b, '[data-testid="plan-step"]', (t) => /Step 1 of \d+/.test(t));
    // 3 questions per block, each followed by its 4-step STAR chain, in two blocks.
    assert.match(step, /Step 1 of 30 · behavioral-1/);
    const first = await (await b.$('[data-testid="question-text"]')).getText();
    await (await b.$('[data-testid="next-question"]')).click();
    await waitForText(b, '[data-testid="plan-step"]', (t) => t.startsWith("Step 2 of 30"));
    const card = await (await b.$('[data-testid="question-card"]')).getText();
    assert.match(card, /Follow-up 1/);
    assert.notEqual(await (await b.$('[data-testid="question-text"]')).getText(), first);
  }));
