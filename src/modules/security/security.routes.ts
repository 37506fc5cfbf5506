import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageQuerySchema, pageSchema } from '../../platform/pagination.js';
import { BlockedIp, BlockedIpParams, BlockIpBody, ListSuspiciousQuery, SuspiciousIp } from './security.schemas.js';
import type { SecurityService } from './security.service.js';

export const securityRoutes: FastifyPluginAsyncZod<{ security: SecurityService }> = async (app, { security }) => {
  const bearer = [{ bearerAuth: [] }];

  app.get(
    '/v1/admin/blocked-ips',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'listBlockedIps',
        summary: 'The IP block list (admins)',
        description:
          'Blocked addresses and CIDR ranges, newest first, keyset-paginated. A blocked address gets 403 `ip_blocked` on every route but `/healthz`, before authentication.',
        security: bearer,
        querystring: pageQuerySchema,
        response: { 200: pageSchema(BlockedIp), ...problemResponses({ 403: ['forbidden'] }) },
      },
    },
    (request) => security.listBlocked(request.query, request.ctx),
  );

  app.post(
    '/v1/admin/blocked-ips',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'blockIp',
        summary: 'Block an address or range (admins)',
        description: [
          'Adds an IPv4/IPv6 address or CIDR range (host bits are cleared: `203.0.113.7/24` is stored as `203.0.113.0/24`).',
          'It takes effect at once on the process that answered and within `BLOCKLIST_REFRESH_SECONDS` (10 s) on the others.',
          'Refused: ranges wider than /8 (IPv4) or /16 (IPv6) and ranges covering the caller’s own address (422),',
          'a range already listed or a list already holding 10,000 ranges (409). Recorded in the audit trail as `ip.blocked`.',
        ].join(' '),
        security: bearer,
        body: BlockIpBody,
        response: {
          201: BlockedIp,
          ...problemResponses({
            403: ['forbidden'],
            409: ['ip_already_blocked', 'block_list_full'],
            422: ['range_too_wide', 'would_block_yourself'],
          }),
        },
      },
    },
    async (request, reply) => {
      const blocked = await security.block(request.body, request.ctx);
      return reply
        .code(201)
        .header('location', `/v1/admin/blocked-ips/${encodeURIComponent(blocked.ip)}`)
        .send(blocked);
    },
  );

  app.delete(
    '/v1/admin/blocked-ips/:ip',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'unblockIp',
        summary: 'Unblock an address or range (admins)',
        description:
          'Removes the listed range given in any spelling (`203.0.113.7` is `203.0.113.7/32`). Recorded in the audit trail as `ip.unblocked`.',
        security: bearer,
        params: BlockedIpParams,
        response: {
          204: z.null().describe('Removed'),
          ...problemResponses({ 403: ['forbidden'], 404: ['blocked_ip_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await security.unblock(request.params.ip, request.ctx);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/admin/suspicious-ips',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'listSuspiciousIps',
        summary: 'Addresses flagged by the hourly sweep (admins)',
        description:
          'One entry per address and hour in which it made more than `SUSPICIOUS_REQUESTS_PER_HOUR` (1,000) requests or called admin routes without being an admin (401/403), newest hour first; kept 90 days. Counts are per client address as the server sees it (behind a proxy, set `TRUST_PROXY`).',
        security: bearer,
        querystring: ListSuspiciousQuery,
        response: { 200: pageSchema(SuspiciousIp), ...problemResponses({ 403: ['forbidden'] }) },
      },
    },
    (request) => security.listSuspicious(request.query, request.ctx),
  );
};
