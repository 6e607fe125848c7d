// Parses Mermaid files with the real Mermaid parser (the one GitHub's renderer uses).
// Usage: ASLCHECK_MERMAID_MODULES=/path/with/node_modules node mermaid_parse.mjs FILE...
// That folder needs `npm install mermaid jsdom`; the parser wants a DOM, jsdom provides one.
import { createRequire } from 'module';
import { pathToFileURL } from 'url';
import fs from 'fs';
import path from 'path';

const base = process.env.ASLCHECK_MERMAID_MODULES;
const require = createRequire(path.join(base, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const pkgDir = path.join(base, 'node_modules', 'mermaid');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const entry = path.join(pkgDir, pkg.exports['.'].import);
const mermaid = (await import(pathToFileURL(entry).href)).default;
let bad = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(fs.readFileSync(file, 'utf8'));
    console.log('ok', file, result.diagramType);
  } catch (e) {
    bad++;
    console.log('ERR', file, e.message.replace(/\n/g, ' | '));
  }
}
process.exit(bad ? 1 : 0);
