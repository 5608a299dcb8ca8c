import { useEffect, useRef, useState } from "preact/hooks";
import type { AppError, CameraChoices, CameraReport, PreviewInfo } from "../bindings";
import { CheckList } from "../components/CheckList";
import { useT } from "../i18n";
import { call, IpcError } from "../ipc";

const toError = (e: unknown): AppError =>
  e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } };

/** Where the shell serves the newest preview frame (custom protocol; Windows maps it to http). */
export function previewUrl(n: number): string {
  const windows = typeof navigator !== "undefined" && /Windows/.test(navigator.userAgent);
  return `${windows ? "http://preview.localhost" : "preview://localhost"}/frame.jpg?n=${n}`;
}

/** About 15 preview frames a second, one request in flight at a time. */
const FRAME_MS = 66;

export function worstStatus(report: CameraReport): CameraReport["checks"][number]["status"] {
  const order = ["pass", "skipped", "warn", "fail"] as const;
  return report.checks.reduce<(typeof order)[number]>(
    (w, c) => (order.indexOf(c.status) > order.indexOf(w) ? c.status : w),
    "pass",
  );
}

/** The camera half of the Check screen: picker, live preview, the measured check. */
export function CameraCheck({ onError }: { onError: (e: AppError) => void }) {
  const t = useT();
  const [choices, setChoices] = useState<CameraChoices | null>(null);
  const [camera, setCamera] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewInfo | null>(null);
  const [frame, setFrame] = useState(0);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<CameraReport | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const cameraRef = useRef(camera);
  cameraRef.current = camera;

  const startPreview = (id: string | null) => {
    if (id === null) return;
    call("start_camera_preview", { camera: id }).then(setPreview, (e) => {
      setPreview(null);
      onError(toError(e));
    });
  };

  useEffect(() => {
    let alive = true;
    call("camera_choices").then((c) => {
      if (!alive) return;
      setChoices(c);
      setCamera(c.selected);
      startPreview(c.selected);
    }, (e) => onError(toError(e)));
    // The preview runs only while it can be seen.
    const onVisibility = () => {
      if (document.hidden) {
        call("stop_camera_preview").catch(() => {});
        setPreview(null);
      } else if (alive) startPreview(cameraRef.current);
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      alive = false;
      window.clearTimeout(timer.current);
      document.removeEventListener("visibilitychange", onVisibility);
      call("stop_camera_preview").catch(() => {});
    };
  }, []);

  // Ask for the next frame once the current one has loaded (or failed).
  const next = () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setFrame((n) => n + 1), FRAME_MS);
  };

  const choose = (id: string) => {
    setCamera(id);
    setReport(null);
    startPreview(id);
  };

  const run = async () => {
    setRunning(true);
    setReport(null);
    try {
      setReport(await call("run_camera_check", { camera }));
    } catch (e) {
      onError(toError(e));
    } finally {
      setRunning(false);
    }
  };

  const none = choices !== null && choices.cameras.length === 0;
  return (
    <section class="panel" data-testid="camera-check">
      <h3>{t("check.camera.title")}</h3>
      <div class="pickers one">
        <label>
          <span>{t("check.camera.device")}</span>
          <select
            data-testid="camera-select"
            value={camera ?? ""}
            disabled={running || none}
            onChange={(e) => choose((e.target as HTMLSelectElement).value)}
          >
            {choices?.cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="preview" data-testid="camera-preview-box">
        {preview ? (
          <img
            data-testid="camera-preview"
            data-frame={frame}
            src={previewUrl(frame)}
            alt={preview.name}
            onLoad={next}
            onError={next}
          />
        ) : (
          <p class="empty">{none ? t("check.camera.none") : t("check.camera.noPreview")}</p>
        )}
      </div>
      <div class="actions">
        <button type="button" class="primary" data-testid="run-camera-check" disabled={running} onClick={run}>
          {running ? t("check.camera.running") : t("check.camera.run")}
        </button>
      </div>
      {report && (
        <>
          <p class={`overall ${worstStatus(report)}`} data-testid="camera-overall" data-status={worstStatus(report)}>
            {t(`check.overall.${worstStatus(report)}`)}
          </p>
          <CheckList checks={report.checks} testid="camera-results" />
        </>
      )}
    </section>
  );
}
