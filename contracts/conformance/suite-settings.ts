import type { ConformanceOptions } from './conformance-options.ts';

/** The options that can cross into the vitest worker (no functions). */
export type SerializableOptions = Omit<ConformanceOptions, 'fetch' | 'signal' | 'onResult' | 'journalPath' | 'timers'>;

/** What the CLI hands the vitest entry through `provide`/`inject`. */
export interface SuiteSettings {
  options: SerializableOptions;
  /** Where the entry writes the run's ConformanceReport (JSON) for the CLI's summary. */
  reportPath: string;
  /** Append-only ledger of created/deleted keys, swept by the CLI after the run. */
  journalPath: string;
}

export const SETTINGS_KEY = 'apikeysConformance';

declare module 'vitest' {
  export interface ProvidedContext {
    apikeysConformance: SuiteSettings;
  }
}
