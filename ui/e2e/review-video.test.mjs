import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { screenshot, withApp } from "./driver.mjs";

const models = process.env.GREENROOM_TEST_MODELS;
const cli = process.env.GREENROOM_CLI;
const faces = process.env.GREENROOM_TEST_FACES;
const skip =
  (!models || !cli || !faces) &&
  !process.env.GREENROOM_REQUIRE_TEST_BED &&
  "needs GREENROOM_TEST_MODELS, GREENROOM_CLI and GREENROOM_TEST_FACES (./x e2e sets them)";

let take;

/**
 * A take with video, recorded the way a user records one: `greenroom practice` with a
 * camera (a face clip) and the harness mic, into which a spoken answer is played.
 */
before(async () => {
  if (skip) return;
  const dir = mkdtempSync(join(tmpdir(), "greenroom-video-"));
  const raw = join(dir, "raw.wav");
  const wav = join(dir, "answer.wav");
  execFileSync("espeak-ng", [
    "-v", "en-us", "-s", "150", "-w", raw,
    "A process has its own memory. Threads share the memory of their process, so switching threads is cheaper.",
  ]);
  execFileSync("sox", [raw, "-r", "48000", "-c", "1", "-b", "16", wav, "gain", "-2", "pad", "0.5", "0.5"]);
  // A name of its own: the test files share one data dir.
  execFileSync(cli, ["models", "import", join(models, "tiny.en.ggml"), "--name", "fixture-tiny-video"], { stdio: "pipe" });
  const practice = spawn(cli, [
    "practice", "--question", "os-process-vs-thread", "--prep", "0", "--limit", "9",
    "--english-switch", "off", "--answer-lang", "en", "--input", "pulseaudio:vmic",
    "--camera-source", join(faces, "centred.y4m"), "--no-transcribe",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  const recording = new Promise((resolve) =>
    practice.stderr.on("data", (d) => {
      err += d;
      if (err.includes("Recording take")) resolve();
    }),
  );
  const exited = new Promise((resolve) => practice.on("exit", resolve));
  await Promise.race([recording, exited]);
  execFileSync("paplay", ["--device=vmic_feed", wav]);
  const code = await exited;
  assert.equal(code, 0, err);
  const id = /Recording take (\w+)/.exec(err)[1];
  take = JSON.parse(execFileSync(cli, ["takes", "show", id, "--json"]).toString());
  assert.ok(take.video_path, "the take has a video");
  execFileSync(cli, ["transcribe", take.id, "--model", "fixture-tiny-video"], { stdio: "pipe" });
});

test("Review plays a take's video with its audio; a word click moves the video too", { skip }, () =>
  withApp(async (b) => {
    await (await b.$('[data-testid="nav-review"]')).click();
    await (await b.$(`[data-testid="review-takes"] [data-take="${take.id}"]`)).click();
    const detail = await b.$(`[data-testid="review-detail"][data-take="${take.id}"]`);
    await detail.waitForExist({ timeout: 15000 });
    const player = await b.$('[data-testid="video-player"]');
    await player.waitForExist({ timeout: 10000 });
    // The webview's own player (GStreamer's MP4 demuxer and H.264 decoder) reads it.
    await b.waitUntil(async () => (await b.execute(() => document.querySelector("video").readyState)) >= 2, {
      timeout: 15000,
      timeoutMsg: "the video never loaded (is gstreamer1.0-libav installed?)",
    });
    const meta = await b.execute(() => {
      const v = document.querySelector("video");
      return { w: v.videoWidth, h: v.videoHeight, d: v.duration };
    });
    assert.deepEqual([meta.w, meta.h], [640, 360]);
    assert.ok(Math.abs(meta.d - take.duration_ms / 1000) < 1, `video ${meta.d} s, take ${take.duration_ms} ms`);
    // The presence cards: the clip's face is centred and always there.
    const visible = await b.$('[data-testid="presence-cards"] [data-card="presence.visible"]');
    await visible.waitForExist({ timeout: 5000 });
    assert.match(await visible.getText(), /100 %/);
    // A click on a word moves the audio and the video to it.
    const words = await b.$$('[data-testid="transcript"] .w');
    let target;
    for (const w of words) if (/switching/i.test(await w.getText())) target = w;
    assert.ok(target, "the word 'switching' is in the transcript");
    await b.waitUntil(async () => (await (await b.$('[data-testid="player"]')).getAttribute("data-ready")) === "true", {
      timeout: 10000,
    });
    const start = Number(await target.getAttribute("data-start")) / 1000;
    const offset = (take.video_offset_ms ?? 0) / 1000;
    await target.click();
    await b.waitUntil(
      async () => {
        const t = await b.execute(() => document.querySelector("video").currentTime);
        return Math.abs(t - (start - offset)) < 0.5;
      },
      { timeout: 5000, timeoutMsg: "the video did not move to the clicked word" },
    );
    await screenshot(b, "review-video");
  }));
