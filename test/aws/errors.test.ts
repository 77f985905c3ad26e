// How AWS errors are written down: the same code and first line everywhere (collection errors, one-line
// messages), bounded; Signet's own errors are never recorded as a data gap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UndeclaredCallError } from '../../src/aws/clients.js';
import { awsErrorOf, collectionErrorOf, describeError } from '../../src/aws/errors.js';
import { SignetError, UsageError } from '../../src/errors.js';

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('AWS error text', () => {
  it('takes the code from name, else from a query-protocol Code, else says Error', () => {
    expect(awsErrorOf(awsError('AccessDeniedException', 'User: x is not authorized'))).toEqual({
      errorCode: 'AccessDeniedException',
      message: 'User: x is not authorized',
    });
    expect(awsErrorOf({ Code: 'Throttling', message: 'Rate exceeded' })).toEqual({
      errorCode: 'Throttling',
      message: 'Rate exceeded',
    });
    expect(awsErrorOf({ name: '', Code: 'Throttling', message: 'm' }).errorCode).toBe('Throttling');
    expect(awsErrorOf({ message: 'm' }).errorCode).toBe('Error');
    expect(awsErrorOf('socket hang up')).toEqual({ errorCode: 'Error', message: 'socket hang up' });
    expect(awsErrorOf(undefined)).toEqual({ errorCode: 'Error', message: 'undefined' });
  });

  it('keeps the first line of the message, at most 500 characters', () => {
    expect(awsErrorOf(awsError('E', 'first line\nsecond line\nthird')).message).toBe('first line');
    expect(awsErrorOf(awsError('E', 'x'.repeat(600))).message).toBe('x'.repeat(500));
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, message) => {
        const { errorCode, message: text } = awsErrorOf(awsError(name, message));
        expect(errorCode).toBe(name || 'Error');
        expect(text.includes('\n')).toBe(false);
        expect(text.length).toBeLessThanOrEqual(500);
        expect(message.startsWith(text)).toBe(true);
      }),
    );
  });

  it('describes an error on one line as Code: message', () => {
    expect(describeError(awsError('ResourceNotFoundException', 'Function not found\n  at x'))).toBe(
      'ResourceNotFoundException: Function not found',
    );
  });

  it("records AWS failures as collection errors but throws Signet's own errors again", () => {
    expect(collectionErrorOf(awsError('AccessDenied', 'no'))).toEqual({
      errorCode: 'AccessDenied',
      message: 'no',
    });
    for (const own of [
      new UndeclaredCallError('lambda', 'ListFunctions'),
      new UsageError('bad flag'),
      new SignetError('X', 'y'),
    ])
      expect(() => collectionErrorOf(own)).toThrow(own);
    // A name proves nothing: an AWS error named like Signet's is still data.
    expect(collectionErrorOf(awsError('UndeclaredCallError', 'spoof')).errorCode).toBe('UndeclaredCallError');
  });
});
