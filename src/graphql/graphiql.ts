import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

/**
 * GraphiQL served from installed packages, so that it works without internet access: the
 * page, GraphiQL's UMD build and the React UMD builds it needs. Every script is a file of
 * ours (no inline script), so the page runs under a CSP that allows this origin only.
 */

interface Asset {
  /** The path the page links to; it carries a hash of the content, so it is cached for good. */
  url: string;
  contentType: string;
  body: Buffer;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Page layout, kept out of the page so that the CSP needs no inline style. */
const PAGE_CSS = 'html, body { margin: 0; height: 100%; } #graphiql { height: 100vh; }\n';

/** Starts GraphiQL on the element carrying the endpoint; a file, not an inline script, for the CSP. */
const START_JS = `(function () {
  var root = document.getElementById('graphiql');
  var endpoint = new URL(root.getAttribute('data-endpoint'), location.href);
  // Subscriptions run over the socket at the same path (graphql-transport-ws; GraphiQL's
  // bundle carries the graphql-ws client). The Headers tab's authorization becomes the
  // connection_init payload.
  var socket = new URL(endpoint.href);
  socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({ url: endpoint.href, subscriptionUrl: socket.href });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
`;

const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ASSET_PREFIX = '/graphiql/assets/';

// A map comment would make browser tools ask for a file we do not serve.
const withoutSourceMap = (body: Buffer) =>
  Buffer.from(body.toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));

function asset(name: string, contentType: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const ext = path.extname(name);
  return { url: `${ASSET_PREFIX}${path.basename(name, ext)}.${hash}${ext}`, contentType, body };
}

let loading: Promise<Asset[]> | undefined;

/** The packages' files, read once per process (about 4 MB) and only where GraphiQL is on. */
function loadAssets(): Promise<Asset[]> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
    const file = async (pkg: string, relative: string) =>
      withoutSourceMap(await readFile(path.join(packageDir(pkg), relative)));
    // React first: the GraphiQL build expects React and ReactDOM as globals.
    return [
      asset('react.production.min.js', JS, await file('react', 'umd/react.production.min.js')),
      asset('react-dom.production.min.js', JS, await file('react-dom', 'umd/react-dom.production.min.js')),
      asset('graphiql.min.js', JS, await file('graphiql', 'graphiql.min.js')),
      asset('graphiql.min.css', CSS, await file('graphiql', 'graphiql.min.css')),
      asset('graphiql-page.css', CSS, Buffer.from(PAGE_CSS)),
      asset('graphiql-start.js', JS, Buffer.from(START_JS)),
    ];
  })();
  return loading;
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function page(assets: Asset[], endpoint: string): string {
  const styles = assets.filter((a) => a.contentType === CSS).map((a) => `  <link rel="stylesheet" href="${a.url}">\n`);
  const scripts = assets.filter((a) => a.contentType === JS).map((a) => `  <script src="${a.url}"></script>\n`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="robots" content="noindex">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Staylane GraphiQL</title>
${styles.join('')}</head>
<body>
  <div id="graphiql" data-endpoint="${escapeAttribute(endpoint)}"></div>
${scripts.join('')}</body>
</html>
`;
}

export interface GraphiqlOptions {
  /** Where GraphiQL sends its operations. */
  endpoint: string;
}

/**
 * `GET /graphiql` and its assets; registered only outside production. The files are read and
 * hashed by the first request for the page or an asset, not at start-up (cold start: `npm start` to the first /healthz answer within 4 s).
 */
export const graphiqlRoutes: FastifyPluginAsync<GraphiqlOptions> = async (app, { endpoint }) => {
  const hidden = { schema: { hide: true } } as const;
  let html: string | undefined;

  app.get('/graphiql', hidden, async (_request, reply) => {
    html ??= page(await loadAssets(), endpoint);
    return (
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', PAGE_CSP)
        // The page names the current asset hashes: always ask again.
        .header('cache-control', 'no-cache')
        .send(html)
    );
  });

  app.get<{ Params: { file: string } }>(`${ASSET_PREFIX}:file`, hidden, async (request, reply) => {
    const a = (await loadAssets()).find((candidate) => candidate.url === `${ASSET_PREFIX}${request.params.file}`);
    if (!a) return reply.callNotFound();
    return reply
      .header('content-type', a.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(a.body);
  });
};
