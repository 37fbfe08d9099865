// Scenario files: a plain shell script, one command per line. Leading `#` lines are the description;
// other `#` lines are comments; `# @cleanup` starts the section that always runs last (recorder) and
// that the replay skips (the simulated world is thrown away). Running the file with bash runs it all.

/** Splits a scenario script into description, commands and cleanup commands. */
export function parseScenario(text) {
  const description = [];
  const commands = [];
  const cleanup = [];
  let inCleanup = false;
  let leading = true;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#!")) continue;
    if (line === "# @cleanup") { inCleanup = true; leading = false; continue; }
    if (line.startsWith("#")) {
      if (leading) description.push(line.replace(/^#\s?/, ""));
      continue;
    }
    if (line === "") { if (description.length > 0) leading = false; continue; }
    leading = false;
    (inCleanup ? cleanup : commands).push(line);
  }
  return { description: description.join(" "), commands, cleanup };
}
