import "server-only";
import type { LogStream } from "@/lib/domain/deploy-providers";
import { db } from "../../db";
import { logStreamEnum } from "../enums";

// A running deployment's log, written line by line as the provider prints it, and its heartbeat.

export async function appendLog(deploymentId: string, stream: LogStream, line: string, at: Date): Promise<void> {
  await db().deploymentLogLine.create({ data: { deploymentId, stream: logStreamEnum.toDb(stream), line, at } });
}

/** The worker is alive: a running deployment whose heartbeat goes stale lost its worker. */
export async function heartbeat(deploymentId: string): Promise<void> {
  await db()
    .$executeRaw`update "Deployment" set "heartbeatAt" = now() where id = ${deploymentId}::uuid and status = 'running'`;
}
