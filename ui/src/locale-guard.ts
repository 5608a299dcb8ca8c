// Must be imported first. Under a "C"/"POSIX" locale WebKit reports navigator.language as
// "C", which Intl rejects; libraries that format numbers at load time (uPlot) would throw
// and leave a blank window. Fall back to a valid tag for this process.
function validTag(tag: string | undefined): boolean {
  if (!tag) return false;
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

if (typeof navigator !== "undefined" && !validTag(navigator.language)) {
  Object.defineProperty(navigator, "language", { get: () => "en-US", configurable: true });
  Object.defineProperty(navigator, "languages", { get: () => ["en-US"], configurable: true });
}

export {};
