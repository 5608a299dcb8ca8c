import type { InventorySummary } from "./bindings";
import { useT } from "./i18n";

export function StatusLine({ summary, onRefresh }: { summary: InventorySummary | null; onRefresh: () => void }) {
  const t = useT();
  let text: string;
  if (!summary) {
    text = t("status.loading");
  } else {
    const host = summary.audio_host ? t("status.host", { host: summary.audio_host }) : t("status.noHost");
    const counts = t("status.counts", {
      inputs: summary.inputs,
      outputs: summary.outputs,
      cameras: summary.cameras,
    });
    const names = summary.input_names.length ? ` · ${t("status.inputs", { names: summary.input_names.join(", ") })}` : "";
    text = `${host} · ${counts}${names}`;
  }
  return (
    <footer class="status" data-testid="status-line" data-ready={summary ? "true" : "false"}>
      <span class={`dot ${summary?.audio_host ? "ok" : summary ? "bad" : ""}`} aria-hidden="true" />
      <span class="text">{text}</span>
      <button type="button" class="link" onClick={onRefresh}>
        {t("status.refresh")}
      </button>
    </footer>
  );
}
