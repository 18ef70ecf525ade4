import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';

/**
 * Headless Chromium for the console's browser tests: Debian's `chromium` package (Playwright cannot download
 * its own browser here). Without it the tests are skipped on a developer's machine, with the reason; in CI
 * (`CI=true`) a missing browser fails the run instead.
 */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const chromiumPath = CANDIDATES.find((path): path is string => !!path && existsSync(path));

export const MISSING_BROWSER =
  'No Chromium found (looked for $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser): apt-get install -y chromium';

/** Run the browser tests: always in CI (where a missing browser then fails), elsewhere when Chromium is here. */
export const runBrowserTests = process.env.CI === 'true' || chromiumPath !== undefined;
if (!runBrowserTests)
  console.warn(`${MISSING_BROWSER}. The console's browser tests are skipped (in CI they fail).`);

export const launchBrowser = async (): Promise<Browser> => {
  if (!chromiumPath) throw new Error(MISSING_BROWSER);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Containers often run as root without user namespaces; the sandbox cannot start there.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
};

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Everything that went wrong in the page: console errors, uncaught exceptions, requests that failed or were
 * answered with an error status. A test that provokes a refusal on purpose says so with `expectRefusal`.
 */
export const watchProblems = (page: Page) => {
  const problems: string[] = [];
  const expected: { path: string; status: number }[] = [];
  const isExpected = (url: string, status: number) =>
    expected.some((refusal) => refusal.status === status && new URL(url).pathname.endsWith(refusal.path));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    // Chromium logs every 4xx answer as a console error too; an expected refusal is not a problem.
    const location = message.location().url;
    if (
      /Failed to load resource/.test(message.text()) &&
      location &&
      expected.some((r) => location.includes(r.path))
    )
      return;
    problems.push(`console error: ${message.text()} (${location})`);
  });
  page.on('requestfailed', (request) => {
    // A navigation away (the sign-in redirect) aborts requests still in flight; that is not a failure.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(
      `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`,
    );
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !isExpected(response.url(), response.status()))
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    problems,
    expectRefusal: (path: string, status: number) => expected.push({ path, status }),
  };
};

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. axe is evaluated through the DevTools
 * protocol, so the console's strict Content-Security-Policy (no inline scripts) stays on.
 */
export const seriousAxeViolations = async (page: Page): Promise<string[]> => {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  // A string, evaluated in the page: this file is compiled for Node, without the DOM's types.
  const violations = (await page.evaluate(
    'axe.run(document).then((result) => result.violations)',
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
    );
};

/**
 * What sticks out past the page's right edge at its width, so that the page would need sideways scrolling:
 * elements inside a box that scrolls on its own (wide tables) do not count. Empty when the page fits.
 */
export const overflowingElements = async (page: Page): Promise<string[]> =>
  (await page.evaluate(`(() => {
    const scrollsItself = (element) => {
      for (let node = element.parentElement; node && node !== document.body; node = node.parentElement)
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(node).overflowX)) return true;
      return false;
    };
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    return [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1 && !scrollsItself(element))
      .map((element) => element.tagName.toLowerCase() + (element.className ? '.' + element.className : '') + ' "' + (element.textContent || '').slice(0, 40) + '"')
      .slice(0, 10);
  })()`)) as string[];
