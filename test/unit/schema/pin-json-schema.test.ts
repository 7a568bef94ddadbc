// The pin files' JSON Schema for editors (issue 15: "no JSON Schema that an editor can use for pin
// files"): generated from the CRD, committed in crds/ (shipped in the package), and as strict as
// `atomsync validate` on what editors check most: unknown fields and missing required ones.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { pinFileJsonSchema } from '../../../controller/schema/pin-json-schema.js';
import { EXAMPLES_DIR, REPO_ROOT } from '../../e2e/support/repo.js';

const COMMITTED = join(REPO_ROOT, 'crds', 'atomversion.schema.json');

async function examplePins(): Promise<unknown[]> {
  const dir = join(EXAMPLES_DIR, 'pins');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.yaml'));
  const texts = await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')));
  return texts.flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as unknown));
}

describe('crds/atomversion.schema.json', () => {
  it('is what the CRD generates (run `npm run schema` after changing crds/atomversion.yaml)', async () => {
    expect(JSON.parse(await readFile(COMMITTED, 'utf8'))).toEqual(pinFileJsonSchema());
  });

  it('accepts every example pin and rejects a misspelt field and a pin without an account', async () => {
    const validate = new Ajv({ strict: false }).compile(pinFileJsonSchema());
    const pins = await examplePins();
    expect(pins.length).toBeGreaterThan(5);
    for (const pin of pins) expect(validate(pin), JSON.stringify(validate.errors)).toBe(true);
    const typo = structuredClone(pins[0]) as { spec: Record<string, unknown> };
    typo.spec['connecters'] = [];
    expect(validate(typo)).toBe(false);
    const noAccount = structuredClone(pins[0]) as { spec: Record<string, unknown> };
    delete noAccount.spec['account'];
    expect(validate(noAccount)).toBe(false);
  });
});
