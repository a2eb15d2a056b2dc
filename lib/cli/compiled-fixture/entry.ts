import { where } from "./nested/where";

// run by compiled.test.ts through lib/cli/compiled.mjs: prints what a compiled entry sees
const own: string = import.meta.dirname;
console.log(JSON.stringify({ entry: own, nested: where(), argv: process.argv.slice(2), pid: process.pid }));
if (process.argv.includes("--fail")) process.exitCode = 3;
