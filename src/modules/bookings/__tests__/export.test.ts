import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { register, type Session, useTestApp } from '#test/helpers.js';
import type { Db } from '../../../platform/db/types.js';
import type { BookingExportRow } from '../bookings.export.repository.js';
import { CSV_COLUMNS, csvCell, EXPORT_CHUNK_CHARS, exportChunks, type ExportedBooking } from '../bookings.export.js';
import { toBookingDto } from '../bookings.schemas.js';
import { insertBookingsBulk, type BookingBulkRow } from '../bookings.seed.repository.js';
import { bookings, type BookingRow } from '../bookings.table.js';
import { createProperty } from '#test/factories/properties.js';

let queries = 0;
const testApp = useTestApp({
  onQuery: (sql) => {
    if (/from "bookings"/.test(sql)) queries++;
  },
});
let host: Session;
let otherHost: Session;
let guest: Session;
let db: Db;
let propertyA: string;
let propertyB: string;
let otherProperty: string;

const FROM = '2027-01-01';
const TO = '2027-04-01';

let n = 0;
function row(
  over: Partial<BookingBulkRow> & Pick<BookingBulkRow, 'propertyId' | 'hostId' | 'checkIn'>,
): BookingBulkRow {
  const checkOut = over.checkOut ?? addDays(over.checkIn, 3);
  const createdAt = new Date(Date.UTC(2026, 5, 1, 10, 0, 0, ++n));
  return {
    id: randomUUID(),
    guestId: guest.user.id,
    checkOut,
    guests: 2,
    nights: 3,
    currency: 'EUR',
    cancellationPolicy: 'moderate',
    timezone: 'Europe/Paris',
    nightlyPrice: 10_000,
    subtotal: 30_000,
    discount: 0,
    cleaningFee: 2_500,
    serviceFee: 3_900,
    total: 36_400,
    status: 'completed',
    holdExpiresAt: null,
    confirmedAt: null,
    canceledAt: null,
    canceledBy: null,
    cancellationReason: null,
    refundAmount: null,
    createdAt,
    updatedAt: createdAt,
    ...over,
  };
}
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const exportUrl = (query: Record<string, string>) => `/v1/bookings/export?${new URLSearchParams(query).toString()}`;

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF inside quotes), for reading exports back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      cells.push(cell);
      rows.push(cells);
      cells = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell).toBe('');
  expect(cells).toEqual([]);
  return rows;
}

const flat = (b: ExportedBooking): Record<string, string> => {
  const { price, ...rest } = b;
  const { nights: _perNight, ...totals } = price;
  const all: Record<string, string | number | null> = { ...rest, ...totals };
  return Object.fromEntries(CSV_COLUMNS.map((c) => [c, all[c] === null ? '' : String(all[c])]));
};

const hostRows = (hostId: string) =>
  db.select().from(bookings).where(eq(bookings.hostId, hostId)).orderBy(asc(bookings.checkIn), asc(bookings.id));

const FORMULA = '=HYPERLINK("http://evil.example","click")';

beforeAll(async () => {
  const { app, container } = testApp();
  db = container.database.db;
  [host, otherHost, guest] = await Promise.all([
    register(app, { role: 'host' }),
    register(app, { role: 'host' }),
    register(app),
  ]);
  propertyA = (await createProperty(app, host)).id;
  propertyB = (await createProperty(app, host, { title: 'Second flat' })).id;
  otherProperty = (await createProperty(app, otherHost)).id;
  const mine = { hostId: host.user.id };
  await insertBookingsBulk(db, [
    row({ ...mine, propertyId: propertyA, checkIn: '2026-12-31' }), // before the window
    row({ ...mine, propertyId: propertyA, checkIn: FROM, status: 'confirmed' }), // first day: in
    row({
      ...mine,
      propertyId: propertyA,
      checkIn: '2027-01-10',
      status: 'canceled',
      canceledAt: new Date('2026-12-01T08:30:00.000Z'),
      canceledBy: 'guest',
      cancellationReason: FORMULA,
      refundAmount: 32_500,
    }),
    row({
      ...mine,
      propertyId: propertyB,
      checkIn: '2027-01-10',
      status: 'canceled',
      canceledAt: new Date('2026-12-02T08:30:00.000Z'),
      canceledBy: 'host',
      cancellationReason: 'Pipe burst, "sorry",\r\nsee you — ünïcödé 🏠',
      refundAmount: 36_400,
    }),
    row({ ...mine, propertyId: propertyB, checkIn: '2027-02-01', cancellationReason: '-5 stars, +1 @all\tx' }),
    row({
      ...mine,
      propertyId: propertyB,
      checkIn: '2027-03-20',
      status: 'pending',
      holdExpiresAt: new Date('2027-03-01T10:15:00.000Z'),
    }),
    row({ ...mine, propertyId: propertyA, checkIn: TO }), // the end is exclusive: out
    row({ hostId: otherHost.user.id, propertyId: otherProperty, checkIn: '2027-02-01' }), // someone else's
  ]);
});

describe('GET /v1/bookings/export', () => {
  it('streams CSV whose rows are exactly the host’s bookings in the window', async () => {
    const res = await testApp().app.inject({ url: exportUrl({ as: 'host', from: FROM, to: TO }), headers: host.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="bookings-${FROM}-to-${TO}.csv"`);
    expect(res.headers['transfer-encoding']).toBe('chunked');

    const [header, ...lines] = parseCsv(res.body);
    expect(header).toEqual([...CSV_COLUMNS]);
    const expected = (await hostRows(host.user.id)).filter((r) => r.checkIn >= FROM && r.checkIn < TO);
    expect(expected).toHaveLength(5);
    const read = lines.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]!])));
    const want = expected.map((r) => {
      const cells = flat(toBookingDto(r));
      // What a spreadsheet must see: formulas defused, everything else verbatim.
      if (/^[=+\-@\t\r]/.test(cells.cancellationReason!)) cells.cancellationReason = `'${cells.cancellationReason}`;
      return cells;
    });
    expect(read).toEqual(want);
    expect(read.map((r) => r.checkIn)).toEqual(['2027-01-01', '2027-01-10', '2027-01-10', '2027-02-01', '2027-03-20']);
    expect(read.every((r) => r.propertyId === propertyA || r.propertyId === propertyB)).toBe(true);
    expect(read.find((r) => r.status === 'pending')!.holdExpiresAt).toBe('2027-03-01T10:15:00.000Z');
    expect(read.find((r) => r.canceledBy === 'host')!.cancellationReason).toBe(
      'Pipe burst, "sorry",\r\nsee you — ünïcödé 🏠',
    );
  });

  it('defuses cells a spreadsheet would run as formulas', async () => {
    const res = await testApp().app.inject({ url: exportUrl({ from: FROM, to: TO }), headers: host.auth });
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(res.body).toContain(`,"'-5 stars, +1 @all\tx",`);
    for (const [input, cell] of [
      ['=1+1', "'=1+1"],
      ['+1', "'+1"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', `"'\rx"`],
      ['a=1', 'a=1'],
      ['say "hi"', '"say ""hi"""'],
      ['a,b', '"a,b"'],
      ['line\nbreak', '"line\nbreak"'],
    ] as const) {
      expect(csvCell(input)).toBe(cell);
    }
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('streams NDJSON, one Booking per line, equal to the table', async () => {
    const res = await testApp().app.inject({
      url: exportUrl({ as: 'host', from: FROM, to: TO, format: 'ndjson' }),
      headers: host.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="bookings-${FROM}-to-${TO}.ndjson"`);
    expect(res.body.endsWith('\n')).toBe(true);
    const lines = res.body.trimEnd().split('\n');
    const expected = (await hostRows(host.user.id)).filter((r) => r.checkIn >= FROM && r.checkIn < TO);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(expected.map(toBookingDto));
    const canceled = JSON.parse(lines[1]!) as ExportedBooking;
    // JSON is not a spreadsheet: the text stays as written.
    expect([canceled.cancellationReason, (JSON.parse(lines[2]!) as ExportedBooking).cancellationReason]).toContain(
      FORMULA,
    );
    expect(canceled.price).toEqual({
      nightly: 10_000,
      subtotal: 30_000,
      discount: 0,
      cleaningFee: 2_500,
      serviceFee: 3_900,
      total: 36_400,
      nights: null,
    });
  });

  it('answers an empty window with the header only', async () => {
    const csv = await testApp().app.inject({
      url: exportUrl({ from: '2030-01-01', to: '2030-02-01' }),
      headers: host.auth,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    const nd = await testApp().app.inject({
      url: exportUrl({ from: '2030-01-01', to: '2030-02-01', format: 'ndjson' }),
      headers: host.auth,
    });
    expect(nd.body).toBe('');
  });

  it('gives another host only their own bookings', async () => {
    const res = await testApp().app.inject({
      url: exportUrl({ from: FROM, to: TO, format: 'ndjson' }),
      headers: otherHost.auth,
    });
    const lines = res.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ExportedBooking);
    expect(lines.map((b) => b.propertyId)).toEqual([otherProperty]);
  });

  it('is for hosts only', async () => {
    const url = exportUrl({ from: FROM, to: TO });
    const asGuest = await testApp().app.inject({ url, headers: guest.auth });
    expect(asGuest.statusCode).toBe(403);
    expect(asGuest.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await testApp().app.inject({ url })).statusCode).toBe(401);
  });

  it.each([
    ['a missing window', {}],
    ['a bad date', { from: '2027-02-30', to: TO }],
    ['an empty window', { from: TO, to: TO }],
    ['a reversed window', { from: TO, to: FROM }],
    ['a window over three years', { from: '2027-01-01', to: '2030-01-02' }],
    ['another format', { from: FROM, to: TO, format: 'xlsx' }],
    ['the guest side', { from: FROM, to: TO, as: 'guest' }],
    ['an unknown parameter', { from: FROM, to: TO, limit: '10' }],
  ])('refuses %s with 422', async (_name, query) => {
    const res = await testApp().app.inject({ url: exportUrl(query), headers: host.auth });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: unknown[] }>().errors.length).toBeGreaterThan(0);
  });

  it('accepts exactly three years', async () => {
    const res = await testApp().app.inject({
      url: exportUrl({ from: '2027-01-01', to: '2030-01-01' }),
      headers: host.auth,
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('exportChunks', () => {
  it('yields chunks of about 32 KiB whatever the page size, together the same text', async () => {
    const page: BookingRow[] = Array.from({ length: 1000 }, (_, i) => ({
      ...row({ hostId: randomUUID(), propertyId: randomUUID(), checkIn: addDays(FROM, i % 80) }),
      respondBy: null,
      bookingMode: 'instant' as const,
    }));
    // The export row of each: what the export query reads (instants as epoch milliseconds).
    const exported: BookingExportRow[] = page.map((r) => ({
      ...r,
      holdExpiresAt: r.holdExpiresAt?.getTime() ?? null,
      respondBy: r.respondBy?.getTime() ?? null,
      canceledAt: r.canceledAt?.getTime() ?? null,
      createdAt: r.createdAt.getTime(),
      updatedAt: r.updatedAt.getTime(),
    }));
    async function* pages() {
      yield exported;
      yield exported;
    }
    const chunks: string[] = [];
    for await (const chunk of exportChunks(pages(), 'ndjson')) chunks.push(chunk);
    const longestLine = Math.max(...page.map((r) => JSON.stringify(toBookingDto(r)).length + 1));
    // Strings over 128 KiB go to V8's large-object space, freed only by full collections.
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(EXPORT_CHUNK_CHARS + longestLine);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(
      page
        .concat(page)
        .map((r) => `${JSON.stringify(toBookingDto(r))}\n`)
        .join(''),
    );
  });
});

describe('a large export', () => {
  const BIG = 20_000;
  let bigHost: Session;
  let origin: string;

  beforeAll(async () => {
    const { app } = testApp();
    bigHost = await register(app, { role: 'host' });
    const property = (await createProperty(app, bigHost)).id;
    // Completed stays are outside the no-overlap constraint, so they can share dates.
    const rows = Array.from({ length: BIG }, (_, i) =>
      row({
        hostId: bigHost.user.id,
        propertyId: property,
        checkIn: addDays(FROM, i % 80),
        // Rows of ~1 KiB: the export (~25 MiB) is far larger than what socket buffers absorb.
        cancellationReason: `r${i} ${'x'.repeat(1000)}`,
      }),
    );
    for (let i = 0; i < rows.length; i += 2000) await insertBookingsBulk(db, rows.slice(i, i + 2000));
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  const get = (path: string, session: Session) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(`${origin}${path}`, { headers: session.auth }, resolve);
      req.on('error', reject);
      req.end();
    });

  it('streams 20,000 rows in flat memory', async () => {
    // Live heap after a full collection: what the process holds, not what it has churned through.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    let peak = before;
    const res = await get(exportUrl({ from: FROM, to: TO }), bigHost);
    expect(res.statusCode).toBe(200);
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 0x0a) lines++;
      if (++chunks % 20 === 0) peak = Math.max(peak, heap());
    }
    expect(lines).toBe(BIG + 1);
    const grewMiB = (peak - before) / 2 ** 20;
    const bodyMiB = bytes / 2 ** 20;
    // Holding the whole export (rows as objects and the text) would grow the live heap by
    // more than the body's size; page by page it stays at a few pages' worth.
    expect(bodyMiB).toBeGreaterThan(20);
    console.log(`live heap grew ${grewMiB.toFixed(1)} MiB while streaming ${bodyMiB.toFixed(1)} MiB`);
    expect(grewMiB).toBeLessThan(8);
  });

  it('stops reading pages when the client disconnects', async () => {
    const pages = Math.ceil(BIG / 1000);
    queries = 0;
    const res = await get(exportUrl({ from: FROM, to: TO }), bigHost);
    expect(res.statusCode).toBe(200);
    await new Promise<void>((resolve) => res.once('data', () => resolve()));
    res.destroy();
    // A page already asked for may still complete on a busy machine; then the reads must stop.
    let afterDisconnect = queries;
    for (let waited = 0; waited < 10_000; waited += 750) {
      await sleep(750);
      if (queries === afterDisconnect) break;
      afterDisconnect = queries;
    }
    await sleep(750);
    expect(queries).toBe(afterDisconnect);
    expect(afterDisconnect).toBeGreaterThanOrEqual(1);
    expect(afterDisconnect).toBeLessThan(pages / 2);
    console.log(`pages read before the disconnect stopped the export: ${afterDisconnect} of ${pages}`);
  });
});
