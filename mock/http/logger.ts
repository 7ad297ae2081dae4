export const LOG_LEVELS = ['silent', 'error', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  enabled(level: LogLevel): boolean;
}

/** One line per message to the given sink (stdout by default); never logs key material. */
export function createLogger(level: LogLevel, sink: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const at = (min: LogLevel) => (message: string) => {
    if (rank >= LOG_LEVELS.indexOf(min)) sink(message);
  };
  return { error: at('error'), info: at('info'), debug: at('debug'), enabled: (min) => rank >= LOG_LEVELS.indexOf(min) };
}
