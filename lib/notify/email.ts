import nodemailer from "nodemailer";
import { readSecret } from "../deploy/secret";
import type { NotificationMessage } from "./message";
import { oneLine, type SendOutcome } from "./outcome";

// Email over SMTP (nodemailer): the server from MailSettings, the password from the environment
// variable it names (never stored), TLS as `security` says. Each message has a plain-text and an
// HTML part; the HTML escapes everything that came from people (titles hold release names,
// reasons …). The Message-ID is derived from the delivery's id, so a resent attempt is
// recognisably the same message.

export type MailSecurity = "tls" | "starttls" | "none";

export interface MailServer {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  passwordEnvVar: string | null;
  fromAddress: string;
}

export interface Email {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A header's text on one line (a title must never start a header of its own). */
const headerText = (text: string) => oneLine(text, 200);

export function renderEmail(message: Pick<NotificationMessage, "title" | "body" | "link">): Email {
  const where = message.link;
  const text = `${message.body}\n\nOpen in Greenlight: ${where}\n\n— Greenlight. Choose what you receive under Notifications, Preferences.\n`;
  const paragraphs = message.body
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replaceAll("\n", "<br>")}</p>`)
    .join("");
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;line-height:1.5">` +
    `<h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(message.title)}</h1>${paragraphs}` +
    `<p style="margin:16px 0"><a href="${escapeHtml(where)}" style="color:#047857">Open in Greenlight</a></p>` +
    `<p style="color:#64748b;font-size:12px">Choose what you receive under Notifications, Preferences.</p>` +
    `</body></html>`;
  return { subject: headerText(message.title), text, html };
}

/** `<delivery-id@host>`, the host being Greenlight's own public host. */
export function messageIdFor(deliveryId: string, publicHost: string): string {
  return `<${deliveryId}@${publicHost.replace(/[^A-Za-z0-9.-]/g, "") || "greenlight"}>`;
}

const NETWORK_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET"]);

export async function sendEmail(
  server: MailServer,
  to: string,
  email: Email,
  options: { messageId: string; timeoutMs: number },
): Promise<SendOutcome> {
  let pass: string | undefined;
  if (server.username) {
    const read = readSecret(server.passwordEnvVar);
    if (!read.ok)
      return {
        ok: false,
        status: null,
        network: false,
        retryable: false,
        error: read.reason.replace("this target", "the mail server"),
      };
    pass = read.value;
  }
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.security === "tls",
    requireTLS: server.security === "starttls",
    ignoreTLS: server.security === "none",
    ...(server.username ? { auth: { user: server.username, pass } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const info = await transport.sendMail({
      from: server.fromAddress,
      to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: options.messageId,
      headers: { "Auto-Submitted": "auto-generated" },
    });
    const code = Number.parseInt(String(info.response ?? "").slice(0, 3), 10);
    return {
      ok: true,
      status: Number.isFinite(code) ? code : null,
      message: `accepted by ${server.host}:${server.port}`,
    };
  } catch (e) {
    return smtpFailure(e, server);
  } finally {
    transport.close();
  }
}

/**
 * SMTP's own rule: a 4xx reply is transient (try later), a 5xx permanent (the address, the
 * sender or the credentials are wrong: repeating cannot help). No reply at all is the network.
 */
function smtpFailure(e: unknown, server: MailServer): SendOutcome {
  const err = e as { code?: string; responseCode?: number; response?: string; message?: string };
  const where = `${server.host}:${server.port}`;
  if (typeof err.responseCode === "number") {
    const transient = err.responseCode >= 400 && err.responseCode < 500;
    return {
      ok: false,
      status: err.responseCode,
      network: false,
      retryable: transient,
      error: `${where} answered ${oneLine(err.response ?? String(err.responseCode), 200)}`,
    };
  }
  const network =
    NETWORK_CODES.has(err.code ?? "") || /timeout|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/i.test(err.message ?? "");
  return {
    ok: false,
    status: null,
    network,
    retryable: network,
    error: `${network ? "Could not reach" : "Could not send through"} ${where}: ${oneLine(err.message ?? "unknown error", 200)}`,
  };
}
