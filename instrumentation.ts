// Runs once when a server starts; the checks and the deploy worker need Node.js, so they live
// in their own modules.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await import("./lib/startup-checks");
  const { startWorkers } = await import("./lib/jobs/start");
  await startWorkers();
}
