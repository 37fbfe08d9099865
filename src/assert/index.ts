/** The assert layer's public surface: matching, normalizers, diff views. */
export { matchOutput, outputLines, align, type MatchResult, type AlignStep, type Captures } from "./match.js";
export { NORMALIZER_NAMES, normalizersFor, describeNormalizers, type Normalizer } from "./normalizers.js";
export { diffViews, type DiffViews } from "./views.js";
export { escapeRegExp, type PatternLine, type PatternPart, type Segment } from "./pattern.js";
