/**
 * AGE as kubectl prints it: duration.HumanDuration of now − creationTimestamp
 * (k8s.io/apimachinery/pkg/util/duration/duration.go), and an event's time and interval as
 * `kubectl describe` and `kubectl events` print them.
 */
import type { KObject } from "../../k8s/api.js";

/** HumanDuration of `ms` milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** AGE of an object created at RFC 3339 `created`, at calendar time `nowMs`. */
export function age(created: string | undefined, nowMs: number): string {
  if (!created) return "<unknown>";
  return humanDuration(nowMs - Date.parse(created));
}

/** When an event last happened: series, lastTimestamp, else eventTime (describe.go eventTime; events' sort key). */
export function eventTime(e: KObject): number {
  return Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? 0);
}

/** An event's interval cell: "5s", or "3s (x4 over 40s)" for a repeated one (describe's and events/event_printer.go getInterval). */
export function eventInterval(e: KObject, nowMs: number): string {
  const since = (t: string | null | undefined) => (t ? humanDuration(nowMs - Date.parse(t)) : "<unknown>");
  const first = e.eventTime ? since(e.eventTime) : since(e.firstTimestamp);
  if (e.series) return `${since(e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp)} (x${e.count} over ${first})`;
  return first;
}
