import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Lang } from "../bindings";
import { en, ko, type MessageKey } from "./messages";

export type { MessageKey };

const tables: Record<Lang, Record<MessageKey, string>> = { en, ko };

/** Looks up a message and fills `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return tables[lang][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

export const LangContext = createContext<Lang>("en");

export function useT() {
  const lang = useContext(LangContext);
  return (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
}
