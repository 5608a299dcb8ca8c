import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { screenshot, waitForText, withApp } from "./driver.mjs";

const models = process.env.GREENROOM_TEST_MODELS;

test("the Models screen imports a ggml model, lists it as the default, and removes it", { skip: !models && !process.env.GREENROOM_REQUIRE_TEST_BED && "GREENROOM_TEST_MODELS not set" }, () =>
  withApp(async (b) => {
    await (await b.$('[data-testid="nav-models"]')).click();
    await (await b.$('[data-testid="catalog"]')).waitForExist({ timeout: 10000 });
    const path = await b.$('[data-testid="import-path"]');
    await path.setValue(join(models, "tiny.en.ggml"));
    await (await b.$('[data-testid="import-model"]')).click();
    const row = await b.$('[data-testid="installed-models"] tr[data-model="tiny.en"]');
    await row.waitForExist({ timeout: 60000 });
    const text = await row.getText();
    assert.match(text, /English only/);
    assert.match(text, /74\.1 MiB/);
    assert.equal(await (await row.$('input[type="radio"]')).isSelected(), true, "first model becomes the default");
    await screenshot(b, "models-imported");
    await (await row.$("button")).click();
    await waitForText(b, '[data-testid="no-models"]', (t) => t.length > 0);
  }));

test("importing a file that is not a model says so and installs nothing", () =>
  withApp(async (b) => {
    await (await b.$('[data-testid="nav-models"]')).click();
    const path = await b.$('[data-testid="import-path"]');
    await path.setValue("/etc/hostname");
    await (await b.$('[data-testid="import-model"]')).click();
    const banner = await b.$('[data-testid="error-banner"]');
    await banner.waitForExist({ timeout: 10000 });
    assert.equal(await banner.getAttribute("data-code"), "invalid_model");
    assert.match(await banner.getText(), /not a usable Whisper model/);
    assert.ok(await (await b.$('[data-testid="no-models"]')).isExisting());
  }));
