import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

// A reporter for CI: after the list reporter's long account (screenshots, traces, call logs),
// one short block per failed journey, in the order they failed, so that the end of the log,
// which is often all that is kept, says which journey failed first and why. A journey that
// fails after another one usually fails because of it.

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const MAX_LINES = 8;

export default class FailureSummary implements Reporter {
  private failures: { title: string; lines: string[] }[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === "passed" || result.status === "skipped") return;
    const error = result.errors[0];
    const message = (error?.message ?? error?.value ?? result.status).replace(ANSI, "");
    const where = error?.location
      ? `${error.location.file.replace(/^.*[\\/]e2e[\\/]/, "e2e/")}:${error.location.line}`
      : "";
    this.failures.push({
      title: `${test.titlePath().filter(Boolean).join(" › ")}${where ? ` (${where})` : ""}`,
      lines: message
        .split("\n")
        .map((l) => l.trimEnd())
        .filter((l) => l.trim() !== "")
        .slice(0, MAX_LINES),
    });
  }

  onEnd(result: FullResult): void {
    if (this.failures.length === 0) return;
    const out = [`\nFailed journeys, in the order they failed (run ${result.status}):`];
    this.failures.forEach((f, i) => {
      out.push(`${i + 1}. ${f.title}`, ...f.lines.map((l) => `     ${l}`));
    });
    process.stdout.write(`${out.join("\n")}\n`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
