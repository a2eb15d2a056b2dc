import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

// The embedded database: PostgreSQL 18 compiled to WebAssembly (PGlite), persisted in a data
// directory and served on 127.0.0.1 over the PostgreSQL wire protocol, so the app and every
// tool use the same driver and SQL as with a PostgreSQL server. Exactly one process may own a
// data directory; a pid file says which, and others are refused with a message saying so.

export class EmbeddedInUseError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function claim(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, "owner.pid");
  const existing = Number(fs.readFileSync(pidFile, { encoding: "utf8", flag: "a+" }).trim());
  if (existing && existing !== process.pid && pidAlive(existing)) {
    throw new EmbeddedInUseError(
      `the embedded database in ${dataDir} is in use by process ${existing} (a running Greenlight?). ` +
        "Stop it first, or set DATABASE_URL to use a PostgreSQL server.",
    );
  }
  fs.writeFileSync(pidFile, String(process.pid));
  return () => fs.rmSync(pidFile, { force: true });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Opens the embedded database and serves it on 127.0.0.1. `dataDir` undefined keeps it in
 * memory (tests). Use it through one connection at a time (a pool of max 1).
 */
export async function startEmbedded(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedDatabase> {
  const release = options.dataDir ? claim(options.dataDir) : () => {};
  try {
    const db = await PGlite.create(options.dataDir ? path.join(options.dataDir, "pglite") : undefined);
    const port = options.port ?? (await freePort());
    // PGlite runs one query at a time and interleaves the messages of concurrent connections,
    // so clients must use ONE connection at a time (pool max 1). The server still accepts a
    // few sockets: it forgets a closed one only on a later tick, and a client reconnecting
    // right after closing must not be refused.
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 4 });
    await server.start();
    let stopped = false;
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
