// A few expect() matchers over node:assert, so that the unit tests run on Node's built-in test
// runner without a test framework in the dependency tree.
import assert from "node:assert/strict";

export function expect(actual: unknown, message?: string) {
  return {
    toBe: (expected: unknown) => assert.equal(actual, expected, message),
    toEqual: (expected: unknown) => assert.deepEqual(actual, expected, message),
    toBeNull: () => assert.equal(actual, null, message),
    toContain: (item: unknown) => assert.ok((actual as unknown[]).includes(item), message ?? `${JSON.stringify(actual)} lacks ${JSON.stringify(item)}`),
    toHaveLength: (n: number) => assert.equal((actual as unknown[]).length, n, message),
    toBeGreaterThanOrEqual: (n: number) => assert.ok((actual as number) >= n, message ?? `${actual} < ${n}`),
    not: {
      toBe: (expected: unknown) => assert.notEqual(actual, expected, message),
    },
  };
}
