import { Kind, parse, visit, type ASTNode, type DocumentNode } from 'graphql';
import { AppError, type FieldError } from '../platform/errors.js';
import { NUL_MESSAGE, nulPaths } from '../platform/validation.js';

/**
 * The GraphQL side of the REST input guard: PostgreSQL stores no U+0000, so an operation
 * carrying one in a literal argument or a variable is refused before it runs
 * (BAD_USER_INPUT naming each place), whatever resolver it reaches.
 */
export async function rejectNulInput(
  _schema: unknown,
  document: DocumentNode,
  _context: unknown,
  variables: Record<string, unknown> | undefined,
): Promise<void> {
  const errors: FieldError[] = nulPaths(variables ?? {}).map((path) => ({
    path: `variables.${path}`,
    message: NUL_MESSAGE,
  }));
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (node.value.includes('\u0000'))
        errors.push({ path: literalPath([...ancestors, parent]), message: NUL_MESSAGE });
    },
  });
  if (errors.length > 0) throw new AppError('invalid', 'validation_failed', 'The request is not valid.', { errors });
}

/** `field.argument.objectField…` of a literal, from the nodes above it. */
function literalPath(ancestors: ReadonlyArray<ASTNode | ReadonlyArray<ASTNode> | undefined>): string {
  const names: string[] = [];
  for (const a of ancestors) {
    if (!a || Array.isArray(a)) continue;
    const node = a as ASTNode;
    if (node.kind === Kind.FIELD) names.push(node.alias?.value ?? node.name.value);
    else if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) names.push(node.name.value);
    else if (node.kind === Kind.VARIABLE_DEFINITION) names.push(`$${node.variable.name.value}`);
  }
  return names.join('.');
}

/**
 * mercurius takes a query that fails to parse but is valid JSON (`12`, `null`, `{}`) for a
 * ready-made AST, which graphql-js then refuses with a plain Error. No GraphQL document is
 * also JSON, so such a query is answered as the syntax error it is, before that fallback.
 */
export async function rejectJsonDocument(_schema: unknown, source: string): Promise<void> {
  try {
    JSON.parse(source);
  } catch {
    return;
  }
  try {
    parse(source);
  } catch (syntaxError) {
    // The shape mercurius gives its own validation failures: the formatter codes each error.
    throw Object.assign(new Error('The query is not a GraphQL document.'), { statusCode: 400, errors: [syntaxError] });
  }
}
