import { describe, expect, it } from "vitest";
import { escapeHtml, messageIdFor, renderEmail } from "./email";
import { absoluteLink } from "./message";
import { slackEscape, slackPayload, standardPayload } from "./webhook";

// The pure parts of sending: escaping for HTML and for Slack, links, ids, payload shapes.

const message = {
  eventId: "0192b7f0-0000-7000-8000-000000000001",
  kind: "deployment.failed" as const,
  title: `<script>alert("x")</script> & 'co'`,
  body: "line one\nline <two>",
  link: "https://greenlight.example.com/releases/1",
  createdAt: new Date("2026-12-01T10:00:00Z"),
  environment: { key: "production", name: "Production" },
  data: { version: "2.3.0" },
};

describe("escaping", () => {
  it("HTML: every character that could open markup or an attribute", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("Slack: &, < and > only, & first", () => {
    expect(slackEscape("<!here> & <https://evil|click>")).toBe("&lt;!here&gt; &amp; &lt;https://evil|click&gt;");
    expect(slackEscape("&amp;")).toBe("&amp;amp;");
  });
});

describe("messages", () => {
  it("an email: subject on one line, hostile text escaped in HTML, the link in both parts", () => {
    const email = renderEmail({ ...message, title: "a\r\nBcc: victim@example.com" });
    expect(email.subject).toBe("a Bcc: victim@example.com");
    const html = renderEmail(message).html;
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;");
    expect(html).toContain("line one<br>line &lt;two&gt;");
    expect(html).toContain('href="https://greenlight.example.com/releases/1"');
    expect(renderEmail(message).text).toContain("https://greenlight.example.com/releases/1");
  });

  it("links stay on Greenlight's own host whatever the stored path", () => {
    const base = new URL("https://greenlight.example.com");
    expect(absoluteLink(base, "/releases/1?tab=log")).toBe("https://greenlight.example.com/releases/1?tab=log");
    expect(absoluteLink(base, "//evil.example/x")).toBe("https://greenlight.example.com/");
    expect(absoluteLink(base, "https://evil.example/x")).toBe("https://greenlight.example.com/");
    expect(absoluteLink(base, "/\\evil.example")).toBe("https://greenlight.example.com/");
  });

  it("a Message-ID from the delivery id and the host", () => {
    expect(messageIdFor("abc-123", "greenlight.example.com")).toBe("<abc-123@greenlight.example.com>");
  });

  it("Slack's payload: text, a section and a link button; the standard event: type, timestamp, data", () => {
    const slack = slackPayload(message);
    expect(slack.text).not.toMatch(/[<>]/);
    expect(slack.blocks[1]).toMatchObject({
      type: "actions",
      elements: [{ type: "button", url: "https://greenlight.example.com/releases/1" }],
    });
    const event = standardPayload(message, new Date("2026-12-01T10:00:05Z"));
    expect(event).toMatchObject({
      type: "deployment.failed",
      timestamp: "2026-12-01T10:00:05.000Z",
      data: { eventId: message.eventId, url: message.link, version: "2.3.0", environment: { key: "production" } },
    });
  });
});
