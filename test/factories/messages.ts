import type { FastifyInstance } from 'fastify';
import type { Session } from '#test/helpers.js';

/** Opens a conversation of `guest` with the host of `propertyId`; its id. */
export async function startConversation(
  app: FastifyInstance,
  guest: Session,
  propertyId: string,
  body = 'Hello',
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: guest.auth,
    payload: { propertyId, body },
  });
  if (res.statusCode >= 300) throw new Error(`conversation failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}
