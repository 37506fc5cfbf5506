import { parseArgs } from 'node:util';

/**
 * The command line's words: each command's usage, and its options parsed strictly. `--help`
 * (`-h`) prints a command's usage to stdout; an option it does not know is one line on
 * stderr and the usage, exit code 2. Nothing here loads the application, so help answers
 * whatever the environment holds.
 */

export const COMMANDS = ['serve', 'worker', 'migrate', 'seed', 'create-admin'] as const;
export type Command = (typeof COMMANDS)[number];

export const isCommand = (word: string | undefined): word is Command => COMMANDS.includes(word as Command);

const HELP_LINE = '  -h, --help                show this help';

const USAGE: Record<Command, string> = {
  serve: `Usage: staylane serve [--workers N]

Serves the API on HOST:PORT. In embedded mode (no DATABASE_URL) pending migrations are
applied first and the background jobs run in this process.

Options:
  --workers N               N API processes sharing one port, 1-64 (default 1; needs DATABASE_URL)
${HELP_LINE}
`,
  worker: `Usage: staylane worker

Runs background jobs from the queue; needs DATABASE_URL and REDIS_URL. Health, readiness
and metrics are served on WORKER_PORT.

Options:
${HELP_LINE}
`,
  migrate: `Usage: staylane migrate

Applies pending database migrations (PostgreSQL: safe to run from many processes at once).

Options:
${HELP_LINE}
`,
  seed: `Usage: staylane seed [--users N] [--properties N] [--bookings N] [--photos N] [--seed S]

Fills the database with a demo marketplace (migrations applied first): accounts, places,
past, current and future stays, reviews with host responses, conversations and an admin.
Prints at the end a guest, a host and an admin to sign in with (demo data only: every
seeded account shares one published password).

Options:
  --users N                 accounts, a fifth of them hosts (default 200)
  --properties N            places (default 1,000)
  --bookings N              stays (default 2 for each listed place)
  --photos N                photos per place, 0-50 (default 3; a few images drawn once and shared)
  --seed S                  the same seed and counts give the same data (default 20240601)
${HELP_LINE}
`,
  'create-admin': `Usage: staylane create-admin --email E --password P

Creates an admin account; refuses an e-mail that already exists and a password that is
too easy to guess.

Options:
  --email E                 the admin's e-mail address
  --password P              at least 10 characters, not easy to guess
${HELP_LINE}
`,
};

export const topUsage = () => `Usage: staylane <command> [options]

Commands:
  serve [--workers N]       serve the API (embedded mode: migrations applied first, jobs run in-process)
  worker                    run background jobs from the queue (needs REDIS_URL and DATABASE_URL)
  migrate                   apply pending database migrations
  seed [--users N --properties N --bookings N --photos N] [--seed S]
                            fill the database with a demo marketplace and print accounts to try
  create-admin --email E --password P
                            create an admin account

Run \`staylane <command> --help\` for a command's options.
`;

export const usageOf = (command: Command): string => USAGE[command];

type OptionSpec = Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>;
type Values<O extends OptionSpec> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/** What a command's arguments came to: its option values, or the exit code to stop with. */
export type Parsed<O extends OptionSpec> = { values: Values<O> } | { exit: number };

interface Streams {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processStreams: Streams = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Node's parseArgs errors carry these codes; anything else is a fault of ours. */
const PARSE_ERRORS = new Set([
  'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
  'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
]);

/** Parses a command's arguments; `--help` and mistakes are answered here. */
export function parseCommandArgs<O extends OptionSpec>(
  command: Command,
  args: readonly string[],
  options: O,
  streams: Streams = processStreams,
): Parsed<O> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!code || !PARSE_ERRORS.has(code)) throw e;
    streams.err(`staylane ${command}: ${describeParseError(code, (e as Error).message)}\n\n${usageOf(command)}`);
    return { exit: 2 };
  }
  if (values.help) {
    streams.out(usageOf(command));
    return { exit: 0 };
  }
  delete values.help;
  return { values: values as Values<O> };
}

/** One short line: Node's own messages go on to advice about `--` that does not apply here. */
function describeParseError(code: string, message: string): string {
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ?? message}`;
    default:
      // e.g. "Option '--users <value>' argument missing"
      return (message.split('\n')[0] ?? message).replace(/\.$/, '');
  }
}
