import type PgBoss from "pg-boss";
import { env } from "../env";
import { deliverNotification } from "../data/notifications/deliver";
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from "../data/notifications/delivery-options";
import { fanOutNotification } from "../data/notifications/fan-out";
import { failInterruptedDeliveries, resendLostFanOuts, resendOverdueDeliveries } from "../data/notifications/reconcile";
import { QUEUES, type JobData } from "../queue/queues";
import { workerBoss } from "./boss";

// The notification worker, beside the deploy worker in the same processes: the `notify` queue
// fans an event out (inbox rows, delivery rows and their jobs: lib/data/notifications/fan-out.ts),
// the `delivery` queue sends one attempt of one delivery (lib/data/notifications/deliver.ts).
// Deliveries wait on the network, not the CPU, so many run at once: LOOPS pg-boss loops each
// fetch a batch and send it concurrently, and a loop that found work looks again at once. Its
// reconciler re-sends the jobs of overdue pending deliveries and fails those left `sending` by
// a worker that died mid-attempt.

export interface NotificationWorkerOptions {
  delivery?: Partial<DeliveryOptions>;
  /** deliveries this process sends at a time */
  concurrency?: number;
  reconcileSeconds?: number;
  /** a pending delivery this long overdue lost its job */
  lostJobSeconds?: number;
  /** a delivery `sending` this long lost its worker */
  staleSendingSeconds?: number;
}

const LOOPS = 4;
const POLL_SECONDS = 0.5;

interface State {
  boss: PgBoss;
  timer: NodeJS.Timeout | undefined;
  stopping: boolean;
  inFlight: Set<Promise<unknown>>;
  options: DeliveryOptions;
}
type Globals = { __greenlightNotificationWorker?: State };
const globals = globalThis as Globals;

/** The delivery options the environment asks for (GREENLIGHT_DELIVERY_*). */
export function deliveryOptionsFromEnv(): DeliveryOptions {
  const settings = env();
  const fixed = settings.GREENLIGHT_DELIVERY_RETRY_SECONDS;
  return {
    timeoutMs: Math.round(settings.GREENLIGHT_DELIVERY_TIMEOUT_SECONDS * 1000),
    retryDelaySeconds: fixed === undefined ? DEFAULT_DELIVERY_OPTIONS.retryDelaySeconds : () => fixed,
  };
}

export async function reconcileDeliveriesOnce(options: NotificationWorkerOptions = {}) {
  const resent = await resendOverdueDeliveries(options.lostJobSeconds);
  const interrupted = await failInterruptedDeliveries(options.staleSendingSeconds);
  const fanOuts = await resendLostFanOuts();
  return { resent, interrupted, fanOuts };
}

export async function startNotificationWorker(options: NotificationWorkerOptions = {}): Promise<void> {
  if (globals.__greenlightNotificationWorker) return;
  const boss = await workerBoss();
  const state: State = {
    boss,
    timer: undefined,
    stopping: false,
    inFlight: new Set(),
    options: { ...deliveryOptionsFromEnv(), ...options.delivery },
  };
  globals.__greenlightNotificationWorker = state;
  const concurrency = options.concurrency ?? env().GREENLIGHT_DELIVERY_CONCURRENCY;
  const batchSize = Math.max(1, Math.ceil(concurrency / LOOPS));

  // fan-out: an error throws, and pg-boss retries the job (the queue's retryLimit); it is idempotent
  for (let i = 0; i < 2; i++) {
    let id: string | undefined = undefined;
    id = await boss.work<JobData["notify"]>(
      QUEUES.notify.name,
      { pollingIntervalSeconds: POLL_SECONDS, batchSize: 1 },
      async ([job]) => {
        if (!job || state.stopping) return;
        await track(state, fanOutNotification(job.data.eventId));
        if (id && !state.stopping) boss.notifyWorker(id);
      },
    );
  }
  for (let i = 0; i < Math.min(LOOPS, concurrency); i++) {
    let id: string | undefined = undefined;
    id = await boss.work<JobData["delivery"]>(
      QUEUES.delivery.name,
      { pollingIntervalSeconds: POLL_SECONDS, batchSize },
      async (jobs) => {
        if (state.stopping) return;
        await Promise.all(
          jobs.map((job) =>
            track(state, deliverNotification(job.data.deliveryId, job.data.attempt, state.options)).catch(
              (e: unknown) =>
                // the row stays as it was: pending (the reconciler re-sends it) or sending (failed as interrupted)
                console.error(`notification delivery ${job.data.deliveryId}: ${(e as Error).message}`),
            ),
          ),
        );
        if (id && jobs.length > 0 && !state.stopping) boss.notifyWorker(id);
      },
    );
  }

  const reconcile = () =>
    void reconcileDeliveriesOnce(options)
      .then(({ resent, interrupted }) => {
        if (resent) console.warn(`notification worker: sent the lost jobs of ${resent} delivery(ies) again`);
        if (interrupted) console.warn(`notification worker: ${interrupted} delivery(ies) interrupted mid-attempt`);
      })
      .catch((e: unknown) => console.error(`notification reconciler: ${(e as Error).message}`));
  reconcile();
  state.timer = setInterval(reconcile, (options.reconcileSeconds ?? 15) * 1000);
  state.timer.unref();
}

function track<T>(state: State, work: Promise<T>): Promise<T> {
  state.inFlight.add(work);
  return work.finally(() => state.inFlight.delete(work));
}

/**
 * Takes no new job and waits for the attempts under way (each bounded by its timeout), so none
 * is left `sending`. A job fetched meanwhile stays pending for the reconciler.
 */
export async function stopNotificationWorker(): Promise<void> {
  const state = globals.__greenlightNotificationWorker;
  globals.__greenlightNotificationWorker = undefined;
  if (!state) return;
  state.stopping = true;
  clearInterval(state.timer);
  await state.boss.offWork(QUEUES.notify.name);
  await state.boss.offWork(QUEUES.delivery.name);
  const waitMs = state.options.timeoutMs + 2000;
  await Promise.race([
    Promise.allSettled([...state.inFlight]),
    new Promise((resolve) => setTimeout(resolve, waitMs).unref()),
  ]);
}
