/** Types of parse.mjs for the TypeScript tests that read scenario scripts. */
export interface ParsedScenario {
  description: string;
  commands: string[];
  cleanup: string[];
}
/** Splits a scenario script into description, commands and cleanup commands. */
export function parseScenario(text: string): ParsedScenario;
