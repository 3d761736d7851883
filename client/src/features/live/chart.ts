import { offsetMinutesAt } from '../../lib/zonedTime';

/** A round step for a count axis: about `target` ticks, on 1, 2 or 5 times a power of ten. */
export function niceStep(max: number, target = 4): number {
  const raw = Math.max(max, 1) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return Math.max(1, m * power);
  return Math.max(1, 10 * power);
}

/** Tick values from 0 to at least `max`. */
export function countTicks(max: number, target = 4): number[] {
  const step = niceStep(max, target);
  const top = Math.max(step, Math.ceil(Math.max(max, 1) / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}

const timeSteps = [5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];

/**
 * Instants for the time axis between `from` and `to` (ms), on round wall-clock minutes of
 * the event's time zone (18:00, 18:30...), at most about `maxTicks` of them.
 */
export function timeTicks(from: number, to: number, timeZone: string, maxTicks = 7): number[] {
  const span = Math.max(0, to - from) / 60_000;
  const step = timeSteps.find((s) => span / s <= maxTicks) ?? 1440;
  const ticks: number[] = [];
  const first = Math.ceil(from / 300_000) * 300_000;
  for (let t = first; t <= to; t += 300_000) {
    const localMinutes = Math.round(t / 60_000) + offsetMinutesAt(t, timeZone);
    if (((localMinutes % step) + step) % step === 0) ticks.push(t);
  }
  return ticks;
}
