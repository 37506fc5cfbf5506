import { describe, expect, it } from 'vitest';
import { INDEX_PAGE_CSP, indexLinks, wantsHtml } from '../src/composition/index.routes.js';
import { useTestApp } from '#test/helpers.js';

const app = useTestApp();

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('GET /', () => {
  it('answers JSON links that all lead somewhere, for API clients and curl alike', async () => {
    for (const accept of ['application/json', '*/*', undefined]) {
      const res = await app().app.inject({ url: '/', headers: accept ? { accept } : {} });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers.vary).toMatch(/accept/i);
      const body = res.json<{ name: string; links: Record<string, string> }>();
      expect(body.name).toBe('Staylane API');
      expect(body.links).toEqual({
        docs: '/docs',
        openapi: '/openapi.json',
        graphql: '/graphql',
        graphiql: '/graphiql',
        health: '/healthz',
        ready: '/readyz',
      });
    }
    const { links } = (await app().app.inject({ url: '/' })).json<{ links: Record<string, string> }>();
    for (const [rel, href] of Object.entries(links)) {
      if (rel === 'graphql') continue; // POST only
      const res = await app().app.inject({ url: href });
      expect([200, 302], `${href}: ${res.statusCode}`).toContain(res.statusCode);
    }
  });

  it('answers a browser a small HTML page of the same links, under a strict policy', async () => {
    const res = await app().app.inject({ url: '/', headers: { accept: BROWSER } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers['content-security-policy']).toBe(INDEX_PAGE_CSP);
    for (const href of ['/docs', '/openapi.json', '/graphiql', '/healthz', '/readyz']) {
      expect(res.body).toContain(`<a href="${href}">`);
    }
    expect(res.body).not.toMatch(/<script|<style|style=/);
  });

  it('leaves GraphiQL out in production, where it is not served', () => {
    expect(indexLinks(true).map((l) => l.rel)).not.toContain('graphiql');
    expect(indexLinks(false).map((l) => l.rel)).toContain('graphiql');
  });

  it('reads Accept as browsers and API clients send it', () => {
    expect(wantsHtml(BROWSER)).toBe(true);
    expect(wantsHtml('text/html')).toBe(true);
    expect(wantsHtml('application/json')).toBe(false);
    expect(wantsHtml('*/*')).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
    expect(wantsHtml('text/htmlx')).toBe(false);
  });
});
