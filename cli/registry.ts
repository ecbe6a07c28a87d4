/**
 * Every CLI command, in the order `spchain help` lists them.
 * @module
 */
import type { Command } from "./command.js";
import { campaignCommand } from "./commands/campaign.js";
import { fig15Command } from "./commands/fig15.js";
import { fig16Command } from "./commands/fig16.js";
import { flowsCommand } from "./commands/flows.js";
import { startCommand } from "./commands/start.js";

export const COMMANDS: readonly Command[] = [startCommand, flowsCommand, fig15Command, fig16Command, campaignCommand];
