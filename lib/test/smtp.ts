import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

// A real SMTP server on 127.0.0.1 for the email tests: it accepts (or refuses, as scripted) and
// keeps each message, parsed.

export interface MailSink {
  port: number;
  received: ParsedMail[];
  /** an SMTP reply code to refuse the next recipients with (e.g. 451, 550); null accepts */
  refuseWith: number | null;
  attempts: number;
  close(): Promise<void>;
}

export async function startMailSink(options: { user?: string; password?: string } = {}): Promise<MailSink> {
  const sink = { received: [] as ParsedMail[], refuseWith: null as number | null, attempts: 0 };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.user ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      sink.attempts++;
      if (sink.refuseWith === null) callback();
      else callback(Object.assign(new Error("Refused by the test"), { responseCode: sink.refuseWith }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          sink.received.push(mail);
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink, {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
