import http from "node:http";
import https from "node:https";
import { PEER_HEADER } from "./client-ip";

// Next.js hands pages, actions and route handlers the request's headers but not its socket, and
// fills X-Forwarded-For from the socket only when a request brings none: a client that sends
// its own would be taken at its word. So every HTTP server of this process writes the socket's
// address into PEER_HEADER before any listener sees the request, replacing whatever a client
// sent under that name. lib/client-ip.ts decides from it whether forwarding headers count.
// Installed once, from lib/startup-checks.ts (instrumentation), before the first request.

const INSTALLED = Symbol.for("greenlight.peer-address");

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

function stamp(server: typeof http.Server.prototype): void {
  const marked = server as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  const emit = Reflect.get(server, "emit") as Emit;
  Reflect.set(server, "emit", function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request" || event === "checkContinue" || event === "checkExpectation") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return emit.call(this, event, ...args);
  });
  marked[INSTALLED] = true;
}

export function installPeerAddress(): void {
  stamp(http.Server.prototype);
  stamp(https.Server.prototype);
}
