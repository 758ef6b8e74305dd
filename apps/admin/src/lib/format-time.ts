// Instants as people read them, always with their time zone: "1 Jan 2025, 00:00 UTC" for what the
// service stores (expiries, policy times), "1 Jan 2025, 01:00 CET" for the reader's own clock.
const FIELDS: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};
const utc = new Intl.DateTimeFormat('en-GB', { ...FIELDS, timeZone: 'UTC' });
const local = new Intl.DateTimeFormat('en-GB', FIELDS);

const valid = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "1 Jan 2025, 00:00 UTC" (the raw value when it is not a date). */
export function formatUtc(iso: string): string {
  const d = valid(iso);
  return d === null ? iso : utc.format(d);
}

/** "1 Jan 2025, 01:00 CET": the reader's time zone, named. */
export function formatLocal(iso: string): string {
  const d = valid(iso);
  return d === null ? iso : local.format(d);
}

/** The local time, and UTC when the reader is elsewhere: "1 Jan 2025, 01:00 CET (1 Jan 2025, 00:00 UTC)". */
export function formatBoth(iso: string): string {
  const here = formatLocal(iso);
  const there = formatUtc(iso);
  return here === there || here.endsWith(' UTC') || here.endsWith(' GMT')
    ? there
    : `${here} (${there})`;
}
