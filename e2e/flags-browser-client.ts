import { OpenFeature, type EvaluationContext } from "@openfeature/web-sdk";
import { OFREPWebProvider } from "@openfeature/ofrep-web-provider";

// Bundled for the browser by e2e/flags-browser.spec.ts (esbuild, one IIFE): reads a flag the way
// an application's front end would, through the OpenFeature web SDK and its OFREP provider.
// Each call is a fresh evaluation: a domain of its own, so nothing cached by an earlier one.

let calls = 0;

async function readFlag(options: {
  baseUrl: string;
  sdkKey: string;
  flagKey: string;
  context: EvaluationContext;
}): Promise<{ value: boolean; reason?: string; errorCode?: string }> {
  const domain = `read-${++calls}`;
  const provider = new OFREPWebProvider({
    baseUrl: options.baseUrl,
    headers: [["Authorization", `Bearer ${options.sdkKey}`]],
    cacheMode: "disabled",
    changeDetection: "none",
    disableVisibilityRefresh: true,
  });
  try {
    await OpenFeature.setProviderAndWait(domain, provider, options.context);
  } catch {
    // the service cannot be reached: the client answers with the application's default
  }
  const details = OpenFeature.getClient(domain).getBooleanDetails(options.flagKey, false);
  return { value: details.value, reason: details.reason, errorCode: details.errorCode };
}

(window as unknown as { readFlag: typeof readFlag }).readFlag = readFlag;
