import { z } from "zod";
import { ValidationError } from "./errors";

// Input pieces every operation shares, and the one way a zod failure becomes a 422.

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function parseInput<I>(schema: z.ZodType<I>, raw: unknown): I {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError("Some fields need attention", fieldErrors(parsed.error));
  return parsed.data;
}

/** An environment's key as it arrives in URLs and forms. */
export const environmentKey = z.string().trim().min(1, "Choose an environment").max(100);

/** No input at all (list reads). */
export const noInput = z.object({}).strict();
