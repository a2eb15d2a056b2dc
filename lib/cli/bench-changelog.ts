// npm run bench:changelog — how long a release page's changelog takes to parse and render, for
// each changelog built to be slow (components/release/changelog-adversarial.ts), all of the
// largest size a release may store. Rendering uses React's production build, as the server
// does (the development build spends more on per-element debugging than on the changelog).
// Prints, per input, the least and the median of RUNS runs: a busy machine only ever adds
// time, so the least is the code's own cost. `--json` prints the numbers for
// components/release/changelog-bench.test.ts, which holds each to the bound.

// (assigned through Object.assign: the type marks NODE_ENV read-only)
Object.assign(process.env, { NODE_ENV: "production" });

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BOUND_MS = 250;

interface Timing {
  input: string;
  bytes: number;
  blocks: number;
  parseMs: { least: number; median: number };
  renderMs: { least: number; median: number };
}

function timed(run: () => unknown): { least: number; median: number } {
  run(); // warm-up: compiling the code is not what is measured
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { least: times[0]!, median: times[Math.floor(times.length / 2)]! };
}

async function main() {
  // after NODE_ENV is set, so that React loads its production build
  const { createElement } = await import("react");
  const { renderToStaticMarkup } = await import("react-dom/server");
  const { Changelog } = await import("../../components/release/changelog");
  const { ADVERSARIAL_CHANGELOGS } = await import("../../components/release/changelog-adversarial");
  const { parseChangelog } = await import("../../components/release/changelog-blocks");

  const timings: Timing[] = Object.entries(ADVERSARIAL_CHANGELOGS).map(([input, markdown]) => ({
    input,
    bytes: new TextEncoder().encode(markdown).length,
    blocks: parseChangelog(markdown).length,
    parseMs: timed(() => parseChangelog(markdown)),
    // parse and render together: what a page view costs
    renderMs: timed(() => renderToStaticMarkup(createElement(Changelog, { markdown }))),
  }));

  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(timings));
    return;
  }
  const ms = (n: number) => n.toFixed(1).padStart(7);
  console.log(`Changelog parse and render, least and median of ${RUNS} runs, bound ${BOUND_MS} ms\n`);
  console.log(`${"input".padEnd(34)} ${"bytes".padStart(6)} ${"blocks".padStart(6)}   parse (ms)      render (ms)`);
  for (const t of timings)
    console.log(
      `${t.input.padEnd(34)} ${String(t.bytes).padStart(6)} ${String(t.blocks).padStart(6)} ` +
        `${ms(t.parseMs.least)} ${ms(t.parseMs.median)}  ${ms(t.renderMs.least)} ${ms(t.renderMs.median)}`,
    );
  const worst = timings.reduce((a, b) => (b.renderMs.least > a.renderMs.least ? b : a));
  console.log(`\nslowest: ${worst.input}, ${worst.renderMs.least.toFixed(1)} ms (bound ${BOUND_MS} ms)`);
  if (worst.renderMs.least >= BOUND_MS) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
