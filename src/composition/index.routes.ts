import type { FastifyPluginAsync } from 'fastify';

/**
 * `GET /`: where to go from here, instead of a 404. JSON (`{ name, links }`) unless the
 * client asks for HTML (`Accept` lists `text/html`, as browsers do), which gets a small page
 * of the same links. GraphiQL is listed only outside production, where it is served.
 */

/** Nothing to load, run, submit or frame: the page is text and links. */
export const INDEX_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface IndexLink {
  rel: string;
  href: string;
  title: string;
}

export function indexLinks(isProduction: boolean): IndexLink[] {
  return [
    { rel: 'docs', href: '/docs', title: 'REST API reference (Swagger UI)' },
    { rel: 'openapi', href: '/openapi.json', title: 'OpenAPI 3.1 document' },
    { rel: 'graphql', href: '/graphql', title: 'GraphQL endpoint (POST; subscriptions over WebSocket)' },
    ...(isProduction ? [] : [{ rel: 'graphiql', href: '/graphiql', title: 'GraphiQL, to try GraphQL queries' }]),
    { rel: 'health', href: '/healthz', title: 'Liveness probe' },
    { rel: 'ready', href: '/readyz', title: 'Readiness probe (database and Redis)' },
  ];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function indexPage(links: readonly IndexLink[]): string {
  const items = links
    .map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.href)}</a> — ${escapeHtml(l.title)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Staylane API</title>
</head>
<body>
<h1>Staylane API</h1>
<p>The backend of a property-rental marketplace: a REST API under <code>/v1</code> and a GraphQL API.</p>
<ul>
${items}
</ul>
</body>
</html>
`;
}

/** True when the Accept header asks for HTML (browsers); JSON otherwise, `*\/*` and none included. */
export const wantsHtml = (accept: string | undefined): boolean => /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept ?? '');

export const indexRoutes: FastifyPluginAsync<{ isProduction: boolean }> = async (app, { isProduction }) => {
  const links = indexLinks(isProduction);
  const json = { name: 'Staylane API', links: Object.fromEntries(links.map((l) => [l.rel, l.href])) };
  const html = indexPage(links);
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    reply.header('vary', 'accept');
    if (!wantsHtml(request.headers.accept)) return reply.send(json);
    return reply.header('content-security-policy', INDEX_PAGE_CSP).type('text/html; charset=utf-8').send(html);
  });
};
