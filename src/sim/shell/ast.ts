/**
 * Names for just-bash's AST node types. The package exports only a few of them by name
 * (its `exports` map hides dist/ast/types), so the rest are derived here by indexed access.
 */
import type { CommandNode, ScriptNode, StatementNode, PipelineNode, SimpleCommandNode, WordNode } from "just-bash";

export type { CommandNode, ScriptNode, StatementNode, PipelineNode, SimpleCommandNode, WordNode };
export type WordPart = WordNode["parts"][number];
export type CompoundNode = Exclude<CommandNode, SimpleCommandNode | { type: "FunctionDef" }>;
export type FunctionDefNode = Extract<CommandNode, { type: "FunctionDef" }>;
export type IfNode = Extract<CommandNode, { type: "If" }>;
export type ForNode = Extract<CommandNode, { type: "For" }>;
export type CStyleForNode = Extract<CommandNode, { type: "CStyleFor" }>;
export type WhileNode = Extract<CommandNode, { type: "While" }>;
export type UntilNode = Extract<CommandNode, { type: "Until" }>;
export type CaseNode = Extract<CommandNode, { type: "Case" }>;
export type ConditionalCommandNode = Extract<CommandNode, { type: "ConditionalCommand" }>;
export type ArithmeticCommandNode = Extract<CommandNode, { type: "ArithmeticCommand" }>;
export type CondExpr = ConditionalCommandNode["expression"];
export type RedirectionNode = SimpleCommandNode["redirections"][number];
export type HereDocNode = Extract<RedirectionNode["target"], { type: "HereDoc" }>;
export type AssignmentNode = SimpleCommandNode["assignments"][number];
export type ParameterExpansionPart = Extract<WordPart, { type: "ParameterExpansion" }>;
export type ParameterOperation = NonNullable<ParameterExpansionPart["operation"]>;
export type BraceExpansionPart = Extract<WordPart, { type: "BraceExpansion" }>;
export type ArithmeticExpressionNode = ArithmeticCommandNode["expression"];
export type ArithExpr = ArithmeticExpressionNode["expression"];
