import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMAS } from '../../../src/data/schemas.js';
import { renderDataDocs } from './data-docs.js';

const PATH = 'docs/data.md';

describe('docs/data.md', () => {
  const fresh = renderDataDocs();
  if (process.env['FINBOARD_UPDATE_DOCS'] === '1') writeFileSync(PATH, fresh);

  it('matches the schemas and the sample (regenerate with FINBOARD_UPDATE_DOCS=1)', () => {
    expect(existsSync(PATH)).toBe(true);
    expect(readFileSync(PATH, 'utf8')).toBe(fresh);
  });

  it('lists every canonical dataset and column with a CSV example of 10 rows', () => {
    for (const [name, s] of Object.entries(SCHEMAS)) {
      const section = fresh.split(`## \`${name}\``)[1]!.split('\n## ')[0]!;
      for (const col of Object.keys(s.fields)) expect(section, `${name}.${col}`).toContain(`| \`${col}\` |`);
      const csv = section.split('```csv\n')[1]!.split('\n```')[0]!.split('\n');
      expect(csv[0]).toBe(Object.keys(s.fields).join(','));
      expect(csv.length - 1, name).toBe(10);
    }
  });
});
