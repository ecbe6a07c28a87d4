/**
 * Every CLI command, in the order `spchain help` lists them.
 * @module
 */
import type { Command } from "./command.js";

export const COMMANDS: readonly Command[] = [];
