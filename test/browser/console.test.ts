import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import { scheduleKey } from '../../lambdas/shared/model';
import { tablesOf } from '../support/distribution';
import { useLocalStack } from '../support/local-stack';
import {
  DESKTOP,
  launchBrowser,
  overflowingElements,
  PHONE,
  runBrowserTests,
  seriousAxeViolations,
  watchProblems,
} from './support/browser';

/**
 * The admin console in headless Chromium against the whole local stack: sign-in through the local OpenID
 * provider, then an admin's week, page by page, as they would do it with a mouse and a keyboard. Every page
 * is checked with axe-core, and no console error or failed request may happen along the way.
 */

/**
 * Every run saves its screenshots under test-results/ to look at; `UPDATE_SCREENSHOTS=1` writes them over the
 * README's copies in docs/screenshots/ instead, so a plain test run leaves the tree as it was.
 */
const SCREENSHOTS = new URL(
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../test-results/screenshots/',
  import.meta.url,
);
const tag = randomBytes(3).toString('hex');
const domain = `acme-${tag}.com`;

// 9 rows: 6 good leads, a repeat of the first, a row with no usable address, and a misspelt provider (undeliverable).
const LEADS_CSV = [
  'email,first name,company',
  ...['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald'].map(
    (name, index) => `${name}@${domain},${name},Co ${index}`,
  ),
  `ada@${domain},ada,Co 0`,
  'not-an-address,nobody,Co 9',
  `ghost-${tag}@gmial.com,ghost,Co 8`,
].join('\n');

const MEMBERS_CSV = [
  'id,email,name,tier,subscriptionStatus',
  `bt-${tag}-1,first-${tag}@members.example.com,First Member,pro,active`,
  `bt-${tag}-2,second-${tag}@members.example.com,Second Member,starter,active`,
  `bt-${tag}-3,not-an-email,Broken Row,pro,active`,
].join('\n');

const countOf = (scope: Locator, label: string) =>
  scope.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');

describe.runIf(runBrowserTests)('the admin console in a browser', { timeout: 90_000 }, () => {
  const stack = useLocalStack({ console: {} });
  let browser: Browser;
  let page: Page;
  let watch: ReturnType<typeof watchProblems>;
  const consoleUrl = (path: string) => `${stack.current.consoleUrl}${path}`;

  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const navigate = async (link: string, title = link) => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: link, exact: true })
      .click();
    await heading(title).waitFor();
  };
  const expectAccessible = async () => expect(await seriousAxeViolations(page)).toEqual([]);
  const screenshot = async (name: string) => {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.evaluate('document.activeElement?.blur()');
    await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: DESKTOP });
    // A step that does not happen fails with the locator it waited for, well inside the test's own timeout.
    page.setDefaultTimeout(15_000);
    watch = watchProblems(page);
    // Run now and delete ask for confirmation; the admin says yes.
    page.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    const problems = watch.problems.splice(0);
    expect(problems).toEqual([]);
  });

  it('has a live accessibility check: axe reports a serious violation when a page has one', async () => {
    const scratch = await browser.newPage();
    try {
      await scratch.setContent('<html lang="en"><body><main><button></button></main></body></html>');
      expect((await seriousAxeViolations(scratch)).join('\n')).toContain('critical button-name');
    } finally {
      await scratch.close();
    }
  });

  it('signs the admin in through the OpenID provider and comes back to the page asked for', async () => {
    await page.goto(consoleUrl('/uploads'));
    await heading('Uploads').waitFor();
    expect(new URL(page.url()).pathname).toBe('/uploads');
    // The token lives in memory only: nothing in storage, nothing in the address.
    const stored = await page.evaluate('JSON.stringify([{ ...localStorage }, { ...sessionStorage }])');
    expect(stored).toBe('[{},{}]');
    expect(page.url()).not.toContain('code=');
  });

  it('is usable from the keyboard: a skip link first, then the navigation, which moves focus to the new page', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Overview');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Schedules');
    await page.keyboard.press('Enter');
    await heading('Schedules').waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('New schedule');
    await navigate('Uploads');
  });

  it('signs the admin in again when the API answers 401, and comes back to the same page', async () => {
    watch.expectRefusal('/admin/overview', 401);
    const authorizations: string[] = [];
    const countAuthorization = (request: Request) => {
      if (new URL(request.url()).pathname.endsWith('/authorize')) authorizations.push(request.url());
    };
    page.on('request', countAuthorization);
    await navigate('Members');
    // The API refuses the next overview once, as it does for a token revoked at the issuer.
    await page.route(
      '**/admin/overview',
      (route) =>
        route.fulfill({
          status: 401,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': stack.current.consoleUrl ?? '' },
          body: JSON.stringify({ error: 'Unauthorized', message: 'A valid bearer token is required' }),
        }),
      { times: 1 },
    );
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Supply and demand' }).waitFor();

    expect(authorizations).toHaveLength(1);
    expect(new URL(page.url()).pathname).toBe('/');
    page.off('request', countAuthorization);
    await navigate('Uploads');
  });

  it('uploads CSVs by the file chooser and by drag and drop, following each to its outcome with its counts', async () => {
    // The keyboard way: Tab to the button, Enter opens the file chooser.
    const chooserOpened = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose CSV files' }).focus();
    await page.keyboard.press('Enter');
    await (await chooserOpened).setFiles({
      name: `browser-${tag}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(LEADS_CSV),
    });
    const card = page.getByRole('listitem', { name: `Upload of browser-${tag}.csv` });
    await card.locator('.badge', { hasText: /^queued$/ }).waitFor({ timeout: 60_000 });
    expect(await countOf(card, 'Rows read').textContent()).toBe('9');
    expect(await countOf(card, 'Accepted').textContent()).toBe('7');
    expect(await countOf(card, 'Duplicates in the file').textContent()).toBe('1');
    expect(await countOf(card, 'Rejected rows').textContent()).toBe('1');
    expect(await countOf(card, 'Deliverable').textContent()).toBe('6');
    expect(await countOf(card, 'Undeliverable').textContent()).toBe('1');
    // The list below shows it too, newest first.
    const firstRow = page.locator('table tbody tr').first();
    await firstRow.getByText(/^queued$/).waitFor();
    expect(await firstRow.getByRole('link').textContent()).toBe(`browser-${tag}.csv`);
    // Two more at once, dropped on the page: the same bytes again, and a file that cannot be read.
    const dropped = await page.evaluateHandle(`(() => {
      const files = new DataTransfer();
      files.items.add(new File([${JSON.stringify(LEADS_CSV)}], 'again-${tag}.csv', { type: 'text/csv' }));
      files.items.add(new File(['a,b,c,d,e\\n1,2,3,4,5\\n'], 'broken-${tag}.csv', { type: 'text/csv' }));
      return files;
    })()`);
    await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
    const again = page.getByRole('listitem', { name: `Upload of again-${tag}.csv` });
    await again.locator('.badge', { hasText: /^duplicate file$/ }).waitFor({ timeout: 30_000 });
    expect(await again.textContent()).toContain('byte for byte the same as one uploaded before');
    const broken = page.getByRole('listitem', { name: `Upload of broken-${tag}.csv` });
    await broken.locator('.badge', { hasText: /^failed$/ }).waitFor({ timeout: 30_000 });
    expect(await broken.textContent()).toContain('This file was refused as a whole: ');
    await expectAccessible();
    await screenshot('uploads');
    await again.getByRole('link', { name: 'See the earlier upload' }).click();
    await heading(`browser-${tag}.csv`).waitFor();

    // The upload's own page offers the per-row result file.
    const result = page.getByRole('link', { name: 'Download the per-row result file' });
    expect(await result.getAttribute('href')).toMatch(/^http/);
    await expectAccessible();
  }, 90_000);

  it('imports members and shows every refused row with its number and reason', async () => {
    await navigate('Members');
    await page.getByLabel('Members to import').fill(MEMBERS_CSV);
    await page.getByRole('button', { name: 'Import' }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'refused' });
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('3 rows: 2 created');
    const refused = outcome.getByRole('table').locator('tbody tr');
    expect(await refused.count()).toBe(1);
    expect(await refused.first().textContent()).toContain(`bt-${tag}-3`);
    expect(await refused.first().textContent()).toMatch(/email/);
    await expectAccessible();
  });

  it('creates a weekly schedule, with the field the API refused marked next to it', async () => {
    await navigate('Schedules');
    await page.getByRole('link', { name: 'New schedule' }).click();
    await heading('New schedule').waitFor();
    await page.getByLabel('Name').fill(`weekly-top-up-${tag}`);
    await page.getByLabel('Repeats').selectOption('monthly');
    await page.getByLabel('Day of the month').fill('31');
    watch.expectRefusal('/admin/schedules', 400);
    await page.getByRole('button', { name: 'Create schedule' }).click();
    const dayField = page.getByLabel('Day of the month');
    await page.locator('.field-error', { hasText: 'must be 1-28' }).waitFor();
    expect(await dayField.getAttribute('aria-invalid')).toBe('true');
    expect(await dayField.getAttribute('aria-describedby')).toBeTruthy();

    await page.getByLabel('Repeats').selectOption('weekly');
    await page.getByLabel('Day of the week').selectOption('WED');
    await page.getByLabel('Time', { exact: true }).fill('07:30');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await heading(`weekly-top-up-${tag}`).waitFor();
    expect(await page.getByText('Weekly on Wednesday at 07:30 (Europe/Berlin)').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Next runs' }).locator('tbody tr').count()).toBeGreaterThan(
      0,
    );
    await expectAccessible();

    // Disable and enable again from the list.
    await navigate('Schedules');
    const row = page.locator('tr', { hasText: `weekly-top-up-${tag}` });
    await row.getByRole('button', { name: `Disable weekly-top-up-${tag}` }).click();
    await row.locator('.badge', { hasText: /^disabled$/ }).waitFor();
    await row.getByRole('button', { name: `Enable weekly-top-up-${tag}` }).click();
    await row.locator('.badge', { hasText: /^enabled$/ }).waitFor();
  });

  it('plans a dry run, then runs a distribution now and sees it succeed', async () => {
    await navigate('Schedules');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const plan = page.getByRole('region', { name: 'Dry-run plan' });
    await plan.waitFor();
    const planRows = plan.locator('tbody tr');
    await expect.poll(() => planRows.count()).toBeGreaterThanOrEqual(2);
    const firstMember = plan.locator('tr', { hasText: `bt-${tag}-1` });
    expect(await firstMember.locator('td').nth(1).textContent()).toBe('pro');
    // Owed and planned side by side: a pro member is owed a week's 50 (or what is left of it).
    const [owed, planned] = await Promise.all(
      [2, 3].map((cell) => firstMember.locator('td').nth(cell).textContent()),
    );
    expect(Number(owed)).toBeGreaterThan(0);
    expect(Number(planned)).toBeLessThanOrEqual(Number(owed));
    expect(await plan.textContent()).toContain('Nothing was written');
    await expectAccessible();

    const started = page.waitForResponse(
      (response) =>
        response.url().endsWith('/admin/distributions') &&
        response.request().method() === 'POST' &&
        response.status() === 202,
    );
    await page.getByRole('button', { name: 'Run now' }).click();
    const { startsAt } = (await (await started).json()) as { startsAt: string };
    await page.getByText('Run started').waitFor();
    // Scheduler starts the run at `startsAt`; the local Scheduler is moved there rather than waited for.
    await stack.current.scheduler.runDue(new Date(startsAt));
    await page.getByRole('link', { name: 'Follow the run' }).click();
    await page
      .locator('.badge', { hasText: /^succeeded$/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await expectAccessible();
  }, 90_000);

  it("shows a member's ledger and delivered leads", async () => {
    await navigate('Members');
    await page.getByRole('link', { name: 'First Member' }).click();
    await heading('First Member').waitFor();
    const leads = page.getByRole('table', { name: 'Delivered leads' }).locator('tbody tr');
    await expect.poll(() => leads.count()).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: 'Delivered leads' }).textContent()).toContain(domain);
    // This week's ledger row: what the run delivered, by run.
    const ledger = page.getByRole('table', { name: /^Ledger/ }).locator('tbody tr');
    await expect.poll(() => ledger.count()).toBeGreaterThan(0);
    expect(Number(await ledger.first().locator('td').nth(4).textContent())).toBeGreaterThan(0);
    await expectAccessible();
  });

  it('shows the overview with the run in its figures and chart', async () => {
    await navigate('Overview');
    await page
      .getByRole('img', { name: /Leads assigned and leads short/ })
      .locator('canvas')
      .first()
      .waitFor();
    expect(await countOf(page.locator('main'), 'Eligible members').textContent()).not.toBe('0');
    // The weekly schedule made above drives the forecast.
    const forecast = page
      .getByRole('table', { name: /^Forecast from the schedules/ })
      .getByRole('row', { name: /^Available leads/ });
    expect(await forecast.textContent()).toMatch(
      new RegExp(`weekly-top-up-${tag}|no scheduled run within a year`),
    );
    await expectAccessible();
    await screenshot('overview');
  });

  it('turns the scheduler-health verdict to failing when a schedule is overdue', async () => {
    await navigate('Scheduler health');
    const banner = page.locator('.banner');
    await banner.waitFor();
    const before = await banner.getAttribute('data-verdict');
    expect(before).not.toBe('failing');

    // A schedule whose time came 45 minutes ago, and that existed long before: it should have run.
    const due = new Date(Math.floor((Date.now() - 45 * 60_000) / 60_000) * 60_000);
    await navigate('Schedules');
    await page.getByRole('link', { name: 'New schedule' }).click();
    await page.getByLabel('Name').fill(`overdue-${tag}`);
    await page
      .getByLabel('Day of the week')
      .selectOption(['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'][due.getUTCDay()] ?? 'MON');
    await page.getByLabel('Time', { exact: true }).fill(due.toISOString().slice(11, 16));
    await page.getByLabel('Time zone').selectOption('UTC');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await heading(`overdue-${tag}`).waitFor();
    const scheduleId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await documentClient(stack.current).send(
      new UpdateCommand({
        TableName: tablesOf(stack.current).control,
        Key: scheduleKey(scheduleId),
        UpdateExpression: 'SET createdAt = :long, updatedAt = :long',
        ExpressionAttributeValues: { ':long': '2026-01-01T00:00:00.000Z' },
      }),
    );

    await navigate('Scheduler health');
    await page.locator('.banner[data-verdict="failing"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.banner li').first().textContent()).toContain(
      'no run of it has succeeded since',
    );
    expect(await page.locator('tr', { hasText: `overdue-${tag}` }).textContent()).toContain('overdue');
    await expectAccessible();
    await screenshot('scheduler-health');

    // Deleting the overdue schedule takes the failure away.
    await page.getByRole('link', { name: `overdue-${tag}` }).click();
    await heading(`overdue-${tag}`).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await heading('Schedules').waitFor();
    await expect.poll(() => page.getByRole('link', { name: `overdue-${tag}` }).count()).toBe(0);
    await navigate('Scheduler health');
    await page.locator('.banner:not([data-verdict="failing"])').waitFor();
  });

  it('fits a 390 px wide phone and stays accessible there, page by page', async () => {
    const phone = await browser.newPage({ viewport: PHONE });
    const phoneWatch = watchProblems(phone);
    try {
      await phone.goto(consoleUrl('/'));
      await phone.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      for (const [link, title] of [
        ['Overview', 'Overview'],
        ['Uploads', 'Uploads'],
        ['Schedules', 'Schedules'],
        ['Distributions', 'Distributions'],
        ['Members', 'Members'],
        ['Returns', 'Returns'],
        ['Suppression', 'Suppression'],
        ['Scheduler health', 'Scheduler health'],
      ] as const) {
        await phone
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: link, exact: true })
          .click();
        await phone.getByRole('heading', { level: 1, name: title }).waitFor();
        await phone.locator('.state-loading').first().waitFor({ state: 'detached' });
        expect(await overflowingElements(phone), `${title} is wider than the phone`).toEqual([]);
        expect(await seriousAxeViolations(phone), title).toEqual([]);
      }
    } finally {
      await phone.close();
    }
    expect(phoneWatch.problems).toEqual([]);
  }, 60_000);
});
