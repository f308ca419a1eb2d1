// The root README's quick start is the code in examples/quickstart, byte for byte: every file
// there has exactly one README code block, preceded by `<!-- quickstart: FILE -->`, with the
// file's whole content. Exits 1 naming the first file that differs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'examples/quickstart');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = new Map();
for (const match of readme.matchAll(/<!-- quickstart: ([^ ]+) -->\n```[^\n]*\n([\s\S]*?)```\n/g)) {
  if (blocks.has(match[1])) fail(`README.md has two blocks for ${match[1]}.`);
  blocks.set(match[1], match[2]);
}
const files = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => e.name)
  .sort();
for (const name of files) {
  const block = blocks.get(name);
  if (block === undefined) fail(`README.md has no <!-- quickstart: ${name} --> block.`);
  if (block !== readFileSync(join(dir, name), 'utf8')) fail(`README.md's block for ${name} differs from examples/quickstart/${name}.`);
  blocks.delete(name);
}
if (blocks.size > 0) fail(`README.md has quick-start blocks for files that do not exist: ${[...blocks.keys()].join(', ')}.`);
console.log(`README quick start matches examples/quickstart (${files.length} files).`);

function fail(message) {
  console.error(`check-quickstart-readme: ${message}`);
  process.exit(1);
}
