import { EnvError, parseEnv } from "./env";
import { installPeerAddress } from "./peer-address";

// `npm start` checks everything before it starts Next; this catches a server started some
// other way (e.g. `next start` in a container) without what sign-in needs, which would
// otherwise fail only at the first sign-in: the secret that signs sessions, and the public
// address every sign-in URL is built from.

function refuse(message: string): never {
  console.error(`greenlight: ${message}`);
  process.exit(1);
}

try {
  parseEnv();
} catch (e) {
  if (e instanceof EnvError) refuse(e.message);
  throw e;
}
if (process.env.NODE_ENV === "production") {
  if (!process.env.AUTH_SECRET)
    refuse("AUTH_SECRET is not set: it signs session cookies (try: openssl rand -base64 32)");
  if (!process.env.GREENLIGHT_URL)
    refuse(
      "GREENLIGHT_URL is not set: the address people use to reach Greenlight, e.g. https://greenlight.example.com (sign-in callbacks are built from it)",
    );
}

// before the first request: the client's address is read from what this stamps
installPeerAddress();

export {};
