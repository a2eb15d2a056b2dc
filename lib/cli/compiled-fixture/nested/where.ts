import { fileURLToPath } from "node:url";

export function where(): { dirname: string; fromUrl: string; filename: string } {
  return {
    dirname: import.meta.dirname,
    fromUrl: fileURLToPath(new URL(".", import.meta.url)),
    filename: import.meta.filename,
  };
}
