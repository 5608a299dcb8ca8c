import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { screenshot, withApp } from "./driver.mjs";

const models = process.env.GREENROOM_TEST_MODELS;
const cli = process.env.GREENROOM_CLI;
// Under ./x test (GREENROOM_REQUIRE_TEST_BED) a missing model is a failure, not a skip.
const skip = (!models || !cli) && !process.env.GREENROOM_REQUIRE_TEST_BED && "needs GREENROOM_TEST_MODELS and GREENROOM_CLI (./x e2e sets both)";

let takeId;

/** A fixture take: an English espeak-ng answer with fillers, imported and transcribed. */
before(() => {
  if (skip) return;
  const dir = mkdtempSync(join(tmpdir(), "greenroom-review-"));
  const raw = join(dir, "raw.wav");
  const wav = join(dir, "answer.wav");
  execFileSync("espeak-ng", [
    "-v", "en-us", "-s", "150", "-w", raw,
    "Um, a process has its own memory. Uh, threads share the memory of their process. So, um, switching threads is cheaper, you know.",
  ]);
  execFileSync("sox", [raw, "-r", "16000", "-c", "1", "-b", "16", wav, "gain", "-2", "pad", "0", "0.6"]);
  execFileSync(cli, ["models", "import", join(models, "tiny.en.ggml"), "--name", "fixture-tiny"], { stdio: "pipe" });
  const take = JSON.parse(
    execFileSync(cli, ["takes", "import", wav, "--question", "os-process-vs-thread", "--answer-lang", "en", "--json"]).toString(),
  );
  takeId = take.id;
  execFileSync(cli, ["transcribe", takeId, "--model", "fixture-tiny"], { stdio: "pipe" });
});

test("the Review screen shows the fixture take's fillers, cards and history chart; a word click seeks", { skip }, () =>
  withApp(async (b) => {
    await (await b.$('[data-testid="nav-review"]')).click();
    const detail = await b.$(`[data-testid="review-detail"][data-take="${takeId}"]`);
    await detail.waitForExist({ timeout: 15000 });
    const transcript = await b.$('[data-testid="transcript"]');
    await transcript.waitForExist({ timeout: 10000 });
    const text = await transcript.getText();
    assert.match(text, /process/i);
    const fillers = await b.$$('[data-testid="transcript"] [data-filler="transcribed"]');
    assert.ok(fillers.length >= 3, `${fillers.length} fillers highlighted`);
    const fillerWords = [];
    for (const f of fillers) fillerWords.push(await f.getText());
    assert.ok(fillerWords.some((w) => /^(um|uh)\b/i.test(w)), fillerWords.join("|"));
    // The fillers card and its history chart.
    const card = await b.$('[data-testid="metric-cards"] [data-card="fillers"]');
    assert.ok(await card.isExisting());
    const chart = await b.$('[data-testid="chart-fillers"]');
    assert.ok(Number(await chart.getAttribute("data-points")) >= 1);
    assert.ok(await (await chart.$("canvas")).isExisting(), "uPlot drew a canvas");
    // Click the word "switching": the player jumps to its time.
    const words = await b.$$('[data-testid="transcript"] .w');
    let target;
    for (const w of words) if (/switching/i.test(await w.getText())) target = w;
    assert.ok(target, "the word 'switching' is in the transcript");
    await b.waitUntil(async () => (await (await b.$('[data-testid="player"]')).getAttribute("data-ready")) === "true", {
      timeout: 10000,
      timeoutMsg: "the take's audio never loaded",
    });
    const start = Number(await target.getAttribute("data-start")) / 1000;
    await target.click();
    await b.waitUntil(
      async () => Math.abs((await b.execute(() => document.querySelector("audio").currentTime)) - start) < 0.5,
      { timeout: 5000, timeoutMsg: "playback did not move to the clicked word" },
    );
    await screenshot(b, "review-fixture");
    await (await b.$('[data-testid="export-md"]')).click();
    const exported = await b.$('[data-testid="exported"]');
    await exported.waitForExist({ timeout: 5000 });
    assert.match(await exported.getText(), /export\.md/);
  }));

test("exports are valid: SRT parses, JSON has the review's shape", { skip }, () => {
  const srt = execFileSync(cli, ["export", takeId, "--format", "srt"]).toString();
  const cues = srt.trim().split(/\n\n+/);
  assert.ok(cues.length >= 1);
  let last = -1;
  cues.forEach((cue, i) => {
    const [n, time, ...text] = cue.split("\n");
    assert.equal(Number(n), i + 1);
    const m = time.match(/^(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)$/);
    assert.ok(m, `cue ${i + 1} time line: ${time}`);
    const ms = (h, mi, s, f) => ((+h * 60 + +mi) * 60 + +s) * 1000 + +f;
    const a = ms(m[1], m[2], m[3], m[4]);
    const z = ms(m[5], m[6], m[7], m[8]);
    assert.ok(a < z && a >= last, `cue ${i + 1} times ${a}..${z}`);
    last = a;
    assert.ok(text.join(" ").trim().length > 0);
  });
  const review = JSON.parse(execFileSync(cli, ["export", takeId, "--format", "json"]).toString());
  assert.equal(review.take.id, takeId);
  assert.equal(typeof review.take.duration_ms, "number");
  assert.ok(Array.isArray(review.transcript.words) && review.transcript.words.length > 5);
  for (const w of review.transcript.words) {
    assert.equal(typeof w.text, "string");
    assert.ok(w.start_ms <= w.end_ms);
    assert.ok(["en", "ko"].includes(w.lang));
  }
  assert.ok(Array.isArray(review.coaching.cards));
  for (const c of review.coaching.cards) {
    assert.equal(typeof c.id, "string");
    assert.ok(typeof c.title.en === "string" && typeof c.title.ko === "string");
    assert.ok(["below", "within", "above", "not_measured"].includes(c.judgement.status));
  }
  assert.ok(Array.isArray(review.history));
});
