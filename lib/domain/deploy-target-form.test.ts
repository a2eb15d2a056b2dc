import { describe, expect, it } from "vitest";
import { EMPTY_TARGET_FORM, formToTarget, targetSummary, targetToForm } from "./deploy-target-form";

describe("the deploy target form's fields", () => {
  it("turns lines into arguments and pairs, leaving empty optional settings out", () => {
    expect(
      formToTarget({
        ...EMPTY_TARGET_FORM,
        provider: "command",
        command: " ./deploy.sh ",
        args: "--region\n\n eu-west-1 \n",
        env: "REGION=eu-west-1\nEMPTY=\nURL=https://x.example/?a=b",
        versionEnabled: true,
        versionArgs: "--version",
        secretEnvVar: " ",
        timeoutSeconds: "900",
      }),
    ).toEqual({
      ok: true,
      target: {
        provider: "command",
        config: {
          command: "./deploy.sh",
          args: ["--region", "eu-west-1"],
          env: { REGION: "eu-west-1", EMPTY: "", URL: "https://x.example/?a=b" },
          version: { args: ["--version"] },
        },
        secretEnvVar: null,
        timeoutSeconds: 900,
      },
    });
  });

  it("says which line is not a pair, under the field it belongs to", () => {
    expect(
      formToTarget({
        ...EMPTY_TARGET_FORM,
        provider: "webhook",
        url: "https://h.example",
        headers: "X-A: 1\nnope\nX-A: 2",
      }),
    ).toEqual({
      ok: false,
      fieldErrors: { "config.headers": ["Line 2: write Header-Name: value", "Line 3: X-A is already set above"] },
    });
    expect(formToTarget({ ...EMPTY_TARGET_FORM, provider: "github_actions", inputs: "=x" })).toMatchObject({
      ok: false,
      fieldErrors: { "config.inputs": ["Line 1: write name=value"] },
    });
  });

  it("leaves numbers it cannot read for the provider to refuse", () => {
    const shaped = formToTarget({
      ...EMPTY_TARGET_FORM,
      provider: "github_actions",
      pollSeconds: "soon",
      timeoutSeconds: "1.5",
    });
    expect(shaped).toMatchObject({ ok: true, target: { config: { pollSeconds: "soon" }, timeoutSeconds: "1.5" } });
  });

  it("shows a stored target as the form's text and back", () => {
    const stored = {
      provider: "github_actions" as const,
      config: {
        owner: "acme",
        repo: "shop",
        workflow: "deploy.yml",
        ref: "main",
        inputs: { region: "eu" },
        pollSeconds: 10,
      },
      secretEnvVar: "ACME_TOKEN",
      timeoutSeconds: 1800,
    };
    const form = targetToForm(stored);
    expect(form).toMatchObject({ owner: "acme", inputs: "region=eu", pollSeconds: "10", timeoutSeconds: "1800" });
    expect(formToTarget(form)).toEqual({ ok: true, target: stored });
    expect(targetSummary("github_actions", stored.config)).toEqual([
      "Dispatches deploy.yml in acme/shop on main",
      "inputs region",
    ]);
  });
});
