import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { PACT_CONSUMER, PACT_PROVIDER } from '../../../contracts/pact/pact-names.ts';
import { CONSUMER_INTERACTIONS, type ConsumerInteraction } from './api-keys-interactions.ts';

/** The pact file that recording into `dir` writes: `<consumer>-<provider>.json`. */
export function pactFileIn(dir: string): string {
  return join(dir, `${PACT_CONSUMER}-${PACT_PROVIDER}.json`);
}

/** A consumer pact writing into `dir` (Pact's mock server listens on 127.0.0.1, on a free port). */
export function createConsumerPact(dir: string): PactV4 {
  return new PactV4({ consumer: PACT_CONSUMER, provider: PACT_PROVIDER, dir, host: '127.0.0.1', logLevel: 'error' });
}

/** Records one interaction into the pact (writing the pact file when it passes). */
export function recordInteraction(pact: PactV4, interaction: ConsumerInteraction): Promise<unknown> {
  return interaction.record(settling(pact.addInteraction().uponReceiving(interaction.description), matchedCheck(pact)));
}

/**
 * Runs every consumer interaction, in list order, into `dir` and returns the
 * pact file. Pact merges into a file already there, so `dir` should start empty.
 */
export async function recordPacts(dir: string, interactions: readonly ConsumerInteraction[] = CONSUMER_INTERACTIONS): Promise<string> {
  const pact = createConsumerPact(dir);
  for (const interaction of interactions) await recordInteraction(pact, interaction);
  return pactFileIn(dir);
}

// Pact's Rust mock server records a match after it has sent the response, so
// under CPU load executeTest can ask "was it received?" too early and report
// "expected but not received" for a request the client got an answer to
// (pact-foundation/pact-reference#535, pact-js#1835, open upstream). The test
// function therefore ends by polling the mock server, bounded, until it has
// recorded the match; a real mismatch still fails, after the bound.
const SETTLE_LIMIT_MS = 2_000;
const SETTLE_POLL_MS = 5;

type MatchedCheck = (port: number) => boolean;

/** The mock server's own "all matched?" answer, read through pact-js's core handle. */
function matchedCheck(pact: PactV4): MatchedCheck | undefined {
  const core = (pact as unknown as { pact?: { mockServerMatchedSuccessfully?: MatchedCheck } }).pact;
  return core?.mockServerMatchedSuccessfully?.bind(core);
}

/** The interaction builder, unchanged but for `executeTest`, whose test function waits for the match to be recorded. */
function settling<T extends object>(builder: T, matched: MatchedCheck | undefined): T {
  if (!matched) return builder;
  return new Proxy(builder, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'executeTest') {
        return (test: (server: { port: number }) => Promise<unknown>) =>
          (value as (test: unknown) => Promise<unknown>).call(target, async (server: { port: number }) => {
            const result = await test(server);
            const deadline = Date.now() + SETTLE_LIMIT_MS;
            while (!matched(server.port) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
            return result;
          });
      }
      return (...args: unknown[]) => {
        const next: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return typeof next === 'object' && next !== null ? settling(next, matched) : next;
      };
    },
  });
}
