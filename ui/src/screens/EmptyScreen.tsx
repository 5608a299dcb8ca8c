import type { Screen } from "../App";
import { useT } from "../i18n";

/** The screen for a navigation target that has no content yet: says what will be there. */
export function EmptyScreen({ screen }: { screen: Screen }) {
  const t = useT();
  return (
    <section class="screen" data-testid={`screen-${screen}`}>
      <h2>{t(`${screen}.title`)}</h2>
      <p class="empty">{t(`${screen}.empty`)}</p>
    </section>
  );
}
