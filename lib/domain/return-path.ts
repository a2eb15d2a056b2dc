/**
 * A return address after sign-in, kept on this site: only a local path ("/releases?page=2").
 * Anything else — another origin, a protocol-relative "//evil", a backslash trick — becomes "/".
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2048) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return "/";
  try {
    const url = new URL(value, "http://greenlight.invalid");
    if (url.origin !== "http://greenlight.invalid") return "/";
    if (url.pathname.startsWith("/sign-in")) return "/";
    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}
