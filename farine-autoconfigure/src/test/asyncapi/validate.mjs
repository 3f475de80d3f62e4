// Checks an AsyncAPI document with the official parser (@asyncapi/parser), as the AsyncAPI CLI
// does: prints each diagnostic (errors and warnings) as "severity path: message" and exits 1 when
// there is an error, or when the document cannot be read. Usage: node validate.mjs <file>
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.mjs <asyncapi.json|yaml>');
  process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await parser.parse(await readFile(file, 'utf8'));
const names = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info', [DiagnosticSeverity.Hint]: 'hint' };
let errors = 0;
for (const d of diagnostics) {
  if (d.severity === DiagnosticSeverity.Error) errors++;
  console.log(`${names[d.severity] ?? d.severity} ${d.path.join('.')}: ${d.message} (${d.code})`);
}
if (errors > 0 || !document) {
  console.log(`${file}: ${errors} error(s)`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}, ${document.channels().length} channel(s), `
  + `${document.operations().length} operation(s)`);
