/**
 * A RangeError "Maximum call stack size exceeded" is input nested too deeply only where the text nests that deep
 * (src/engine/pipeline.ts errorOf). kmsfix's own (an array of a million values spread into push's arguments, from a
 * serverless.yml of 2 levels: adversarial pass of session 63, M3) was reported "nested too deeply to parse (10
 * levels at this point)", and the table dropped out of the report as bad input: it is an internal error.
 */
import { expect, it } from 'vitest';
import { STACK_DEEP, errorOf } from '../../src/engine/pipeline.js';

const overflow = () => new RangeError('Maximum call stack size exceeded');

it('a shallow file: an internal error, not a parse-depth one', () => {
  const file = { path: 'serverless.yml', text: 'custom:\n  v0: ${self:custom.v1}\n  v1: ${opt:key}\n' };
  expect(errorOf(file as never, overflow())).toEqual({
    file: 'serverless.yml',
    message: 'internal error: Maximum call stack size exceeded',
  });
});

it(`a file nesting ${STACK_DEEP} levels: nested too deeply, at its deepest point`, () => {
  const text = `a: ${'['.repeat(STACK_DEEP)}${']'.repeat(STACK_DEEP)}\n`;
  expect(errorOf({ path: 'deep.yaml', text } as never, overflow())).toEqual({
    file: 'deep.yaml',
    line: 1,
    column: 3 + STACK_DEEP,
    message: `nested too deeply to parse (${STACK_DEEP} levels at this point)`,
  });
});
