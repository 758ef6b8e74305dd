import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AdminApi } from './api.js';

interface E2eEnv {
  baseUrl: string;
  admin: { email: string; password: string };
  resultsDir: string;
}

export function e2eEnv(): E2eEnv {
  const raw = process.env.CORSPLANE_CONSOLE_E2E;
  if (!raw)
    throw new Error(
      'CORSPLANE_CONSOLE_E2E is not set: run through jest.e2e.config.cjs (global setup starts the API)',
    );
  return JSON.parse(raw) as E2eEnv;
}

// STACK-NOTES §5: Debian's Chromium, never a downloaded browser.
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed requests seen so far, to fail tests on unexpected ones. */
  problems: string[];
}

export async function newSession(browser: Browser): Promise<Session> {
  const { baseUrl } = e2eEnv();
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1360, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    const err = r.failure()?.errorText ?? '';
    if (!err.includes('ERR_ABORTED')) problems.push(`requestfailed: ${r.url()} ${err}`);
  });
  return { context, page, problems };
}

/** What a console suite works with; the fields are set by the hooks useConsoleSuite() registers. */
export interface ConsoleSuite {
  browser: Browser;
  /** Admin API client for arranging data. */
  api: AdminApi;
  /** A fresh, signed-out browser context for the current test. */
  session: Session;
}

/** One browser and admin API client per suite file, and a new browser context for each test. */
export function useConsoleSuite(): ConsoleSuite {
  const suite = {} as ConsoleSuite;
  beforeAll(async () => {
    suite.browser = await launchBrowser();
    suite.api = await AdminApi.connect();
  });
  afterAll(async () => suite.browser?.close());
  beforeEach(async () => {
    suite.session = await newSession(suite.browser);
  });
  afterEach(async () => suite.session?.context.close());
  return suite;
}

export async function signIn(
  page: Page,
  email: string,
  password: string,
  path = '/',
): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

export async function signInAsAdmin(page: Page, path = '/'): Promise<void> {
  const { admin } = e2eEnv();
  await signIn(page, admin.email, admin.password, path);
}

/** Full-page screenshot under test-results/console/ (repository root). */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Let transitions (modals, notifications) settle so the picture shows the steady state.
  await page.waitForTimeout(250);
  // With a dialog open, the viewport is the picture (a full-page shot would cut the overlay).
  const dialogOpen = (await page.getByRole('dialog').count()) > 0;
  await page.screenshot({
    path: path.join(e2eEnv().resultsDir, `${name}.png`),
    fullPage: !dialogOpen,
  });
}

let counter = 0;
/** A tenant slug no other test uses. */
export const uniqueSlug = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${(++counter).toString(36)}`;

/**
 * The row of the blocked-origin page (`/tenants/<slug>/blocked`, already open) whose text has all of `parts`:
 * refusals are written in batches, so the page is reloaded until it shows (bounded).
 */
export async function waitForBlockedRow(page: Page, parts: string[]) {
  let row = page.getByTestId('blocked-row');
  for (const p of parts) row = row.filter({ hasText: p });
  for (let i = 0; i < 20 && (await row.count()) === 0; i++) {
    await page.waitForTimeout(500);
    await page.reload();
    await page
      .getByRole('table', { name: 'Blocked origins' })
      .or(page.getByText('Nothing blocked in this period'))
      .waitFor();
  }
  await row.waitFor();
  return row;
}
