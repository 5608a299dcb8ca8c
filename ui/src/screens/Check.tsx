import type { AppError } from "../bindings";
import { useT } from "../i18n";
import { AudioCheck } from "./AudioCheck";
import { CameraCheck } from "./CameraCheck";

/** The green room: measure the mic, speakers and camera before a call. */
export function Check({ onError }: { onError: (e: AppError) => void }) {
  const t = useT();
  return (
    <section class="screen wide" data-testid="screen-check">
      <h2>{t("check.title")}</h2>
      <p class="lead">{t("check.lead")}</p>
      <div class="columns">
        <AudioCheck onError={onError} />
        <CameraCheck onError={onError} />
      </div>
    </section>
  );
}
