/**
 * A CLI command: a name, a one-line summary, its usage, and a function of the arguments that
 * returns the process exit code. Commands print to stdout; diagnostics go to stderr.
 * @module
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[]) => Promise<number>;
}

/** `--name value` flags; returns the value or the default. */
export const flag = (args: readonly string[], name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? (args[at + 1] ?? fallback) : fallback;
};

export const hasFlag = (args: readonly string[], name: string): boolean => args.includes(`--${name}`);
