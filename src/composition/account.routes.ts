import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountPrivacy } from './account.js';
import { PERSONAL_DATA_FORMAT } from './account.js';
import { CloseAccountInput } from '../modules/users/index.js';
import { problemResponses } from '../http/problem.js';

const bearer = [{ bearerAuth: [] }];

/** GET /v1/me/export and DELETE /v1/me: the account's privacy routes, over every module's part. */
export const accountRoutes: FastifyPluginAsyncZod<{ account: AccountPrivacy }> = async (app, { account }) => {
  const PersonalDataExport = z
    .object({
      format: z.literal(PERSONAL_DATA_FORMAT),
      exportedAt: z.iso.datetime(),
      userId: z.uuid(),
      ...Object.fromEntries(account.sections.map((s) => [s, z.array(z.unknown())])),
    })
    .meta({ id: 'PersonalDataExport' });

  app.get(
    '/v1/me/export',
    {
      config: { auth: 'required', responseHeaders: { 200: ['Content-Disposition', 'Cache-Control'] } },
      schema: {
        tags: ['me'],
        operationId: 'exportMyData',
        summary: 'Download everything stored about you',
        description:
          `One JSON document (\`format: "${PERSONAL_DATA_FORMAT}"\`) as a download (\`Content-Disposition: attachment; filename="staylane-export.json"\`), ` +
          `streamed (chunked) page by page from the database. Each section is an array, in this order: ${account.sections.join(', ')}. ` +
          'Profile; places you host (every status); bookings as guest and of your places; payments of those bookings (without the guest’s checkout link on your places’); ' +
          'reviews you wrote and those of your places; conversations you take part in and all their messages; audit entries by you or about your account. ' +
          'No password or token hashes. The sections are read one after another, not as one snapshot. REST only: GraphQL has no download.',
        security: bearer,
        response: {
          200: {
            description: 'The export, streamed.',
            content: { 'application/json': { schema: PersonalDataExport } },
          },
        },
      },
    },
    async (request, reply) => {
      const chunks = account.exportPersonalData(request.ctx);
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="staylane-export.json"')
        .header('cache-control', 'private, no-store');
      // Byte mode: the stream reads the next page only as the socket drains. A client that
      // goes away destroys the stream, which ends the generators and their reads.
      return reply.send(Readable.from(chunks, { objectMode: false }) as unknown as z.infer<typeof PersonalDataExport>);
    },
  );

  app.delete(
    '/v1/me',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        operationId: 'closeMyAccount',
        summary: 'Close your account',
        description:
          'Needs the current password: a wrong one answers 403 `wrong_password` and counts as a failed sign-in of the account’s e-mail (after 5 in 15 minutes, 429). ' +
          '409 `has_active_stays` while you have a pending or confirmed booking, as guest or host, whose check-out day has not passed. ' +
          'Otherwise, in one commit: your name, e-mail, phone and password are erased (the e-mail can register again), every session and e-mailed link ends ' +
          '(access tokens answer 401 at once), your listed places are unlisted, and what others and the books need (bookings, payments, reviews, ' +
          'your side of conversations, audit entries) is kept under the anonymous author “Former member”. An audit entry `user.closed` records it.',
        security: bearer,
        body: CloseAccountInput,
        response: {
          204: z.null().describe('The account is closed'),
          ...problemResponses({
            403: ['wrong_password'],
            409: ['has_active_stays'],
            429: ['too_many_login_failures'],
          }),
        },
      },
    },
    async (request, reply) => {
      await account.closeAccount(request.body, request.ctx);
      return reply.status(204).send(null);
    },
  );
};
