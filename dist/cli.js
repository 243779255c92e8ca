#!/usr/bin/env node
process.setSourceMapsEnabled(true);
await import('./bundle/cli.js');
