import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { liftedConstraints, type ServerChoices } from '../common/server-choices.ts';
import { parseSpecText } from './parsed-spec-cache.ts';
import { specPath } from './spec-path.ts';
import { applyLayer, type SpecLayer } from './spec-layer.ts';

const BANNER: Record<SpecLayer, string> = {
  contract:
    "This file is the **contract** layer of openapi.yaml: what any correct server does, with none of the mock's choices. Point generic tools (fuzzers, validators) at it to test a real server.",
  full: "This file is the **full** layer of openapi.yaml: the contract and the stateful mock's choices merged in (label lengths, key format, strict request bodies, ...). Point generic tools at it to test the stateful mock; a real server is held to the contract layer only.",
};

/**
 * One layer of `openapi.yaml` as a standalone OpenAPI document (YAML), with no
 * `x-mock-choice` block left: for tools that do not know the two layers, such as
 * a property-based fuzzer pointed at the mock (`full`) or at a real server (`contract`).
 * `choices`: the full layer of a mock with these choices (their overridden keywords lifted).
 */
export function specLayerText(layer: SpecLayer, choices: Partial<ServerChoices> = {}): string {
  const lifted = layer === 'full' ? liftedConstraints(choices) : [];
  const document = applyLayer(parseSpecText(readFileSync(specPath, 'utf8')), layer, lifted) as { info: { description?: string } };
  document.info.description = `${BANNER[layer]}\n\n${document.info.description ?? ''}`;
  return stringify(document, { lineWidth: 0 });
}
