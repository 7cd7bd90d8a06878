import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';
import { parseMantunTimestamp } from '../../src/platforms/mantun/signing.js';

// The worked example of docs/platforms/mantun.md#worked-signatures (appSecret APPSECRET_EXAMPLE).
const SECRET = 'APPSECRET_EXAMPLE';

describe('Mantun signatures: the worked vectors of the seed document', () => {
  test('router.as sign', () => {
    const params = {
      access_token: '0d7cf29a1bf071e3e319cd75f484dbda',
      client_id: 'O000000049',
      method: 'GET_BOXES',
      projectCode: 'P00000000009',
      timestamp: '20170504160410',
    };
    expect(mantunSign(params, SECRET)).toBe('ff326166c2e0d9e72bb240931b3b087f');
    // The sign param itself never takes part, whatever its value.
    expect(mantunSign({ ...params, sign: 'anything' }, SECRET)).toBe('ff326166c2e0d9e72bb240931b3b087f');
  });

  test('token.as client_secret', () => {
    expect(mantunClientSecret('O000000049', 'authorization_code', 'http://you-domain/xxx.jsp', '5198a7417068bd560d9ec86bdf4eb9e7', SECRET)).toBe(
      '7bd429241a792733a8364ca788c0d119',
    );
  });

  test('keys are ordered by code unit, so upper-case names sort before lower-case ones', () => {
    const a = mantunSign({ b: '2', A: '1', a: '3' }, 's');
    const b = mantunSign({ a: '3', b: '2', A: '1' }, 's');
    expect(a).toBe(b);
    expect(a).toBe(mantunSign({ x: '132' }, 's'));
  });

  test('timestamps are Asia/Shanghai local time', () => {
    const instant = Date.parse('2017-05-04T16:04:10+08:00');
    expect(mantunTimestamp(instant)).toBe('20170504160410');
    expect(parseMantunTimestamp('20170504160410')).toBe(instant);
    expect(parseMantunTimestamp('20170230120000')).toBeUndefined();
    expect(parseMantunTimestamp('2017-05-04 16:04:10')).toBeUndefined();
  });
});
