import { describe, expect, it } from 'vitest';
import { useTestApp } from '#test/helpers.js';

const testApp = useTestApp();

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe('OpenAPI document', () => {
  it('matches the committed openapi.json (run `npm run test:update` after an intended change)', async () => {
    const doc = (await testApp().app.inject({ url: '/openapi.json' })).json<Record<string, unknown>>();
    // The server URL depends on the environment, not on the code.
    doc.servers = [];
    await expect(JSON.stringify(doc, null, 2) + '\n').toMatchFileSnapshot('../openapi.json');
  });

  it('gives every route a summary, tags and documented errors; protected routes declare bearer auth', async () => {
    const doc = (await testApp().app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(12);
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
      if (path.startsWith('/v1/')) {
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('4')),
          where,
        ).toBe(true);
      }
      if (path.startsWith('/v1/me') || path.startsWith('/v1/admin') || path === '/v1/auth/logout') {
        expect(op.security, where).toEqual([{ bearerAuth: [] }]);
      }
    }
  });
});

describe('Swagger UI', () => {
  it('serves its page and files under a CSP that runs scripts of this origin only, with no validator badge', async () => {
    const { app } = testApp();
    const page = await app.inject({ url: '/docs/static/index.html' });
    const script = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    for (const res of [page, script]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    }
    // The page has no inline script for the policy to block.
    const html = page.statusCode === 200 ? page.body : (await app.inject({ url: '/docs' })).body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(script.body).toContain('"validatorUrl":null');
  });
});
