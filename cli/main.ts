/**
 * The `spchain` command line: `spchain <command> [flags]`; `npm start` runs `spchain start`.
 * @module
 */
import { COMMANDS } from "./registry.js";

const help = (): string =>
  [
    "usage: spchain <command> [flags]",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
    "",
    "spchain help <command> shows a command's usage.",
  ].join("\n");

const main = async (argv: readonly string[]): Promise<number> => {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help") {
    const topic = COMMANDS.find((c) => c.name === args[0]);
    console.log(topic ? topic.usage : help());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`unknown command: ${name}\n\n${help()}`);
    return 2;
  }
  return command.run(args);
};

process.exitCode = await main(process.argv.slice(2));
