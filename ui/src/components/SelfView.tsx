import { useEffect, useRef, useState } from "preact/hooks";
import type { AppError, PreviewInfo } from "../bindings";
import { useT } from "../i18n";
import { call, IpcError } from "../ipc";
import { previewUrl } from "../screens/CameraCheck";

/** About 15 preview frames a second, one request in flight at a time. */
const FRAME_MS = 66;

/**
 * The user's own picture while they answer, as in a video call. It runs the camera
 * preview; a take started while it shows records the same frames (the shell taps them).
 */
export function SelfView({ camera, onError }: { camera: string; onError: (e: AppError) => void }) {
  const t = useT();
  const [preview, setPreview] = useState<PreviewInfo | null>(null);
  const [frame, setFrame] = useState(0);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    let alive = true;
    call("start_camera_preview", { camera }).then(
      (p) => alive && setPreview(p),
      (e) => {
        setPreview(null);
        onError(e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } });
      },
    );
    return () => {
      alive = false;
      window.clearTimeout(timer.current);
      call("stop_camera_preview").catch(() => {});
    };
  }, [camera]);

  const next = () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setFrame((n) => n + 1), FRAME_MS);
  };

  return (
    <div class="self-view" data-testid="self-view">
      {preview ? (
        <img data-testid="self-view-frame" data-frame={frame} src={previewUrl(frame)} alt={t("practice.selfView")} onLoad={next} onError={next} />
      ) : (
        <p class="empty">{t("check.camera.noPreview")}</p>
      )}
    </div>
  );
}
