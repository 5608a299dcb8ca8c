import { useEffect, useState } from "preact/hooks";
import type { AppError, ModelsOverview } from "../bindings";
import { JobProgress, mib, toError, useModelJob } from "../components/ModelJob";
import { useT, type MessageKey } from "../i18n";
import { call } from "../ipc";

/** The catalog model the first run offers: multilingual (Korean and English), small enough. */
export const RECOMMENDED_MODEL = "base";

const PERMISSION: Record<string, MessageKey> = {
  windows: "welcome.permission.windows",
  macos: "welcome.permission.macos",
};

/**
 * The first screen while no model is installed: what Greenroom does, the OS's permission
 * note, and one button that gets a model (download or import). Done or skipped, the Check
 * screen follows; once a model exists it is never shown again.
 */
export function Welcome({ os, onDone, onError }: { os: string; onDone: () => void; onError: (e: AppError) => void }) {
  const t = useT();
  const [overview, setOverview] = useState<ModelsOverview | null>(null);
  const [path, setPath] = useState("");
  const refresh = () => call("models_overview").then(setOverview, (e) => onError(toError(e)));
  useEffect(() => {
    refresh();
  }, []);
  const { job, download, importModel } = useModelJob(onError, refresh);
  const recommended = overview?.catalog.find((c) => c.model.name === RECOMMENDED_MODEL);
  const size = recommended ? mib(recommended.model.size) : "";

  const got = async (ok: Promise<boolean>) => {
    if (await ok) onDone();
  };

  return (
    <section class="screen welcome" data-testid="welcome">
      <h2>{t("welcome.title")}</h2>
      <ul class="welcome-lines">
        <li>{t("welcome.line1")}</li>
        <li>{t("welcome.line2")}</li>
        <li>{t("welcome.line3")}</li>
      </ul>
      <p class="note" data-testid="welcome-permission" data-os={os}>
        {t(PERMISSION[os] ?? "welcome.permission.linux")}
      </p>
      <div class="panel">
        <p>{t("welcome.model", { size })}</p>
        <div class="actions">
          <button
            type="button"
            class="primary"
            data-testid="welcome-download"
            disabled={!!job || !recommended}
            onClick={() => got(download(RECOMMENDED_MODEL))}
          >
            {t("welcome.download", { name: RECOMMENDED_MODEL, size })}
          </button>
        </div>
        {job && <JobProgress job={job} />}
        <p class="note">{t("welcome.or")}</p>
        <div class="actions">
          <input
            data-testid="welcome-import-path"
            value={path}
            onInput={(e) => setPath((e.target as HTMLInputElement).value)}
            placeholder={os === "windows" ? "C:\\Users\\me\\Downloads\\ggml-base.bin" : "/home/me/Downloads/ggml-base.bin"}
          />
          <button
            type="button"
            data-testid="welcome-import"
            disabled={!!job || !path.trim()}
            onClick={() => got(importModel(path.trim(), null, false))}
          >
            {t("models.importButton")}
          </button>
        </div>
      </div>
      <button type="button" class="link" data-testid="welcome-skip" disabled={!!job} onClick={onDone}>
        {t("welcome.skip")}
      </button>
    </section>
  );
}
