// Lints .cypher files with Neo4j's own grammar (@neo4j-cypher/language-support).
// Usage: node lint.mjs FILE_OR_DIR...   Exit 1 on any error-level diagnostic or header problem.
import { lintCypherQuery } from '@neo4j-cypher/language-support';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ERROR = 1;

function cypherFiles(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => cypherFiles(join(path, name)))
    .filter((file) => file.endsWith('.cypher'));
}

// The header is the leading block of `//` comment lines: it must say what the file does
// and name every parameter the statement uses, so Browser users know what to `:param`.
function headerProblems(text) {
  const lines = text.split('\n');
  const header = [];
  for (const line of lines) {
    if (!line.trim().startsWith('//')) break;
    header.push(line);
  }
  if (header.length === 0) return ['missing header comment (purpose and parameters)'];
  const headerText = header.join('\n');
  const body = lines.slice(header.length).join('\n').replace(/\/\/.*$/gm, '');
  const params = [...new Set([...body.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
  return params
    .filter((p) => !new RegExp(`\\$${p}\\b`).test(headerText))
    .map((p) => `parameter $${p} is used but not documented in the header`);
}

function lintFile(file) {
  const text = readFileSync(file, 'utf8');
  const params = Object.fromEntries(
    [...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => [m[1], null]),
  );
  const { diagnostics } = lintCypherQuery(text, { parameters: params });
  const problems = diagnostics
    .filter((d) => d.severity === ERROR)
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
  return [...headerProblems(text).map((p) => `1:1 ${p}`), ...problems];
}

const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: node lint.mjs FILE_OR_DIR...');
  process.exit(2);
}
let failed = 0;
let checked = 0;
for (const file of targets.flatMap(cypherFiles)) {
  checked += 1;
  for (const problem of lintFile(file)) {
    failed += 1;
    console.error(`${relative(process.cwd(), file)}:${problem}`);
  }
}
console.log(`cypher-lint: ${checked} files checked, ${failed} problems`);
if (checked === 0) {
  console.error('cypher-lint: no .cypher files found; check the path');
  process.exit(2);
}
process.exit(failed ? 1 : 0);
