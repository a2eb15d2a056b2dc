#!/bin/sh
# `prisma generate` insists on locating a schema-engine binary (and downloading one) although the
# TypeScript client needs none. Point it at a stub that always fails: generation never calls it.
set -e
stub="$(mktemp -d)/schema-engine-stub"
printf '#!/bin/sh\nexit 1\n' > "$stub"
chmod +x "$stub"
PRISMA_SCHEMA_ENGINE_BINARY="$stub" PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 node node_modules/prisma/build/index.js generate "$@"
rm -f "$stub"
