import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toProblem } from '../../http/error-handler.js';
import { AppError, isAppError } from '../../platform/errors.js';
import {
  checkoutPage,
  checkoutPath,
  errorPage,
  resultPage,
  resultPath,
  SANDBOX_PAGE_CSP,
} from './payments.sandbox-page.js';
import { CheckoutParams } from './payments.schemas.js';
import type { PaymentsApi } from './payments.service.js';

const HTML = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
const ResultQuery = z.object({ delivery: z.enum(['failed']).optional() });
const REFERENCE = /^\/sandbox\/checkout\/([0-9a-fA-F-]{36})(?:[/?]|$)/;

/**
 * The sandbox's hosted checkout, HTML for a browser, outside the JSON API and its document.
 * Post/Redirect/Get: Pay and Decline settle the checkout and answer 303 to its result page,
 * so reloading or going back never posts again; a checkout already settled redirects there
 * too, and its page says nothing more was charged. Every answer carries the pages' strict
 * CSP, and errors are small pages (not problem+json) linking back to the checkout.
 */
export const sandboxCheckoutRoutes: FastifyPluginAsyncZod<{ payments: PaymentsApi }> = async (scope, { payments }) => {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  // On every answer of the scope, error pages included: the app's CSP is off (Swagger UI).
  scope.addHook('onRequest', async (_request, reply) => {
    reply.header('content-security-policy', SANDBOX_PAGE_CSP);
  });
  scope.setErrorHandler((error, request, reply) => sendErrorPage(error as Error, request, reply));
  scope.setNotFoundHandler((request, reply) =>
    sendErrorPage(new AppError('not_found', 'page_not_found', 'There is no such page.'), request, reply),
  );

  scope.get('/:reference', { schema: { hide: true, params: CheckoutParams } }, async (request, reply) => {
    const checkout = await payments.getSandboxCheckout(request.params.reference);
    return reply.headers(HTML).send(checkoutPage(checkout));
  });

  scope.get(
    '/:reference/result',
    { schema: { hide: true, params: CheckoutParams, querystring: ResultQuery } },
    async (request, reply) => {
      const checkout = await payments.getSandboxCheckout(request.params.reference);
      return reply.headers(HTML).send(resultPage(checkout, request.query.delivery !== 'failed'));
    },
  );

  for (const [action, outcome] of [
    ['pay', 'succeeded'],
    ['decline', 'failed'],
  ] as const) {
    scope.post(`/:reference/${action}`, { schema: { hide: true, params: CheckoutParams } }, async (request, reply) => {
      const { reference } = request.params;
      let delivered = true;
      try {
        ({ delivered } = await payments.settleSandboxCheckout(reference, outcome));
      } catch (e) {
        // Settled before (a second click, a form posted from an old tab): nothing happens
        // again, and the guest sees how it ended.
        if (!(isAppError(e) && e.code === 'checkout_settled')) throw e;
      }
      return reply.status(303).header('location', resultPath(reference, delivered)).send();
    });
  }
};

/** The problem an error answers, as a page; logged as the JSON API logs it. */
function sendErrorPage(error: Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, request);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  else if (problem.status !== 404) request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
  const reference = REFERENCE.exec(request.url)?.[1];
  // The checkout page is where the guest came from, unless that checkout is what is missing.
  const back =
    reference && problem.code !== 'checkout_not_found' && problem.code !== 'not_found'
      ? { href: checkoutPath(reference), label: 'Back to the checkout' }
      : { href: '/', label: 'Staylane' };
  const retryAfter = isAppError(error) ? error.retryAfter : undefined;
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.status(problem.status).headers(HTML).send(errorPage(problem, back));
}
