/** @type {import('next').NextConfig} */
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
};

export default nextConfig;
