import { z } from 'zod';
import {
  checkPlatformEnv,
  ConfigError,
  platformEnv,
  processEnvironment,
  readPlatformConfig,
  type Config as PlatformConfig,
} from '../config.js';
import type { AnyModule, SettingsFragment } from '../module.js';
import { MODULES } from '../modules/index.js';

/**
 * The whole configuration: the platform's variables (src/config.ts) and every module's
 * settings fragment, validated together as one environment; each module's parsed settings
 * under its name in `settings`, handed to its service as `deps.settings`.
 */

/** The settings a module reads, or undefined for one that declares none. */
type SettingsIn<M> = M extends { readonly settings?: SettingsFragment<infer _Shape, infer S> } ? S : undefined;

/** `{ bookings: BookingsSettings, … }`: the modules that declare settings, each under its name. */
export type ModuleSettings = {
  [M in (typeof MODULES)[number] as [SettingsIn<M>] extends [undefined] ? never : M['name']]: SettingsIn<M>;
};

export type Config = PlatformConfig & { readonly settings: ModuleSettings };

const modules: readonly AnyModule[] = MODULES;

/** Every module's settings fragment, under its module's name. */
export function settingsFragments(): [string, SettingsFragment][] {
  return modules.flatMap((m) =>
    m.settings ? [[m.name, m.settings as SettingsFragment] as [string, SettingsFragment]] : [],
  );
}

/** The platform's variables and every module's in one zod object; a variable declared twice is an error. */
export function environmentSchema() {
  const shape: Record<string, z.core.$ZodType> = { ...platformEnv.shape };
  for (const [name, fragment] of settingsFragments()) {
    for (const [variable, schema] of Object.entries(fragment.env.shape)) {
      if (variable in shape) throw new Error(`Module ${name} declares ${variable}, which is declared already`);
      shape[variable] = schema;
    }
  }
  return z.object(shape);
}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = processEnvironment()): Config {
  const fragments = settingsFragments();
  const schema = environmentSchema().superRefine((values, ctx) => {
    const report = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
    const platform = values as z.output<typeof platformEnv>;
    checkPlatformEnv(platform, report);
    for (const [, fragment] of fragments) {
      fragment.check?.(values, { isProduction: platform.NODE_ENV === 'production' }, report);
    }
  });
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}`);
  }
  const values = parsed.data;
  const settings = Object.fromEntries(fragments.map(([name, fragment]) => [name, fragment.read(values)]));
  return Object.freeze({
    ...readPlatformConfig(values as z.output<typeof platformEnv>),
    // Each entry was read by its own module's fragment: the shape `ModuleSettings` describes.
    settings: Object.freeze(settings) as ModuleSettings,
  });
}
