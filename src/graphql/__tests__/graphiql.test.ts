import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createTestApp, graphql, useTestApp } from '#test/helpers.js';

const testApp = useTestApp();

/** Every `src` and `href` of the page. */
const linksOf = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

const packageFile = async (pkg: string, relative: string) => {
  const require = createRequire(import.meta.url);
  return readFile(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), relative), 'utf8');
};

describe('GraphiQL outside production', () => {
  it('serves a page that loads nothing from another origin, under a CSP without inline code', async () => {
    const res = await testApp().app.inject({ url: '/graphiql' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);

    const links = linksOf(res.body);
    expect(links.length).toBe(6);
    for (const link of links) expect(link).toMatch(/^\/graphiql\/assets\/[\w.-]+$/);
    expect(res.body).not.toMatch(/https?:\/\//);
    // Every script is a file: the CSP would block an inline one.
    expect(res.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(res.body).not.toMatch(/<style|\sstyle=/);
    expect(res.body).toContain('data-endpoint="/graphql"');
  });

  it('serves each asset with its content type, cached for good under a content-hashed name', async () => {
    const page = await testApp().app.inject({ url: '/graphiql' });
    const links = linksOf(page.body);
    const bodies = new Map<string, string>();
    for (const link of links) {
      const res = await testApp().app.inject({ url: link });
      expect(res.statusCode, link).toBe(200);
      expect(res.headers['content-type'], link).toBe(
        link.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      bodies.set(link.replace(/\.[0-9a-f]{12}(\.\w+)$/, '$1'), res.body);
    }
    // The installed builds themselves, React before GraphiQL, which expects it as a global.
    expect(bodies.get('/graphiql/assets/react.production.min.js')).toBe(
      await packageFile('react', 'umd/react.production.min.js'),
    );
    expect(bodies.get('/graphiql/assets/react-dom.production.min.js')).toBe(
      await packageFile('react-dom', 'umd/react-dom.production.min.js'),
    );
    expect(bodies.get('/graphiql/assets/graphiql.min.css')).toBe(await packageFile('graphiql', 'graphiql.min.css'));
    const graphiql = bodies.get('/graphiql/assets/graphiql.min.js');
    expect(graphiql).toContain('window.GraphiQL');
    expect(graphiql).not.toContain('sourceMappingURL');
    // The start script, run against stand-ins for the page: queries over HTTP, subscriptions
    // over the socket of the same origin and path.
    const fetchers: unknown[] = [];
    const pageStub = { getElementById: () => ({ getAttribute: () => '/graphql' }) };
    runInNewContext(bodies.get('/graphiql/assets/graphiql-start.js')!, {
      URL,
      document: pageStub,
      location: { href: 'https://staylane.example/graphiql' },
      GraphiQL: { createFetcher: (options: unknown) => fetchers.push(options) },
      React: { createElement: () => ({}) },
      ReactDOM: { createRoot: () => ({ render: () => undefined }) },
    });
    expect(fetchers).toEqual([
      { url: 'https://staylane.example/graphql', subscriptionUrl: 'wss://staylane.example/graphql' },
    ]);
    const order = links.filter((l) => l.endsWith('.js')).map((l) => l.split('/').pop()!.split('.')[0]);
    expect(order).toEqual(['react', 'react-dom', 'graphiql', 'graphiql-start']);
  });

  it("no longer has mercurius' own GraphiQL routes, and an unknown asset is a 404", async () => {
    for (const url of ['/graphiql/main.js', '/graphiql/sw.js', '/graphiql/config.js', '/graphiql/assets/x.js']) {
      expect((await testApp().app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('answers the introspection query GraphiQL sends', async () => {
    const res = await graphql(testApp().app, getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.__schema).toMatchObject({ queryType: { name: 'Query' } });
  });

  it('is left out of the OpenAPI document', async () => {
    const doc = (await testApp().app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths).filter((p) => p.includes('graphiql'))).toEqual([]);
  });
});

describe('GraphiQL in production', () => {
  it('answers 404 for the page and every asset, and refuses introspection', async () => {
    const links = linksOf((await testApp().app.inject({ url: '/graphiql' })).body);
    const prod = await createTestApp({ env: { NODE_ENV: 'production' }, database: testApp().container.database });
    try {
      for (const url of ['/graphiql', ...links, '/graphiql/main.js', '/graphiql/sw.js']) {
        expect((await prod.app.inject({ url })).statusCode, url).toBe(404);
      }
      for (const query of [getIntrospectionQuery(), '{ __type(name: "Property") { name } }']) {
        const res = await graphql(prod.app, query);
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
      }
    } finally {
      await prod.app.close();
      prod.container.redis?.disconnect();
    }
  });
});
