import { useState } from "preact/hooks";
import type { AppError, ModelJobEvent } from "../bindings";
import { useT } from "../i18n";
import { call, channel, IpcError } from "../ipc";

export const toError = (e: unknown): AppError =>
  e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } };

export const mib = (bytes: number) => `${(bytes / (1 << 20)).toFixed(bytes < 100 << 20 ? 1 : 0)} MiB`;

export type Job = { label: string; done: number; total: number | null; rate: number | null };

/**
 * The one model download or import at a time (the shell allows one), with its progress.
 * `after` runs when it ends, whether it succeeded or not; the result says which.
 */
export function useModelJob(onError: (e: AppError) => void, after: () => void) {
  const [job, setJob] = useState<Job | null>(null);

  const onProgress = (label: string) =>
    channel<ModelJobEvent>((ev) => {
      if (ev.kind === "download") setJob({ label, done: ev.downloaded, total: ev.total, rate: ev.bytes_per_s });
      else setJob({ label, done: ev.done, total: ev.total, rate: null });
    });

  const run = async (label: string, f: () => Promise<unknown>): Promise<boolean> => {
    setJob({ label, done: 0, total: null, rate: null });
    try {
      await f();
      return true;
    } catch (e) {
      onError(toError(e));
      return false;
    } finally {
      setJob(null);
      after();
    }
  };

  return {
    job,
    download: (model: string) => run(model, () => call("download_model", { name: model, onProgress: onProgress(model) })),
    importModel: (path: string, name: string | null, quantize: boolean) =>
      run(path, () => call("import_model", { path, name, quantize, onProgress: onProgress(path) })),
  };
}

/** The running job's progress bar, with Cancel. */
export function JobProgress({ job }: { job: Job }) {
  const t = useT();
  return (
    <div class="panel job" data-testid="model-job">
      <strong>{job.label}</strong>
      <progress max={job.total ?? undefined} value={job.total ? job.done : undefined} />
      <span>
        {mib(job.done)}
        {job.total ? ` / ${mib(job.total)}` : ""}
        {job.rate ? ` · ${mib(job.rate)}/s` : ""}
      </span>
      <button type="button" onClick={() => call("cancel_model_job").catch(() => {})}>
        {t("models.cancel")}
      </button>
    </div>
  );
}
