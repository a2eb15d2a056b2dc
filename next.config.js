/** @type {import('next').NextConfig} */

// Sign-in through single sign-on posts a form that redirects to the identity provider, which
// the browser checks against form-action: allow the configured providers' origins there.
function identityProviderOrigins() {
  const origins = [];
  if (process.env.AUTH_OIDC_ISSUER) {
    try {
      origins.push(new URL(process.env.AUTH_OIDC_ISSUER).origin);
    } catch {
      // an invalid issuer is reported by lib/auth-env.ts at sign-in
    }
  }
  if (process.env.AUTH_GITHUB_ID) origins.push("https://github.com");
  return origins.join(" ");
}

function securityHeaders() {
  const dev = process.env.NODE_ENV !== "production";
  const csp = [
    "default-src 'self'",
    // Next inlines its bootstrap scripts; eval only for the dev server's fast refresh
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    `form-action 'self' ${identityProviderOrigins()}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}

const nextConfig = {
  poweredByHeader: false,
  // PGlite ships a wasm file and pg-boss / pg load optional modules at run time: keep them as
  // plain Node dependencies instead of bundling them.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg",
    "pg-boss",
    "@prisma/adapter-pg",
  ],
  // the embedded database lives in .data/: never watch or trace it
  outputFileTracingExcludes: { "*": [".data/**"] },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

export default nextConfig;
