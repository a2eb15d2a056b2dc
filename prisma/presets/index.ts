import { monepiceriz } from "./000-monepiceriz";
import { ledgerline } from "./001-ledgerline";
import { amarise } from "./002-amarise";
import { microbima } from "./003-microbima";
import { studysphere } from "./004-studysphere";
import { demo } from "./demo";
import type { Preset } from "./types";

// Every preset `npm run db:seed -- --preset <name>` can load, by name.

export const presets: Record<string, Preset> = Object.fromEntries(
  [monepiceriz, ledgerline, amarise, microbima, studysphere, demo].map((p) => [p.name, p]),
);

export const presetNames: string[] = Object.keys(presets);

export const DEFAULT_PRESET = "demo";

export type { Preset } from "./types";
