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
import { Welcome } from "./screens/Welcome";
import { AboutDialog } from "./components/AboutDialog";
import { StatusLine } from "./StatusLine";

export const SCREENS = ["check", "practice", "review", "models"] as const;
export type Screen = (typeof SCREENS)[number];

export function App() {
  const [lang, setLang] = useState<Lang>("en");
  const [screen, setScreen] = useState<Screen>("check");
  const [summary, setSummary] = useState<InventorySummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // The welcome screen shows while no model is installed, until the user gets one or moves
  // on; "pending" until the model list has answered, so no screen flashes first.
  const [firstRun, setFirstRun] = useState<"pending" | "welcome" | "done">("pending");
  const [os, setOs] = useState("linux");
  const [aboutOpen, setAboutOpen] = useState(false);
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);

  const report = (e: unknown) => setError(e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } });

  const refreshDevices = () => {
    setSummary(null);
    call("device_summary").then(setSummary, report);
  };

  useEffect(() => {
    call("get_settings").then((s) => setLang(s.language), report);
    refreshDevices();
    call("about").then((a) => setOs(a.os), report);
    call("models_overview").then(
      (m) => setFirstRun(m.installed.length === 0 ? "welcome" : "done"),
      (e) => {
        setFirstRun("done");
        report(e);
      },
    );
  }, []);

  const goTo = (next: Screen) => {
    setFirstRun((f) => (f === "welcome" ? "done" : f));
    setScreen(next);
  };

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
      <div class="shell" data-first-run={firstRun}>
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
                class={s === screen && firstRun === "done" ? "active" : ""}
                aria-current={s === screen && firstRun === "done" ? "page" : undefined}
                onClick={() => goTo(s)}
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
          <button type="button" class="link about-button" data-testid="about-button" onClick={() => setAboutOpen(true)}>
            {t("about.button")}
          </button>
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
          {firstRun === "pending" ? null : firstRun === "welcome" ? (
            <Welcome os={os} onDone={() => goTo("check")} onError={setError} />
          ) : screen === "check" ? (
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
        {aboutOpen && <AboutDialog onClose={() => setAboutOpen(false)} onError={setError} />}
      </div>
    </LangContext.Provider>
  );
}
