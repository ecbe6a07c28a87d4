#!/usr/bin/env node
// The `spchain` executable. The CLI is written in TypeScript and runs through tsx's loader (a pinned
// development dependency: this package is consumed from source, see README "Layout").
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
