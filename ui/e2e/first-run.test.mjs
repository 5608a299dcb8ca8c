import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { screenshot, waitForText, withApp } from "./driver.mjs";

const models = process.env.GREENROOM_TEST_MODELS;
const cli = process.env.GREENROOM_CLI;
const skip = (!models || !cli) && !process.env.GREENROOM_REQUIRE_TEST_BED && "needs GREENROOM_TEST_MODELS and GREENROOM_CLI (./x e2e sets both)";

const installed = () => JSON.parse(execFileSync(cli, ["models", "list", "--json"]).toString()).models.map((m) => m.name);

test("first run: no model -> welcome -> import from the test cache -> Check; not shown again", { skip }, async () => {
  // A first run has no model: remove what other tests left in this data folder.
  for (const name of installed()) execFileSync(cli, ["models", "remove", name], { stdio: "pipe" });
  await withApp(
    async (b) => {
      const welcome = await b.$('[data-testid="welcome"]');
      await welcome.waitForDisplayed({ timeout: 10000 });
      assert.match(await welcome.getText(), /Welcome to Greenroom/);
      assert.equal(await (await b.$('[data-testid="welcome-permission"]')).getAttribute("data-os"), "linux");
      // The recommended model, with its size, from the catalog.
      await waitForText(b, '[data-testid="welcome-download"]', (t) => /base, \d+ MiB/.test(t));
      assert.equal(await (await b.$('[data-testid="screen-check"]')).isExisting(), false);
      await screenshot(b, "first-run-welcome");
      await (await b.$('[data-testid="welcome-import-path"]')).setValue(join(models, "tiny.en.ggml"));
      await (await b.$('[data-testid="welcome-import"]')).click();
      // Import copies and checks 74 MiB: seconds here; then straight to the Check screen.
      await (await b.$('[data-testid="screen-check"]')).waitForDisplayed({ timeout: 60000 });
      assert.equal(await (await b.$('[data-testid="welcome"]')).isExisting(), false);
      assert.deepEqual(installed(), ["tiny.en"]);
      // The About box names the model and the data folder.
      await (await b.$('[data-testid="about-button"]')).click();
      await waitForText(b, '[data-testid="about-model"]', (t) => t === "tiny.en");
      assert.equal(await (await b.$('[data-testid="about-data"]')).getText(), process.env.GREENROOM_HOME);
      assert.equal(await (await b.$('[data-testid="about-cpu"]')).getAttribute("data-supported"), "true");
      await screenshot(b, "first-run-about");
      await (await b.$('[data-testid="about-close"]')).click();
    },
    [],
    { keepWelcome: true },
  );
  // With a model installed the app opens on the Check screen.
  await withApp(
    async (b) => {
      assert.equal(await (await b.$(".shell")).getAttribute("data-first-run"), "done");
      assert.ok(await (await b.$('[data-testid="screen-check"]')).isDisplayed());
    },
    [],
    { keepWelcome: true },
  );
  execFileSync(cli, ["models", "remove", "tiny.en"], { stdio: "pipe" });
});
