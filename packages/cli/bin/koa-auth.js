#!/usr/bin/env node
// A committed launcher rather than dist/bin.js itself, so a workspace install can link the bin
// before the first build (no "Failed to create bin" warning); it only loads the compiled CLI.
await import('../dist/bin.js');
