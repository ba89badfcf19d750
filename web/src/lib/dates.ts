// Dates and times in an IANA time zone with nothing but Intl: wall time ↔ instant, and the
// short human forms the UI shows ("Today 09:00", "Fri 12 Dec", "12 Dec 2027 18:30").

export interface WallTime {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = partFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    partFormats.set(zone, f);
  }
  return f;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function zonedParts(ms: number, zone: string): Parts {
  const out: Record<string, string> = {};
  for (const p of partsFormat(zone).formatToParts(new Date(ms))) out[p.type] = p.value;
  return {
    year: Number(out['year']),
    month: Number(out['month']),
    day: Number(out['day']),
    hour: Number(out['hour']) % 24,
    minute: Number(out['minute']),
    second: Number(out['second']),
    weekday: WEEKDAYS.indexOf(out['weekday'] ?? 'Sun'),
  };
}

// The zone's offset from UTC at an instant, in milliseconds (east positive).
export function zoneOffset(ms: number, zone: string): number {
  const p = zonedParts(ms, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

// The instant of a wall time in a zone. A time skipped by DST moves forward by the gap; a
// repeated one is the earlier instant (as the server's RFC 5545 rule).
export function wallToInstant(wall: WallTime, zone: string): number {
  const [y, mo, d] = wall.date.split('-').map(Number);
  const [h, mi] = wall.time.split(':').map(Number);
  const naive = Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  const before = zoneOffset(naive - 864e5, zone);
  const after = zoneOffset(naive + 864e5, zone);
  const candidates = [naive - before, naive - after].sort((a, b) => a - b);
  for (const c of candidates) {
    if (c + zoneOffset(c, zone) === naive) return c;
  }
  return naive - before; // in a gap: the offset from before it
}

const pad = (n: number) => String(n).padStart(2, '0');

export function instantToWall(ms: number, zone: string): WallTime {
  const p = zonedParts(ms, zone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

// Today's date (YYYY-MM-DD) in a zone: not the UTC date, which is a day off for hours of every
// day east or west of UTC.
export function todayIn(zone: string, nowMs = Date.now()): string {
  return instantToWall(nowMs, zone).date;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

// Midnight starting the day that holds `ms` in `zone`, plus `days` days.
export function startOfDay(ms: number, zone: string, days = 0): number {
  const p = zonedParts(ms, zone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return wallToInstant({ date: d.toISOString().slice(0, 10), time: '00:00' }, zone);
}

// Monday 00:00 of the week holding `ms` (weeks start on Monday), plus `weeks` weeks.
export function startOfWeek(ms: number, zone: string, weeks = 0): number {
  const p = zonedParts(ms, zone);
  const sinceMonday = (p.weekday + 6) % 7;
  return startOfDay(ms, zone, weeks * 7 - sinceMonday);
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function allTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : ['UTC'];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "Today 09:00", "Tomorrow 18:30", "Yesterday 09:00", "Fri 12 Dec 09:00" (within the year),
// "12 Dec 2027 09:00".
export function formatDue(iso: string, zone: string, now = Date.now()): string {
  const ms = Date.parse(iso);
  const p = zonedParts(ms, zone);
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  const day = startOfDay(ms, zone);
  const today = startOfDay(now, zone);
  const diff = Math.round((day - today) / 864e5);
  if (diff === 0) return `Today ${time}`;
  if (diff === 1) return `Tomorrow ${time}`;
  if (diff === -1) return `Yesterday ${time}`;
  const sameYear = zonedParts(now, zone).year === p.year;
  const date = `${p.day} ${MONTHS[p.month - 1]}`;
  return sameYear
    ? `${WEEKDAYS[p.weekday]} ${date} ${time}`
    : `${date} ${p.year} ${time}`;
}

// "18 Dec 2026, 14:05" in the viewer's zone, for history and notifications.
export function formatInstant(iso: string, zone = userTimeZone()): string {
  const p = zonedParts(Date.parse(iso), zone);
  return `${p.day} ${MONTHS[p.month - 1]} ${p.year}, ${pad(p.hour)}:${pad(p.minute)}`;
}

export function isOverdue(iso: string | null, now = Date.now()): boolean {
  return iso !== null && Date.parse(iso) < now;
}
