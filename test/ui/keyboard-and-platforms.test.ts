import type { TestSandbox } from '../helpers/sandbox.js';
import { getCode } from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, waitForRows, type Browser, useDashboardSuite } from './browser.js';

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

const focused = () => {
  const el = document.activeElement as HTMLElement | null;
  return el
    ? { tag: el.tagName, text: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(), id: el.id, outline: getComputedStyle(el).outlineStyle }
    : null;
};

describe('keyboard use', () => {
  test(
    'Tab reaches the skip link and the clock buttons with a visible focus ring; Enter and Space press them',
    async () => {
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(focused)).toEqual({ tag: 'A', text: 'Skip to requests', id: '', outline: 'solid' });
      expect(await page.locator('.skip').isVisible()).toBe(true);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(focused)).toEqual({ tag: 'BUTTON', text: '+1 h', id: '', outline: 'solid' });
      await page.keyboard.press('Enter');
      await page.locator('#toast', { hasText: 'Clock advanced by 1 h.' }).waitFor();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Space');
      await page.locator('#toast', { hasText: 'Clock advanced by 1 min.' }).waitFor();
      const offset = (await t.http.get('/__sandbox/clock')).body.offsetMs as number;
      expect(offset).toBeGreaterThanOrEqual(3_660_000);
      expect(offset).toBeLessThan(3_670_000);

      // The skip link moves focus to the requests panel.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('requests');
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'a request opens with Enter, and a row keeps focus while new requests arrive above it',
    async () => {
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await getCode(t.http);
      await waitForRows(page, '#req-table', (r) => r.length === 1, 'the first request');
      await page.getByRole('button', { name: 'POST authverify2.as' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('#detail-body', { hasText: 'POST /oauth/authverify2.as' }).waitFor();
      await getCode(t.http);
      await waitForRows(page, '#req-table', (r) => r.length === 2, 'the second request');
      // Still on the same (now second) row's button, not thrown back to the top of the page.
      expect(await page.evaluate(() => [document.activeElement?.closest('tr')?.rowIndex, document.activeElement?.getAttribute('aria-pressed')])).toEqual([
        2,
        'true',
      ]);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'every control has a name: buttons by their text or label, fields and selects by a <label>',
    async () => {
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await getCode(t.http);
      await waitForRows(page, '#tok-table', (r) => r.length === 1, 'a token row');
      const unnamed = await page.$$eval('button, a[href], input, select, [tabindex="0"]', (els) =>
        els
          .filter((el) => {
            const e = el as HTMLInputElement;
            const name =
              e.getAttribute('aria-label') ??
              (e.labels && e.labels.length ? e.labels[0].textContent : e.tagName === 'INPUT' || e.tagName === 'SELECT' ? '' : e.textContent);
            return !name || !name.trim();
          })
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      expect(unnamed).toEqual([]);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});

describe('the platforms panel', () => {
  test(
    'lists every platform with its base URLs and credentials, each with a working Copy button',
    async () => {
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.sb.url });
      const { platforms } = (await t.http.get('/__sandbox/platforms')).body as {
        platforms: { id: string; baseUrls: string[]; credentials: { label: string; value: string }[] }[];
      };
      expect(await page.locator('#platform-list summary').allTextContents()).toEqual([
        'Mantunsci (曼顿) smart-breaker open platform (mantun)',
        'Yonyou 友户通 UserCenter OAuth2 (usercenter)',
        'SOP open platform (Alipay-style signed gateway) (sop)',
        'Zhejiang Rural Credit 丰收互联 OIP open platform (zjrc)',
      ]);
      for (const [i, p] of platforms.entries()) {
        const card = page.locator('#platform-list details').nth(i);
        expect(await card.locator('.copy-list code').allTextContents()).toEqual(p.baseUrls);
        expect(await card.locator('.creds dt').allTextContents()).toEqual(p.credentials.map((c) => c.label.trim()));
        expect(await card.locator('.creds dd code').allTextContents()).toEqual(p.credentials.map((c) => c.value));
      }
      await page.getByRole('button', { name: 'Copy appSecret' }).click();
      await page.locator('#toast', { hasText: 'Copied appSecret.' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E');
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
