import "server-only";
import { useState } from "react";

// run by compiled.test.ts with --next-server: lib/data's `import "server-only"` must load in a
// process without the react-server condition, and packages must resolve as Next needs them
// (React's react-server build has no hooks)
console.log(JSON.stringify({ serverOnly: "loaded", useState: typeof useState, argv: process.argv.slice(2) }));
