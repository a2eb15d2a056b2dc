// Runs once when a server starts; the checks need Node.js, so they live in their own module.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/startup-checks");
}
