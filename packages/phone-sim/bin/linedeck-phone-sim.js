#!/usr/bin/env node
// Plain JS entry: Node 20 cannot run .ts, so tsx compiles the sources on load (docs/decisions/001).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
