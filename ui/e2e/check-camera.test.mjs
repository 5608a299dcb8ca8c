import { test } from "node:test";
import assert from "node:assert/strict";
import { screenshot, withApp } from "./driver.mjs";

async function cameraStatus(b, id) {
  return (await b.$(`[data-testid="camera-results"] [data-check="${id}"]`)).getAttribute("data-status");
}

async function runCameraCheck(b) {
  await (await b.$('[data-testid="run-camera-check"]')).click();
  await (await b.$('[data-testid="camera-results"]')).waitForExist({ timeout: 15000 });
}

/** Waits until the preview <img> has shown a real decoded frame, and returns its size. */
async function previewShowsFrames(b) {
  let size = { w: 0, h: 0 };
  await b.waitUntil(
    async () => {
      const img = await b.$('[data-testid="camera-preview"]');
      if (!(await img.isExisting())) return false;
      size = await b.execute((el) => ({ w: el.naturalWidth, h: el.naturalHeight, n: Number(el.dataset.frame) }), img);
      return size.w > 0 && size.n > 3;
    },
    { timeout: 15000, timeoutMsg: "the preview never showed frames" },
  );
  return size;
}

test("a normal synthetic scene: live preview and every camera check passes", () =>
  withApp(
    async (b) => {
      const size = await previewShowsFrames(b);
      // Downscaled for the preview: at most 640 px wide, 16:9 kept.
      assert.equal(size.w, 640);
      assert.equal(size.h, 360);
      await runCameraCheck(b);
      for (const id of ["camera.opens", "camera.fps", "camera.resolution", "camera.black", "camera.frozen", "camera.dark", "camera.overexposed", "camera.uniform"]) {
        assert.equal(await cameraStatus(b, id), "pass", id);
      }
      await screenshot(b, "check-camera-scene");
    },
    ["--camera-source", "pattern:scene"],
  ));

test("a black camera fails the black check with the shutter fix", () =>
  withApp(
    async (b) => {
      await previewShowsFrames(b);
      await runCameraCheck(b);
      assert.equal(await cameraStatus(b, "camera.black"), "fail");
      assert.equal(await cameraStatus(b, "camera.frozen"), "skipped");
      const text = await (await b.$('[data-testid="camera-results"] [data-check="camera.black"]')).getText();
      assert.match(text, /shutter/);
      assert.equal(await (await b.$('[data-testid="camera-overall"]')).getAttribute("data-status"), "fail");
    },
    ["--camera-source", "pattern:black"],
  ));

test("a frozen, low-fps camera is caught", () =>
  withApp(
    async (b) => {
      await previewShowsFrames(b);
      await runCameraCheck(b);
      assert.equal(await cameraStatus(b, "camera.frozen"), "fail");
      assert.equal(await cameraStatus(b, "camera.fps"), "fail");
    },
    ["--camera-source", "pattern:scene,8fps,frozen"],
  ));

test("with no camera at all the screen says so and the check fails to open", () =>
  withApp(async (b) => {
    const box = await b.$('[data-testid="camera-preview-box"]');
    await b.waitUntil(async () => (await box.getText()).includes("No camera found"), { timeout: 10000 });
    await runCameraCheck(b);
    assert.equal(await cameraStatus(b, "camera.opens"), "fail");
  }));
