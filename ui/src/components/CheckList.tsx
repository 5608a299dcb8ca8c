import type { Check, Measured } from "../bindings";
import { LangContext, useT } from "../i18n";
import { useContext } from "preact/hooks";

export function formatMeasured(m: Measured): string {
  const digits = m.unit === "count" || m.unit === "pixels" || m.unit === "ms" ? 0 : m.unit === "ratio" ? 3 : 1;
  const suffix: Record<Measured["unit"], string> = {
    dbfs: " dBFS",
    db: " dB",
    percent: " %",
    ms: " ms",
    hz: " Hz",
    fps: " fps",
    pixels: " px",
    count: "",
    ratio: "",
  };
  return `${m.value.toFixed(digits)}${suffix[m.unit]}`;
}

/** The verdicts of a preflight: status, measured value, threshold, what was found, the fix. */
export function CheckList({ checks, testid }: { checks: Check[]; testid: string }) {
  const lang = useContext(LangContext);
  const t = useT();
  return (
    <ul class="checks" data-testid={testid}>
      {checks.map((c) => (
        <li key={c.id} class={`check ${c.status}`} data-check={c.id} data-status={c.status}>
          <span class="badge">{t(`status.${c.status}`)}</span>
          <div class="body">
            <div class="head">
              <strong>{c.title[lang]}</strong>
              {c.measured && <span class="value">{formatMeasured(c.measured)}</span>}
              {c.threshold && <span class="threshold">{c.threshold}</span>}
            </div>
            <p class="summary">{c.summary[lang]}</p>
            {c.fix && (
              <p class="fix">
                <span>{t("check.fix")}</span> {c.fix[lang]}
              </p>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
