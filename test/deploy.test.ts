import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { loadConfig } from '../src/composition/config.js';

/**
 * The Kubernetes manifests (deploy/k8s): every object valid against the Kubernetes schemas,
 * the configuration they give the app accepted by the app itself, and the shutdown, probe
 * and selector wiring consistent. `.ci/run` also renders the example overlay with
 * `kubectl kustomize`.
 */
const K8S = path.resolve(import.meta.dirname, '../deploy/k8s');
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const base: Doc[] = readdirSync(path.join(K8S, 'base'))
  .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
  .flatMap((file) => parseAllDocuments(readFileSync(path.join(K8S, 'base', file), 'utf8')).map((d) => d.toJS() as Doc));
const overlay = parse(readFileSync(path.join(K8S, 'overlays/example/kustomization.yaml'), 'utf8'));
const find = (kind: string, name: string): Any => base.find((d) => d.kind === kind && d.metadata.name === name);

/** The kubernetes-models class of an object: `apps/v1` Deployment → kubernetes-models/apps/v1. */
async function validate(doc: Doc): Promise<void> {
  const models = (await import(`kubernetes-models/${doc.apiVersion}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = models[doc.kind];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
  new Model(doc).validate();
}

describe('Kubernetes manifests', () => {
  it('lists every base file in the kustomization, and each object is valid against its schema', async () => {
    const kustomization = parse(readFileSync(path.join(K8S, 'base/kustomization.yaml'), 'utf8'));
    const files = readdirSync(path.join(K8S, 'base')).filter((f) => f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(base.map((d) => `${d.kind} ${d.metadata.name}`).sort()).toEqual([
      'ConfigMap staylane-config',
      'Deployment staylane-api',
      'Deployment staylane-worker',
      'HorizontalPodAutoscaler staylane-api',
      'Job staylane-migrate',
      'NetworkPolicy staylane-api',
      'NetworkPolicy staylane-migrate',
      'NetworkPolicy staylane-worker',
      'PodDisruptionBudget staylane-api',
      'PodDisruptionBudget staylane-worker',
      'Service staylane-api',
    ]);
    for (const doc of base) await validate(doc);
  });

  it('the validation refuses a broken object (a Deployment without its selector)', async () => {
    const broken = structuredClone(find('Deployment', 'staylane-api'));
    delete broken.spec.selector;
    await expect(validate(broken)).rejects.toThrow();
  });

  it('gives the app a configuration it accepts in production', () => {
    const secrets = Object.fromEntries(
      (overlay.secretGenerator[0].literals as string[]).map((l) => [
        l.slice(0, l.indexOf('=')),
        l.slice(l.indexOf('=') + 1),
      ]),
    );
    const config = loadConfig({ ...find('ConfigMap', 'staylane-config').data, ...secrets });
    expect(config.isProduction).toBe(true);
    expect(config.databaseUrl).toBeDefined();
    expect(config.redisUrl).toBeDefined();
  });

  it('probes the routes the app serves, and lets each pod finish its shutdown', () => {
    const drainSeconds = Number(find('ConfigMap', 'staylane-config').data.SHUTDOWN_DRAIN_SECONDS);
    const api = find('Deployment', 'staylane-api').spec.template.spec;
    const worker = find('Deployment', 'staylane-worker').spec.template.spec;
    expect(api.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    expect(api.containers[0].livenessProbe.httpGet.path).toBe('/healthz');
    expect(api.containers[0].ports[0].containerPort).toBe(3000);
    expect(worker.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    expect(worker.containers[0].ports[0].containerPort).toBe(3001);
    // The API: its drain, then up to 10 s for requests in flight; the worker exits within 15 s.
    expect(api.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drainSeconds + 10);
    expect(worker.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
  });

  it('points the autoscaler, budgets, service and policies at the pods that exist', () => {
    const labelsOf = (name: string) => find('Deployment', name).spec.template.metadata.labels;
    expect(find('HorizontalPodAutoscaler', 'staylane-api').spec.scaleTargetRef.name).toBe('staylane-api');
    expect(labelsOf('staylane-api')).toMatchObject(find('Service', 'staylane-api').spec.selector);
    for (const name of ['staylane-api', 'staylane-worker']) {
      expect(labelsOf(name)).toMatchObject(find('PodDisruptionBudget', name).spec.selector.matchLabels);
      expect(labelsOf(name)).toMatchObject(find('NetworkPolicy', name).spec.podSelector.matchLabels);
      expect(find('Deployment', name).spec.selector.matchLabels).toEqual(labelsOf(name));
    }
    expect(find('Job', 'staylane-migrate').spec.template.metadata.labels).toMatchObject(
      find('NetworkPolicy', 'staylane-migrate').spec.podSelector.matchLabels,
    );
  });
});
