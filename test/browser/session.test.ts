import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack';
import { DESKTOP, launchBrowser, runBrowserTests, watchProblems } from './support/browser';

/**
 * An expired session: the console keeps its token in memory only and, once it has expired, goes back through
 * sign-in on the admin's next step and lands on the page they were going to.
 */
describe.runIf(runBrowserTests)('an expired console session', { timeout: 90_000 }, () => {
  // The console signs in again 10 s before a token expires: a 15-second token is good for about 5 seconds.
  const stack = useLocalStack({ console: {}, oidc: { accessTokenSeconds: 15 } });
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: DESKTOP });
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('signs the admin in again and keeps the page they asked for', async () => {
    const watch = watchProblems(page);
    const authorizations: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/authorize')) authorizations.push(request.url());
    });
    await page.goto(`${stack.current.consoleUrl}/members`);
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    expect(authorizations).toHaveLength(1);

    await page.waitForTimeout(6_000);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Scheduler health' })
      .click();
    await page.locator('.banner').waitFor();

    expect(authorizations).toHaveLength(2);
    expect(new URL(page.url()).pathname).toBe('/scheduler-health');
    expect(new URL(authorizations[1] ?? '').searchParams.get('code_challenge_method')).toBe('S256');
    expect(watch.problems).toEqual([]);
  });
});
