import type { SeedProgress } from './run.js';

/** Where progress goes: a terminal gets one updating line, a log file a line per tenth. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

const number = new Intl.NumberFormat('en-US');

export function createSeedProgress(out: ProgressOutput, now: () => number = () => performance.now()) {
  let phase: SeedProgress['phase'] | undefined;
  let phaseStarted = 0;
  let lastDrawn = 0;
  let lastTenth = -1;

  return (p: SeedProgress): void => {
    const t = now();
    if (p.phase !== phase) {
      phase = p.phase;
      phaseStarted = t;
      lastDrawn = 0;
      lastTenth = -1;
    }
    const finished = p.done >= p.total;
    const percent = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
    const seconds = (t - phaseStarted) / 1000;
    const rate = seconds > 0 ? Math.round(p.done / seconds) : 0;
    const line = `${p.phase.padEnd(10)} ${number.format(p.done).padStart(9)} / ${number.format(p.total)}  ${String(percent).padStart(3)}%  ${number.format(rate)} rows/s`;

    if (out.isTTY) {
      // Redrawing more than ~10 times a second only costs time.
      if (!finished && t - lastDrawn < 100) return;
      lastDrawn = t;
      out.write(`\r${line}\u001b[K${finished ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(percent / 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    out.write(`${line}\n`);
  };
}
