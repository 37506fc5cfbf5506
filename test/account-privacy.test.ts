import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTableName, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { completedStays } from '#test/factories/bookings.js';
import { createProperty, inDays } from '#test/factories/properties.js';
import { bookStay, payBooking } from '#test/kit/scenario.js';
import { MODULES } from '../src/modules/index.js';
import {
  PASSWORD,
  register,
  registerAdmin,
  rowsOf,
  runDueJobs,
  type Session,
  toSession,
  uniqueEmail,
  useTestApp,
} from '#test/helpers.js';

/**
 * The privacy routes every user is owed: GET /v1/me/export, one
 * streamed JSON document of everything stored about the caller, and DELETE /v1/me, the
 * account's closure, which erases the person and keeps what others and the books need.
 */

const testApp = useTestApp();
const app = () => testApp().app;
const db = () => testApp().container.database.db;

type ExportDoc = Record<string, unknown> & {
  format: string;
  userId: string;
  profile: { id: string; email: string }[];
  places: { id: string }[];
  bookingsAsGuest: { id: string; guestId: string }[];
  bookingsAsHost: { id: string }[];
  payments: { id: string; bookingId: string; checkoutUrl: string | null }[];
  paymentsReceived: { id: string; checkoutUrl: string | null }[];
  reviewsWritten: { id: string; authorId: string }[];
  reviewsReceived: { id: string }[];
  conversations: { id: string; guestId: string; hostId: string }[];
  messages: { id: string; conversationId: string; body: string }[];
  auditTrail: { action: string; actorId: string | null; entityId: string | null }[];
  sessions: { id: string; current: boolean }[];
};

const SECTIONS = [
  'profile',
  'sessions',
  'auditTrail',
  'places',
  'bookingsAsGuest',
  'bookingsAsHost',
  'payments',
  'paymentsReceived',
  'reviewsWritten',
  'reviewsReceived',
  'conversations',
  'messages',
  'wishlists',
  'earnings',
  'payouts',
  'webhookEndpoints',
];

async function exportOf(s: Session) {
  const res = await app().inject({ url: '/v1/me/export', headers: s.auth });
  expect(res.statusCode).toBe(200);
  return { res, doc: res.json<ExportDoc>() };
}

async function startConversation(as: Session, propertyId: string, body: string): Promise<string> {
  const res = await app().inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: as.auth,
    payload: { propertyId, body },
  });
  expect(res.statusCode).toBeLessThan(300);
  return res.json<{ id: string }>().id;
}

async function reply(as: Session, conversationId: string, body: string): Promise<void> {
  const res = await app().inject({
    method: 'POST',
    url: `/v1/conversations/${conversationId}/messages`,
    headers: as.auth,
    payload: { body },
  });
  expect(res.statusCode).toBe(201);
}

async function review(as: Session, bookingId: string, comment: string, hostOfStay?: Session): Promise<string> {
  const res = await app().inject({
    method: 'POST',
    url: `/v1/bookings/${bookingId}/review`,
    headers: as.auth,
    payload: { rating: 5, comment },
  });
  expect(res.statusCode).toBe(201);
  // Reviews are double-blind: the host's review of the guest publishes the guest's.
  if (hostOfStay) {
    const back = await app().inject({
      method: 'POST',
      url: `/v1/bookings/${bookingId}/guest-review`,
      headers: hostOfStay.auth,
      payload: { rating: 4 },
    });
    expect(back.statusCode).toBe(201);
  }
  return res.json<{ id: string }>().id;
}

async function book(as: Session, propertyId: string, fromDay: number): Promise<string> {
  return (await bookStay(app(), as, { propertyId, checkIn: inDays(fromDay), checkOut: inDays(fromDay + 2) })).id;
}

const closeAccount = (as: Session, password = PASSWORD) =>
  app().inject({ method: 'DELETE', url: '/v1/me', headers: as.auth, payload: { password } });

describe('GET /v1/me/export', () => {
  let host: Session;
  let guest: Session;
  let other: Session;
  let placeId: string;
  let guestStayId: string;
  let otherStayId: string;
  let bookingId: string;
  let paymentId: string;
  let guestReviewId: string;
  let otherReviewId: string;
  let guestConversationId: string;
  let otherConversationId: string;

  beforeAll(async () => {
    [host, guest, other] = await Promise.all([
      register(app(), { role: 'host', phone: '+351911111111' }),
      register(app(), { phone: '+351922222222' }),
      register(app()),
    ]);
    placeId = (await createProperty(app(), host)).id;
    const ids = { propertyId: placeId, hostId: host.user.id };
    const stayOf = async (guestId: string, checkOutDaysAgo: number) =>
      (await completedStays(db(), { ...ids, guestIds: [guestId], checkOutDaysAgo }))[0]!.id;
    guestStayId = await stayOf(guest.user.id, 2);
    otherStayId = await stayOf(other.user.id, 5);
    guestReviewId = await review(guest, guestStayId, 'Lovely stay, guest wrote this', host);
    otherReviewId = await review(other, otherStayId, 'Someone else wrote this', host);
    guestConversationId = await startConversation(guest, placeId, 'Hello from the guest');
    await reply(host, guestConversationId, 'Hello back from the host');
    otherConversationId = await startConversation(other, placeId, 'A message of another guest');
    bookingId = await book(guest, placeId, 40);
    paymentId = (await payBooking(app(), guest, bookingId, { succeed: false })).id;
  });

  it('is one JSON download with every section, in order', async () => {
    const { res, doc } = await exportOf(guest);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="staylane-export.json"');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(Object.keys(doc)).toEqual(['format', 'exportedAt', 'userId', ...SECTIONS]);
    expect(doc.format).toBe('staylane-personal-data/1');
    expect(doc.userId).toBe(guest.user.id);
  });

  it('holds the guest’s own data, and nothing of another user’s', async () => {
    const { res, doc } = await exportOf(guest);
    expect(doc.profile).toEqual([
      expect.objectContaining({ id: guest.user.id, email: guest.user.email, phone: '+351922222222', status: 'active' }),
    ]);
    // The sign-in of `guest`, with its client address; never a token hash (below).
    expect(doc.sessions).toEqual([expect.objectContaining({ id: expect.any(String), current: false })]);
    expect(doc.places).toEqual([]);
    expect(doc.bookingsAsGuest.map((b) => b.id).sort()).toEqual([bookingId, guestStayId].sort());
    expect(doc.bookingsAsHost).toEqual([]);
    expect(doc.payments).toEqual([expect.objectContaining({ id: paymentId, bookingId })]);
    expect(doc.payments[0]!.checkoutUrl).toEqual(expect.any(String));
    expect(doc.reviewsWritten.map((r) => r.id)).toEqual([guestReviewId]);
    // The host's review of the guest, published with the guest's own.
    expect(doc.reviewsReceived).toEqual([
      expect.objectContaining({ bookingId: guestStayId, authorId: host.user.id, direction: 'host_to_guest' }),
    ]);
    expect(doc.conversations.map((c) => c.id)).toEqual([guestConversationId]);
    expect(doc.messages.map((m) => m.body).sort()).toEqual(['Hello back from the host', 'Hello from the guest']);
    const actions = doc.auditTrail.map((a) => a.action);
    expect(actions).toContain('user.registered');
    expect(doc.auditTrail.every((a) => a.actorId === guest.user.id || a.entityId === guest.user.id)).toBe(true);
    // Nothing of the other guest: not their id, review, conversation or words.
    expect(res.body).not.toContain(other.user.id);
    expect(res.body).not.toContain(otherReviewId);
    expect(res.body).not.toContain(otherConversationId);
    expect(res.body).not.toContain('Someone else wrote this');
  });

  it('gives a host their places, the bookings, payments and reviews of them, without the guest’s checkout link', async () => {
    const { doc } = await exportOf(host);
    expect(doc.places.map((p) => p.id)).toEqual([placeId]);
    expect(doc.bookingsAsHost.map((b) => b.id).sort()).toEqual([bookingId, guestStayId, otherStayId].sort());
    expect(doc.paymentsReceived).toEqual([expect.objectContaining({ id: paymentId, checkoutUrl: null })]);
    expect(doc.reviewsReceived.map((r) => r.id).sort()).toEqual([guestReviewId, otherReviewId].sort());
    expect(doc.conversations.map((c) => c.id).sort()).toEqual([guestConversationId, otherConversationId].sort());
    expect(doc.messages).toHaveLength(3);
  });

  it('holds no password hash and no token hash', async () => {
    // A sign-in and a reset request leave a refresh token and a single-use token behind.
    await app().inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: guest.user.email, password: PASSWORD },
    });
    const secrets = [
      ...(await rowsOf<{ s: string }>(db(), sql`select password_hash as s from users where id = ${guest.user.id}`)),
      ...(await rowsOf<{ s: string }>(
        db(),
        sql`select token_hash as s from refresh_tokens where user_id = ${guest.user.id}`,
      )),
      ...(await rowsOf<{ s: string }>(
        db(),
        sql`select token_hash as s from user_tokens where user_id = ${guest.user.id}`,
      )),
    ].map((r) => r.s);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const { res } = await exportOf(guest);
    for (const secret of secrets) expect(res.body).not.toContain(secret);
    expect(res.body).not.toMatch(/passwordHash|tokenHash|password_hash|token_hash|\$argon2/);
  });

  it('is for signed-in users only', async () => {
    expect((await app().inject({ url: '/v1/me/export' })).statusCode).toBe(401);
  });

  describe('a large export', () => {
    const STAYS = 2_000;
    let big: Session;
    let origin: string;

    beforeAll(async () => {
      big = await register(app());
      const guestIds = Array.from({ length: STAYS }, () => big.user.id);
      // Completed one-night stays, a day apart: far more than one page of the walk.
      for (let i = 0; i < STAYS; i += 500) {
        await completedStays(db(), {
          propertyId: placeId,
          hostId: host.user.id,
          guestIds: guestIds.slice(i, i + 500),
          checkOutDaysAgo: 10 + i,
        });
      }
      await app().listen({ port: 0, host: '127.0.0.1' });
      origin = `http://127.0.0.1:${(app().server.address() as AddressInfo).port}`;
    });

    it('streams in chunks over HTTP, every row there once', async () => {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = httpRequest(`${origin}/v1/me/export`, { headers: big.auth }, resolve);
        req.on('error', reject);
        req.end();
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.headers['content-length']).toBeUndefined();
      const chunks: Buffer[] = [];
      for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = Buffer.concat(chunks).toString('utf8');
      // ~700 KB made 32 KiB at a time, not one string at the end.
      expect(body.length).toBeGreaterThan(500_000);
      expect(chunks.length).toBeGreaterThan(10);
      const doc = JSON.parse(body) as ExportDoc;
      expect(doc.bookingsAsGuest).toHaveLength(STAYS);
      expect(new Set(doc.bookingsAsGuest.map((b) => b.id)).size).toBe(STAYS);
      expect(doc.bookingsAsGuest.every((b) => b.guestId === big.user.id)).toBe(true);
    });
  });
});

describe('DELETE /v1/me', () => {
  let host: Session;
  let bystander: Session;
  let placeId: string;

  beforeAll(async () => {
    [host, bystander] = await Promise.all([register(app(), { role: 'host' }), register(app())]);
    placeId = (await createProperty(app(), host)).id;
  });

  it('refuses a wrong password with 403, counted like a failed sign-in', async () => {
    const user = await register(app());
    const res = await closeAccount(user, 'not the password at all');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'wrong_password' });
    for (let i = 0; i < 4; i++) expect((await closeAccount(user, `wrong ${i}`)).statusCode).toBe(403);
    // Five failures in the window: the e-mail is locked, here and at sign-in.
    expect((await closeAccount(user)).statusCode).toBe(429);
    const login = await app().inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: user.user.email, password: PASSWORD },
    });
    expect(login.statusCode).toBe(429);
    expect((await app().inject({ url: '/v1/me', headers: user.auth })).statusCode).toBe(200);
  });

  it('answers 409 has_active_stays while a stay is to come, for its guest and its host, and changes nothing', async () => {
    const [guest, otherHost] = await Promise.all([register(app()), register(app(), { role: 'host' })]);
    const place = (await createProperty(app(), otherHost)).id;
    await book(guest, place, 20);
    for (const who of [guest, otherHost]) {
      const res = await closeAccount(who);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'has_active_stays' });
      expect((await app().inject({ url: '/v1/me', headers: who.auth })).statusCode).toBe(200);
    }
    const [row] = await rowsOf<{ status: string }>(db(), sql`select status from properties where id = ${place}`);
    expect(row!.status).toBe('listed');
  });

  describe('a closed guest account', () => {
    let guest: Session;
    let reviewId: string;
    let conversationId: string;

    beforeAll(async () => {
      guest = await register(app(), { firstName: 'Ada', lastName: 'Lovelace', phone: '+351933333333' });
      const [stay] = await completedStays(db(), {
        propertyId: placeId,
        hostId: host.user.id,
        guestIds: [guest.user.id],
        checkOutDaysAgo: 3,
      });
      reviewId = await review(guest, stay!.id, 'Quiet street, great coffee nearby', host);
      conversationId = await startConversation(guest, placeId, 'Thanks for everything');
      await reply(host, conversationId, 'You are welcome');
      // Unspent e-mailed links (verification, reset), which the closure must end, and their
      // e-mails in the delivery log, whose address it must erase.
      await app().inject({
        method: 'POST',
        url: '/v1/auth/password-reset/request',
        payload: { email: guest.user.email },
      });
      await runDueJobs(testApp());
      const sent = await rowsOf(db(), sql`select 1 from mail_deliveries where recipient = ${guest.user.email}`);
      expect(sent).toHaveLength(2);
      const res = await closeAccount(guest);
      expect(res.statusCode).toBe(204);
    });

    it('ends its access tokens at once, its sign-in and its refresh tokens', async () => {
      const me = await app().inject({ url: '/v1/me', headers: guest.auth });
      expect(me.statusCode).toBe(401);
      expect(me.json()).toMatchObject({ code: 'invalid_token' });
      const login = await app().inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: guest.user.email, password: PASSWORD },
      });
      expect(login.statusCode).toBe(401);
      const refresh = await app().inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        payload: { refreshToken: guest.refreshToken },
      });
      expect(refresh.statusCode).toBe(401);
    });

    it('erases the person: name, e-mail (in the mail log too), phone, password, e-mailed tokens', async () => {
      const [row] = await rowsOf<Record<string, unknown>>(
        db(),
        sql`select email, first_name, last_name, phone, password_hash, status from users where id = ${guest.user.id}`,
      );
      expect(row).toMatchObject({ first_name: 'Former', last_name: 'member', phone: null, status: 'closed' });
      expect(String(row!.email)).toMatch(/@closed\.staylane\.invalid$/);
      expect(String(row!.email)).not.toContain(guest.user.email.split('@')[0]!);
      expect(String(row!.password_hash)).not.toMatch(/^\$argon2/);
      const mails = await rowsOf(db(), sql`select 1 from mail_deliveries where recipient = ${guest.user.email}`);
      expect(mails).toHaveLength(0);
      const tokens = await rowsOf(db(), sql`select 1 from user_tokens where user_id = ${guest.user.id}`);
      expect(tokens).toHaveLength(0);
      const live = await rowsOf(
        db(),
        sql`select 1 from refresh_tokens where user_id = ${guest.user.id} and revoked_at is null`,
      );
      expect(live).toHaveLength(0);
      const contacts = await testApp().container.services.users.getContacts([guest.user.id]);
      expect(contacts.size).toBe(0);
      const audit = await rowsOf<{ actor_id: string }>(
        db(),
        sql`select actor_id from audit_log where action = 'user.closed' and entity_id = ${guest.user.id}`,
      );
      expect(audit).toEqual([{ actor_id: guest.user.id }]);
    });

    it('lets the e-mail register again, as a new account', async () => {
      const res = await app().inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: { email: guest.user.email, password: PASSWORD, firstName: 'New', lastName: 'Person' },
      });
      expect(res.statusCode).toBe(201);
      const again = toSession(res);
      expect(again.user.id).not.toBe(guest.user.id);
      expect(again.user.email).toBe(guest.user.email);
    });

    it('keeps the review, under the author “Former member”', async () => {
      const res = await app().inject({ url: `/v1/properties/${placeId}/reviews` });
      expect(res.statusCode).toBe(200);
      const found = res
        .json<{ data: { id: string; authorId: string; comment: string; author: { firstName: string } | null }[] }>()
        .data.find((r) => r.id === reviewId);
      expect(found).toMatchObject({
        authorId: guest.user.id,
        comment: 'Quiet street, great coffee nearby',
        author: { id: guest.user.id, firstName: 'Former member' },
      });
      expect(JSON.stringify(found)).not.toContain('Ada');
    });

    it('keeps the conversation for the other participant', async () => {
      const res = await app().inject({ url: `/v1/conversations/${conversationId}/messages`, headers: host.auth });
      expect(res.statusCode).toBe(200);
      const bodies = res.json<{ data: { body: string; senderId: string }[] }>().data.map((m) => m.body);
      expect(bodies.sort()).toEqual(['Thanks for everything', 'You are welcome']);
    });

    it('stays closed: an admin can neither reopen it nor set "closed" by hand, and lists show it', async () => {
      const admin = await registerAdmin(testApp());
      const reopen = await app().inject({
        method: 'PATCH',
        url: `/v1/admin/users/${guest.user.id}`,
        headers: admin.auth,
        payload: { status: 'active' },
      });
      expect(reopen.statusCode).toBe(409);
      expect(reopen.json()).toMatchObject({ code: 'account_closed' });
      const close = await app().inject({
        method: 'PATCH',
        url: `/v1/admin/users/${bystander.user.id}`,
        headers: admin.auth,
        payload: { status: 'closed' },
      });
      expect(close.statusCode).toBe(422);
      const list = await app().inject({ url: '/v1/admin/users?status=closed&limit=100', headers: admin.auth });
      expect(list.statusCode).toBe(200);
      expect(list.json<{ data: { id: string; status: string }[] }>().data).toContainEqual(
        expect.objectContaining({ id: guest.user.id, status: 'closed', firstName: 'Former', lastName: 'member' }),
      );
    });

    it('leaves other users untouched', async () => {
      const me = await app().inject({ url: '/v1/me', headers: bystander.auth });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ id: bystander.user.id, email: bystander.user.email, firstName: 'Test' });
      const place = await app().inject({ url: `/v1/properties/${placeId}` });
      expect(place.json()).toMatchObject({ status: 'listed' });
    });
  });

  it('unlists a closing host’s places, and only theirs', async () => {
    const [closingHost, neighbour] = await Promise.all([
      register(app(), { role: 'host' }),
      register(app(), { role: 'host' }),
    ]);
    const [mine, draft, theirs] = [
      (await createProperty(app(), closingHost)).id,
      (await createProperty(app(), closingHost, { status: 'draft' })).id,
      (await createProperty(app(), neighbour)).id,
    ];
    // Warm the cache of the detail: the closure must end it too.
    expect((await app().inject({ url: `/v1/properties/${mine}` })).statusCode).toBe(200);
    expect((await closeAccount(closingHost)).statusCode).toBe(204);
    expect((await app().inject({ url: `/v1/properties/${mine}` })).statusCode).toBe(404);
    const rows = await rowsOf<{ id: string; status: string }>(
      db(),
      sql`select id, status from properties where id in (${mine}, ${draft}, ${theirs}) order by id`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [mine]: 'unlisted',
      [draft]: 'draft',
      [theirs]: 'listed',
    });
    expect((await app().inject({ url: `/v1/properties/${theirs}` })).statusCode).toBe(200);
  });

  it('needs a signed-in caller and a password', async () => {
    expect((await app().inject({ method: 'DELETE', url: '/v1/me', payload: { password: PASSWORD } })).statusCode).toBe(
      401,
    );
    const user = await register(app(), { email: uniqueEmail('nopass') });
    expect((await app().inject({ method: 'DELETE', url: '/v1/me', headers: user.auth, payload: {} })).statusCode).toBe(
      422,
    );
  });
});

describe('the module contract', () => {
  it('has every module that stores rows pointing at a user contribute to the export', () => {
    const pointsAtUsers = (module: (typeof MODULES)[number]) =>
      Object.values(module.tables).some(
        (table) =>
          getTableName(table) === 'users' ||
          getTableConfig(table).foreignKeys.some((fk) => getTableName(fk.reference().foreignTable) === 'users'),
      );
    const missing = MODULES.filter((m) => pointsAtUsers(m) && !('personalData' in m)).map((m) => m.name);
    expect(missing).toEqual([]);
    expect(MODULES.filter(pointsAtUsers).map((m) => m.name)).toEqual(
      expect.arrayContaining(['users', 'properties', 'bookings', 'reviews', 'messages']),
    );
  });
});
