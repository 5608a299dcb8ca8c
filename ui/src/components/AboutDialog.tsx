import { useEffect, useState } from "preact/hooks";
import type { About, AppError } from "../bindings";
import { toError } from "./ModelJob";
import { useT } from "../i18n";
import { call } from "../ipc";

/** Version, system, data folder, model, the speech engine's CPU level, licences. */
export function AboutDialog({ onClose, onError }: { onClose: () => void; onError: (e: AppError) => void }) {
  const t = useT();
  const [about, setAbout] = useState<About | null>(null);
  useEffect(() => {
    call("about").then(setAbout, (e) => onError(toError(e)));
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const cpu = about?.speech_cpu;
  return (
    <div class="modal-backdrop" onClick={onClose}>
      <div
        class="modal panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="about-title"
        data-testid="about-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="about-title">{t("about.title")}</h2>
        {about && (
          <dl class="about">
            <dt>{t("about.version")}</dt>
            <dd data-testid="about-version">{about.version}</dd>
            <dt>{t("about.system")}</dt>
            <dd>
              {about.os} {about.arch}
            </dd>
            <dt>{t("about.data")}</dt>
            <dd data-testid="about-data" class="path">
              {about.data_dir}
            </dd>
            <dt>{t("about.model")}</dt>
            <dd data-testid="about-model">{about.default_model ?? t("about.noModel")}</dd>
            <dt>{t("about.cpu")}</dt>
            <dd data-testid="about-cpu" data-supported={String(cpu!.missing.length === 0)}>
              {cpu!.missing.length === 0
                ? t("about.cpuOk", { level: cpu!.built_for })
                : t("about.cpuMissing", { level: cpu!.built_for, missing: cpu!.missing.join(", ") })}
            </dd>
          </dl>
        )}
        {about && (
          <>
            <h3>{t("about.licences")}</h3>
            <table class="takes" data-testid="about-licences">
              <tbody>
                {about.licences.map((l) => (
                  <tr key={l.component}>
                    <td>{l.component}</td>
                    <td>{l.licence}</td>
                    <td class="path">{l.url}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <div class="actions">
          <button type="button" class="primary" data-testid="about-close" onClick={onClose}>
            {t("about.close")}
          </button>
        </div>
      </div>
    </div>
  );
}
