#!/usr/bin/env node
// A committed launcher rather than dist/cli.js itself, so a workspace install can link the bin
// before the first build (no "Failed to create bin" warning); it only loads the build.
await import('../dist/cli.js');
