import { AsyncLocalStorage } from 'node:async_hooks';

// The job a handler runs for, known to the code it calls (the mailer records it on each
// e-mail claim) without every handler passing it down.
const running = new AsyncLocalStorage<string>();

/** Runs `work` as the handler of job `id`: currentJobId() answers `id` inside it. */
export function runAsJob<T>(id: string, work: () => Promise<T>): Promise<T> {
  return running.run(id, work);
}

/** The outbox id of the job whose handler is running here, or undefined outside a job. */
export function currentJobId(): string | undefined {
  return running.getStore();
}
