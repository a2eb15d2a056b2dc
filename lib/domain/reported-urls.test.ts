import { describe, expect, it } from "vitest";
import { parseUrlLine, reportedUrl } from "./reported-urls";

describe("URLs a deploy target reports", () => {
  it("takes absolute http(s) URLs only, without credentials", () => {
    expect(reportedUrl("http://127.0.0.1:20001/")).toBe("http://127.0.0.1:20001/");
    expect(reportedUrl(" https://green.shop.example/app ")).toBe("https://green.shop.example/app");
    for (const bad of [
      "javascript:alert(1)",
      "ftp://host/",
      "/healthz",
      "https://user:pw@host/",
      "https://host/a b",
      "",
      42,
      null,
      `https://host/${"x".repeat(2000)}`,
    ])
      expect(reportedUrl(bad)).toBeNull();
  });

  it("reads the command provider's stdout lines, and ignores every other line", () => {
    expect(parseUrlLine("greenlight: url=http://127.0.0.1:20001/")).toEqual({
      key: "url",
      url: "http://127.0.0.1:20001/",
    });
    expect(parseUrlLine("greenlight: preview-url=http://127.0.0.1:41234/")).toEqual({
      key: "previewUrl",
      url: "http://127.0.0.1:41234/",
    });
    expect(parseUrlLine("greenlight: url=file:///etc/passwd")).toEqual({
      invalid: 'url: "file:///etc/passwd" is not an http(s) URL',
    });
    for (const other of [
      "deploying 1.2.0",
      " greenlight: url=http://x/",
      "greenlight: urls=http://x/",
      "GREENLIGHT: url=http://x/",
    ])
      expect(parseUrlLine(other)).toBeNull();
  });
});
