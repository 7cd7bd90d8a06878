import { compareOrder, movedAlone } from '../../src/compare/field-order.js';

/**
 * The order comparison on its own: the fields both answers have, in the order each sent them. The answers are
 * parsed from JSON text, as compare reads a recording's body and the sandbox's answer.
 */

const parsed = (text: string): unknown => JSON.parse(text);

const REAL_NODE = '{"alipay_story_get_response":{"request_id":"1f0b","code":"10000","msg":"Success","name":"葫芦娃"},"sign":"c2ln"}';
const SANDBOX_NODE = '{"alipay_story_get_response":{"code":"10000","msg":"Success","name":"葫芦娃","request_id":"9e2a"},"sign":"ZmFr"}';

test('request_id first in the real node, last in the sandbox’s: one difference naming the node and both orders', () => {
  expect(compareOrder(parsed(REAL_NODE), parsed(SANDBOX_NODE), ['alipay_story_get_response'])).toEqual({
    path: '$.alipay_story_get_response',
    real: 'order [request_id, code, msg, name]',
    sandbox: 'order [code, msg, name, request_id]',
    realValue: { real: ['request_id', 'code', 'msg', 'name'], sandbox: ['code', 'msg', 'name', 'request_id'] },
    about: 'order',
  });
});

test('sub_code before sub_msg in one answer and after it in the other', () => {
  const real = parsed('{"error_response":{"code":"40002","msg":"非法的参数","sub_code":"isv.invalid-signature","sub_msg":"无效签名"}}');
  const sandbox = parsed('{"error_response":{"code":"40002","msg":"非法的参数","sub_msg":"无效签名","sub_code":"isv.invalid-signature"}}');
  expect(compareOrder(real, sandbox, ['error_response'])).toEqual({
    path: '$.error_response',
    real: 'order [code, msg, sub_code, sub_msg]',
    sandbox: 'order [code, msg, sub_msg, sub_code]',
    realValue: { real: ['code', 'msg', 'sub_code', 'sub_msg'], sandbox: ['code', 'msg', 'sub_msg', 'sub_code'] },
    about: 'order',
  });
});

test('the body’s own order: sign before the node is a difference at $', () => {
  const real = parsed('{"sign":"c2ln","alipay_story_get_response":{"code":"10000"}}');
  const sandbox = parsed('{"alipay_story_get_response":{"code":"10000"},"sign":"ZmFr"}');
  expect(compareOrder(real, sandbox, [])).toEqual({
    path: '$',
    real: 'order [sign, alipay_story_get_response]',
    sandbox: 'order [alipay_story_get_response, sign]',
    realValue: { real: ['sign', 'alipay_story_get_response'], sandbox: ['alipay_story_get_response', 'sign'] },
    about: 'order',
  });
});

test('the same order is no difference, whatever the values', () => {
  expect(compareOrder(parsed(SANDBOX_NODE), parsed(SANDBOX_NODE.replace('9e2a', '77aa')), ['alipay_story_get_response'])).toBeUndefined();
  expect(compareOrder(parsed(REAL_NODE), parsed(REAL_NODE), [])).toBeUndefined();
});

test('a field only one answer has is a difference of shape, not of order: the others keep their order', () => {
  // The sandbox leaves sign out of an unsigned error, and has one field more in the node: neither is an order difference.
  const real = parsed('{"error_response":{"code":"40002","msg":"非法的参数"},"sign":"c2ln"}');
  const sandbox = parsed('{"error_response":{"code":"40002","extra":1,"msg":"非法的参数"}}');
  expect(compareOrder(real, sandbox, [])).toBeUndefined();
  expect(compareOrder(real, sandbox, ['error_response'])).toBeUndefined();
});

test('no object at the path on either side (another node, not JSON objects): nothing to compare', () => {
  expect(compareOrder(parsed(REAL_NODE), parsed('{"error_response":{"code":"40002"}}'), ['alipay_story_get_response'])).toBeUndefined();
  expect(compareOrder('text', parsed(SANDBOX_NODE), [])).toBeUndefined();
  expect(compareOrder(parsed('[1,2]'), parsed('[2,1]'), [])).toBeUndefined();
});

test('movedAlone: request_id alone elsewhere gives its real place; another field moved too, or a place in the middle, gives nothing', () => {
  const order = (real: string[], sandbox: string[]) =>
    compareOrder(
      parsed(JSON.stringify({ n: Object.fromEntries(real.map((k) => [k, 1])) })),
      parsed(JSON.stringify({ n: Object.fromEntries(sandbox.map((k) => [k, 1])) })),
      ['n'],
    )!;
  expect(movedAlone(order(['request_id', 'code', 'msg'], ['code', 'msg', 'request_id']), 'request_id')).toBe('first');
  expect(movedAlone(order(['code', 'msg', 'request_id'], ['request_id', 'code', 'msg']), 'request_id')).toBe('last');
  expect(movedAlone(order(['request_id', 'msg', 'code'], ['code', 'msg', 'request_id']), 'request_id')).toBeUndefined();
  expect(movedAlone(order(['code', 'request_id', 'msg'], ['request_id', 'code', 'msg']), 'request_id')).toBeUndefined();
  expect(movedAlone(order(['code', 'msg', 'sub_code'], ['code', 'sub_code', 'msg']), 'request_id')).toBeUndefined();
});
