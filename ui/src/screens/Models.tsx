import { useContext, useEffect, useState } from "preact/hooks";
import type { AppError, ModelSource, ModelsOverview } from "../bindings";
import { JobProgress, mib, toError, useModelJob } from "../components/ModelJob";
import { LangContext, useT } from "../i18n";
import { call } from "../ipc";


/** Local Whisper models: installed, catalog with resumable downloads, import. */
export function Models({ onError }: { onError: (e: AppError) => void }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [overview, setOverview] = useState<ModelsOverview | null>(null);
  const [path, setPath] = useState("");
  const [name, setName] = useState("");
  const [quantize, setQuantize] = useState(false);
  const [showAll, setShowAll] = useState(false);

  const refresh = () => call("models_overview").then(setOverview, (e) => onError(toError(e)));
  useEffect(() => {
    refresh();
  }, []);

  const { job, download, importModel: runImport } = useModelJob(onError, refresh);
  const importModel = () => runImport(path, name.trim() || null, quantize);

  const shown = overview?.catalog.filter((c) => showAll || ["tiny", "base", "small", "base.en", "tiny.en", "large-v3-turbo-q5_0", "small-q8_0"].includes(c.model.name));
  return (
    <section class="screen wide" data-testid="screen-models">
      <h2>{t("models.title")}</h2>
      <p class="lead">{t("models.lead")}</p>
      <div class="panel">
        <h3>{t("models.installed")}</h3>
        {overview && overview.installed.length === 0 && <p class="empty" data-testid="no-models">{t("models.none")}</p>}
        <table class="takes" data-testid="installed-models">
          <tbody>
            {overview?.installed.map((m) => (
              <tr key={m.name} data-model={m.name}>
                <td>
                  <label class="radio">
                    <input
                      type="radio"
                      name="default-model"
                      checked={overview.default === m.name}
                      onChange={() => call("set_default_model", { name: m.name }).then(refresh, (e) => onError(toError(e)))}
                    />
                    <strong>{m.name}</strong>
                  </label>
                </td>
                <td>{m.label}</td>
                <td>{m.multilingual ? t("models.multilingual") : t("models.englishOnly")}</td>
                <td>{mib(m.size)}</td>
                <td class="prompt-cell">{describeSource(m.source, lang)}</td>
                <td>
                  <button type="button" class="link" disabled={!!job} onClick={() => call("remove_model", { name: m.name }).then(refresh, (e) => onError(toError(e)))}>
                    {t("practice.delete")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {overview && <p class="note">{t("models.dir", { dir: overview.dir })}</p>}
      </div>
      {job && <JobProgress job={job} />}
      <div class="columns">
        <div class="panel">
          <h3>{t("models.catalog")}</h3>
          <table class="takes" data-testid="catalog">
            <tbody>
              {shown?.map((c) => (
                <tr key={c.model.name}>
                  <td>
                    <strong>{c.model.name}</strong>
                  </td>
                  <td>{mib(c.model.size)}</td>
                  <td>{c.model.multilingual ? t("models.multilingual") : t("models.englishOnly")}</td>
                  <td>
                    {c.installed ? (
                      t("models.isInstalled")
                    ) : (
                      <button type="button" disabled={!!job} onClick={() => download(c.model.name)}>
                        {c.partial ? t("models.resume", { pct: Math.floor((c.partial / c.model.size) * 100) }) : t("models.download")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="link" onClick={() => setShowAll(!showAll)}>
            {showAll ? t("models.fewer") : t("models.all")}
          </button>
        </div>
        <div class="panel setup">
          <h3>{t("models.import")}</h3>
          <p class="note">{t("models.importHelp")}</p>
          <label>
            <span>{t("models.path")}</span>
            <input data-testid="import-path" value={path} onInput={(e) => setPath((e.target as HTMLInputElement).value)} placeholder="/home/me/models/ggml-base.bin" />
          </label>
          <label>
            <span>{t("models.name")}</span>
            <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label class="radio">
            <input type="checkbox" checked={quantize} onChange={(e) => setQuantize((e.target as HTMLInputElement).checked)} />
            <span>{t("models.quantize")}</span>
          </label>
          <div class="actions">
            <button type="button" class="primary" data-testid="import-model" disabled={!!job || !path.trim()} onClick={importModel}>
              {t("models.importButton")}
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}

function describeSource(source: ModelSource, lang: "en" | "ko"): string {
  const ko = lang === "ko";
  switch (source.type) {
    case "imported_ggml":
      return ko ? `가져옴: ${source.path}` : `imported from ${source.path}`;
    case "converted_ct2":
      return ko ? `faster-whisper 변환: ${source.path}` : `converted from faster-whisper ${source.path}`;
    case "download":
      return ko ? `다운로드: ${source.url}` : `downloaded from ${source.url}`;
  }
}
