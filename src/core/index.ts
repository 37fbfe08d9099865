export * from "./exec-result.js";
export * from "./diagnostic.js";
export * from "./clock.js";
export * from "./random.js";
