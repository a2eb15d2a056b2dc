import "server-only";
import { z } from "zod";
import { FLAG_KEY_PATTERN } from "@/lib/domain/flag-evaluation";
import { Prisma } from "@/lib/generated/prisma/client";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { ValidationError } from "../errors";
import { defineOperation } from "../operation";

// A new feature flag, off in every environment: creating a flag never changes what any
// application gets (an unknown flag and an off flag both fall back to the application's default).
// Guarded by the global flag.manage: a flag is one key across all environments.

export const FLAG_KEY_MESSAGE =
  "Start with a lowercase letter, then 1 to 63 letters, digits, “_”, “.” or “-” (e.g. checkoutV2)";
export const FLAG_EXISTS_MESSAGE = "A flag with this key exists (archived flags keep their key)";
export const DEFAULT_CATEGORY = "general";

// a form sends "" for a field left empty: that is "not given"
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

export const flagCreateInput = z.object({
  key: z
    .string("Enter a key")
    .trim()
    .min(1, "Enter a key")
    .regex(FLAG_KEY_PATTERN, FLAG_KEY_MESSAGE)
    // /flags/new is the form: a flag called "new" would have no page
    .refine((key) => key !== "new", "“new” is reserved: choose another key"),
  name: z.preprocess(blank, z.string().trim().max(100, "Use at most 100 characters").optional()),
  description: z.preprocess(blank, z.string().trim().max(500, "Use at most 500 characters").optional()),
  category: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, "Use a lowercase word: letters, digits and “-”, at most 40 (e.g. commerce)")
      .optional(),
  ),
  owner: z.preprocess(blank, z.string().trim().max(100, "Use at most 100 characters").optional()),
});

/** "checkoutV2" → "Checkout v2", "new-search.ranking" → "New search ranking": a name when none is given. */
export function nameFromKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const sentence = words.join(" ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

export interface CreatedFlag {
  key: string;
  name: string;
  description: string | null;
  category: string;
  owner: string | null;
  /** how many environments it was created (off) in */
  environments: number;
}

const exists = () => new ValidationError("Some fields need attention", { key: [FLAG_EXISTS_MESSAGE] });

export const createFlag = defineOperation({
  name: "flag.create",
  permission: "flag.manage",
  scope: "global",
  input: flagCreateInput,
  run: ({ actor, input, ctx }): Promise<CreatedFlag> =>
    transaction(ctx, async (tx) => {
      const fields = {
        key: input.key,
        name: input.name ?? nameFromKey(input.key),
        description: input.description ?? null,
        category: input.category ?? DEFAULT_CATEGORY,
        owner: input.owner ?? null,
      };
      if (await tx.featureFlag.findUnique({ where: { key: fields.key }, select: { id: true } })) throw exists();
      let flagId: string;
      try {
        flagId = (await tx.featureFlag.create({ data: fields, select: { id: true } })).id;
      } catch (e) {
        // created by someone else since the check above
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw exists();
        throw e;
      }
      // off everywhere, explicitly: one row per environment, in one statement
      const environments = await tx.$executeRaw`
        insert into "FlagState" (id, "flagId", "environmentId", enabled, "rolloutPercent", rules, "updatedById", "updatedAt")
        select gen_random_uuid(), ${flagId}::uuid, e.id, false, null, '[]'::jsonb, ${actor.kind === "user" ? actor.id : null}::uuid, now()
        from "Environment" e`;
      await audit(tx, actor, {
        action: "flag.create",
        entityType: "FeatureFlag",
        entityId: fields.key,
        after: fields,
      });
      return { ...fields, environments };
    }),
});
