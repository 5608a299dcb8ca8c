// Typed calls into the Rust shell. Command names, arguments and results come from the
// generated bindings, so a renamed command or payload field is a type error here.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppError, CommandName, Commands } from "./bindings";
import { mockInvoke } from "./mock";

export type Args<K extends CommandName> = Commands[K]["args"];
export type Ret<K extends CommandName> = Commands[K]["ret"];

/** An error from the shell, carrying its typed code and parameters. */
export class IpcError extends Error {
  constructor(readonly error: AppError) {
    super(error.code);
    this.name = "IpcError";
  }
}

type Transport = (cmd: string, args: Record<string, unknown>) => Promise<unknown>;

function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

let transport: Transport = inTauri() ? (cmd, args) => invoke(cmd, args) : mockInvoke;

/** Replaces the transport (tests use this to script answers). */
export function setTransport(t: Transport): void {
  transport = t;
}

export function toAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string") {
    return e as AppError;
  }
  // Not one of ours (e.g. Tauri refusing a command the capability does not grant).
  return { code: "internal", params: { detail: String(e) } };
}

export async function call<K extends CommandName>(
  cmd: K,
  ...args: Args<K> extends Record<string, never> ? [] : [Args<K>]
): Promise<Ret<K>> {
  try {
    return (await transport(cmd, (args[0] ?? {}) as Record<string, unknown>)) as Ret<K>;
  } catch (e) {
    throw new IpcError(toAppError(e));
  }
}

/**
 * A channel for streamed events. Inside the app it is Tauri's Channel; in the browser mock
 * and in unit tests it is a plain object whose `onmessage` the mock calls.
 */
export function channel<T>(onmessage: (message: T) => void): Channel<T> {
  if (inTauri()) {
    const ch = new Channel<T>();
    ch.onmessage = onmessage;
    return ch;
  }
  return { onmessage } as unknown as Channel<T>;
}
