// Shared by the demo's processes (service.mjs, proxy.mjs): listen on the first free port of a
// list (0: any), report the port to the parent over IPC and print it, stop cleanly on SIGTERM.

/** The ports in DEMO_SERVICE_PORTS, or an exit with a sentence when it is not a list of ports. */
export function portsFromEnv(who) {
  const raw = process.env.DEMO_SERVICE_PORTS ?? process.env.DEMO_SERVICE_PORT ?? "";
  const ports = raw
    .split(",")
    .filter((p) => p.trim() !== "")
    .map(Number);
  if (ports.length === 0 || !ports.every((p) => Number.isInteger(p) && p >= 0 && p <= 65535)) {
    console.error(`${who}: DEMO_SERVICE_PORTS is not a list of ports: "${raw}"`);
    process.exit(1);
  }
  return ports;
}

/** Listens on the first of `ports` that is free; any other error, or none free, ends the process. */
export function listenOnFirstFree(server, ports, host, who, onListening) {
  const listen = (index) => {
    const port = ports[index];
    const onError = (e) => {
      if (e.code === "EADDRINUSE" && index + 1 < ports.length) {
        console.log(`${who}: port ${port} is taken, trying ${ports[index + 1] || "any free port"}`);
        listen(index + 1);
        return;
      }
      console.error(`${who}: ${e.message}`);
      process.exit(1);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      server.on("error", (e) => {
        console.error(`${who}: ${e.message}`);
        process.exit(1);
      });
      const { port: bound } = server.address();
      onListening(bound);
      if (process.connected) process.send({ port: bound }, () => process.connected && process.disconnect());
    });
  };
  listen(0);

  const shutdown = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  return shutdown;
}
