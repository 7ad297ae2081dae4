import { describeChoice, SERVER_CHOICES, type ChoiceName, type ChoiceValue } from '../../common/server-choices.ts';
import type { CheckContext } from '../check-context.ts';
import { defineCheck, type CheckDefinition, type Target } from '../check-definition.ts';
import { CheckFailure, CheckSkipped } from '../check-failure.ts';
import { where } from '../expect.ts';
import { describeResponse, type Exchange } from '../http-exchange.ts';
import { requires } from '../requires.ts';

/** What a probe saw of one choice: its value, or undefined when the answer fits no value (the exchange shows it). */
export interface ChoiceSighting<N extends ChoiceName = ChoiceName> {
  choice: N;
  value: ChoiceValue<N> | undefined;
  exchange: Exchange;
}

/** A sighting, typed by its choice. */
export function sighting<N extends ChoiceName>(choice: N, value: ChoiceValue<N> | undefined, exchange: Exchange): ChoiceSighting {
  return { choice, value, exchange } as ChoiceSighting;
}

/**
 * A check of one of the server's legal choices (contracts/CONTRACT.md "Mock's
 * choices"): its probe tells which value the server shows and records it for
 * the profile. With --mock the value must be the one the mock is held to (the
 * table's default, or a profile's); otherwise the probe only informs and never
 * fails a server: it runs when profiling (or on every run, `always`, when it is
 * one read-only request), and a probe that cannot finish is reported skipped. Keys a probe creates are deleted like any check's.
 */
export function defineChoiceCheck(spec: {
  name: string;
  operations: readonly Target[];
  description: string;
  observes: readonly ChoiceName[];
  /** Probe on every run, not only with --mock or --profile-out: for one read-only request whose answer a summary should always tell. */
  always?: boolean;
  probe(ctx: CheckContext, operation: Target): Promise<ChoiceSighting[]>;
}): CheckDefinition {
  return defineCheck({
    name: spec.name,
    rule: "Mock's choices",
    family: 'mock-choice',
    operations: spec.operations,
    description: spec.description,
    observes: spec.observes,
    run: async (ctx, operation) => {
      if (!spec.always) requires(ctx, 'probing');
      let sightings: ChoiceSighting[];
      try {
        sightings = await spec.probe(ctx, operation);
      } catch (error) {
        // Against any server but the mock a probe only informs: what stopped it is another check's to report.
        if (!ctx.options.mock && error instanceof CheckFailure) throw new CheckSkipped(`informational, could not tell: ${error.message}`);
        throw error;
      }
      for (const s of sightings) if (s.value !== undefined) ctx.observe(s.choice, s.value);
      if (!ctx.options.mock) {
        const unclear = sightings.find((s) => s.value === undefined);
        if (unclear) throw new CheckSkipped(`informational, could not tell ${unclear.choice} from ${describeResponse(unclear.exchange)}`);
        return;
      }
      for (const s of sightings) expectChoice(ctx, s);
    },
  });
}

function expectChoice(ctx: CheckContext, { choice, value, exchange }: ChoiceSighting): void {
  const expected = ctx.options.expected[choice];
  if (value === expected) return;
  const source = ctx.options.choices && choice in ctx.options.choices ? 'the profile' : "the mock's default";
  throw new CheckFailure({
    operation: where(exchange),
    expected: `${choice} ${JSON.stringify(expected)} (${describeChoice(choice, expected as never)}; ${source})`,
    actual: value === undefined ? describeResponse(exchange) : `${JSON.stringify(value)} (${describeChoice(choice, value as never)})`,
    hint: `${choice}: ${SERVER_CHOICES[choice].description}`,
  });
}
