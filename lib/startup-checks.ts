// `npm start` checks everything before it starts Next; this catches a server started some
// other way (e.g. `next start` in a container) without the secret that signs sessions, which
// would otherwise fail only at the first sign-in.
if (process.env.NODE_ENV === "production" && !process.env.AUTH_SECRET) {
  console.error("greenlight: AUTH_SECRET is not set: it signs session cookies (try: openssl rand -base64 32)");
  process.exit(1);
}

export {};
