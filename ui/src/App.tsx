import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import type { AppError, InventorySummary, Lang } from "./bindings";
import { errorMessage } from "./i18n/errors";
import { LangContext, translate, type MessageKey } from "./i18n";
import { call, IpcError } from "./ipc";
import { Check } from "./screens/Check";
import { Models } from "./screens/Models";
import { Practice } from "./screens/Practice";
import { Review } from "./screens/Review";
import { EmptyScreen } from "./screens/EmptyScreen";
import { StatusLine } from "./StatusLine";

export const SCREENS = ["check", "practice", "review", "models"] as const;
export type Screen = (typeof SCREENS)[number];

export function App() {
  const [lang, setLang] = useState<Lang>("en");
  const [screen, setScreen] = useState<Screen>("check");
  const [summary, setSummary] = useState<InventorySummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);

  const report = (e: unknown) => setError(e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } });

  const refreshDevices = () => {
    setSummary(null);
    call("device_summary").then(setSummary, report);
  };

  useEffect(() => {
    call("get_settings").then((s) => setLang(s.language), report);
    refreshDevices();
  }, []);

  // Layout effect: the page's language changes in the same frame as its text (screen
  // readers pick the voice from it), not a frame later.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const changeLang = (next: Lang) => {
    setLang(next);
    call("set_language", { language: next }).catch(report);
  };

  return (
    <LangContext.Provider value={lang}>
      <div class="shell">
        <header class="topbar">
          <div class="brand">
            <span class="logo" aria-hidden="true" />
            <div>
              <h1>{t("app.title")}</h1>
              <p class="tagline">{t("app.tagline")}</p>
            </div>
          </div>
          <nav aria-label="main">
            {SCREENS.map((s) => (
              <button
                key={s}
                type="button"
                data-testid={`nav-${s}`}
                class={s === screen ? "active" : ""}
                aria-current={s === screen ? "page" : undefined}
                onClick={() => setScreen(s)}
              >
                {t(`nav.${s}`)}
              </button>
            ))}
          </nav>
          <label class="lang">
            <span>{t("lang.label")}</span>
            <select
              data-testid="lang-select"
              value={lang}
              onChange={(e) => changeLang((e.target as HTMLSelectElement).value as Lang)}
            >
              <option value="en">English</option>
              <option value="ko">한국어</option>
            </select>
          </label>
        </header>
        {error && (
          <div class="error" role="alert" data-testid="error-banner" data-code={error.code}>
            <strong>{t("error.title")}</strong> {errorMessage(error, lang)}
            <button type="button" onClick={() => setError(null)} aria-label="dismiss">
              ×
            </button>
          </div>
        )}
        <main>
          {screen === "check" ? (
            <Check onError={setError} />
          ) : screen === "practice" ? (
            <Practice onError={setError} />
          ) : screen === "review" ? (
            <Review onError={setError} />
          ) : screen === "models" ? (
            <Models onError={setError} />
          ) : (
            <EmptyScreen screen={screen} />
          )}
        </main>
        <StatusLine summary={summary} onRefresh={refreshDevices} />
      </div>
    </LangContext.Provider>
  );
}
